from datetime import date, datetime

import pytest
from django.contrib.auth.models import User

from dossier.collection.errors import CollectionError
from dossier.collection.models import Quota, Rank
from dossier.collection.quotas import (
    contact_touchpoints_set,
    quota_report,
    quota_set,
    staff_rank_set,
)
from dossier.core.models import Property
from dossier.guests.models import Guest, Observation
from tests.collection.conftest import logged_in, observed
from tests.conftest import StaffMaker
from tests.factories import GuestFactory

pytestmark = pytest.mark.django_db

NOVEMBER = date(2026, 11, 1)


def row(report, username: str):  # type: ignore[no-untyped-def]
    return next(p for p in report.people if p.user.username == username)


def test_the_source_numbers_apply_until_a_property_changes_them(prop: Property) -> None:
    report = quota_report(property=prop, month=NOVEMBER, today=date(2026, 11, 30))

    rules = {rank: (q.measure, q.period, q.target) for rank, q in report.rules.items()}
    assert rules == {
        "senior": ("contacts", "month", 5),
        "middle": ("contacts", "month", 15),
        "staff": ("observations", "day", 2),
    }


def test_staff_meet_two_observations_a_day_counted_on_shanghai_days(
    prop: Property, make_staff: StaffMaker
) -> None:
    # given Li files two a day on 1–3 November, one of them at 23:30 Shanghai time
    # (15:30 UTC, still the same day there); Wu files one a day
    li, wu = (
        make_staff("housekeeping", username="li"),
        make_staff("housekeeping", username="wu"),
    )
    guest: Guest = GuestFactory()
    for day in (1, 2, 3):
        observed(li, guest, f"2026-11-0{day}T09:00")
        observed(li, guest, f"2026-11-0{day}T23:30")
        observed(wu, guest, f"2026-11-0{day}T10:00")
    observed(wu, guest, "2026-11-04T00:10")  # the 4th, not the 3rd

    # when
    report = quota_report(property=prop, month=NOVEMBER, today=date(2026, 11, 3))

    # then
    li_row, wu_row = row(report, "li"), row(report, "wu")
    assert (li_row.actual, li_row.required, li_row.days_met, li_row.met) == (
        6,
        6,
        3,
        True,
    )
    assert (wu_row.actual, wu_row.required, wu_row.days_met, wu_row.met) == (
        3,
        6,
        0,
        False,
    )
    assert (li_row.today, wu_row.short) == (2, 3)


def test_a_contact_is_a_guest_met_in_person_counted_once_a_month(
    prop: Property, make_staff: StaffMaker
) -> None:
    # given a middle manager meets guest A twice and B once at the table, and files a
    # housekeeping note about C, which is no contact
    boss = make_staff("management", username="boss")
    a, b, c = GuestFactory(), GuestFactory(), GuestFactory()
    observed(boss, a, "2026-11-02T12:00", touchpoint="餐厅巡台")
    observed(boss, a, "2026-11-09T12:00", touchpoint="餐厅巡台")
    observed(boss, b, "2026-11-10T19:00", touchpoint="拜访客人")
    observed(boss, c, "2026-11-10T19:00", touchpoint="整理客房")
    observed(boss, c, "2026-10-31T23:59", touchpoint="拜访客人")  # October

    report = quota_report(property=prop, month=NOVEMBER, today=date(2026, 11, 30))

    found = row(report, "boss")
    assert (found.rank, found.actual, found.required, found.met) == (
        "middle",
        2,
        15,
        False,
    )


def test_a_property_sets_its_own_numbers_ranks_and_touchpoints(
    prop: Property, manager: User, make_staff: StaffMaker
) -> None:
    gm = make_staff("management", username="gm")
    guest: Guest = GuestFactory()
    observed(gm, guest, "2026-11-05T12:00", touchpoint="高尔夫球会")

    staff_rank_set(actor=manager, user=gm, rank=Rank.SENIOR)
    quota_set(
        actor=manager,
        property=prop,
        rank="senior",
        measure="contacts",
        period="month",
        target=1,
    )
    contact_touchpoints_set(
        actor=manager, property=prop, touchpoints=["高尔夫球会", " ", "高尔夫球会"]
    )
    report = quota_report(property=prop, month=NOVEMBER, today=date(2026, 11, 30))

    found = row(report, "gm")
    assert (found.rank, found.actual, found.required, found.met) == (
        "senior",
        1,
        1,
        True,
    )
    assert report.touchpoints == ["高尔夫球会"]
    assert Quota.objects.get(property=prop, rank="senior").updated_by == manager


