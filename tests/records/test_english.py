"""The document archive in English: case, attachments, trash, holds, retention and
scheme pages, and refused loans and uploads explained in English."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from pytest_django.fixtures import Settings as SettingsWrapper

from dossier.core.models import Property
from dossier.records.attachments import attachment_upload
from dossier.records.models import Case, SchemeVersion
from dossier.records.retention import ACCOUNTING_NAME, PRESETS
from dossier.records.services import case_trash, hold_place
from tests.records.conftest import FileCase
from tests.transfer.files import media, pdf_bytes, upload
from tests.web.english import assert_english, english_client

pytestmark = pytest.mark.django_db
__all__ = ["media"]


def _data(scheme: SchemeVersion, *extra: str) -> tuple[str, ...]:
    """The archive's own words: class names, the scheme's name, titles, departments,
    and the names of the retention regulations the presets follow."""
    names = [c.name for c in scheme.classes.all()] + [scheme.name]
    presets = [str(label) for label, _items in PRESETS.values()] + [ACCOUNTING_NAME]
    return (*names, *presets, "供应商合同", "采购部", "区人民法院", "诉讼保全",
            "合同纠纷", *extra)  # fmt: skip


@pytest.fixture
def case(file_case: FileCase) -> Case:
    filed: Case = file_case().case
    return filed


def test_the_upkeep_pages_speak_english(
    archivist: User, manager: User, case: Case, file_case: FileCase,
    scheme: SchemeVersion, media: Path,
) -> None:  # fmt: skip
    attachment_upload(
        actor=archivist, case=case, upload=upload("采购合同.pdf", pdf_bytes("合同"))
    )
    trashed = file_case(title="供应商合同").case
    case_trash(actor=archivist, case=trashed, reason="合同纠纷")
    hold_place(actor=manager, case=case, authority="区人民法院", reason="诉讼保全")
    data = _data(scheme, "采购合同.pdf")
    client = english_client(archivist)

    for url in (
        reverse("records:case_detail", args=[case.pk]),
        reverse("records:attachments", args=[case.pk]),
        "/records/trash/",
        "/records/holds/",
        "/records/retention/",
        "/records/scheme/",
        "/records/loans/",
    ):
        assert_english(client, url, data)


def test_a_refused_loan_is_explained_in_english(
    archivist: User, manager: User, case: Case, prop: Property
) -> None:
    client = english_client(archivist)
    due = (prop.today() + timedelta(days=3)).isoformat()
    body = json.dumps(
        {"borrower": "archivist", "approved_by": "manager", "due_date": due}
    )
    url = f"/api/v1/records/cases/{case.pk}/loans"
    assert client.post(url, body, content_type="application/json").status_code == 201

    again = client.post(url, body, content_type="application/json")

    assert again.status_code == 422
    assert again.json()["message"] == (
        f"File {case.archive_number} already has a loan request awaiting approval "
        f"(borrower archivist, approver manager, due back on {due}); "
        "wait until it is approved or refused"
    )


def test_a_loan_in_the_past_is_refused_on_the_page_in_english(
    archivist: User, manager: User, case: Case, prop: Property
) -> None:
    yesterday = prop.today() - timedelta(days=1)

    response = english_client(archivist).post(
        reverse("records:loan_create", args=[case.pk]),
        {"borrower": "archivist", "approver": "manager", "due_date": yesterday.isoformat(),
         "purpose": "查阅"},
    )  # fmt: skip

    page = response.content.decode()
    assert response.status_code == 400
    assert f"Due back on</a>: {yesterday:%Y-%m-%d} must be after today" in page
    assert "须晚于今天" not in page


def test_an_upload_over_the_limit_is_refused_in_english(
    archivist: User, case: Case, media: Path, settings: SettingsWrapper
) -> None:
    settings.DOSSIER_ATTACHMENT_MAX_BYTES = 1024 * 1024

    response = english_client(archivist).post(
        reverse("records:attachments", args=[case.pk]),
        {"file": upload("big.txt", b"a" * (1024 * 1024 + 1))},
    )

    assert response.status_code == 422
    assert "File “big.txt” is over the 1 MB limit and was not saved" in (
        response.content.decode()
    )


def test_the_filing_and_numbering_pages_speak_english(
    archivist: User, manager: User, file_case: FileCase, scheme: SchemeVersion
) -> None:
    from dossier.records.allocator import PRESETS as NUMBERING
    from dossier.records.services import CaseDraft, IntakeInput, case_file

    # given a copy kept while the department has the original, and a returned case
    copy = file_case(original_holder="工程部", original_approved_by=manager).case
    returned = case_file(
        actor=archivist,
        draft=CaseDraft(
            archive_class=scheme.classes.get(full_code="01-0203"),
            title="供应商合同",
            department="采购部",
        ),
        intake=IntakeInput(attachments_complete=False),
    ).case
    numbering = [label for label, _pattern in NUMBERING.values()]
    default_name = "档号（部门-大类小类卷次-目次）"
    data = _data(scheme, "工程部", default_name, *numbering)
    client = english_client(archivist)

    # then every page of filing and numbering reads in English
    for url in (
        reverse("records:case_file"),
        reverse("records:numbering"),
        reverse("records:case_detail", args=[copy.pk]),
    ):
        assert_english(client, url, data)
    page = assert_english(
        client,
        reverse("records:case_detail", args=[returned.pk]),
        (*data, "附件短少，请追查归入"),
    )
    assert "Check in again and file" in page


def test_starting_a_scheme_speaks_english(archivist: User) -> None:
    page = assert_english(english_client(archivist), reverse("records:classes"))

    assert "Start the scheme" in page


def test_the_batch_page_speaks_english(archivist: User, scheme: SchemeVersion) -> None:
    page = assert_english(
        english_client(archivist),
        reverse("records:cases_batch"),
        ("类别代码", "题名", "经办部门", "文件日期", "保管期限", "目次", "内容摘要"),
    )

    assert "File the cases on the list" in page


def test_a_register_case_and_loans_read_in_english_with_english_punctuation(
    archivist: User, manager: User, file_case: FileCase, prop: Property,
    scheme: SchemeVersion,
) -> None:  # fmt: skip
    from datetime import date

    from dossier.core.exports import Table
    from dossier.records.disposal import register_propose
    from dossier.records.exports import loans_table, register_entries_table
    from dossier.records.loans import loan_request
    from dossier.records.models import Loan

    # given a due case lent to a person named with a department, and one on hold
    lent, held, _free = (
        file_case(title=title, doc_date=date(2020, 5, 1), retention_years=1).case
        for title in ("供应商合同", "采购合同", "合同纠纷")
    )
    due = prop.today() + timedelta(days=3)
    loan_request(
        actor=archivist, case=lent, borrower=None, borrower_name="王五",
        borrower_department="前厅部", due_date=due, approved_by=manager,
    )  # fmt: skip
    hold_place(actor=manager, case=held, authority="区人民法院", reason="诉讼保全")
    register = register_propose(actor=archivist, prop=prop, as_of=date(2026, 1, 1))
    data = (*_data(scheme), "王五", "前厅部", "采购合同")
    client = english_client(archivist)

    # when the register, the case and the loans are read in English
    page = assert_english(client, f"/records/disposal/{register.pk}/", data)
    case_page = assert_english(
        client, reverse("records:case_detail", args=[lent.pk]), data
    )
    loans_page = assert_english(client, "/records/loans/", data)

    # then the register's own words and the punctuation are English
    assert (
        f"Excluded: Loan request awaiting approval: 王五 (前厅部), due {due:%Y-%m-%d}"
    ) in page
    assert "Excluded: On hold: 区人民法院, 诉讼保全" in page
    assert "王五 (前厅部)" in case_page
    assert "王五 (前厅部)" in loans_page
    assert "（" not in case_page + loans_page
    # and the folder is written as the folder page writes it
    assert f"{lent.folder.archive_class.full_code} Volume 1</a>, Item no." in case_page

    # and the exports say the same
    from django.utils import translation

    with translation.override("en"):
        loans: Table = loans_table(Loan.objects.all(), prop.today())
        entries: Table = register_entries_table(register, register.entries.all())
        cells = [str(c) for row in [*loans.rows, *entries.rows] for c in row]
    assert "王五 (前厅部)" in cells
    assert "Excluded: On hold: 区人民法院, 诉讼保全" in cells
