"""The personnel lists as xlsx and csv tables, as their pages show them.

ID numbers are written masked, as on screen: a whole number is read only through the
audited reveal on a file's page, never through an export.
"""

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from dossier.core.exports import Column, Kind, Table
from dossier.core.punctuation import punctuation
from dossier.personnel.models import PersonnelFile, RequesterKind, SignOutState
from dossier.personnel.selectors import OutstandingReceipt, SignOutView


def files_table(files: Iterable[PersonnelFile]) -> Table:
    """The personnel files the list found, with masked ID numbers."""
    columns = [
        Column(_("档案编号")),
        Column(_("姓名")),
        Column(_("身份证号")),
        Column(_("部门")),
        Column(_("岗位")),
        Column(_("存放位置")),
        Column(_("盒")),
        Column(_("状态")),
    ]
    rows = (
        [
            file.file_number,
            file.employee_name,
            file.id_number_masked,
            file.department,
            file.position,
            file.location,
            file.box,
            file.get_status_display(),
        ]
        for file in files
    )
    return Table(_("人事档案"), columns, rows)


def _handling(entry: SignOutView) -> str:
    """The last column of the register: hand-over, acknowledgement and receipt."""
    so = entry.sign_out
    if so.state == SignOutState.CANCELLED:
        return _("已撤销") + "：" + so.cancel_reason
    if not so.handed_over_on:
        return _("待交接")
    text = _("交接 %(on)s，签收 %(name)s") % {
        "on": so.handed_over_on.isoformat(),
        "name": so.acknowledged_name,
    }
    if so.receipt_received_on:
        return text + "；" + _("回执") + " " + so.receipt_received_on.isoformat()
    due = so.receipt_due.isoformat() if so.receipt_due else ""
    text += "；" + _("回执应到") + " " + due
    if entry.days_overdue:
        text += " " + _("逾期 %(days)s 天") % {"days": entry.days_overdue}
    return text


def register_table(entries: Iterable[SignOutView], year: int) -> Table:
    """One year of the sign-out register (提档簿), requesters' ID numbers masked."""
    columns = [
        Column(_("登记号")),
        Column(_("日期"), Kind.DATE),
        Column(_("档案编号")),
        Column(_("姓名")),
        Column(_("提档人")),
        Column(_("受托人")),
        Column(_("证件号码")),
        Column(_("去向单位")),
        Column(_("去向地址")),
        Column(_("函件编号")),
        Column(_("党组织关系函件编号")),
        Column(_("已核验材料")),
        Column(_("交接与回执")),
    ]
    rows = []
    for entry in entries:
        so = entry.sign_out
        delegate = so.requester_kind == RequesterKind.DELEGATE
        rows.append(
            [
                so.register_number,
                timezone.localdate(so.checked_at) if so.checked_at else None,
                so.file.file_number,
                so.file.employee_name,
                so.file.employee_name if delegate else so.requester_name,
                so.requester_name if delegate else "",
                so.requester_id_masked,
                so.destination_unit,
                so.destination_address,
                so.letter_number,
                so.party_letter_number,
                punctuation("；").join(
                    item.label for item in entry.checklist if item.ticked
                ),
                _handling(entry),
            ]
        )
    return Table(_("提档簿 %(year)s") % {"year": year}, columns, rows)


def receipts_table(receipts: Iterable[OutstandingReceipt]) -> Table:
    """Receipts still to come back from the receiving units."""
    columns = [
        Column(_("登记号")),
        Column(_("档案编号")),
        Column(_("姓名")),
        Column(_("去向单位")),
        Column(_("交接日期"), Kind.DATE),
        Column(_("回执应到"), Kind.DATE),
        Column(_("逾期天数"), Kind.INTEGER),
        Column(_("催办日期"), Kind.DATE),
    ]
    rows = (
        [
            row.sign_out.register_number,
            row.sign_out.file.file_number,
            row.sign_out.file.employee_name,
            row.sign_out.destination_unit,
            row.sign_out.handed_over_on,
            row.sign_out.receipt_due,
            row.days_overdue or None,
            row.reminded_on,
        ]
        for row in receipts
    )
    return Table(_("待收回执"), columns, rows)
