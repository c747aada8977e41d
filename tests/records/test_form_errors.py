"""The archive's upkeep forms and the loan slip come back from a bad submission as
they were filled in, each error beside its field and again in a summary above the form
that links to the field."""

import re
from collections import Counter
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from dossier.core.models import Property
from dossier.records.models import ArchiveClass, SchemeVersion
from tests.records.conftest import FileCase

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _field_block(page: str, field_id: str) -> str:
    """The ``div.field`` holding the widget ``field_id``, from its start to its end."""
    start = page.index(f'id="{field_id}"')
    opening = page.rindex('<div class="field', 0, start)
    following = [page.find(mark, start) for mark in ('<div class="field', "</form>")]
    return page[opening : min(at for at in following if at > 0)]


def _beside(page: str, field_id: str, error: str) -> None:
    """``error`` sits in the field's own block, and the summary links to the field."""
    block = _field_block(page, field_id)
    assert f'<p class="error" id="{field_id}_error" role="alert">{error}</p>' in block
    assert f'<a href="#{field_id}">' in page.split("data-error-summary", 1)[1]


@pytest.mark.parametrize(
    ("url_name", "args", "label"),
    [
        (
            "records:numbering",
            [],
            '<label for="id_preset">档号格式 <span class="required"',
        ),
        (
            "records:numbering",
            [],
            '<label for="id_folder_capacity">每卷件数 <span class="required"',
        ),
        (
            "records:cases_batch",
            [],
            '<label for="id_file">案件清单（csv 或 xlsx） <span class="required"',
        ),
        (
            "records:scheme_revise",
            [],
            '<label for="id_name">新版本名称 <span class="required"',
        ),
    ],
)
def test_the_upkeep_forms_use_the_shared_field_template(
    archivist: User, minor: ArchiveClass, url_name: str, args: list[int], label: str
) -> None:
    page = _client(archivist).get(reverse(url_name, args=args)).content.decode()

    assert label in page
    assert "<p><label" not in page
    ids = Counter(re.findall(r'\sid="([^"]+)"', page))
    assert [name for name, count in ids.items() if count > 1] == []


def test_a_wrong_folder_size_comes_back_beside_the_field_with_the_class_kept(
    archivist: User, minor: ArchiveClass
) -> None:
    # when the archivist asks for 0 cases a folder
    response = _client(archivist).post(
        reverse("records:capacity_set"),
        {"archive_class": minor.pk, "folder_capacity": "0"},
    )

    # then the page comes back with the error beside the size, the class still chosen
    page = response.content.decode()
    assert response.status_code == 400
    _beside(page, "id_folder_capacity", "不能小于 1。")
    assert "<strong>未保存，请更正以下 1 处：</strong>" in page
    assert f'<option value="{minor.pk}" selected>' in page
    assert 'name="folder_capacity" value="0"' in page
    minor.refresh_from_db()
    assert minor.folder_capacity != 0


def test_a_scheme_started_empty_without_a_name_keeps_the_choice(
    archivist: User, prop: Property
) -> None:
    # given no scheme yet; when an empty one is started without its name
    response = _client(archivist).post(
        reverse("records:scheme_start"), {"source": "empty", "name": "  "}
    )

    # then the name is asked for beside the field and the choice of "empty" is kept
    page = response.content.decode()
    assert response.status_code == 400
    _beside(page, "id_name", "请填写方案名称")
    assert re.search(
        r'<input type="radio" name="source" value="empty"[^>]* checked', page
    )
    assert not SchemeVersion.objects.filter(property=prop).exists()


def test_a_revision_row_without_its_class_is_named_by_row_and_keeps_the_rest(
    archivist: User, scheme: SchemeVersion
) -> None:
    # when a rename is asked for in row 2 without choosing the class
    response = _client(archivist).post(
        reverse("records:scheme_revise"),
        {
            "name": "本店档案分类方案 2027",
            "form-TOTAL_FORMS": "5",
            "form-INITIAL_FORMS": "0",
            "form-1-kind": "rename",
            "form-1-name": "采购合同",
        },
    )

    # then row 2's class carries the error, the summary names the row, all is kept
    page = response.content.decode()
    assert response.status_code == 400
    _beside(page, "id_form-1-full_code", "请选择要修订的类别")
    assert (
        '<a href="#id_form-1-full_code">修订 2 · 类别</a>：请选择要修订的类别' in page
    )
    assert 'value="本店档案分类方案 2027"' in page
    assert 'name="form-1-name" value="采购合同"' in page
    assert '<option value="rename" selected>' in page
    assert SchemeVersion.objects.filter(property=scheme.property).count() == 1


