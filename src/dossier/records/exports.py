"""The archive's lists as xlsx and csv tables, row for row as their pages show them.

Each builder takes the rows the page's selector gave the viewer (so a case of a class
hidden from them is never here) and writes what the page writes; the view hands the
table to :func:`dossier.core.exports.export_response`, which audits the export.
"""

from collections.abc import Iterable
from datetime import date

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from dossier.core.exports import Column, Kind, Table
from dossier.core.people import staff_name
from dossier.core.punctuation import punctuation
from dossier.records.disposal import exclusion_text
from dossier.records.loans import borrower_label
from dossier.records.models import (
    Case,
    CaseStatus,
    ClassMapping,
    DestructionEntry,
    DestructionRegister,
    Folder,
    Hold,
    Loan,
    LoanState,
    RetentionItem,
    RetentionSchedule,
    SchemeVersion,
)
from dossier.records.selectors import CodeRow


def _person(user: User | None) -> str:
    return "" if user is None else staff_name(user)


def loans_table(loans: Iterable[Loan], today: date) -> Table:
    """Loans waiting to go out and loans out, as the 借出 page lists them."""
    columns = [
        Column(_("档号")),
        Column(_("题名")),
        Column(_("借阅人")),
        Column(pgettext("column", "应还"), Kind.DATE),
        Column(_("批准人")),
        Column(_("状态")),
        Column(_("逾期")),
    ]
    rows = (
        [
            loan.case.archive_number,
            loan.case.title,
            borrower_label(loan),
            loan.due_date,
            _person(loan.approved_by),
            loan.get_state_display(),
            _("逾期") if loan.state == LoanState.OUT and loan.due_date < today else "",
        ]
        for loan in loans
    )
    return Table(_("借出"), columns, rows)


def loan_approvals_table(loans: Iterable[Loan]) -> Table:
    """The loan requests waiting for the viewer's approval."""
    columns = [
        Column(_("档号")),
        Column(_("题名")),
        Column(_("借阅人")),
        Column(pgettext("column", "应还"), Kind.DATE),
        Column(_("申请人")),
        Column(_("申请时间"), Kind.DATETIME),
        Column(_("用途")),
    ]
    rows = (
        [
            loan.case.archive_number,
            loan.case.title,
            borrower_label(loan),
            loan.due_date,
            _person(loan.requested_by),
            timezone.localtime(loan.requested_at),
            loan.purpose,
        ]
        for loan in loans
    )
    return Table(_("待我批准的借出"), columns, rows)


def holds_table(holds: Iterable[Hold]) -> Table:
    """Holds in force, then those released, as the 保全 page lists them."""
    columns = [
        Column(_("档号")),
        Column(_("题名")),
        Column(_("依据/机关")),
        Column(_("原因")),
        Column(_("设置人")),
        Column(_("设置日期"), Kind.DATE),
        Column(_("解除人")),
        Column(_("解除日期"), Kind.DATE),
        Column(_("解除原因")),
    ]
    rows = (
        [
            hold.case.archive_number,
            hold.case.title,
            hold.authority,
            hold.reason,
            _person(hold.placed_by),
            timezone.localdate(hold.placed_at),
            _person(hold.released_by),
            timezone.localdate(hold.released_at) if hold.released_at else None,
            hold.release_reason,
        ]
        for hold in holds
    )
    return Table(_("保全"), columns, rows)


def registers_table(registers: Iterable[DestructionRegister]) -> Table:
    """The destruction registers (销毁清册), newest first."""
    columns = [
        Column(_("清册号"), Kind.INTEGER),
        Column(_("截止日期"), Kind.DATE),
        Column(_("状态")),
        Column(_("编制人")),
        Column(_("编制日期"), Kind.DATE),
        Column(_("批准人")),
        Column(_("批准日期"), Kind.DATE),
    ]
    rows = (
        [
            register.pk,
            register.as_of,
            register.get_status_display(),
            _person(register.proposed_by)
            if register.proposed_by_id
            else _("年度自动编制"),
            timezone.localdate(register.proposed_at),
            _person(register.approved_by),
            timezone.localdate(register.approved_at) if register.approved_at else None,
        ]
        for register in registers
    )
    return Table(_("销毁清册"), columns, rows)


def entry_handling(entry: DestructionEntry) -> str:
    """What happens to one case of a register, in the register page's words."""
    if entry.excluded_reason:
        return _("排除") + punctuation("：") + exclusion_text(entry.excluded_reason)
    parts = []
    if entry.destroyed_at:
        parts.append(_("部分销毁") if entry.kept_note else _("已销毁"))
    elif entry.kept_note:
        parts.append(_("拟部分销毁"))
    else:
        parts.append(_("拟全部销毁"))
    if entry.destroyed_part:
        parts.append(_("销毁") + punctuation("：") + entry.destroyed_part)
    if entry.kept_note:
        parts.append(_("保留") + punctuation("：") + entry.kept_note)
    return punctuation("；").join(parts)


def register_entries_table(
    register: DestructionRegister, entries: Iterable[DestructionEntry]
) -> Table:
    """The lines of one register that the viewer may see."""
    columns = [
        Column(_("档号")),
        Column(_("题名")),
        Column(_("期满"), Kind.DATE),
        Column(_("处理")),
        Column(_("销毁日期"), Kind.DATE),
    ]
    rows = (
        [
            entry.case.archive_number,
            entry.case.title,
            entry.case.due_date,
            entry_handling(entry),
            entry.destroyed_at,
        ]
        for entry in entries
    )
    title = _("销毁清册 %(number)s") % {"number": register.pk}
    return Table(title, columns, rows)


