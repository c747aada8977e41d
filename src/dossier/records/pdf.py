"""Printable PDFs of the archive: catalogue, table of contents, spines, codes, register.

Chinese text is set in an embedded TrueType font (a document kept for decades must not
depend on the reader's fonts); when the font file is missing the PDF falls back to the
CID font STSong-Light, which every PDF reader supplies. Each function returns the bytes
of a finished PDF, built from rows the selectors already scoped to the viewer.
"""

import io
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial, wraps
from pathlib import Path
from typing import Any, ParamSpec

from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone, translation
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from dossier.core.models import Property
from dossier.core.people import staff_name
from dossier.records.models import (
    Case,
    CaseStatus,
    DestructionEntry,
    DestructionRegister,
    Folder,
    RegisterStatus,
    ReturnSlip,
    SchemeVersion,
)
from dossier.records.pdftext import fit_widths, wrap
from dossier.records.retention import retention_label
from dossier.records.selectors import CodeRow

logger = logging.getLogger(__name__)
P = ParamSpec("P")

DEFAULT_FONT_PATH = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
EMBEDDED_FONT = "DossierCJK"
CID_FONT = "STSong-Light"
_registered: str | None = None


def font_name(path: Path | None = None) -> str:
    """The registered font to set Chinese in: the embedded TTF, else the CID font."""
    global _registered
    if path is None and _registered is not None:
        return _registered
    candidate = path or Path(
        getattr(settings, "DOSSIER_PDF_FONT", "") or DEFAULT_FONT_PATH
    )
    chosen = CID_FONT
    if candidate.is_file():
        try:
            pdfmetrics.registerFont(
                TTFont(EMBEDDED_FONT, str(candidate), subfontIndex=0)
            )
            chosen = EMBEDDED_FONT
        except TTFError:
            logger.warning(
                "PDF font %s cannot be embedded; using %s", candidate, CID_FONT
            )
    else:
        logger.warning("PDF font %s not found; using %s", candidate, CID_FONT)
    if chosen == CID_FONT:
        pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    if path is None:
        _registered = chosen
    return chosen


@dataclass(frozen=True)
class Styles:
    font: str
    title: ParagraphStyle
    subtitle: ParagraphStyle
    cell: ParagraphStyle
    head: ParagraphStyle


def _styles() -> Styles:
    font = font_name()
    return Styles(
        font=font,
        title=ParagraphStyle(
            "title", fontName=font, fontSize=16, leading=22, alignment=1
        ),
        subtitle=ParagraphStyle(
            "subtitle", fontName=font, fontSize=9.5, leading=13, alignment=1
        ),
        cell=ParagraphStyle(
            "cell", fontName=font, fontSize=9, leading=12, wordWrap="CJK"
        ),
        head=ParagraphStyle("head", fontName=font, fontSize=9, leading=12, alignment=1),
    )


def _escape(text: object) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _day(value: date | None) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


def _printed_at(prop: Property) -> str:
    return f"{timezone.now().astimezone(prop.zone):%Y-%m-%d %H:%M}"


# Rows per table: reportlab splits one long table across pages in quadratic time, so a
# catalogue of thousands of cases is laid out as a run of short tables instead.
CHUNK_ROWS = 40
# A table cell's left and right padding together (reportlab's default, 6 pt each).
_PADDING = 12


def _measure(style: ParagraphStyle) -> Callable[[str], float]:
    return partial(
        pdfmetrics.stringWidth, fontName=style.fontName, fontSize=style.fontSize
    )


def _cell(text: object, width: float, style: ParagraphStyle) -> str:
    """The text as it fits the column: one line, or lines broken by :func:`wrap`."""
    value = str(text)
    measure = _measure(style)
    if "\n" not in value and measure(value) <= width - _PADDING:
        return value
    return "\n".join(wrap(value, width - _PADDING, measure))


def _fitted(
    styles: Styles,
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    total: float,
    flexible: dict[int, float],
) -> list[float]:
    """Column widths: dates, numbers and short headings on one line, the rest wraps."""
    columns = [
        [str(heading), *(str(row[index]) for row in rows)]
        for index, heading in enumerate(header)
    ]
    return fit_widths(
        columns,
        total,
        _measure(styles.cell),
        flexible=flexible,
        padding=_PADDING,
        cap=42 * mm,
    )


