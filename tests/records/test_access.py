"""Access (R8, S1): a case of a class the viewer may not see answers 404 from every
door, the same as a case that does not exist, while a permitted viewer gets 200; and
after destruction, files, previews and text are gone everywhere."""

import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from dossier.core.models import AuditEvent, Property
from dossier.records.access import class_access_set, hidden_class_ids
from dossier.records.attachments import attachment_upload
from dossier.records.disposal import (
    entry_keep_part,
    register_approve,
    register_execute,
    register_propose,
)
from dossier.records.errors import RecordsError
from dossier.records.models import (
    ArchiveClass,
    Attachment,
    AttachmentKey,
    AttachmentVersion,
    Case,
    CaseStatus,
    SchemeVersion,
)
from dossier.records.selectors import cases_list
from tests.records.conftest import FileCase, lend
from tests.transfer.files import media, pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db
__all__ = ["media"]


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


class Hidden:
    """A confidential case with an image attachment, in a class only 管理层 may see."""

    def __init__(self, case: Case, attachment: Attachment, open_case: Case) -> None:
        self.case = case
        self.attachment = attachment
        self.open_case = open_case


@pytest.fixture
def hidden(
    archivist: User,
    manager: User,
    file_case: FileCase,
    scheme: SchemeVersion,
    prop: Property,
    media: Path,
) -> Hidden:
    case = file_case(title="高管薪酬协议").case
    attachment_upload(
        actor=archivist, case=case, upload=upload("薪酬表.pdf", pdf_bytes("薪酬合同"))
    )
    image = attachment_upload(
        actor=archivist, case=case, upload=upload("签字页.png", png_bytes((600, 400)))
    )
    open_case = file_case(
        title="客户框架合同", archive_class=scheme.classes.get(full_code="01-0204")
    ).case
    lend(
        actor=archivist,
        case=case,
        borrower=archivist,
        due_date=prop.today() + timedelta(days=3),
        approved_by=manager,
    )
    class_access_set(
        actor=manager,
        archive_class=scheme.classes.get(full_code="01-0203"),
        groups=[Group.objects.get(name="管理层")],
    )
    return Hidden(case, image.attachment, open_case)


def _get_urls(h: Hidden) -> dict[str, str]:
    c, a = h.case.pk, h.attachment.pk
    api = f"/api/v1/records/cases/{c}"
    return {
        "detail": reverse("records:case_detail", args=[c]),
        "files": reverse("records:attachments", args=[c]),
        "versions": reverse("records:attachment", args=[c, a]),
        "download": reverse("records:attachment_download", args=[c, a]),
        "old version": reverse("records:attachment_download", args=[c, a])
        + "?version=1",
        "preview": reverse("records:attachment_preview", args=[c, a]),
        "thumbnail": reverse("records:attachment_thumbnail", args=[c, a]),
        "folder": reverse("records:folder", args=[h.case.folder_id]),
        "api case": api,
        "api files": f"{api}/attachments",
        "api versions": f"{api}/attachments/{a}/versions",
        "api text": f"{api}/attachments/{a}/text",
        "api download": f"{api}/attachments/{a}/download",
    }


DOORS = [
    "detail",
    "files",
    "versions",
    "download",
    "old version",
    "preview",
    "thumbnail",
    "folder",
    "api case",
    "api files",
    "api versions",
    "api text",
    "api download",
]


@pytest.mark.parametrize("door", DOORS)
def test_every_door_of_a_hidden_case_is_not_found_and_open_to_the_permitted(
    hidden: Hidden, archivist: User, manager: User, door: str
) -> None:
    url = _get_urls(hidden)[door]

    denied = _client(archivist).get(url)
    allowed = _client(manager).get(url)

    assert (denied.status_code, allowed.status_code) == (404, 200)
    assert "高管薪酬" not in denied.content.decode(errors="replace")


@pytest.mark.parametrize("door", ["detail", "files", "api case", "api files"])
def test_a_hidden_case_answers_like_a_case_that_does_not_exist(
    hidden: Hidden, archivist: User, door: str
) -> None:
    hidden_url = _get_urls(hidden)[door]
    missing_url = hidden_url.replace(f"/{hidden.case.pk}/", "/999999/", 1)
    missing_url = missing_url.replace(f"/{hidden.case.pk}", "/999999", 1)

    denied = _client(archivist).get(hidden_url)
    missing = _client(archivist).get(missing_url)

    assert denied.status_code == missing.status_code == 404
    assert _plain(denied.content, hidden_url) == _plain(missing.content, missing_url)


