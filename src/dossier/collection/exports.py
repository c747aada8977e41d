"""Export tables of collection's lists: the quota dashboard (each person's figures as
the page shows them), registrations, observation prompts and registration links."""

from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dossier.collection.models import ChecklistItem, Registration, RegistrationLink
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


def checklist_table(rows: Iterable[ChecklistItem]) -> Table:
    """The departments' observation prompts as the checklist page lists them."""
    columns = [
        Column(_("部门")),
        Column(_("观察要点")),
        Column(_("提示")),
        Column(_("记录方式")),
        Column(_("选项")),
        Column(_("单位")),
        Column(_("对应偏好")),
        Column(_("状态")),
    ]
    values = (
        [
            row.get_department_display(),
            row.label,
            row.hint,
            row.get_kind_display(),
            "、".join(str(choice) for choice in row.choices),
            row.unit,
            str(row.item) if row.item else "",
            _("启用") if row.active else _("停用"),
        ]
        for row in rows
    )
    return Table(_("观察要点"), columns, values)


def links_table(links: Iterable[RegistrationLink]) -> Table:
    """The open self-registration links, each with the address guests are given."""
    columns = [
        Column(_("表格")),
        Column(_("用途")),
        Column(_("链接")),
        Column(_("建立时间"), Kind.DATETIME),
        Column(_("有效至"), Kind.DATE),
    ]
    values = (
        [
            link.get_kind_display(),
            link.label,
            reverse("collection:public", args=[link.token]),
            timezone.localtime(link.created_at),
            timezone.localdate(link.expires_at),
        ]
        for link in links
    )
    return Table(_("客人自助登记链接"), columns, values)
