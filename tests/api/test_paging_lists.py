"""More API lists page with ``limit`` (1–200, 50 unless asked) and ``offset``: the
catalogue, personnel files, the inbox, care tasks, daily runs, class changes, and
the lists of holds, loan approvals, duplicate candidates and campaign deliveries.
A page never holds what its reader may not see."""

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.utils import timezone

from dossier.banquets.services import MenuInput, menu_create
from dossier.care.models import DailyRun, Task
from dossier.classes.models import ChangeKind, ClassChange
from dossier.core.models import Property
from dossier.personnel.services import FileInput, personnel_file_create
from dossier.records.access import class_access_set
from dossier.records.models import ArchiveClass, SchemeVersion
from dossier.transfer.services import SendInput, transfer_send
from tests.conftest import StaffMaker
from tests.factories import GuestFactory, resident_id
from tests.records.conftest import FileCase, archivist, file_case, minor, scheme

pytestmark = pytest.mark.django_db
__all__ = ["archivist", "file_case", "minor", "scheme"]

Rows = Callable[[int], list[str]]


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _values(client: Client, url: str, key: str, params: dict[str, Any]) -> list[str]:
    path, _, query = url.partition("?")
    response = client.get(path, {**dict(parse_qsl(query)), **params})
    assert response.status_code == 200, response.content
    return [str(row[key]) for row in response.json()]


@pytest.fixture
def lists(
    prop: Property,
    archivist: User,
    manager: User,
    make_staff: StaffMaker,
    file_case: FileCase,
) -> dict[str, tuple[User, str, str, Rows]]:
    """Each list: who reads it, its address, the field shown, and how to fill it
    with n rows (returning the field of each, in the list's order)."""
    waiter = make_staff("fnb", username="waiter")

    def cases(n: int) -> list[str]:
        return [file_case(title=f"洗涤合同 {i}").case.title for i in range(n)]

    def files(n: int) -> list[str]:
        numbers = [f"RS-{i:03d}" for i in range(n)]
        for i, number in enumerate(numbers):
            born = date(1991, 1, 1) + timedelta(days=i)
            personnel_file_create(actor=archivist, property=prop, data=FileInput(
                file_number=number, employee_name="张伟", department="餐饮部",
                id_number=resident_id(born, "M", i), position="厨师",
                location="档案室 A 架", box="12"))  # fmt: skip
        return numbers

    def inbox(n: int) -> list[str]:
        case = file_case(title="年度洗涤服务合同").case
        notes = [f"请审阅 {i}" for i in range(n)]
        for note in notes:
            transfer_send(
                actor=archivist,
                data=SendInput("case", case.pk, "user", "manager", note),
            )
        return notes[::-1]

    def tasks(n: int) -> list[str]:
        guest = GuestFactory(full_name="林晓")
        titles = [f"送花 {i}" for i in range(n)]
        for i, title in enumerate(titles):
            Task.objects.create(guest=guest, title=title, department="fnb",
                                due=date(2026, 1, 1) + timedelta(days=i))  # fmt: skip
        return titles

    def runs(n: int) -> list[str]:
        days = [date(2026, 1, 1) + timedelta(days=i) for i in range(n)]
        for day in days:
            DailyRun.objects.create(
                property=prop, today=day, trigger="cron",
                started_at=timezone.make_aware(datetime(day.year, day.month, day.day)),
            )  # fmt: skip
        return [d.isoformat() for d in days[::-1]]

    def changes(n: int) -> list[str]:
        guest = GuestFactory(full_name="林晓")
        reasons = [f"消费达标 {i}" for i in range(n)]
        for reason in reasons:
            ClassChange.objects.create(guest=guest, to_class="A", on=date(2026, 1, 1),
                                       kind=ChangeKind.COMPUTED, reason=reason)  # fmt: skip
        return reasons[::-1]

    def menus(n: int) -> list[str]:
        guest = GuestFactory(full_name="林晓")
        occasions = [f"寿宴 {i}" for i in range(n)]
        for i, occasion in enumerate(occasions):
            menu_create(actor=waiter, guest=guest, data=MenuInput(
                event_date=date(2026, 1, 1) + timedelta(days=i), occasion=occasion))  # fmt: skip
        url = f"/api/v1/banquets/menus?guest_id={guest.pk}"
        lists["menus"] = (waiter, url, "occasion", menus)
        return occasions[::-1]

    lists: dict[str, tuple[User, str, str, Rows]] = {
        "menus": (waiter, "", "occasion", menus),
        "cases": (archivist, "/api/v1/records/cases", "title", cases),
        "files": (archivist, "/api/v1/personnel/files", "file_number", files),
        "inbox": (manager, "/api/v1/inbox", "note", inbox),
        "tasks": (waiter, "/api/v1/care/tasks", "title", tasks),
        "runs": (manager, "/api/v1/care/runs", "today", runs),
        "changes": (manager, "/api/v1/classes/changes", "reason", changes),
    }
    return lists