def _plain(content: bytes, url: str) -> str:
    """The page without its own address and its CSRF tokens (new on every response)."""
    return re.sub(r"[A-Za-z0-9]{64}", "", content.decode()).replace(url, "")


def _post_doors(h: Hidden) -> dict[str, tuple[str, Callable[[], dict[str, object]]]]:
    c, a = h.case.pk, h.attachment.pk
    return {
        "upload": (
            reverse("records:attachments", args=[c]),
            lambda: {"file": upload("x.txt", b"x")},
        ),
        "new version": (
            reverse("records:attachment", args=[c, a]),
            lambda: {"file": upload("x.txt", b"x")},
        ),
        "api upload": (
            f"/api/v1/records/cases/{c}/attachments",
            lambda: {"file": upload("x.txt", b"x")},
        ),
        "api new version": (
            f"/api/v1/records/cases/{c}/attachments/{a}/versions",
            lambda: {"file": upload("x.txt", b"x")},
        ),
    }


@pytest.mark.parametrize(
    "door", ["upload", "new version", "api upload", "api new version"]
)
def test_writing_to_a_hidden_case_is_not_found_and_changes_nothing(
    hidden: Hidden, archivist: User, door: str
) -> None:
    url, data = _post_doors(hidden)[door]
    before = AttachmentVersion.objects.count()

    response = _client(archivist).post(url, data())

    assert response.status_code == 404
    assert AttachmentVersion.objects.count() == before


def test_lists_searches_and_counts_leave_the_hidden_case_out(
    hidden: Hidden, archivist: User, manager: User
) -> None:
    number = hidden.case.archive_number
    link = reverse("records:case_detail", args=[hidden.case.pk])
    pages = {
        "catalogue": reverse("records:cases"),
        "by number": reverse("records:cases") + f"?q={number}",
        "by title": reverse("records:cases") + "?q=高管",
        "by full text": reverse("records:cases") + "?q=薪酬",
        "folders": reverse("records:folders"),
        "loans": reverse("records:loans"),
        "classes": reverse("records:classes"),
    }

    for name, url in pages.items():
        denied = _client(archivist).get(url).content.decode()
        allowed = _client(manager).get(url).content.decode()
        assert "高管薪酬" not in denied, name
        assert f'href="{link}"' not in denied, name
        if name not in ("folders", "classes"):
            assert f'href="{link}"' in allowed, name
    classes_denied = _client(archivist).get(pages["classes"]).content.decode()
    classes_allowed = _client(manager).get(pages["classes"]).content.decode()
    count_link = f"?class={hidden.case.archive_class_id}"
    assert (count_link in classes_denied, count_link in classes_allowed) == (
        False,
        True,
    )
    api_denied = _client(archivist).get("/api/v1/records/cases", {"q": "薪酬"}).json()
    api_allowed = _client(manager).get("/api/v1/records/cases", {"q": "薪酬"}).json()
    assert (api_denied, [c["id"] for c in api_allowed]) == ([], [hidden.case.pk])
    assert (
        hidden.open_case.archive_number
        in _client(archivist).get(pages["catalogue"]).content.decode()
    )


def test_a_restriction_covers_the_sub_classes(
    archivist: User, manager: User, scheme: SchemeVersion, prop: Property
) -> None:
    major = scheme.classes.get(full_code="01-02")

    class_access_set(
        actor=manager, archive_class=major, groups=[Group.objects.get(name="管理层")]
    )

    hidden = set(
        ArchiveClass.objects.filter(
            pk__in=hidden_class_ids(archivist, prop)
        ).values_list("full_code", flat=True)
    )
    assert hidden == {"01-02", "01-0203", "01-0204"}
    assert hidden_class_ids(manager, prop) == frozenset()


def test_only_those_allowed_may_restrict_and_each_change_is_audited(
    archivist: User, manager: User, minor: ArchiveClass
) -> None:
    with pytest.raises(RecordsError):
        class_access_set(actor=archivist, archive_class=minor, groups=[])

    class_access_set(
        actor=manager,
        archive_class=minor,
        groups=[Group.objects.get(name="档案管理员")],
    )
    class_access_set(actor=manager, archive_class=minor, groups=[])

    events = AuditEvent.objects.filter(action="records.class_access_changed").order_by(
        "pk"
    )
    assert [(e.detail["before"], e.detail["after"]) for e in events] == [
        ([], ["档案管理员"]),
        (["档案管理员"], []),
    ]