def test_a_restriction_to_an_unknown_role_is_refused_beside_the_roles(
    manager: User, minor: ArchiveClass
) -> None:
    response = _client(manager).post(
        reverse("records:class_access", args=[minor.pk]), {"groups": ["999999"]}
    )

    page = response.content.decode()
    assert response.status_code == 400
    block = _field_block(page, "id_groups")
    assert '<p class="error" id="id_groups_error" role="alert">' in block
    assert '<a href="#id_groups_0">可查阅的角色（不选则全体可查阅）</a>：' in page
    assert not minor.access.exists()


def test_a_list_that_is_not_a_spreadsheet_is_refused_beside_the_file(
    archivist: User, minor: ArchiveClass
) -> None:
    response = _client(archivist).post(
        reverse("records:cases_batch"),
        {"file": SimpleUploadedFile("清单.pdf", b"%PDF-1.4 not a list")},
    )

    page = response.content.decode()
    assert response.status_code == 400
    block = _field_block(page, "id_file")
    assert '<p class="error" id="id_file_error" role="alert">' in block
    assert '<a href="#id_file">案件清单（csv 或 xlsx）</a>：' in page


def test_the_loan_slip_keeps_what_was_typed_after_a_refusal(
    archivist: User, manager: User, file_case: FileCase, prop: Property
) -> None:
    # when the archivist names an approver who may not approve, with a purpose
    case = file_case().case
    response = _client(archivist).post(
        reverse("records:loan_create", args=[case.pk]),
        {
            "borrower": "",
            "borrower_name": "赵敏",
            "borrower_department": "财务部",
            "approver": "wang",
            "due_date": "2026-02-30",
            "purpose": "审计抽查",
        },
    )

    # then each error is beside its field and everything typed is still there
    page = response.content.decode()
    assert response.status_code == 400
    _beside(page, "id_approver", "找不到用户名为“wang”的批准人，请核对后再填")
    _beside(page, "id_due_date", "日期格式应为 年-月-日，例如 2026-03-18")
    for name, value in [
        ("borrower_name", "赵敏"),
        ("borrower_department", "财务部"),
        ("approver", "wang"),
        ("purpose", "审计抽查"),
    ]:
        assert f'name="{name}" value="{value}"' in page


def test_the_summary_speaks_english(archivist: User, minor: ArchiveClass) -> None:
    from tests.web.english import english_client, han_left

    response = english_client(archivist).post(
        reverse("records:capacity_set"),
        {"archive_class": minor.pk, "folder_capacity": "0"},
    )

    page = response.content.decode()
    summary = page.split("data-error-summary", 1)[1].split("</div>", 1)[0]
    assert "<strong>Not saved: please correct 1 thing:</strong>" in summary
    assert '<a href="#id_folder_capacity">' in summary
    assert han_left(summary) == []


