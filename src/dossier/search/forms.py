"""The search form: a query and the filters, read from the page's GET parameters."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dossier.core.models import Department
from dossier.guests.models import GuestClass
from dossier.search.filters import RANGES, SearchFilters, range_inverted
from dossier.web.widgets import DatePicker

_DATE = DatePicker()


class SearchForm(forms.Form):
    q = forms.CharField(label=_("查询"), max_length=200, required=False)
    guest_class = forms.ChoiceField(
        label=_("客户类别"),
        choices=[("", _("全部")), *GuestClass.choices],
        required=False,
    )
    tag = forms.CharField(label=_("标签"), max_length=40, required=False)
    department = forms.ChoiceField(
        label=_("客史来自部门"),
        choices=[("", _("全部")), *Department.choices],
        required=False,
    )
    preference = forms.CharField(
        label=_("偏好"),
        max_length=100,
        required=False,
        help_text=_("项目: 值，例如 枕头: 低、pillow: low、空调: 24"),
    )
    birth_from = forms.DateField(label=_("出生日期从"), required=False, widget=_DATE)
    birth_to = forms.DateField(label=_("至"), required=False, widget=_DATE)
    visit_from = forms.DateField(label=_("最近到访从"), required=False, widget=_DATE)
    visit_to = forms.DateField(label=_("至"), required=False, widget=_DATE)
    created_from = forms.DateField(label=_("建档日期从"), required=False, widget=_DATE)
    created_to = forms.DateField(label=_("至"), required=False, widget=_DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for start, end, label in RANGES:
            if data.get(start) and data.get(end) and data[start] > data[end]:
                self.add_error(end, range_inverted(label, data[start], data[end]))
        return data

    def problems(self) -> list[str]:
        """The errors of an invalid form, each naming its field: for a message."""
        labels = {name: str(field.label) for name, field in self.fields.items()}
        for _start, end, bounded in RANGES:
            labels[end] = str(_("%(label)s截止") % {"label": bounded})
        ranges = tuple(str(bounded) for _start, _end, bounded in RANGES)
        found: list[str] = []
        for name, errors in self.errors.items():
            label = labels.get(name, "")
            for error in map(str, errors):
                # A range error names its range already.
                named = not label or error.startswith(ranges)
                found.append(error if named else f"{label}：{error}")
        return found

    def filters(self) -> SearchFilters:
        """The filters of a valid form."""
        data = self.cleaned_data
        return SearchFilters(
            guest_class=data.get("guest_class") or "",
            tag=(data.get("tag") or "").strip(),
            department=data.get("department") or "",
            preference=(data.get("preference") or "").strip(),
            birth_from=data.get("birth_from"),
            birth_to=data.get("birth_to"),
            visit_from=data.get("visit_from"),
            visit_to=data.get("visit_to"),
            created_from=data.get("created_from"),
            created_to=data.get("created_to"),
        )

    def filters_json(self) -> dict[str, str]:
        """The filters as saved and as URL parameters; empty for an invalid form."""
        if not self.is_valid():
            return {}
        return {name: str(value) for name, value in self.filters().to_json().items()}


class SavedSearchForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    shared = forms.BooleanField(label=_("共享给同事"), required=False)