@pytest.mark.parametrize(
    "what", ["cases", "files", "inbox", "tasks", "runs", "changes", "menus"]
)
def test_a_list_pages_with_limit_and_offset(
    lists: dict[str, tuple[User, str, str, Rows]], what: str
) -> None:
    # given three rows of the list
    reader, _, key, fill = lists[what]
    expected = fill(3)
    url = lists[what][1]
    client = _client(reader)

    # when the list is read two at a time, and at once
    first = _values(client, url, key, {"limit": 2})
    second = _values(client, url, key, {"limit": 2, "offset": 2})
    beyond = _values(client, url, key, {"offset": 3})
    everything = _values(client, url, key, {})

    # then the pages follow each other in the list's order
    assert (first, second, beyond, everything) == (
        expected[:2],
        expected[2:],
        [],
        expected,
    )


@pytest.mark.parametrize(
    "what", ["cases", "files", "inbox", "tasks", "runs", "changes", "menus"]
)
def test_the_default_page_holds_fifty(
    lists: dict[str, tuple[User, str, str, Rows]], what: str
) -> None:
    reader, _, key, fill = lists[what]
    expected = fill(51)
    url = lists[what][1]
    client = _client(reader)

    found = _values(client, url, key, {})
    rest = _values(client, url, key, {"offset": 50})

    assert (found, rest) == (expected[:50], expected[50:])


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/records/cases",
        "/api/v1/records/holds",
        "/api/v1/records/loans/approvals",
        "/api/v1/personnel/files",
        "/api/v1/inbox",
        "/api/v1/inbox/sent",
        "/api/v1/care/tasks",
        "/api/v1/care/runs",
        "/api/v1/care/campaigns/1/deliveries",
        "/api/v1/classes/changes",
        "/api/v1/duplicates",
        "/api/v1/banquets/menus",
    ],
)
@pytest.mark.parametrize(
    "params", [{"limit": 0}, {"limit": 201}, {"offset": -1}, {"limit": "many"}]
)
def test_a_page_out_of_bounds_is_refused(
    manager: User, url: str, params: dict[str, Any]
) -> None:
    response = _client(manager).get(url, params)

    assert response.status_code == 422
    assert response.json()["code"]


def test_cases_of_a_hidden_class_are_on_no_page(
    archivist: User,
    manager: User,
    make_staff: StaffMaker,
    file_case: FileCase,
    scheme: SchemeVersion,
    minor: ArchiveClass,
) -> None:
    # given two cases in an open class and two in a class closed to the archive role
    open_class = scheme.classes.get(full_code="01-0204")
    shown = [
        file_case(archive_class=open_class, title=f"客户合同 {i}") for i in range(2)
    ]
    for i in range(2):
        file_case(title=f"供应商合同 {i}")
    class_access_set(actor=manager, archive_class=minor,
                     groups=[Group.objects.get(name="管理层")])  # fmt: skip
    client = _client(archivist)

    # when the catalogue is read one case a page, and past its end
    pages = [
        _values(client, "/api/v1/records/cases", "title", {"limit": 1, "offset": i})
        for i in range(4)
    ]

    # then only the open class's cases fill the pages
    assert pages == [[shown[0].case.title], [shown[1].case.title], [], []]


@pytest.mark.parametrize("limit", [0, 51])
def test_a_look_up_longer_than_fifty_is_refused_not_cut(
    manager: User, limit: int
) -> None:
    response = _client(manager).get(
        "/api/v1/guests/lookup", {"q": "林", "limit": limit}
    )

    assert response.status_code == 422
    assert response.json()["code"]


@pytest.mark.parametrize("params", [{"page_size": 0}, {"page_size": 101}, {"page": 0}])
def test_a_search_page_out_of_bounds_is_refused_not_cut(
    manager: User, params: dict[str, int]
) -> None:
    response = _client(manager).get("/api/v1/search", {"q": "林", **params})

    assert response.status_code == 422
    assert response.json()["code"]