def trash_table(cases: Iterable[Case]) -> Table:
    """The cases in the trash, with the numbers they keep."""
    columns = [
        Column(_("档号")),
        Column(_("题名")),
        Column(_("类别")),
        Column(_("移入时间"), Kind.DATETIME),
    ]
    rows = (
        [
            case.archive_number,
            case.title,
            case.archive_class.name,
            timezone.localtime(case.trashed_at) if case.trashed_at else None,
        ]
        for case in cases
    )
    return Table(_("回收站"), columns, rows)


def folders_table(folders: Iterable[Folder]) -> Table:
    """The folders of the classes the viewer may see, with their counts."""
    columns = [
        Column(_("类别")),
        Column(_("卷次"), Kind.INTEGER),
        Column(_("件数"), Kind.INTEGER),
        Column(_("容量"), Kind.INTEGER),
    ]
    rows = (
        [
            str(folder.archive_class),
            folder.volume,
            getattr(folder, "case_count", 0),
            folder.capacity,
        ]
        for folder in folders
    )
    return Table(_("档夹"), columns, rows)


def folder_contents_table(folder: Folder, cases: Iterable[Case]) -> Table:
    """A folder's table of contents (目次表)."""
    columns = [
        Column(_("目次"), Kind.INTEGER),
        Column(_("档号")),
        Column(_("题名")),
        Column(_("经办部门")),
        Column(_("文件日期"), Kind.DATE),
        Column(_("附注")),
    ]
    rows = (
        [
            case.item,
            case.archive_number,
            case.title,
            case.department,
            case.doc_date,
            case.destruction_note
            + (case.get_status_display() if case.status == CaseStatus.TRASHED else ""),
        ]
        for case in cases
    )
    title = _("目次表 %(code)s 第 %(volume)s 卷") % {
        "code": folder.archive_class.full_code,
        "volume": folder.volume,
    }
    return Table(title, columns, rows)


def codes_table(rows: Iterable[CodeRow]) -> Table:
    """The code table (分类编号表), with the gaps kept for growth."""
    columns = [
        Column(_("层级"), Kind.INTEGER),
        Column(_("代码")),
        Column(_("完整代码")),
        Column(_("名称")),
    ]
    values = (
        [
            row.level,
            row.code,
            "" if row.reserved else row.full_code,
            _("预留")
            if row.reserved
            else row.name + ("（" + _("已停用") + "）" if row.retired else ""),
        ]
        for row in rows
    )
    return Table(_("档案分类编号表"), columns, values)


def _years(years: int | None, permanent: bool = False) -> str:
    if permanent:
        return _("永久")
    if years:
        return _("%(n)s年") % {"n": years}
    return ""


def schedules_table(
    rows: Iterable[tuple[RetentionSchedule, list[str]]],
) -> Table:
    """The retention schedules (保管期限表) as their index lists them: the default
    first, each with its lines and those below their legal minimum."""
    columns = [
        Column(_("名称")),
        Column(_("默认")),
        Column(_("条数"), Kind.INTEGER),
        Column(_("低于法定最低年限"), Kind.INTEGER),
    ]
    values = (
        [
            schedule.name,
            _("是") if schedule.is_default else _("否"),
            len(schedule.items.all()),
            len(warnings),
        ]
        for schedule, warnings in rows
    )
    return Table(_("保管期限表"), columns, values)


def schedule_table(
    schedule: RetentionSchedule, items: Iterable[RetentionItem]
) -> Table:
    """The items of one retention schedule (保管期限表)."""
    columns = [
        Column(_("类目")),
        Column(_("文件")),
        Column(_("保管期限")),
        Column(_("法定最低")),
        Column(_("附注")),
    ]
    rows = (
        [
            item.group,
            item.record_type,
            _years(item.years) or _("永久"),
            _years(item.minimum_years, item.minimum_permanent),
            item.note,
        ]
        for item in items
    )
    return Table(schedule.name, columns, rows)


def mapping_export(version: SchemeVersion, rows: Iterable[ClassMapping]) -> Table:
    """The old→new class table of a scheme version (新旧分类对照表)."""
    columns = [
        Column(_("旧代码")),
        Column(_("旧名称")),
        Column(_("新代码")),
        Column(_("新名称")),
        Column(_("变化")),
        Column(_("说明")),
    ]
    values = (
        [
            row.old_class.full_code if row.old_class else "",
            row.old_class.name if row.old_class else "",
            row.new_class.full_code if row.new_class else "",
            row.new_class.name if row.new_class else "",
            row.get_kind_display(),
            row.note,
        ]
        for row in rows
    )
    title = _("新旧分类对照表 第 %(n)s 版") % {"n": version.number}
    return Table(title, columns, values)


def versions_table(versions: Iterable[SchemeVersion]) -> Table:
    """The versions of the classification scheme, newest first."""
    columns = [
        Column(_("版本"), Kind.INTEGER),
        Column(_("名称")),
        Column(_("建立"), Kind.DATE),
        Column(_("状态")),
    ]
    rows = (
        [
            version.number,
            version.name,
            timezone.localdate(version.created_at),
            _("现行") if version.is_current else _("已被取代"),
        ]
        for version in versions
    )
    return Table(_("分类方案版本"), columns, rows)
