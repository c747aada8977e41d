"""The upload form and the column-mapping form of the import page."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dossier.imports.models import ImportKind
from dossier.imports.services import field_choices

ACCEPT = ".csv,.txt,.tsv,.xlsx,.xlsm,.xls"


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("导入内容"), choices=ImportKind.choices)
    file = forms.FileField(
        label=_("文件"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=_("csv（UTF-8 或 GBK/GB18030）或 xlsx；第一行为表头"),
    )
    lines = forms.FileField(
        label=_("账单明细文件"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=_("仅“餐厅收银导出”需要：每道菜一行的明细表"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == ImportKind.RESTAURANT and not data.get("lines"):
            self.add_error("lines", _("餐厅收银导出需要同时上传账单明细文件"))
        return data


class MappingForm(forms.Form):
    """One select per column of the file: which field it feeds, or none."""

    def __init__(self, *args: Any, kind: str, mapping: dict[str, str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.headings = list(mapping)
        choices = field_choices(kind)
        for position, heading in enumerate(self.headings):
            self.fields[f"col_{position}"] = forms.ChoiceField(
                label=heading, choices=choices, required=False, initial=mapping[heading]
            )

    def mapping(self) -> dict[str, str]:
        return {
            heading: self.cleaned_data.get(f"col_{position}", "")
            for position, heading in enumerate(self.headings)
        }