def test_administrators_and_archivists_are_not_held_to_a_quota(
    prop: Property, make_staff: StaffMaker
) -> None:
    make_staff("admin", username="root")
    make_staff("archive", username="archivist")
    make_staff("fnb", username="waiter")

    report = quota_report(property=prop, month=NOVEMBER, today=date(2026, 11, 30))

    assert [p.user.username for p in report.people] == ["waiter"]
    assert [d.label for d in report.departments] == ["餐饮部"]


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"rank": "exempt"}, "rank"),
        ({"measure": "calls"}, "measure"),
        ({"period": "week"}, "period"),
        ({"target": 1001}, "target"),
    ],
)
def test_a_bad_quota_is_refused(
    prop: Property, manager: User, values: dict[str, object], field: str
) -> None:
    data: dict[str, object] = {
        "rank": "staff",
        "measure": "observations",
        "period": "day",
        "target": 3,
    }
    data.update(values)

    with pytest.raises(CollectionError) as caught:
        quota_set(actor=manager, property=prop, **data)  # type: ignore[arg-type]

    assert caught.value.field == field
    assert Quota.objects.count() == 0


def test_the_dashboard_shows_each_department_with_numbers(
    prop: Property, manager: User, make_staff: StaffMaker
) -> None:
    maid = make_staff("housekeeping", username="maid")
    observed(maid, GuestFactory(), "2026-11-02T10:00")

    page = logged_in(manager).get("/collection/quotas/?month=2026-11")

    text = page.content.decode()
    assert page.status_code == 200
    assert "客房部" in text
    assert "maid" in text
    assert "1 / 60" in text  # 2 a day over the 30 days of November


def test_the_dashboard_refuses_staff_and_names_a_bad_month(
    manager: User, waiter: User
) -> None:
    assert logged_in(waiter).get("/collection/quotas/").status_code == 403

    page = logged_in(manager).get("/collection/quotas/?month=2026-13")

    assert page.status_code == 200
    assert "月份“2026-13”无效，应写成 2026-11" in page.content.decode()


def test_quota_settings_page_saves_a_quota(prop: Property, manager: User) -> None:
    response = logged_in(manager).post(
        "/collection/quotas/settings/",
        {"section": "middle", "middle-measure": "contacts", "middle-period": "month",
         "middle-target": "20"},
    )  # fmt: skip

    assert response.status_code == 302
    assert Quota.objects.get(property=prop, rank="middle").target == 20


def test_api_reports_who_meets_the_quota(manager: User, make_staff: StaffMaker) -> None:
    maid = make_staff("housekeeping", username="maid")
    observed(maid, GuestFactory(), "2026-11-02T10:00")
    observed(maid, GuestFactory(), "2026-11-02T11:00")

    body = logged_in(manager).get("/api/v1/collection/quotas?month=2026-11-01").json()

    maid_row = next(p for p in body["people"] if p["username"] == "maid")
    assert (maid_row["actual"], maid_row["days_met"], maid_row["met"]) == (2, 1, False)


def test_days_are_the_property_s_days_not_utc_days(
    prop: Property, make_staff: StaffMaker
) -> None:
    # given a property in Los Angeles; 01:00 UTC on 2 November is 18:00 on 1 November
    prop.time_zone = "America/Los_Angeles"
    prop.save()
    clerk = make_staff("front_office", username="clerk")
    guest: Guest = GuestFactory()
    for hour in ("2026-11-02T01:00:00+00:00", "2026-11-02T06:59:00+00:00"):
        Observation.objects.create(
            guest=guest, department="front_office", staff=clerk, text="x",
            observed_at=datetime.fromisoformat(hour),
        )  # fmt: skip

    report = quota_report(property=prop, month=NOVEMBER, today=date(2026, 11, 1))

    found = row(report, "clerk")
    assert (found.actual, found.days, found.days_met, found.today) == (2, 1, 1, 2)
