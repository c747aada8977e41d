"""Forms of the archive pages; they parse input, the services decide."""

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from dossier.records.loans import loan_max_days
from dossier.records.models import ArchiveClass, RetentionItem, SchemeVersion
from dossier.web.widgets import DatePicker

PERIODS = [
    ("", _("永久")),
    ("30", _("30年")),
    ("10", _("10年")),
    ("5", _("5年")),
    ("1", _("1年")),
]


class IntakeForm(forms.Form):
    """The intake check (点收) as the archivist ticks it, on filing and on refiling."""

    body_complete = forms.BooleanField(
        label=_("本文齐全"), required=False, initial=True
    )
    attachments_complete = forms.BooleanField(
        label=_("附件齐全"), required=False, initial=True
    )
    parts_removed = forms.BooleanField(label=_("有抽存"), required=False)
    removal_signed_by_head = forms.BooleanField(
        label=_("抽存经部门主管签认"), required=False
    )
    removal_signed_by_archivist = forms.BooleanField(
        label=_("抽存经档案专管签认"), required=False
    )
    formalities_complete = forms.BooleanField(
        label=_("处理手续完备"), required=False, initial=True
    )
    unrelated_documents = forms.CharField(
        label=_("退回的无关文件"), required=False, max_length=500
    )


class RetentionItemField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        years = _("永久") if obj.years is None else _("%(n)s年") % {"n": obj.years}
        return f"{obj.schedule.name} · {obj.record_type} · {years}"