def test_the_access_page_and_api_set_the_range(
    manager: User, archivist: User, minor: ArchiveClass
) -> None:
    group = Group.objects.get(name="管理层")
    page = _client(manager).post(
        reverse("records:class_access", args=[minor.pk]), {"groups": [group.pk]}
    )
    bad = _client(manager).put(
        f"/api/v1/records/classes/{minor.pk}/access",
        {"groups": ["不存在的角色"]},
        content_type="application/json",
    )
    refused = _client(archivist).get(reverse("records:class_access", args=[minor.pk]))

    assert page.status_code == 302
    assert list(minor.access.values_list("group__name", flat=True)) == ["管理层"]
    assert (bad.status_code, bad.json()["message"]) == (
        422,
        "没有这些角色：不存在的角色",
    )
    assert refused.status_code == 403


def test_destruction_removes_files_previews_and_text_everywhere(
    archivist: User,
    manager: User,
    file_case: FileCase,
    prop: Property,
    media: Path,
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    case = file_case(
        title="旧采购合同", doc_date=date(2010, 3, 1), retention_years=1
    ).case
    pdf = attachment_upload(
        actor=archivist,
        case=case,
        upload=upload("合同.pdf", pdf_bytes("旧采购合同正文")),
    )
    image = attachment_upload(
        actor=archivist, case=case, upload=upload("图.png", png_bytes())
    )
    files = [media / v.stored_path for v in (pdf, image)] + [media / image.preview_path]
    register = register_propose(actor=archivist, prop=prop)
    register_approve(actor=manager, register=register)

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        register_execute(
            actor=archivist,
            register=register,
            confirmation=str(register.pk),
            witnesses="王监",
        )

    case.refresh_from_db()
    assert case.status == CaseStatus.DESTROYED
    assert [path.exists() for path in files] == [False, False, False]
    assert list(Attachment.objects.values_list("text", "destroyed_at")) == [
        ("", prop.today()),
        ("", prop.today()),
    ]
    assert AttachmentKey.objects.count() == 0
    assert set(
        AttachmentVersion.objects.values_list("stored_path", "preview_path")
    ) == {("", "")}
    client = _client(archivist)
    api = f"/api/v1/records/cases/{case.pk}/attachments"
    assert client.get(api).json() == []
    assert client.get(f"{api}/{pdf.attachment_id}/download").status_code == 404
    download = reverse("records:attachment_download", args=[case.pk, pdf.attachment_id])
    assert client.get(download).status_code == 404
    assert (
        client.get(reverse("records:cases"), {"q": "正文"})
        .content.decode()
        .count(case.archive_number)
        == 0
    )
    catalogue = client.get(reverse("records:cases")).content.decode()
    assert f"{prop.today():%Y-%m-%d}" in catalogue
    detail = client.get(reverse("records:case_detail", args=[case.pk])).content.decode()
    assert "附件已随案件销毁" in detail


def test_destruction_in_part_keeps_the_attachments_with_the_kept_part(
    archivist: User,
    manager: User,
    file_case: FileCase,
    prop: Property,
    media: Path,
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    case = file_case(
        title="旧租赁合同", doc_date=date(2010, 3, 1), retention_years=1
    ).case
    kept = attachment_upload(
        actor=archivist,
        case=case,
        upload=upload("租赁合同.txt", "租赁合同正文".encode()),
    )
    register = register_propose(actor=archivist, prop=prop)
    entry_keep_part(actor=archivist, entry=register.entries.get(), kept_note="合同正本")
    register_approve(actor=manager, register=register)

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        register_execute(
            actor=archivist,
            register=register,
            confirmation=str(register.pk),
            witnesses="王监",
        )

    case.refresh_from_db()
    assert case.status == CaseStatus.PARTLY_DESTROYED
    assert (media / kept.stored_path).exists()
    found = cases_list(prop, viewer=archivist, query="租赁")
    assert [c.pk for c in found] == [case.pk]


def test_catalogue_exports_hold_only_what_the_viewer_may_see(
    hidden: Hidden, archivist: User, manager: User
) -> None:
    import csv
    import io

    url = reverse("records:cases")
    denied = _client(archivist).get(url, {"export": "csv"}).content.decode("utf-8-sig")
    allowed = _client(manager).get(url, {"export": "csv"}).content.decode("utf-8-sig")

    denied_numbers = [row[0] for row in list(csv.reader(io.StringIO(denied)))[1:]]
    allowed_numbers = [row[0] for row in list(csv.reader(io.StringIO(allowed)))[1:]]
    assert hidden.case.archive_number not in denied_numbers
    assert hidden.open_case.archive_number in denied_numbers
    assert hidden.case.archive_number in allowed_numbers
    assert "高管薪酬" not in denied


def test_a_register_shows_each_viewer_only_the_lines_they_may_see(
    archivist: User,
    manager: User,
    file_case: FileCase,
    scheme: SchemeVersion,
    prop: Property,
) -> None:
    # given a register over a confidential and an open case, the first class restricted
    old = {"doc_date": date(2010, 3, 1), "retention_years": 1}
    secret = file_case(title="高管薪酬协议", **old).case
    plain = file_case(
        title="客户框架合同",
        archive_class=scheme.classes.get(full_code="01-0204"),
        **old,
    ).case
    register = register_propose(actor=archivist, prop=prop)
    class_access_set(
        actor=manager,
        archive_class=scheme.classes.get(full_code="01-0203"),
        groups=[Group.objects.get(name="管理层")],
    )
    hidden_entry = register.entries.get(case=secret)
    api = f"/api/v1/records/registers/{register.pk}"

    # when each reads the register's page, PDF and API
    denied, allowed = _client(archivist), _client(manager)
    page = reverse("records:register", args=[register.pk])
    pdf_url = reverse("records:register_pdf", args=[register.pk])

    # then the archivist sees only the open line, the manager both
    assert [e["case_id"] for e in denied.get(api).json()["entries"]] == [plain.pk]
    assert sorted(e["case_id"] for e in allowed.get(api).json()["entries"]) == sorted(
        [secret.pk, plain.pk]
    )
    assert "高管薪酬" not in denied.get(page).content.decode()
    assert "高管薪酬" in allowed.get(page).content.decode()
    assert secret.archive_number not in _pdf_text(denied.get(pdf_url).content)
    assert secret.archive_number in _pdf_text(allowed.get(pdf_url).content)
    # and changing the hidden line answers like a line that does not exist
    part = {"kept_note": "签字页", "destroyed_part": "正文"}
    web_part = reverse(
        "records:register_entry_part", args=[register.pk, hidden_entry.pk]
    )
    assert denied.post(web_part, part).status_code == 404
    api_part = f"{api}/entries/{hidden_entry.pk}/part"
    assert (
        denied.post(api_part, part, content_type="application/json").status_code == 404
    )
    hidden_entry.refresh_from_db()
    assert (hidden_entry.kept_note, hidden_entry.destroyed_part) == ("", "")


def _pdf_text(content: bytes) -> str:
    import io

    from pypdf import PdfReader

    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_overdue_notices_name_a_hidden_case_only_to_its_borrower(
    hidden: Hidden, archivist: User, make_staff: Callable[..., User], prop: Property
) -> None:
    from dossier.records.loans import loans_overdue_remind, reminders_for
    from dossier.records.models import LoanReminder, ReminderRole

    # given a second archivist who may not see the confidential class
    colleague = make_staff("archive", username="colleague")

    # when the loan of the hidden case is overdue and the reminders run
    loans_overdue_remind(on=prop.today() + timedelta(days=10))

    # then the borrower is reminded and the colleague is not
    recipients = set(LoanReminder.objects.values_list("recipient__username", flat=True))
    assert "colleague" not in recipients
    assert "archivist" in recipients
    # and a notice made before the class was restricted is not shown to the colleague
    loan = hidden.case.loans.get()
    LoanReminder.objects.create(
        loan=loan, recipient=colleague, role=ReminderRole.ARCHIVIST, message="高管薪酬"
    )
    assert list(reminders_for(colleague)) == []
    assert len(reminders_for(archivist)) == 1
    page = _client(colleague).get(reverse("records:loans")).content.decode()
    assert "高管薪酬" not in page
