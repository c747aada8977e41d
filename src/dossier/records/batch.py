"""Reading a list of cases (csv or xlsx) into drafts for :func:`cases_file_batch`.

One row is one case that has passed the intake check. The columns are named in
Chinese or English: 类别代码, 题名, 经办部门, 文件日期, 保管期限, 目次, 内容摘要. A row
that cannot become a draft is reported with its row number; the others are filed.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from dossier.imports.cells import CellError, cell_date, is_blank
from dossier.imports.readers import Cell, read_table
from dossier.records.models import ArchiveClass, SchemeVersion
from dossier.records.retention import parse_period
from dossier.records.services import CaseDraft

COLUMNS = {
    "class_code": ("类别代码", "类别", "class_code", "class"),
    "title": ("题名", "title"),
    "department": ("经办部门", "department"),
    "doc_date": ("文件日期", "doc_date", "date"),
    "retention": ("保管期限", "retention"),
    "item": ("目次", "件号", "item"),
    "summary": ("内容摘要", "summary"),
}
REQUIRED = ("class_code", "title", "department")
# One delivery of papers from a department, not a migration of the whole archive.
BATCH_ROWS_MAX = 200


@dataclass
class BatchRows:
    drafts: list[tuple[int, CaseDraft]] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)


def _columns(header: list[str]) -> dict[str, int]:
    names = [h.strip().lower() for h in header]
    found = {}
    for key, spellings in COLUMNS.items():
        for spelling in spellings:
            if spelling.lower() in names:
                found[key] = names.index(spelling.lower())
                break
    missing = [COLUMNS[key][0] for key in REQUIRED if key not in found]
    if missing:
        raise ValueError(_("表格缺少这些列：%(names)s") % {"names": "、".join(missing)})
    return found


def _text(cells: list[Cell], index: int | None) -> str:
    if index is None or index >= len(cells) or is_blank(cells[index]):
        return ""
    cell = cells[index]
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _draft(
    cells: list[Cell], columns: dict[str, int], classes: dict[str, ArchiveClass]
) -> CaseDraft:
    code = _text(cells, columns["class_code"])
    klass = classes.get(code)
    if klass is None:
        raise ValueError(_("没有类别 %(code)s") % {"code": code})
    date_index = columns.get("doc_date")
    doc_date = None
    if date_index is not None and date_index < len(cells):
        try:
            doc_date = cell_date(cells[date_index])
        except CellError as error:
            raise ValueError(error.message) from None
    period = _text(cells, columns.get("retention"))
    item = _text(cells, columns.get("item"))
    if item and not item.isdigit():
        raise ValueError(_("目次应为数字：%(item)s") % {"item": item})
    return CaseDraft(
        archive_class=klass,
        title=_text(cells, columns["title"]),
        department=_text(cells, columns["department"]),
        doc_date=doc_date,
        retention_years=parse_period(period) if period else None,
        summary=_text(cells, columns.get("summary")),
        item=int(item) if item else None,
    )


def batch_read(data: bytes, *, name: str, version: SchemeVersion) -> BatchRows:
    """The drafts of the file's rows and the rows refused, each with its row number.

    Raises ``ValueError`` (or the reader's ``UnreadableFile``) when the file as a
    whole cannot be used.
    """
    table = read_table(data, name=name)
    columns = _columns(table.header)
    if len(table.rows) > BATCH_ROWS_MAX:
        raise ValueError(
            _("一批最多 %(max)s 件，表格有 %(n)s 行")
            % {"max": BATCH_ROWS_MAX, "n": len(table.rows)}
        )
    classes = {
        klass.full_code: klass
        for klass in version.classes.filter(children__isnull=True, retired=False)
    }
    rows = BatchRows()
    for row in table.rows:
        try:
            rows.drafts.append((row.number, _draft(list(row.cells), columns, classes)))
        except ValueError as error:
            rows.refused.append((row.number, str(error)))
    return rows