class TestUpkeepFormsComeBackFilledIn:
    """The hold, trash, release, partial destruction, refusal and withdrawal forms."""

    def test_an_empty_hold_keeps_the_reason_and_names_the_authority_beside_it(
        self, manager: User, file_case: FileCase
    ) -> None:
        case = file_case().case

        response = _client(manager).post(
            reverse("records:hold_place", args=[case.pk]),
            {"authority": "", "reason": "合同纠纷"},
        )

        page = response.content.decode()
        assert response.status_code == 400
        _beside(page, "hold_authority", "请写明保全的依据或机关，例如 区人民法院")
        assert "合同纠纷</textarea>" in page
        assert "<details open><summary>设置保全…" in page

    def test_an_empty_trash_reason_comes_back_beside_the_field(
        self, archivist: User, file_case: FileCase
    ) -> None:
        case = file_case().case

        response = _client(archivist).post(
            reverse("records:case_trash", args=[case.pk]), {"reason": " "}
        )

        assert response.status_code == 400
        _beside(response.content.decode(), "trash_reason", "这个字段是必填项。")

    def test_a_release_without_a_reason_comes_back_beside_that_hold(
        self, manager: User, file_case: FileCase
    ) -> None:
        from dossier.records.services import hold_place

        first = hold_place(
            actor=manager, case=file_case().case, authority="审计署", reason="审计"
        )
        second = hold_place(
            actor=manager, case=file_case().case, authority="法院", reason="诉讼"
        )

        response = _client(manager).post(
            reverse("records:hold_release", args=[second.pk]), {"reason": ""}
        )

        page = response.content.decode()
        assert response.status_code == 400
        _beside(page, f"release-{second.pk}-reason", "请写明解除保全的原因")
        assert f'id="release-{first.pk}-reason_error"' not in page
        ids = Counter(re.findall(r'\sid="([^"]+)"', page))
        assert [name for name, count in ids.items() if count > 1] == []

    def test_a_part_too_long_keeps_both_texts_beside_the_entry(
        self, archivist: User, prop: Property, file_case: FileCase
    ) -> None:
        from datetime import date

        from dossier.records.disposal import register_propose

        file_case(title="旧合同", doc_date=date(2010, 3, 1), retention_years=1)
        register = register_propose(actor=archivist, prop=prop, as_of=date(2025, 1, 1))
        entry = register.entries.get()

        response = _client(archivist).post(
            reverse("records:register_entry_part", args=[register.pk, entry.pk]),
            {"destroyed_part": "草" * 2001, "kept_note": "合同正本"},
        )

        page = response.content.decode()
        assert response.status_code == 400
        _beside(
            page,
            f"part-{entry.pk}-destroyed_part",
            "过长：最多 2000 个字，现有 2001 个字。",
        )
        assert "合同正本</textarea>" in page
        entry.refresh_from_db()
        assert entry.kept_note == ""

    def test_a_refusal_and_a_withdrawal_without_a_reason_come_back_beside_the_loan(
        self,
        archivist: User,
        manager: User,
        make_staff: Any,
        file_case: FileCase,
        prop: Property,
    ) -> None:
        from datetime import timedelta

        from dossier.records.loans import loan_request
        from tests.records.conftest import archive_reader

        borrower = archive_reader(make_staff("front_office", username="lender"))
        loan = loan_request(
            actor=archivist,
            case=file_case().case,
            borrower=borrower,
            due_date=prop.today() + timedelta(days=7),
            approved_by=manager,
        )

        refused = _client(manager).post(
            reverse("records:loan_refuse", args=[loan.pk]), {"reason": ""}
        )
        withdrawn = _client(archivist).post(
            reverse("records:loan_withdraw", args=[loan.pk]), {"reason": ""}
        )

        assert (refused.status_code, withdrawn.status_code) == (400, 400)
        _beside(
            refused.content.decode(), f"refuse-{loan.pk}-reason", "不批准时须写明理由"
        )
        _beside(
            withdrawn.content.decode(),
            f"withdraw-{loan.pk}-reason",
            "撤回借出申请时须写明理由",
        )
        loan.refresh_from_db()
        assert loan.state == "requested"

    def test_the_english_summary_has_no_full_width_colon(
        self, manager: User, file_case: FileCase
    ) -> None:
        from tests.web.english import english_client

        case = file_case().case

        response = english_client(manager).post(
            reverse("records:hold_place", args=[case.pk]),
            {"authority": "", "reason": ""},
        )

        summary = response.content.decode().split("data-error-summary", 1)[1]
        summary = summary.split("</div>", 1)[0]
        assert response.status_code == 400
        assert "：" not in summary
        assert '<a href="#hold_authority">Basis / authority</a>: ' in summary


class TestTheLoanSlipReportsEveryErrorAtOnce:
    def test_an_empty_slip_names_the_borrower_the_approver_and_the_date(
        self, archivist: User, file_case: FileCase
    ) -> None:
        case = file_case().case

        response = _client(archivist).post(
            reverse("records:loan_create", args=[case.pk]), {}
        )

        page = response.content.decode()
        assert response.status_code == 400
        _beside(page, "id_borrower", "请选择借阅人（用户），或写明借阅人姓名及其部门")
        _beside(page, "id_approver", "请填写批准人的用户名")
        _beside(page, "id_due_date", "请填写日期")

    def test_unknown_people_and_a_date_past_the_longest_loan_come_together(
        self, archivist: User, file_case: FileCase, prop: Property
    ) -> None:
        from datetime import timedelta

        case = file_case().case
        due = prop.today() + timedelta(days=120)
        latest = prop.today() + timedelta(days=90)

        response = _client(archivist).post(
            reverse("records:loan_create", args=[case.pk]),
            {"borrower": "nobody", "approver": "wang", "due_date": f"{due:%Y-%m-%d}"},
        )

        page = response.content.decode()
        assert response.status_code == 400
        _beside(page, "id_borrower", "找不到用户名为“nobody”的借阅人，请核对后再填")
        _beside(page, "id_approver", "找不到用户名为“wang”的批准人，请核对后再填")
        _beside(
            page,
            "id_due_date",
            f"{due:%Y-%m-%d} 超出最长借期 90 天，最晚为 {latest:%Y-%m-%d}",
        )

    def test_a_past_date_and_a_self_approval_come_together_without_the_label_twice(
        self, archivist: User, file_case: FileCase, prop: Property
    ) -> None:
        case = file_case().case
        today = prop.today()

        response = _client(archivist).post(
            reverse("records:loan_create", args=[case.pk]),
            {
                "borrower_name": "赵敏",
                "borrower_department": "财务部",
                "approver": archivist.username,
                "due_date": f"{today:%Y-%m-%d}",
            },
        )

        page = response.content.decode()
        assert response.status_code == 400
        _beside(page, "id_due_date", f"{today:%Y-%m-%d} 须晚于今天（{today:%Y-%m-%d}）")
        assert "应还日期</a>：应还日期" not in page
        assert "无权批准借出原件" in _field_block(page, "id_approver")