def _in_document_language(build: Callable[P, bytes]) -> Callable[P, bytes]:
    """Lay out a PDF of record in its own language (Chinese), whatever the session's.

    A register or catalogue is one document kept for decades: every label drawn on
    it, such as a status, is taken in the language of its headings.
    """

    @wraps(build)
    def in_chinese(*args: P.args, **kwargs: P.kwargs) -> bytes:
        with translation.override(settings.LANGUAGE_CODE):
            return build(*args, **kwargs)

    return in_chinese


def _table(
    styles: Styles,
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths: Sequence[float],
    *,
    muted_rows: Sequence[int] = (),
) -> list[Flowable]:
    """The rows as tables of :data:`CHUNK_ROWS`, each under the column headings."""
    muted = set(muted_rows)
    grey = colors.HexColor("#555555")
    muted_style = ParagraphStyle("muted", parent=styles.cell, textColor=grey)
    heading = [
        _cell(text, width, styles.head)
        for text, width in zip(header, widths, strict=True)
    ]
    tables: list[Flowable] = []
    for first in range(0, max(len(rows), 1), CHUNK_ROWS):
        chunk = rows[first : first + CHUNK_ROWS]
        data: list[list[object]] = [list(heading)]
        for index, row in enumerate(chunk, start=first):
            style = muted_style if index in muted else styles.cell
            data.append(
                [
                    _cell(text, width, style)
                    for text, width in zip(row, widths, strict=True)
                ]
            )
        commands: list[tuple[Any, ...]] = [
            ("FONTNAME", (0, 0), (-1, -1), styles.font),
            ("FONTSIZE", (0, 0), (-1, -1), styles.cell.fontSize),
            ("LEADING", (0, 0), (-1, -1), styles.cell.leading),
            ("ALIGN", (0, 0), (-1, 0), "CENTER"),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8ebe8")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
        for index in range(len(chunk)):
            if first + index in muted:
                commands.append(("TEXTCOLOR", (0, index + 1), (-1, index + 1), grey))
        table = Table(data, colWidths=list(widths), repeatRows=1)
        table.setStyle(TableStyle(commands))
        tables.append(table)
    return tables


def _build(
    story: list[Flowable],
    *,
    prop: Property,
    document: str,
    pagesize: tuple[float, float] = A4,
) -> bytes:
    """Lay out ``story`` with a footer naming the property, document, page and date."""
    buffer = io.BytesIO()
    font = font_name()
    printed = _printed_at(prop)

    def footer(canvas: Canvas, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.drawString(15 * mm, 8 * mm, f"{prop.name} · {document}")
        canvas.drawRightString(
            pagesize[0] - 15 * mm, 8 * mm, f"第 {doc.page} 页 · 打印于 {printed}"
        )
        canvas.restoreState()

    doc = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=16 * mm,
        title=document,
        author=prop.name,
        creator="Dossier",
    )
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _case_note(case: Case) -> str:
    if case.status in (CaseStatus.DESTROYED, CaseStatus.PARTLY_DESTROYED):
        return case.destruction_note
    if case.status != CaseStatus.FILED:
        return str(case.get_status_display())
    return "仅存影本" if case.copy_only else ""


@_in_document_language
def catalogue_pdf(prop: Property, cases: Sequence[Case]) -> bytes:
    """案卷目录: every case with its number, period, due date and destruction date."""
    styles = _styles()
    rows = [
        [
            case.archive_number or "—",
            case.title,
            case.department,
            _day(case.doc_date),
            retention_label(case.retention_years),
            _day(case.due_date),
            _day(case.destroyed_at),
            _case_note(case),
        ]
        for case in cases
    ]
    header = [
        "档号",
        "题名",
        "经办部门",
        "文件日期",
        "保管期限",
        "期满日期",
        "销毁日期",
        "附注",
    ]
    widths = _fitted(styles, header, rows, 267 * mm, flexible={1: 1, 7: 1})
    story: list[Flowable] = [
        Paragraph("案卷目录", styles.title),
        Paragraph(
            _escape(f"{prop.name} · 共 {len(rows)} 件 · 打印于 {_printed_at(prop)}"),
            styles.subtitle,
        ),
        Spacer(1, 4 * mm),
        *_table(
            styles, header, rows or [["", "没有案件", "", "", "", "", "", ""]], widths
        ),
    ]
    return _build(story, prop=prop, document="案卷目录", pagesize=landscape(A4))


@_in_document_language
def folder_contents_pdf(folder: Folder, cases: Sequence[Case]) -> bytes:
    """目次表 of one folder, in item order, with followers and destroyed cases noted."""
    styles = _styles()
    klass = folder.archive_class
    prop = klass.version.property
    rows = [
        [
            case.item or "",
            case.archive_number,
            case.title + ("（归属前案）" if case.belongs_to_id else ""),
            case.department,
            _day(case.doc_date),
            retention_label(case.retention_years),
            _case_note(case),
        ]
        for case in cases
    ]
    header = ["目次", "档号", "题名", "经办部门", "文件日期", "保管期限", "附注"]
    widths = _fitted(styles, header, rows, 180 * mm, flexible={2: 1, 6: 1})
    story: list[Flowable] = [
        Paragraph("目次表", styles.title),
        Paragraph(
            _escape(
                f"{klass.full_code} {klass.name} · 第 {folder.volume} 卷 · "
                f"{len(rows)}/{folder.capacity} 件"
            ),
            styles.subtitle,
        ),
        Spacer(1, 4 * mm),
        *_table(styles, header, rows or [["", "", "空档夹", "", "", "", ""]], widths),
    ]
    return _build(
        story, prop=prop, document=f"目次表 {klass.full_code} 第{folder.volume}卷"
    )


@dataclass(frozen=True)
class SpineLabel:
    """What one folder's spine shows."""

    property_name: str
    class_code: str
    class_name: str
    volume: int
    first_number: str
    last_number: str
    years: str
    retention: str


def spine_label(folder: Folder, cases: Sequence[Case]) -> SpineLabel:
    numbered = [case for case in cases if case.archive_number]
    years = sorted({case.doc_date.year for case in cases})
    periods = {case.retention_years for case in cases}
    if not periods:
        retention = ""
    elif None in periods:
        retention = "永久"
    else:
        retention = retention_label(max(p for p in periods if p is not None))
    klass = folder.archive_class
    return SpineLabel(
        property_name=klass.version.property.name,
        class_code=klass.full_code,
        class_name=klass.name,
        volume=folder.volume,
        first_number=numbered[0].archive_number if numbered else "",
        last_number=numbered[-1].archive_number if numbered else "",
        years=""
        if not years
        else (str(years[0]) if years[0] == years[-1] else f"{years[0]}–{years[-1]}"),
        retention=retention,
    )


SPINE_WIDTH, SPINE_HEIGHT = 40 * mm, 128 * mm
SPINES_PER_ROW, SPINE_ROWS = 4, 2


def _vertical(canvas: Canvas, text: str, x: float, top: float, size: float) -> float:
    """Set ``text`` one character under the other, centred on ``x``; returns the bottom."""
    y = top
    for char in text:
        y -= size * 1.15
        canvas.drawCentredString(x, y, char)
    return y


def _draw_spine(
    canvas: Canvas, label: SpineLabel, x: float, y: float, font: str
) -> None:
    canvas.setLineWidth(0.6)
    canvas.rect(x, y, SPINE_WIDTH, SPINE_HEIGHT)
    middle = x + SPINE_WIDTH / 2
    top = y + SPINE_HEIGHT
    canvas.setFont(font, 7.5)
    canvas.drawCentredString(middle, top - 8 * mm, label.property_name[:12])
    canvas.line(x, top - 11 * mm, x + SPINE_WIDTH, top - 11 * mm)
    canvas.setFont(font, 11)
    canvas.drawCentredString(middle, top - 17 * mm, label.class_code)
    canvas.setFont(font, 13)
    bottom = _vertical(canvas, label.class_name[:12], middle, top - 19 * mm, 13)
    canvas.setFont(font, 11)
    canvas.drawCentredString(middle, bottom - 8 * mm, f"第 {label.volume} 卷")
    canvas.line(x, y + 30 * mm, x + SPINE_WIDTH, y + 30 * mm)
    canvas.setFont(font, 7.5)
    canvas.drawCentredString(middle, y + 24 * mm, label.first_number)
    canvas.drawCentredString(middle, y + 20 * mm, "至")
    canvas.drawCentredString(middle, y + 16 * mm, label.last_number)
    canvas.setFont(font, 8.5)
    canvas.drawCentredString(middle, y + 9 * mm, label.years)
    canvas.drawCentredString(middle, y + 4 * mm, label.retention)


@_in_document_language
def spine_labels_pdf(prop: Property, labels: Sequence[SpineLabel]) -> bytes:
    """背脊标签: eight labels of 40 × 128 mm per A4 sheet, cut along the frames."""
    font = font_name()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setTitle("背脊标签")
    canvas.setAuthor(prop.name)
    page_width, page_height = A4
    gap = 6 * mm
    left = (page_width - SPINES_PER_ROW * SPINE_WIDTH - (SPINES_PER_ROW - 1) * gap) / 2
    per_sheet = SPINES_PER_ROW * SPINE_ROWS
    sheets = [labels[i : i + per_sheet] for i in range(0, len(labels), per_sheet)]
    for sheet in sheets or [[]]:
        canvas.setFont(font, 8)
        canvas.drawString(
            15 * mm, 8 * mm, f"{prop.name} · 背脊标签 · 打印于 {_printed_at(prop)}"
        )
        for index, label in enumerate(sheet):
            row, column = divmod(index, SPINES_PER_ROW)
            x = left + column * (SPINE_WIDTH + gap)
            y = page_height - 15 * mm - (row + 1) * SPINE_HEIGHT - row * gap
            _draw_spine(canvas, label, x, y, font)
        if not sheet:
            canvas.setFont(font, 12)
            canvas.drawCentredString(page_width / 2, page_height / 2, "没有档夹")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


@_in_document_language
def code_table_pdf(version: SchemeVersion, rows: Sequence[CodeRow]) -> bytes:
    """档案分类编号表 of one version, with the reserved gaps (预留) for growth."""
    styles = _styles()
    prop = version.property
    levels = {1: "部门", 2: "大类", 3: "小类", 4: "细类"}
    body = []
    muted = []
    for index, row in enumerate(rows):
        if row.reserved:
            muted.append(index)
            body.append([levels.get(row.level, str(row.level)), row.code, "", "预留"])
            continue
        name = row.name + ("（已停用）" if row.retired else "")
        indent = "　" * (row.level - 1)
        body.append(
            [
                levels.get(row.level, str(row.level)),
                row.code,
                row.full_code,
                indent + name,
            ]
        )
    widths = [m * mm for m in (18, 26, 32, 104)]
    story: list[Flowable] = [
        Paragraph("档案分类编号表", styles.title),
        Paragraph(
            _escape(f"{prop.name} · {version.name} · 第 {version.number} 版"),
            styles.subtitle,
        ),
        Spacer(1, 4 * mm),
        *_table(
            styles,
            ["层级", "代码", "完整代码", "名称"],
            body or [["", "", "", "尚未建立分类方案"]],
            widths,
            muted_rows=muted,
        ),
    ]
    return _build(story, prop=prop, document=f"档案分类编号表 第{version.number}版")


def _entry_action(entry: DestructionEntry) -> str:
    if entry.excluded_reason:
        return f"排除：{entry.excluded_reason}"
    part = ""
    if entry.kept_note:
        gone = f"销毁：{entry.destroyed_part}；" if entry.destroyed_part else ""
        part = f"{gone}保留：{entry.kept_note}"
    if entry.destroyed_at:
        done = f"{'部分销毁' if part else '已销毁'} {entry.destroyed_at:%Y-%m-%d}"
        return f"{done}；{part}" if part else done
    return f"拟部分销毁，{part}" if part else "拟销毁"


def _who(user: User | None) -> str:
    return "" if user is None else staff_name(user)


def _when(prop: Property, moment: datetime | None) -> str:
    return f"{moment.astimezone(prop.zone):%Y-%m-%d}" if moment else ""


def _signatures(styles: Styles, register: DestructionRegister) -> Table:
    """The signature block: who drew up, checked, approved and witnessed, and when."""
    prop = register.property
    rows = [
        [
            "编制人（档案专管）",
            _who(register.proposed_by),
            "日期",
            _when(prop, register.proposed_at),
        ],
        ["部门主管审核", "", "日期", ""],
        [
            "总经理批准",
            _who(register.approved_by),
            "日期",
            _when(prop, register.approved_at),
        ],
        ["报备机关", register.reported_to, "", ""],
        ["监销人", register.witnesses, "销毁日期", _when(prop, register.executed_at)],
        ["销毁执行人", _who(register.executed_by), "签名", ""],
    ]
    data = [[Paragraph(_escape(cell), styles.cell) for cell in row] for row in rows]
    table = Table(
        data, colWidths=[38 * mm, 62 * mm, 22 * mm, 58 * mm], rowHeights=11 * mm
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#e8ebe8")),
                ("BACKGROUND", (2, 0), (2, -1), colors.HexColor("#e8ebe8")),
            ]
        )
    )
    return table


