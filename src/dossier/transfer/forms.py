from django import forms
from django.utils.translation import gettext_lazy as _

from dossier.core.models import Department
from dossier.transfer.models import ItemKind, TargetKind
from dossier.transfer.services import MAX_NOTE


class SendForm(forms.Form):
    # The item is chosen on its own page ("传送" on a case, file or guest card); the
    # form carries it hidden and the page names it by archive number and title.
    kind = forms.ChoiceField(
        label=_("传送内容"), choices=ItemKind.choices, widget=forms.HiddenInput
    )
    item_id = forms.IntegerField(
        label=_("传送内容"), min_value=1, widget=forms.HiddenInput
    )
    target_kind = forms.ChoiceField(
        label=_("发送给"), choices=TargetKind.choices, widget=forms.RadioSelect
    )
    user = forms.CharField(label=_("同事用户名"), max_length=150, required=False)
    department = forms.ChoiceField(
        label=_("部门"),
        choices=[("", "—"), *Department.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("附言"),
        max_length=MAX_NOTE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def target(self) -> str:
        data = self.cleaned_data
        if data["target_kind"] == TargetKind.USER:
            return str(data["user"])
        if data["target_kind"] == TargetKind.DEPARTMENT:
            return str(data["department"])
        return ""
