"""Forms of the class pages: the policy, a pin, an unpin."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dossier.classes.errors import ClassError
from dossier.classes.models import ClassPolicy, CustomerClass
from dossier.classes.services import REASON_MAX, WINDOW_MAX, WINDOW_MIN, PolicyInput


def _money(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, max_digits=14, decimal_places=2, min_value=Decimal("0.01")
    )


class PolicyForm(forms.Form):
    a_min_spend = _money(_("A 类年消费下限（元）"))
    b_min_spend = _money(_("B 类年消费下限（元）"))
    a_min_visits = forms.IntegerField(
        label=_("A 类年消费次数下限"), min_value=0, help_text=_("0 表示不限")
    )
    b_min_visits = forms.IntegerField(
        label=_("B 类年消费次数下限"),
        min_value=0,
        help_text=_("达到此次数即至少为 B 类；0 表示不用此规则"),
    )
    company_is_b = forms.BooleanField(
        label=_("协议单位客人至少为 B 类"), required=False
    )
    window_days = forms.IntegerField(
        label=_("统计天数"), min_value=WINDOW_MIN, max_value=WINDOW_MAX
    )

    @classmethod
    def of(cls, policy: ClassPolicy, data: Any = None) -> "PolicyForm":
        initial = {name: getattr(policy, name) for name in cls.base_fields}
        return cls(data, initial=initial)

    def policy_input(self) -> PolicyInput:
        return PolicyInput(**self.cleaned_data)


class PinForm(forms.Form):
    klass = forms.ChoiceField(label=_("指定为"), choices=CustomerClass.choices)
    reason = forms.CharField(label=_("原因"), max_length=REASON_MAX)


class UnpinForm(forms.Form):
    reason = forms.CharField(label=_("取消原因"), max_length=REASON_MAX)


def add_class_error(form: forms.Form, error: ClassError) -> None:
    """Show a refused change on the field it concerns, or on the whole form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