@_in_document_language
def register_pdf(
    register: DestructionRegister, entries: Sequence[DestructionEntry]
) -> bytes:
    """销毁清册: the cases with what is done to each, and the signature fields."""
    styles = _styles()
    prop = register.property
    rows = [
        [
            position,
            entry.case.archive_number,
            entry.case.title,
            _day(entry.case.doc_date),
            retention_label(entry.case.retention_years),
            _day(entry.case.due_date),
            _entry_action(entry),
        ]
        for position, entry in enumerate(entries, start=1)
    ]
    included = sum(1 for entry in entries if entry.included)
    status = str(RegisterStatus(register.status).label)
    header = ["序号", "档号", "题名", "文件日期", "保管期限", "期满日期", "处理"]
    widths = _fitted(styles, header, rows, 180 * mm, flexible={2: 1, 6: 1})
    story: list[Flowable] = [
        Paragraph("档案销毁清册", styles.title),
        Paragraph(
            _escape(
                f"{prop.name} · 清册第 {register.pk} 号 · 截止 {register.as_of:%Y-%m-%d}"
                f" · {status} · 列入销毁 {included} 件，排除 {len(rows) - included} 件"
            ),
            styles.subtitle,
        ),
        Spacer(1, 4 * mm),
        *_table(
            styles, header, rows or [["", "", "没有到期案件", "", "", "", ""]], widths
        ),
        Spacer(1, 8 * mm),
        KeepTogether(
            [
                Paragraph("签字栏（本清册永久保存）", styles.cell),
                Spacer(1, 2 * mm),
                _signatures(styles, register),
            ]
        ),
    ]
    return _build(story, prop=prop, document=f"销毁清册 第{register.pk}号")


