"""Export table of the quota dashboard: each person's figures as the page shows them."""

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from dossier.collection.models import Registration
from dossier.collection.quotas import QuotaReport
from dossier.core.exports import Column, Kind, Table


def quota_table(report: QuotaReport) -> Table:
    """One row per person of the departments shown, in the page's order."""
    columns = [
        Column(_("部门")),
        Column(_("员工")),
        Column(_("层级")),
        Column(_("考核内容")),
        Column(_("周期")),
        Column(_("最低数量"), Kind.INTEGER),
        Column(_("完成"), Kind.INTEGER),
        Column(_("要求"), Kind.INTEGER),
        Column(_("达标天数"), Kind.INTEGER),
        Column(_("已过天数"), Kind.INTEGER),
        Column(_("今天"), Kind.INTEGER),
        Column(_("结果")),
    ]
    rows = []
    for group in report.departments:
        for person in group.people:
            daily = person.quota.period == "day"
            rows.append(
                [
                    group.label,
                    person.name,
                    person.rank_label,
                    person.quota.get_measure_display(),
                    person.quota.get_period_display(),
                    person.quota.target,
                    person.actual,
                    person.required,
                    person.days_met if daily else None,
                    person.days if daily else None,
                    person.today,
                    _("达标") if person.met else _("差 %(n)s") % {"n": person.short},
                ]
            )
    title = _("客户信息定额 %(month)s") % {"month": f"{report.month:%Y-%m}"}
    return Table(title, columns, rows)


def registration_table(rows: Iterable[Registration], status_label: str) -> Table:
    """The registrations of one status as the list shows them."""
    columns = [
        Column(_("表格")),
        Column(_("姓名")),
        Column(_("手机")),
        Column(_("提交时间"), Kind.DATETIME),
        Column(_("来源")),
    ]
    values = (
        [
            r.get_kind_display(),
            r.full_name,
            r.mobile,
            timezone.localtime(r.submitted_at),
            _("客人自助") if r.link_id else _("前台代填"),
        ]
        for r in rows
    )
    return Table(_("客人登记 %(status)s") % {"status": status_label}, columns, values)
