"""Forms of care: they parse what staff typed; the services decide what is allowed."""

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from dossier.care.models import (
    ConsentChannel,
    ConsentPurpose,
    ReminderChannel,
    ReminderKind,
    ReminderRule,
    TaskStatus,
)
from dossier.core.models import Department, Property
from dossier.guests.models import SpecialDateKind
from dossier.web.widgets import DatePicker

CLASS_CHOICES = [("A", _("A 类")), ("B", _("B 类")), ("C", _("C 类"))]


class RuleForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=ReminderKind.choices)
    days = forms.IntegerField(
        label=_("天数"),
        min_value=0,
        max_value=90,
        help_text=_(
            "纪念日、节日：提前几天；离店回访：离店后几天；月度回访：几天内完成"
        ),
    )
    classes = forms.MultipleChoiceField(
        label=_("适用分级"),
        choices=CLASS_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    date_kinds = forms.MultipleChoiceField(
        label=_("纪念日类型"),
        choices=SpecialDateKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("仅用于“生日与纪念日”；不选表示全部"),
    )
    channel = forms.ChoiceField(label=_("渠道"), choices=ReminderChannel.choices)
    subject = forms.CharField(label=_("邮件主题"), max_length=200, required=False)
    template = forms.CharField(
        label=_("消息模板"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("可用占位符：{称呼} {姓名} {日期} {纪念日} {节日} {礼品} {门店}"),
    )
    gift_text = forms.CharField(label=_("礼品领取说明"), max_length=200, required=False)
    owner_department = forms.ChoiceField(
        label=_("负责部门"),
        choices=[("", "—"), *Department.choices],
        required=False,
    )
    owner = forms.ModelChoiceField(
        label=_("负责人"), queryset=User.objects.none(), required=False
    )
    active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args: Any, prop: Property, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = User.objects.filter(
            staff__property=prop, is_active=True
        ).order_by("username")

    @staticmethod
    def initial_of(rule: ReminderRule) -> dict[str, Any]:
        return {
            "name": rule.name,
            "kind": rule.kind,
            "days": rule.days,
            "classes": list(rule.classes),
            "date_kinds": [k for k in rule.date_kinds.split(",") if k],
            "channel": rule.channel,
            "subject": rule.subject,
            "template": rule.template,
            "gift_text": rule.gift_text,
            "owner_department": rule.owner_department,
            "owner": rule.owner_id,
            "active": rule.active,
        }


class TaskCloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("处理"),
        choices=[(TaskStatus.DONE, _("已完成")), (TaskStatus.CANCELLED, _("取消"))],
    )
    # Left to the service, which says which of the two is missing.
    outcome = forms.CharField(
        label=_("结果或取消原因"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("活动名称"), max_length=100)
    channel = forms.ChoiceField(
        label=_("渠道"), choices=[("sms", _("短信")), ("email", _("电子邮件"))]
    )
    subject = forms.CharField(label=_("邮件主题"), max_length=200, required=False)
    body = forms.CharField(
        label=_("内容"),
        widget=forms.Textarea(
            attrs={
                "rows": 4,
                "hx-get": reverse_lazy("messaging:preview"),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#sms-preview",
                "hx-swap": "outerHTML",
                "aria-describedby": "sms-preview",
            }
        ),
        help_text=_("可用占位符：{称呼} {姓名} {门店}"),
    )
    classes = forms.MultipleChoiceField(
        label=_("分级"),
        choices=CLASS_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("不选表示全部"),
    )
    tags = forms.CharField(
        label=_("标签"),
        max_length=200,
        required=False,
        help_text=_("逗号分隔，任一即可"),
    )
    preference = forms.CharField(
        label=_("偏好"),
        max_length=100,
        required=False,
        help_text=_("如“枕头: 荞麦”或只写“荞麦”"),
    )
    visited_after = forms.DateField(
        label=_("最近到访不早于"), required=False, widget=DatePicker()
    )
    visited_before = forms.DateField(
        label=_("最近到访不晚于"), required=False, widget=DatePicker()
    )
    send_on = forms.DateField(
        label=_("发送日期"),
        required=False,
        widget=DatePicker(),
        help_text=_("留空则保存为草稿"),
    )


class ConsentForm(forms.Form):
    """What a guest said about being contacted, and where staff heard it."""

    channel = forms.ChoiceField(label=_("渠道"), choices=ConsentChannel.choices)
    purpose = forms.ChoiceField(label=_("用途"), choices=ConsentPurpose.choices)
    granted = forms.TypedChoiceField(
        label=_("答复"),
        choices=[("yes", _("同意")), ("no", _("退订 / 不同意"))],
        coerce=lambda value: value == "yes",
    )
    source = forms.CharField(
        label=_("来源"), max_length=200, help_text=_("例如：电话中客人本人告知")
    )
    at = forms.DateTimeField(
        label=_("客人答复的时间"),
        required=False,
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
        ),
        help_text=_("留空为现在"),
    )
