"""Export tables of care's lists: campaigns, a campaign's delivery log, run reports,
reminder rules.

Each table holds what its page shows to the same user, in the property's time.
"""

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from dossier.care import campaigns as campaign_services
from dossier.care.models import Campaign, DailyRun, Recipient, ReminderRule
from dossier.care.selectors import report_lines
from dossier.core.exports import Column, Kind, Table
from dossier.core.models import Property
from dossier.core.people import staff_name

CHUNK = 2000


def _local(value: datetime | None, prop: Property) -> datetime | None:
    return value.astimezone(prop.zone) if value else None


def campaign_list_table(campaigns: Iterable[Campaign], prop: Property) -> Table:
    """The campaigns as listed, with the responses of those already sent."""
    columns = [
        Column(_("名称")),
        Column(_("状态")),
        Column(_("渠道")),
        Column(_("分级")),
        Column(_("发送日期"), Kind.DATE),
        Column(_("发送时间"), Kind.DATETIME),
        Column(_("已发送"), Kind.INTEGER),
        Column(_("已送达"), Kind.INTEGER),
        Column(_("失败"), Kind.INTEGER),
        Column(_("未发送"), Kind.INTEGER),
        Column(_("回复"), Kind.INTEGER),
        Column(_("退订"), Kind.INTEGER),
        Column(_("发送后到访"), Kind.INTEGER),
        Column(_("费用"), Kind.MONEY),
    ]
    rows = []
    for campaign in campaigns:
        sent = campaign.status not in ("draft", "scheduled", "cancelled")
        answers = campaign_services.campaign_responses(campaign) if sent else None
        figures: list[Any] = (
            [
                answers.sent,
                answers.delivered,
                answers.failed,
                answers.skipped,
                answers.replies,
                answers.opt_outs,
                answers.visits,
                answers.cost,
            ]
            if answers
            else [None] * 8
        )
        rows.append(
            [
                campaign.name,
                campaign.get_status_display(),
                campaign.get_channel_display(),
                campaign.classes or _("全部"),
                campaign.send_on,
                _local(campaign.sent_at, prop),
                *figures,
            ]
        )
    return Table(_("营销活动"), columns, rows)


def campaign_log_table(campaign: Campaign) -> Table:
    """Every recipient of ``campaign``: the message sent and its fate, or why none."""
    prop = campaign.property
    columns = [
        Column(_("档案号"), Kind.INTEGER),
        Column(_("客人")),
        Column(_("收件人")),
        Column(_("状态")),
        Column(_("条数"), Kind.INTEGER),
        Column(_("费用"), Kind.MONEY),
        Column(_("发送时间"), Kind.DATETIME),
        Column(_("送达时间"), Kind.DATETIME),
        Column(_("错误")),
        Column(_("未发送原因")),
    ]
    recipients = (
        Recipient.objects.filter(campaign=campaign)
        .select_related("guest", "message")
        .order_by("pk")
    )

    def rows() -> Iterator[Sequence[Any]]:
        for recipient in recipients.iterator(chunk_size=CHUNK):
            message = recipient.message
            yield [
                recipient.guest_id,
                recipient.guest.full_name,
                message.to_masked if message else "",
                message.get_status_display() if message else "",
                message.parts if message else None,
                message.cost if message else None,
                _local(message.sent_at, prop) if message else None,
                _local(message.delivered_at, prop) if message else None,
                message.error if message else "",
                _(recipient.skipped) if recipient.skipped else "",
            ]

    title = _("发送记录 %(name)s") % {"name": campaign.name}
    return Table(title, columns, rows())


def run_table(runs: Iterable[DailyRun], prop: Property) -> Table:
    """The run reports as the page shows them: one row per job and stretch of days."""
    columns = [
        Column(_("当日"), Kind.DATE),
        Column(_("开始时间"), Kind.DATETIME),
        Column(_("触发方式")),
        Column(_("作业")),
        Column(_("业务日期自"), Kind.DATE),
        Column(_("业务日期至"), Kind.DATE),
        Column(_("状态")),
        Column(_("新建任务"), Kind.INTEGER),
        Column(_("发送消息"), Kind.INTEGER),
        Column(_("跳过"), Kind.INTEGER),
        Column(_("错误")),
    ]
    rows = [
        [
            run.today,
            _local(run.started_at, prop),
            run.trigger,
            line.job,
            line.first,
            line.last,
            line.status_label,
            line.created,
            line.sent,
            len(line.skipped or []),
            _(line.error) if line.error else "",
        ]
        for run in runs
        for line in report_lines(run)
    ]
    return Table(_("每日运行报告"), columns, rows)


def rules_table(rules: Iterable[ReminderRule]) -> Table:
    """The reminder rules as the rules page lists them."""
    columns = [
        Column(_("名称")),
        Column(_("类型")),
        Column(_("天数"), Kind.INTEGER),
        Column(_("适用分级")),
        Column(_("渠道")),
        Column(_("负责")),
        Column(_("消息模板")),
        Column(_("礼品")),
        Column(_("状态")),
    ]
    rows = (
        [
            rule.name,
            rule.get_kind_display(),
            rule.days,
            rule.classes,
            rule.get_channel_display(),
            staff_name(rule.owner)
            if rule.owner
            else rule.get_owner_department_display(),
            rule.template,
            rule.gift_text,
            _("启用") if rule.active else _("已停用"),
        ]
        for rule in rules
    )
    return Table(_("提醒规则"), columns, rows)
