"""Forms of the archive pages; they parse input, the services decide."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dossier.records.models import ArchiveClass, SchemeVersion

PERIODS = [("", _("永久")), ("30", "30年"), ("10", "10年"), ("5", "5年"), ("1", "1年")]


class CaseFileForm(forms.Form):
    archive_class = forms.ModelChoiceField(
        label=_("类别"), queryset=ArchiveClass.objects.none()
    )
    title = forms.CharField(label=_("题名"), max_length=300)
    department = forms.CharField(label=_("经办部门"), max_length=100)
    doc_date = forms.DateField(
        label=_("文件日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    retention = forms.ChoiceField(label=_("保管期限"), choices=PERIODS, required=False)
    summary = forms.CharField(
        label=_("内容摘要"), widget=forms.Textarea, required=False
    )
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

    def __init__(self, *args: Any, version: SchemeVersion | None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["archive_class"]
        assert isinstance(field, forms.ModelChoiceField)
        if version is not None:
            field.queryset = version.classes.filter(
                children__isnull=True, retired=False
            ).order_by("full_code")


class LoanForm(forms.Form):
    borrower = forms.CharField(label=_("借阅人（用户名）"), max_length=150)
    approver = forms.CharField(label=_("批准人（用户名）"), max_length=150)
    due_date = forms.DateField(
        label=_("应还日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    purpose = forms.CharField(label=_("用途"), max_length=200, required=False)
