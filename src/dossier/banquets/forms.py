"""Forms of banquet menus: the event, a dish to add, the evaluation of a dish."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dossier.core.models import Property
from dossier.history.models import DishRating, Outlet
from dossier.web.widgets import DatePicker


class MenuForm(forms.Form):
    event_date = forms.DateField(label=_("宴会日期"), widget=DatePicker())
    occasion = forms.CharField(
        label=_("宴会主题"), max_length=100, help_text=_("如寿宴、婚宴、商务宴请")
    )
    outlet = forms.ModelChoiceField(
        label=_("餐厅"), queryset=Outlet.objects.none(), required=False
    )
    tables = forms.IntegerField(label=_("桌数"), min_value=1, max_value=500, initial=1)
    covers = forms.IntegerField(
        label=_("人数"), min_value=0, max_value=10000, initial=0
    )
    price_per_table = forms.CharField(
        label=_("每桌价格（元）"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    notes = forms.CharField(
        label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, property: Property, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["outlet"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Outlet.objects.filter(property=property, kind="fnb")


class DishAddForm(forms.Form):
    name = forms.CharField(
        label=_("菜名"),
        max_length=100,
        help_text=_("菜品库中没有的菜会按此名称新增"),
        widget=forms.TextInput(attrs={"list": "dish-names", "autocomplete": "off"}),
    )
    ingredients = forms.CharField(
        label=_("配料与过敏原"),
        required=False,
        max_length=300,
        help_text=_("用顿号或逗号分隔，如：花生、虾、芝麻；留空则保留菜品已有的配料"),
    )


class EvaluationForm(forms.Form):
    evaluation = forms.ChoiceField(
        label=_("评价"),
        choices=[c for c in DishRating.choices if c[0]],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("评价说明"), required=False, max_length=200)