class CaseFileForm(IntakeForm):
    archive_class = forms.ModelChoiceField(
        label=_("类别"), queryset=ArchiveClass.objects.none()
    )
    title = forms.CharField(label=_("题名"), max_length=300)
    department = forms.CharField(label=_("经办部门"), max_length=100)
    doc_date = forms.DateField(
        label=_("文件日期"),
        required=False,
        widget=DatePicker(),
    )
    retention = forms.ChoiceField(label=_("保管期限"), choices=PERIODS, required=False)
    retention_item = RetentionItemField(
        label=_("按保管期限表"),
        queryset=RetentionItem.objects.none(),
        required=False,
        help_text=_(
            "选了期限表的条目，就按该条目的期限保管，并提示是否低于法定最低期限"
        ),
    )
    summary = forms.CharField(
        label=_("内容摘要"), widget=forms.Textarea, required=False
    )
    belongs_to = forms.CharField(
        label=_("归属前案档号"),
        max_length=60,
        required=False,
        help_text=_("与前案有关的文件沿用前案档号，不另编号"),
    )
    item = forms.IntegerField(
        label=_("指定目次"),
        required=False,
        min_value=1,
        max_value=9999,
        help_text=_("留空由系统自动编号"),
    )
    original_holder = forms.CharField(
        label=_("原稿由经办部门保管"),
        max_length=100,
        required=False,
        help_text=_("填写保管原稿的部门；档案室存影本，待原稿归还"),
    )
    original_approver = forms.CharField(
        label=_("同意保管原稿的主管（用户名）"), max_length=150, required=False
    )

    field_order = [
        "archive_class",
        "title",
        "department",
        "doc_date",
        "retention",
        "retention_item",
        "summary",
        "belongs_to",
        "item",
        "body_complete",
        "attachments_complete",
        "parts_removed",
        "removal_signed_by_head",
        "removal_signed_by_archivist",
        "formalities_complete",
        "unrelated_documents",
        "original_holder",
        "original_approver",
    ]

    def __init__(self, *args: Any, version: SchemeVersion | None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["archive_class"]
        assert isinstance(field, forms.ModelChoiceField)
        if version is not None:
            field.queryset = version.classes.filter(
                children__isnull=True, retired=False
            ).order_by("full_code")
            item = self.fields["retention_item"]
            assert isinstance(item, forms.ModelChoiceField)
            item.queryset = (
                RetentionItem.objects.filter(schedule__property=version.property)
                .select_related("schedule")
                .order_by("schedule_id", "position")
            )

    def clean_original_approver(self) -> User | None:
        name = self.cleaned_data["original_approver"].strip()
        return _user(name, str(_("主管"))) if name else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("original_approver") and not data.get("original_holder"):
            self.add_error("original_holder", _("请填写保管原稿的部门"))
        return data


DATE_ERRORS = {
    "invalid": _("日期格式应为 年-月-日，例如 2026-03-18"),
    "required": _("请填写日期"),
}


def _user(username: str, what: str) -> User:
    found = User.objects.filter(username=username.strip(), is_active=True).first()
    if found is None:
        raise forms.ValidationError(
            _("找不到用户名为“%(name)s”的%(what)s，请核对后再填"),
            params={"name": username.strip(), "what": what},
        )
    return found


class LoanForm(forms.Form):
    """The sign-out slip: who borrows, who approved, until when, and why."""

    borrower = forms.CharField(
        label=_("借阅人（用户名）"),
        max_length=150,
        required=False,
        help_text=_("须为有权查看该类档案的用户；否则不填，改写下面的姓名与部门"),
    )
    borrower_name = forms.CharField(
        label=_("或：借阅人姓名"), max_length=60, required=False
    )
    borrower_department = forms.CharField(
        label=_("借阅人部门"), max_length=60, required=False
    )
    approver = forms.CharField(
        label=_("批准人（用户名）"),
        max_length=150,
        error_messages={"required": _("请填写批准人的用户名")},
    )
    due_date = forms.DateField(
        label=_("应还日期"),
        widget=DatePicker(),
        error_messages=DATE_ERRORS,
    )
    purpose = forms.CharField(label=_("用途"), max_length=200, required=False)
    approved_on_paper = forms.BooleanField(
        label=_("批准人已在纸质借阅单上签字批准"),
        required=False,
        help_text=_("勾选后由您记录该书面批准，借出无需再等批准人在系统中批准"),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        days = loan_max_days()
        self.fields["due_date"].help_text = _("最长借期 %(days)s 天") % {"days": days}

    def clean_borrower(self) -> User | None:
        if not self.cleaned_data["borrower"].strip():
            return None
        return _user(self.cleaned_data["borrower"], str(_("借阅人")))

    def clean_approver(self) -> User:
        return _user(self.cleaned_data["approver"], str(_("批准人")))


class TrashForm(forms.Form):
    reason = forms.CharField(label=_("移入回收站的原因"), max_length=300)


class HoldForm(forms.Form):
    authority = forms.CharField(
        label=_("依据/机关"),
        max_length=200,
        error_messages={"required": _("请写明保全的依据或机关，例如 区人民法院")},
    )
    reason = forms.CharField(
        label=_("原因"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": _("请写明保全的原因")},
    )


class HoldReleaseForm(forms.Form):
    reason = forms.CharField(
        label=_("解除原因"),
        max_length=2000,
        error_messages={"required": _("请写明解除保全的原因")},
    )


class PartForm(forms.Form):
    """What of a case is destroyed and what is kept; both empty is destruction in whole."""

    destroyed_part = forms.CharField(
        label=_("销毁部分"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    kept_note = forms.CharField(
        label=_("保留部分（留在原档号下）"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RefuseForm(forms.Form):
    """Why an approver does not approve a loan."""

    reason = forms.CharField(
        label=_("不批准的理由"),
        max_length=300,
        error_messages={"required": _("不批准时须写明理由")},
    )


class WithdrawForm(forms.Form):
    """Why the archive withdraws a loan request."""

    reason = forms.CharField(
        label=_("撤回的理由"),
        max_length=300,
        error_messages={"required": _("撤回借出申请时须写明理由")},
    )


class RetentionYearsForm(forms.Form):
    years = forms.IntegerField(
        label=_("保管年限"),
        required=False,
        min_value=1,
        max_value=100,
        help_text=_("留空为永久"),
        error_messages={
            "invalid": _("保管年限须为整数年"),
            "min_value": _("保管年限至少 1 年，或留空为永久"),
            "max_value": _("保管年限最多 100 年，更长请留空为永久"),
        },
    )


CHANGE_KINDS = [
    ("", _("（不修订）")),
    ("rename", _("改名")),
    ("recode", _("改代码")),
    ("retire", _("停用")),
    ("add", _("新增下级类别")),
]


class RevisionForm(forms.Form):
    name = forms.CharField(label=_("新版本名称"), max_length=200)


class ClassChangeForm(forms.Form):
    """One change of a revision, naming the class of the current version."""

    kind = forms.ChoiceField(label=_("修订"), choices=CHANGE_KINDS, required=False)
    full_code = forms.ChoiceField(label=_("类别"), choices=[], required=False)
    name = forms.CharField(label=_("新名称"), max_length=200, required=False)
    code = forms.CharField(label=_("新代码"), max_length=8, required=False)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args: Any, classes: list[ArchiveClass], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["full_code"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("（新增部门时留空）"))] + [
            (klass.full_code, f"{klass.full_code} {klass.name}") for klass in classes
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind", "")
        if kind in {"rename", "recode", "retire"} and not data.get("full_code"):
            self.add_error("full_code", _("请选择要修订的类别"))
        if kind == "rename" and not data.get("name", "").strip():
            self.add_error("name", _("改名须填写新名称"))
        if kind in {"recode", "add"} and not data.get("code", "").strip():
            self.add_error("code", _("请填写新代码"))
        if kind == "add" and not data.get("name", "").strip():
            self.add_error("name", _("新增类别须填写名称"))
        return data


ClassChangeFormSet = forms.formset_factory(ClassChangeForm, extra=5, max_num=20)


class TemplateForm(forms.Form):
    """Which template new archive numbers follow."""

    preset = forms.ChoiceField(label=_("档号格式"), choices=[])
    fonds_code = forms.CharField(
        label=_("全宗号"),
        max_length=16,
        required=False,
        help_text=_("DA/T 22 格式必填，如 Z001"),
    )
    category_code = forms.CharField(
        label=_("门类代码"), max_length=16, required=False, initial="WS"
    )

    def __init__(self, *args: Any, **kwargs: Any):
        from dossier.records.allocator import PRESETS

        super().__init__(*args, **kwargs)
        field = self.fields["preset"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(key, label) for key, (label, _p) in PRESETS.items()]


class CapacityForm(forms.Form):
    """How many cases a folder of one class holds."""

    archive_class = forms.ModelChoiceField(
        label=_("类别"), queryset=ArchiveClass.objects.none()
    )
    folder_capacity = forms.IntegerField(
        label=_("每卷件数"), min_value=1, max_value=999
    )

    def __init__(self, *args: Any, version: SchemeVersion | None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["archive_class"]
        assert isinstance(field, forms.ModelChoiceField)
        if version is not None:
            field.queryset = version.classes.filter(
                children__isnull=True, retired=False
            ).order_by("full_code")


class SchemeStartForm(forms.Form):
    """The first version of the scheme: the published sample, or an empty one."""

    source = forms.ChoiceField(
        label=_("从何开始"),
        choices=[
            ("published", _("已发布的企业档案分类方案样本（党群管理类）")),
            ("empty", _("空白方案，再逐项修订加入类别")),
        ],
        widget=forms.RadioSelect,
        initial="published",
    )
    name = forms.CharField(
        label=_("方案名称（空白方案必填）"), max_length=200, required=False
    )


class BatchForm(forms.Form):
    file = forms.FileField(
        label=_("案件清单（csv 或 xlsx）"),
        help_text=_(
            "每行一件已点收合格的案件；列名：类别代码、题名、经办部门、文件日期、"
            "保管期限、目次（可空）、内容摘要（可空）"
        ),
    )
