"""The upkeep pages: trash, holds, partial destruction, retention and scheme revision."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from dossier.core.models import AuditEvent, Property
from dossier.records.disposal import register_propose
from dossier.records.models import (
    ArchiveClass,
    Case,
    CaseStatus,
    ClassMapping,
    DestructionRegister,
    Hold,
    Loan,
    MappingKind,
    RetentionItem,
    SchemeVersion,
)
from dossier.records.retention import preset_items, schedule_from_preset
from dossier.records.services import case_trash, hold_place
from tests.records.conftest import FileCase, archive_reader
from tests.records.test_form_errors import _beside

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _messages(response: object) -> list[str]:
    return [str(m) for m in response.context["messages"]]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "name", ["trash", "holds", "schedules", "scheme_versions", "scheme_revise"]
)
def test_every_new_page_opens_for_the_archivist_and_not_for_a_waiter(
    name: str, archivist: User, waiter: User, file_case: FileCase
) -> None:
    file_case()

    assert _client(archivist).get(reverse(f"records:{name}")).status_code == 200
    assert _client(waiter).get(reverse(f"records:{name}")).status_code == 403


class TestTrash:
    def test_trash_and_restore_keep_the_number(
        self, archivist: User, file_case: FileCase
    ) -> None:
        # given a filed case
        case = file_case(title="误归档的报价单").case
        client = _client(archivist)

        # when it is moved to the trash from its page
        client.post(
            reverse("records:case_trash", args=[case.pk]), {"reason": "重复归档"}
        )

        # then the trash lists it with its number
        page = client.get(reverse("records:trash")).content.decode()
        assert "误归档的报价单" in page
        assert case.archive_number in page
        assert Case.objects.get(pk=case.pk).status == CaseStatus.TRASHED

        # and restoring it brings back the same number
        response = client.post(
            reverse("records:case_restore", args=[case.pk]), follow=True
        )
        restored = Case.objects.get(pk=case.pk)
        assert (restored.status, restored.archive_number) == (
            CaseStatus.FILED,
            case.archive_number,
        )
        assert _messages(response) == [f"已恢复，档号仍为 {case.archive_number}"]

    def test_the_next_case_never_takes_a_trashed_number(
        self, archivist: User, file_case: FileCase
    ) -> None:
        case = file_case().case
        case_trash(actor=archivist, case=case, reason="重复")

        after = file_case(title="下一件").case

        assert after.archive_number == "01-02031-02"

    def test_a_trash_without_a_reason_is_refused_naming_the_field(
        self, archivist: User, file_case: FileCase
    ) -> None:
        case = file_case().case

        response = _client(archivist).post(
            reverse("records:case_trash", args=[case.pk]), {"reason": ""}
        )

        assert response.status_code == 400
        _beside(response.content.decode(), "trash_reason", "这个字段是必填项。")
        assert Case.objects.get(pk=case.pk).status == CaseStatus.FILED

    def test_a_waiter_cannot_restore(
        self, archivist: User, waiter: User, file_case: FileCase
    ) -> None:
        case = file_case().case
        case_trash(actor=archivist, case=case)

        response = _client(waiter).post(reverse("records:case_restore", args=[case.pk]))

        assert response.status_code == 403
        assert Case.objects.get(pk=case.pk).status == CaseStatus.TRASHED


class TestHolds:
    def test_place_and_release_are_audited(
        self, archivist: User, manager: User, file_case: FileCase
    ) -> None:
        # given a filed case
        case = file_case().case

        # when a manager places a hold from the case page and releases it
        client = _client(manager)
        client.post(
            reverse("records:hold_place", args=[case.pk]),
            {"authority": "区人民法院", "reason": "合同纠纷诉讼未结"},
        )
        hold = Hold.objects.get()
        listing = client.get(reverse("records:holds")).content.decode()
        response = client.post(
            reverse("records:hold_release", args=[hold.pk]),
            {"reason": "判决已生效"},
            follow=True,
        )

        # then both steps are on the page and in the audit log
        assert "合同纠纷诉讼未结" in listing
        hold.refresh_from_db()
        assert (hold.released_by, hold.release_reason) == (manager, "判决已生效")
        assert _messages(response) == [
            f"已解除 {case.archive_number} 的保全（区人民法院）"
        ]
        actions = list(
            AuditEvent.objects.filter(actor=manager)
            .order_by("pk")
            .values_list("action", flat=True)
        )
        assert actions == ["records.hold_placed", "records.hold_released"]

    def test_a_hold_without_authority_is_refused(
        self, manager: User, file_case: FileCase
    ) -> None:
        case = file_case().case

        response = _client(manager).post(
            reverse("records:hold_place", args=[case.pk]),
            {"authority": "", "reason": "审计"},
        )

        assert response.status_code == 400
        page = response.content.decode()
        _beside(page, "hold_authority", "请写明保全的依据或机关，例如 区人民法院")
        assert "审计</textarea>" in page
        assert not Hold.objects.exists()

    def test_a_release_without_a_reason_changes_nothing(
        self, archivist: User, manager: User, file_case: FileCase
    ) -> None:
        hold = hold_place(
            actor=manager, case=file_case().case, authority="审计署", reason="专项审计"
        )

        response = _client(manager).post(
            reverse("records:hold_release", args=[hold.pk]), {"reason": ""}
        )

        assert response.status_code == 400
        _beside(
            response.content.decode(),
            f"release-{hold.pk}-reason",
            "请写明解除保全的原因",
        )
        hold.refresh_from_db()
        assert hold.released_at is None


class TestPartialDestruction:
    @pytest.fixture
    def register(
        self, archivist: User, prop: Property, file_case: FileCase
    ) -> DestructionRegister:
        file_case(title="旧合同", doc_date=date(2010, 3, 1), retention_years=1)
        return register_propose(actor=archivist, prop=prop, as_of=date(2025, 1, 1))

    def test_the_register_page_sets_what_is_destroyed_and_kept(
        self, archivist: User, manager: User, register: DestructionRegister
    ) -> None:
        entry = register.entries.get()
        client = _client(archivist)

        client.post(
            reverse("records:register_entry_part", args=[register.pk, entry.pk]),
            {"destroyed_part": "报价草稿", "kept_note": "合同正本及签字页"},
        )
        page = client.get(reverse("records:register", args=[register.pk]))

        entry.refresh_from_db()
        assert (entry.destroyed_part, entry.kept_note) == (
            "报价草稿",
            "合同正本及签字页",
        )
        assert (
            "拟部分销毁；销毁：报价草稿；保留：合同正本及签字页"
            in page.content.decode()
        )

        # and once approved and executed, the case stays with its number
        _client(manager).post(reverse("records:register_approve", args=[register.pk]))
        form = client.get(reverse("records:register", args=[register.pk]))
        assert (
            f'<label for="execute-confirmation">输入清册号 {register.pk} 确认'
            in form.content.decode()
        )
        unconfirmed = client.post(
            reverse("records:register_execute", args=[register.pk]),
            {"witnesses": "王监"},
            follow=True,
        )
        assert _messages(unconfirmed) == [
            f"请输入清册号 {register.pk} 以确认销毁；销毁后不能恢复"
        ]
        assert Case.objects.get().status == CaseStatus.FILED
        response = client.post(
            reverse("records:register_execute", args=[register.pk]),
            {"confirmation": str(register.pk), "witnesses": "王监"},
            follow=True,
        )
        case = Case.objects.get()
        assert case.status == CaseStatus.PARTLY_DESTROYED
        assert case.archive_number == "01-02031-01"
        assert _messages(response) == ["已执行销毁：1 件，销毁日期已写入案卷目录"]
        executed = response.content.decode()
        assert "<dt>销毁执行人</dt><dd>archivist</dd>" in executed
        assert "<dt>监销人</dt><dd>王监</dd>" in executed

        # and executing again says it was done
        again = client.post(
            reverse("records:register_execute", args=[register.pk]),
            {"confirmation": str(register.pk), "witnesses": "王监"},
            follow=True,
        )
        assert _messages(again)[0].startswith(f"清册第 {register.pk} 号已于 ")
        assert _messages(again)[0].endswith("执行销毁，不能重复执行")

    def test_proposing_with_nothing_due_says_so_and_makes_no_register(
        self, archivist: User, file_case: FileCase
    ) -> None:
        file_case(title="新合同")

        response = _client(archivist).post(
            reverse("records:disposal_propose"), follow=True
        )

        assert response.redirect_chain[-1][0] == reverse("records:disposal")
        assert "没有保管期满、尚未列入清册的案件，未编制清册" in _messages(response)[0]
        assert not DestructionRegister.objects.exists()


class TestRetentionSchedules:
    @pytest.fixture
    def voucher(self, prop: Property) -> RetentionItem:
        name, items = preset_items("accounting")
        schedule = schedule_from_preset(
            prop=prop, name=name, preset="accounting", items=items
        )
        return schedule.items.get(record_type="记账凭证")

    def test_going_below_the_legal_minimum_warns_but_saves(
        self, archivist: User, voucher: RetentionItem
    ) -> None:
        response = _client(archivist).post(
            reverse("records:retention_item", args=[voucher.pk]),
            {"years": "10"},
            follow=True,
        )

        voucher.refresh_from_db()
        assert voucher.years == 10
        assert _messages(response) == [
            "已保存，但请注意：“记账凭证”定为10年，低于法定最低30年"
        ]
        assert "低于法定最低年限" in response.content.decode()

    def test_a_period_at_the_minimum_saves_without_warning(
        self, archivist: User, voucher: RetentionItem
    ) -> None:
        response = _client(archivist).post(
            reverse("records:retention_item", args=[voucher.pk]),
            {"years": "30"},
            follow=True,
        )

        assert _messages(response) == ["“记账凭证”已改为 30年"]

    @pytest.mark.parametrize(
        ("years", "message"),
        [
            ("0", "“记账凭证”的保管年限：保管年限至少 1 年，或留空为永久"),
            ("abc", "“记账凭证”的保管年限：保管年限须为整数年"),
            ("9999", "“记账凭证”的保管年限：保管年限最多 100 年，更长请留空为永久"),
        ],
    )
    def test_a_bad_period_is_refused_naming_the_line(
        self, archivist: User, voucher: RetentionItem, years: str, message: str
    ) -> None:
        response = _client(archivist).post(
            reverse("records:retention_item", args=[voucher.pk]),
            {"years": years},
            follow=True,
        )

        assert _messages(response) == [message]
        voucher.refresh_from_db()
        assert voucher.years == 30

    def test_a_schedule_is_made_from_a_preset(
        self, archivist: User, prop: Property
    ) -> None:
        response = _client(archivist).post(
            reverse("records:schedule_preset"), {"preset": "enterprise"}, follow=True
        )

        assert "定期30年保管的管理类文件" in response.content.decode()

    def test_an_unknown_preset_is_refused(self, archivist: User) -> None:
        response = _client(archivist).post(
            reverse("records:schedule_preset"), {"preset": "nope"}, follow=True
        )

        assert _messages(response) == ["预设：没有名为“nope”的保管期限预设"]


class TestSchemeRevision:
    def _post(self, user: User, rows: list[dict[str, str]]) -> object:
        data = {
            "name": "本店档案分类方案（2027 修订）",
            "form-TOTAL_FORMS": str(len(rows)),
            "form-INITIAL_FORMS": "0",
            "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "20",
        }
        for index, row in enumerate(rows):
            for key, value in row.items():
                data[f"form-{index}-{key}"] = value
        return _client(user).post(reverse("records:scheme_revise"), data, follow=True)

    def test_a_revision_makes_a_new_version_and_keeps_old_numbers(
        self, archivist: User, scheme: SchemeVersion, file_case: FileCase
    ) -> None:
        # given a case filed in version 1
        case = file_case().case

        # when 客户合同 is renamed and a new minor class is added
        response = self._post(
            archivist,
            [
                {"kind": "rename", "full_code": "01-0204", "name": "宾客合同"},
                {"kind": "add", "full_code": "01-02", "code": "05", "name": "租赁合同"},
            ],
        )

        # then version 2 is current with its mapping table
        new = SchemeVersion.objects.get(is_current=True)
        assert new.number == 2
        kinds = {
            (m.old_class.full_code if m.old_class else "", m.kind)
            for m in ClassMapping.objects.filter(new_version=new)
        }
        assert ("01-0204", MappingKind.RENAMED) in kinds
        assert ("", MappingKind.ADDED) in kinds
        page = response.content.decode()  # type: ignore[attr-defined]
        assert "宾客合同" in page
        assert "租赁合同" in page
        # and the filed case keeps its class and number
        case.refresh_from_db()
        assert case.archive_number == "01-02031-01"
        assert case.archive_class.version_id == scheme.pk

    def test_reusing_an_old_code_is_refused_and_nothing_changes(
        self, archivist: User, scheme: SchemeVersion
    ) -> None:
        response = self._post(
            archivist, [{"kind": "recode", "full_code": "01-0203", "code": "04"}]
        )

        assert response.status_code == 400  # type: ignore[attr-defined]
        assert SchemeVersion.objects.get(is_current=True) == scheme

    def test_a_revision_without_changes_is_refused(
        self, archivist: User, scheme: SchemeVersion
    ) -> None:
        response = self._post(archivist, [{"kind": ""}])

        assert "请至少填写一项修订" in response.content.decode()  # type: ignore[attr-defined]
        assert SchemeVersion.objects.count() == 1

    def test_a_rename_without_a_name_names_the_field(
        self, archivist: User, scheme: SchemeVersion
    ) -> None:
        response = self._post(archivist, [{"kind": "rename", "full_code": "01-0204"}])

        assert "改名须填写新名称" in response.content.decode()  # type: ignore[attr-defined]
        assert ArchiveClass.objects.filter(name="客户合同").count() == 1


class TestLoanForm:
    def _post(self, user: User, case: Case, **fields: str) -> object:
        data = {"borrower": "lin", "approver": "manager", "due_date": "", "purpose": ""}
        data.update(fields)
        return _client(user).post(reverse("records:loan_create", args=[case.pk]), data)

    @pytest.fixture
    def lin(self, make_staff: object) -> User:
        return archive_reader(make_staff("marketing", username="lin"))  # type: ignore[operator]

    def test_each_wrong_field_is_named(
        self, archivist: User, manager: User, lin: User, file_case: FileCase
    ) -> None:
        case = file_case().case

        response = self._post(
            archivist, case, borrower="nobody", approver="", due_date="2026-02-30"
        )

        page = response.content.decode()  # type: ignore[attr-defined]
        assert response.status_code == 400  # type: ignore[attr-defined]
        # each error beside its field, and again in the summary linked to the field
        for name, label, error in [
            (
                "borrower",
                "借阅人（用户名）",
                "找不到用户名为“nobody”的借阅人，请核对后再填",
            ),
            ("approver", "批准人（用户名）", "请填写批准人的用户名"),
            ("due_date", "应还日期", "日期格式应为 年-月-日，例如 2026-03-18"),
        ]:
            assert (
                f'<p class="error" id="id_{name}_error" role="alert">{error}</p>'
                in page
            )
            assert f'<li><a href="#id_{name}">{label}</a>：{error}</li>' in page
        assert "借出申请未提交，请更正下列内容：" in page
        # and what was typed is still there
        assert 'name="borrower" value="nobody"' in page
        assert 'name="due_date" value="2026-02-30"' in page
        assert not Loan.objects.exists()

    def test_a_due_date_in_year_9999_is_refused_on_the_form(
        self,
        archivist: User,
        manager: User,
        lin: User,
        prop: Property,
        file_case: FileCase,
    ) -> None:
        case = file_case().case
        latest = prop.today() + timedelta(days=90)

        response = self._post(archivist, case, due_date="9999-12-31")

        page = response.content.decode()  # type: ignore[attr-defined]
        assert (
            '<a href="#id_due_date">应还日期</a>：9999-12-31 超出最长借期 '
            f"90 天，最晚为 {latest:%Y-%m-%d}"
        ) in page
        assert not Loan.objects.exists()

    def test_a_good_slip_asks_the_approver(
        self,
        archivist: User,
        manager: User,
        lin: User,
        prop: Property,
        file_case: FileCase,
    ) -> None:
        case = file_case().case
        due = prop.today() + timedelta(days=14)

        response = _client(archivist).post(
            reverse("records:loan_create", args=[case.pk]),
            {"borrower": "lin", "approver": "manager", "due_date": f"{due:%Y-%m-%d}"},
            follow=True,
        )

        loan = Loan.objects.get()
        assert (loan.borrower, loan.state, loan.out_at) == (lin, "requested", None)
        assert _messages(response) == [
            "借出申请已提交，待 manager 批准后方可出库；原件已为此预留"
        ]


def test_a_destroyed_case_cannot_be_held(manager: User, file_case: FileCase) -> None:
    case = file_case().case
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.DESTROYED)

    response = _client(manager).post(
        reverse("records:hold_place", args=[case.pk]),
        {"authority": "区法院", "reason": "诉讼"},
        follow=True,
    )

    assert _messages(response) == ["案件已销毁，档案室没有可保全的原件"]
    assert not Hold.objects.exists()


def test_staff_are_shown_by_name_on_the_loans_page(
    archivist: User,
    manager: User,
    make_staff: object,
    prop: Property,
    file_case: FileCase,
) -> None:
    from tests.records.conftest import lend

    borrower = make_staff("marketing", username="lin")  # type: ignore[operator]
    borrower.last_name, borrower.first_name = "林", "芳"
    borrower.save()
    borrower = archive_reader(borrower)
    lend(
        actor=archivist,
        case=file_case().case,
        borrower=borrower,
        due_date=prop.today() + timedelta(days=5),
        approved_by=manager,
    )

    page = _client(archivist).get(reverse("records:loans")).content.decode()

    assert "林芳" in page
