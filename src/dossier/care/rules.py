"""Reminder rules of a property: the defaults a house starts with, and their edits."""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossier.care.errors import CareError, CareErrorCode
from dossier.care.models import ReminderChannel, ReminderKind, ReminderRule
from dossier.care.templating import template_check
from dossier.core.audit import AuditAction, audit
from dossier.core.models import Department, Property
from dossier.guests.models import SpecialDateKind

CLASS_LETTERS = ("A", "B", "C")
MAX_DAYS = 90

DEFAULT_RULES: tuple[dict[str, Any], ...] = (
    {
        "name": "生日祝福",
        "kind": ReminderKind.SPECIAL_DATE,
        "date_kinds": "birthday",
        "days": 3,
        "classes": "ABC",
        "channel": ReminderChannel.SMS,
        "template": "尊敬的{称呼}，{门店}全体员工祝您生日快乐！{礼品}",
        "gift_text": "生日当月凭本短信到前台领取生日蛋糕一份。",
        "owner_department": Department.MARKETING,
    },
    {
        "name": "纪念日关怀",
        "kind": ReminderKind.SPECIAL_DATE,
        "date_kinds": "wedding,company,school,family_birthday,custom",
        "days": 7,
        "classes": "A",
        "channel": ReminderChannel.TASK,
        "template": "",
        "gift_text": "准备鲜花或贺卡。",
        "owner_department": Department.MARKETING,
    },
    {
        "name": "离店回访",
        "kind": ReminderKind.FEEDBACK,
        "date_kinds": "",
        "days": 1,
        "classes": "ABC",
        "channel": ReminderChannel.SMS,
        "template": "{称呼}您好，感谢您入住{门店}，欢迎回复您的意见与建议。",
        "gift_text": "",
        "owner_department": Department.FRONT_OFFICE,
    },
    {
        "name": "节日贺卡",
        "kind": ReminderKind.HOLIDAY,
        "date_kinds": "",
        "days": 7,
        "classes": "A",
        "channel": ReminderChannel.TASK,
        "template": "尊敬的{称呼}，{门店}恭祝您{节日}快乐，阖家安康！",
        "gift_text": "寄送节日贺卡。",
        "owner_department": Department.MARKETING,
    },
    {
        "name": "新晋 A 类客人回访",
        "kind": ReminderKind.REVISIT,
        "date_kinds": "",
        "days": 10,
        "classes": "A",
        "channel": ReminderChannel.TASK,
        "template": "",
        "gift_text": "登门或电话拜访，了解需求。",
        "owner_department": Department.MARKETING,
    },
)


@dataclass(frozen=True)
class RuleInput:
    name: str
    kind: str
    days: int
    classes: str
    channel: str
    template: str = ""
    subject: str = ""
    gift_text: str = ""
    date_kinds: str = ""
    owner_department: str = ""
    owner: User | None = None
    active: bool = True


def rules_ensure(prop: Property) -> list[ReminderRule]:
    """The property's rules; a property without any gets the defaults first."""
    if not ReminderRule.objects.filter(property=prop).exists():
        for values in DEFAULT_RULES:
            try:
                with transaction.atomic():
                    ReminderRule.objects.create(property=prop, **values)
            except IntegrityError:
                # Another run seeded the same default at the same moment.
                continue
    return list(ReminderRule.objects.filter(property=prop).select_related("owner"))


