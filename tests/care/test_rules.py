"""Reminder rules: the defaults a property starts with, and edits refused with reasons."""

import pytest

from dossier.care.errors import CareError
from dossier.care.models import ReminderRule
from dossier.care.rules import RuleInput, rule_save, rules_ensure
from dossier.core.audit import AuditEvent

pytestmark = pytest.mark.django_db

GOOD = RuleInput(
    name="VIP 结婚纪念日",
    kind="special_date",
    days=5,
    classes="A",
    channel="sms",
    template="{称呼}，{门店}祝您{纪念日}快乐！{礼品}",
    gift_text="赠送红酒一瓶",
    date_kinds="wedding",
    owner_department="marketing",
)


def test_defaults_are_seeded_once(prop):
    # when
    first = rules_ensure(prop)
    second = rules_ensure(prop)

    # then
    assert len(first) == len(second) == 5
    assert ReminderRule.objects.filter(property=prop).count() == 5
    birthday = ReminderRule.objects.get(property=prop, name="生日祝福")
    assert (birthday.kind, birthday.days, birthday.channel, birthday.date_kinds) == (
        "special_date",
        3,
        "sms",
        "birthday",
    )


def test_a_rule_is_saved_and_audited(prop, manager):
    # when
    rule = rule_save(actor=manager, prop=prop, data=GOOD)

    # then
    assert (rule.classes, rule.date_kinds, rule.updated_by) == ("A", "wedding", manager)
    event = AuditEvent.objects.get(action="care.rule_saved")
    assert event.detail["name"] == "VIP 结婚纪念日"
    assert event.actor == manager


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "  "}, "name", "请填写规则名称"),
        ({"kind": "flowers"}, "kind", "未知的提醒类型：flowers"),
        ({"days": 91}, "days", "应在 0 到 90 之间，收到 91"),
        ({"classes": "AX"}, "classes", "分级只能是 A、B、C，收到 X"),
        ({"classes": ""}, "classes", "请至少选择一个分级"),
        ({"date_kinds": "wedding,party"}, "date_kinds", "未知的纪念日类型：party"),
        ({"template": ""}, "template", "发送短信或邮件需要消息模板"),
        ({"template": "{称呼"}, "template", "模板中的花括号没有成对出现"),
        ({"owner_department": ""}, "owner_department", "请指定负责部门或负责人"),
        ({"owner_department": "spa"}, "owner_department", "未知的部门：spa"),
        ({"name": "生日祝福"}, "name", "已有同名规则：生日祝福"),
    ],
)
def test_a_bad_rule_is_refused_with_what_and_where(prop, changes, field, message):
    # given
    rules_ensure(prop)
    data = RuleInput(**{**GOOD.__dict__, **changes})

    # when
    with pytest.raises(CareError) as refused:
        rule_save(actor=None, prop=prop, data=data)

    # then
    assert (refused.value.field, refused.value.message) == (field, message)
    assert not ReminderRule.objects.filter(name=GOOD.name).exists()


def test_an_owner_from_another_property_is_refused(prop, django_user_model):
    outsider = django_user_model.objects.create_user(
        "outsider", password="pw-Dossier-1"
    )
    with pytest.raises(CareError) as refused:
        rule_save(
            actor=None,
            prop=prop,
            data=RuleInput(**{**GOOD.__dict__, "owner": outsider}),
        )
    assert (refused.value.field, refused.value.message) == (
        "owner",
        "不属于本门店",
    )
