"""Forms of the collection regime: quotas, checklist prompts, registration cards."""

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from dossier.care.models import ConsentChannel
from dossier.collection.errors import CollectionError, FieldsInvalid
from dossier.collection.models import Measure, Period, Rank, ValueKind
from dossier.core.models import Department
from dossier.guests.models import PreferenceItem


def add_errors(form: forms.BaseForm, error: CollectionError) -> None:
    """Show each message next to the field it names, or above the form."""
    errors = (
        error.errors
        if isinstance(error, FieldsInvalid)
        else {error.field: error.message}
    )
    for name, message in errors.items():
        form.add_error(name if name in form.fields else None, message)


class QuotaForm(forms.Form):
    measure = forms.ChoiceField(label=_("考核内容"), choices=Measure.choices)
    period = forms.ChoiceField(label=_("周期"), choices=Period.choices)
    target = forms.IntegerField(label=_("最低数量"), min_value=0, max_value=1000)


class TouchpointsForm(forms.Form):
    touchpoints = forms.CharField(
        label=_("计为接触客人的场合"),
        help_text=_("每行一个；记录客史信息时选择这些场合即计为一次接触"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class StaffRankForm(forms.Form):
    user = forms.ModelChoiceField(label=_("员工"), queryset=User.objects.none())
    rank = forms.ChoiceField(label=_("考核层级"), choices=Rank.choices)

    def __init__(self, *args: Any, users: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = users


class ChecklistItemForm(forms.Form):
    department = forms.ChoiceField(label=_("部门"), choices=Department.choices)
    label = forms.CharField(label=_("观察要点"), max_length=60)
    hint = forms.CharField(label=_("提示"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("记录方式"), choices=ValueKind.choices)
    choices = forms.CharField(
        label=_("选项"),
        required=False,
        max_length=500,
        help_text=_("选项式要点用顿号分隔，如：绿茶、红茶、普洱"),
    )
    unit = forms.CharField(label=_("单位"), max_length=12, required=False)
    item = forms.ModelChoiceField(
        label=_("对应偏好项目"),
        queryset=PreferenceItem.objects.filter(is_alert=False),
        required=False,
        help_text=_("审核确认后写入客人偏好"),
    )
    position = forms.IntegerField(
        label=_("顺序"), min_value=0, max_value=999, initial=0
    )
    active = forms.BooleanField(label=_("启用"), required=False, initial=True)


class CardForm(forms.Form):
    """The registration card and the VIP enrolment form: name, mobile, birthday required."""

    full_name = forms.CharField(label=_("姓名"), max_length=100)
    mobile = forms.CharField(
        label=_("手机"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "autocomplete": "tel", "type": "tel"}
        ),
    )
    birth_date = forms.CharField(
        label=_("生日"),
        max_length=20,
        help_text=_("如 1985-03-14"),
        widget=forms.TextInput(attrs={"type": "date", "autocomplete": "bday"}),
    )
    gender = forms.ChoiceField(
        label=_("性别"),
        required=False,
        choices=[("", _("不填")), ("M", _("男")), ("F", _("女"))],
    )
    id_number = forms.CharField(label=_("身份证号码"), max_length=40, required=False)
    company = forms.CharField(label=_("单位"), max_length=200, required=False)
    title = forms.CharField(label=_("职务"), max_length=100, required=False)
    email = forms.CharField(
        label=_("电子邮件"),
        max_length=254,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "email", "autocomplete": "email"}),
    )
    preferences = forms.CharField(
        label=_("饮食、住宿偏好与禁忌"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    marketing_channels = forms.MultipleChoiceField(
        label=_("愿意通过以下渠道接收优惠与新品信息"),
        required=False,
        choices=ConsentChannel.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    # Fields are checked by the registration service, which names each fault.
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("full_name", "mobile", "birth_date"):
            self.fields[name].error_messages["required"] = {
                "full_name": _("请填写姓名"),
                "mobile": _("请填写手机号码"),
                "birth_date": _("请填写生日"),
            }[name]


class LinkForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("表格"),
        choices=[("card", _("客人资料登记卡")), ("vip", _("VIP 入会表"))],
    )
    label = forms.CharField(
        label=_("用途"), max_length=100, required=False, help_text=_("如：大堂二维码")
    )
    days = forms.IntegerField(
        label=_("有效天数"), min_value=1, max_value=365, initial=30
    )