def _check(prop: Property, data: RuleInput) -> RuleInput:
    name = data.name.strip()
    if not name:
        raise CareError(CareErrorCode.INVALID_VALUE, _("请填写规则名称"), field="name")
    if data.kind not in ReminderKind.values:
        raise CareError(
            CareErrorCode.INVALID_VALUE,
            _("未知的提醒类型：%(kind)s") % {"kind": data.kind},
            field="kind",
        )
    if data.channel not in ReminderChannel.values:
        raise CareError(
            CareErrorCode.INVALID_VALUE,
            _("未知的渠道：%(channel)s") % {"channel": data.channel},
            field="channel",
        )
    if not 0 <= data.days <= MAX_DAYS:
        raise CareError(
            CareErrorCode.INVALID_VALUE,
            _("应在 0 到 %(max_days)s 之间，收到 %(days)s")
            % {"max_days": MAX_DAYS, "days": data.days},
            field="days",
        )
    classes = classes_parse(data.classes, field="classes")
    if not classes:
        raise CareError(
            CareErrorCode.INVALID_VALUE, _("请至少选择一个分级"), field="classes"
        )
    kinds = [k.strip() for k in data.date_kinds.split(",") if k.strip()]
    for kind in kinds:
        if kind not in SpecialDateKind.values:
            raise CareError(
                CareErrorCode.INVALID_VALUE,
                _("未知的纪念日类型：%(kind)s") % {"kind": kind},
                field="date_kinds",
            )
    template_check(data.template, field="template")
    if data.channel != ReminderChannel.TASK and not data.template.strip():
        raise CareError(
            CareErrorCode.INVALID_VALUE,
            _("发送短信或邮件需要消息模板"),
            field="template",
        )
    if data.owner_department and data.owner_department not in Department.values:
        raise CareError(
            CareErrorCode.INVALID_VALUE,
            _("未知的部门：%(owner_department)s")
            % {"owner_department": data.owner_department},
            field="owner_department",
        )
    if not data.owner_department and data.owner is None:
        raise CareError(
            CareErrorCode.INVALID_VALUE,
            _("请指定负责部门或负责人"),
            field="owner_department",
        )
    owner_staff = getattr(data.owner, "staff", None)
    if data.owner is not None and getattr(owner_staff, "property_id", None) != prop.pk:
        raise CareError(CareErrorCode.INVALID_VALUE, _("不属于本门店"), field="owner")
    return RuleInput(
        **{
            **data.__dict__,
            "name": name,
            "classes": "".join(classes),
            "date_kinds": ",".join(kinds),
            "template": data.template.strip(),
        }
    )


def classes_parse(text: str, *, field: str) -> list[str]:
    """``"A,b"`` or ``"AB"`` → ``["A", "B"]``; an unknown letter is refused."""
    letters = [c.upper() for c in text.replace(",", "").replace(" ", "")]
    for letter in letters:
        if letter not in CLASS_LETTERS:
            raise CareError(
                CareErrorCode.INVALID_VALUE,
                _("分级只能是 A、B、C，收到 %(letter)s") % {"letter": letter},
                field=field,
            )
    return [c for c in CLASS_LETTERS if c in letters]


@transaction.atomic
def rule_save(
    *,
    actor: User | AnonymousUser | None,
    prop: Property,
    data: RuleInput,
    rule: ReminderRule | None = None,
) -> ReminderRule:
    """Create a rule, or change ``rule``; audited with what it now says."""
    clean = _check(prop, data)
    if rule is not None and rule.property_id != prop.pk:
        raise CareError(CareErrorCode.NOT_FOUND, _("该规则不属于本门店"), field="rule")
    clash = ReminderRule.objects.filter(property=prop, name=clean.name)
    if rule is not None:
        clash = clash.exclude(pk=rule.pk)
    if clash.exists():
        raise CareError(
            CareErrorCode.INVALID_VALUE,
            _("已有同名规则：%(name)s") % {"name": clean.name},
            field="name",
        )

    target = rule or ReminderRule(property=prop)
    for name, value in clean.__dict__.items():
        setattr(target, name, value)
    target.updated_at = timezone.now()
    target.updated_by = actor if isinstance(actor, User) else None
    target.save()

    audit(
        actor=actor,
        action=AuditAction.CARE_RULE_SAVED,
        obj=target,
        name=target.name,
        kind=target.kind,
        days=target.days,
        classes=target.classes,
        channel=target.channel,
        active=target.active,
    )
    return target