@_in_document_language
def return_slip_pdf(slip: ReturnSlip) -> bytes:
    """退件单: the case sent back to its department, why, and the fields to sign."""
    styles = _styles()
    case = slip.case
    prop = case.property
    rows = [
        ["退回部门", slip.department],
        ["案件题名", case.title],
        ["文件日期", _day(case.doc_date)],
        ["退件日期", _when(prop, slip.issued_at)],
        ["退件原因", "\n".join(f"{n}. {r}" for n, r in enumerate(slip.reasons, 1))],
        ["点收人（档案专管）", _who(slip.intake_check.checked_by)],
        ["经办部门签收", ""],
        ["补正后交回日期", _when(prop, slip.resolved_at)],
    ]
    data = [
        [
            Paragraph(_escape(label), styles.cell),
            Paragraph(_escape(value).replace("\n", "<br/>"), styles.cell),
        ]
        for label, value in rows
    ]
    table = Table(data, colWidths=[40 * mm, 140 * mm])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#e8ebe8")),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    story: list[Flowable] = [
        Paragraph("档案退件单", styles.title),
        Paragraph(
            _escape(f"{prop.name} · 客户服务中心档案室 · 案件 #{case.pk}"),
            styles.subtitle,
        ),
        Spacer(1, 6 * mm),
        table,
        Spacer(1, 4 * mm),
        Paragraph(
            "请经办部门按上列原因补正后，连同本单交回档案室重新点收。", styles.cell
        ),
    ]
    return _build(story, prop=prop, document=f"退件单 案件#{case.pk}")
