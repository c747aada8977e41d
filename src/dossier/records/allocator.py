"""The allocator: the only place an archive number (档号) is made.

A template is a pattern of fields, e.g. ``{dept:2}-{major:2}{minor:2}{volume:1}-{item:2}``
(the source's ``A1A2-B1B2C1C2D1-E1E2``) or the DA/T 22 preset
``{fonds}-{category}·{year}-{retention}-{org}-{item:4}``. Every field but the volume and
the item is fixed by the case (its class, year, period); together they name a
*sequence*, whose counter row is locked while a number is taken, so that cases filed
at the same moment get consecutive numbers. The lock is ``SELECT … FOR UPDATE`` on
PostgreSQL; on SQLite the transaction itself is ``BEGIN IMMEDIATE`` (see settings), which
already admits one writer at a time. The unique constraint on the number is the last
guard. Numbers are never reused: trashed and destroyed cases keep theirs.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.utils.translation import gettext as _

from dossier.records.errors import RecordsError, RecordsErrorCode
from dossier.records.models import (
    ArchiveClass,
    Case,
    ClassLevel,
    Folder,
    NumberSequence,
    NumberTemplate,
)
from dossier.records.retention import retention_code

FIELDS = {
    "dept": "部门",
    "major": "大类",
    "minor": "小类",
    "detail": "细类",
    "volume": "卷次",
    "item": "目次/件号",
    "fonds": "全宗号",
    "category": "门类",
    "year": "年度",
    "retention": "保管期限",
    "org": "机构（问题）",
}
# The letters of the source's notation (第四条 5): A department … E item.
POSITION_LETTERS = {"A": "dept", "B": "major", "C": "minor", "D": "volume", "E": "item"}

DEFAULT_PATTERN_SOURCE = "A1A2-B1B2C1C2D1-E1E2"
DAT22_PATTERN = "{fonds}-{category}·{year}-{retention}-{org}-{item:4}"

_FIELD = re.compile(r"\{(\w+)(?::(\d))?\}")
_POSITIONAL = re.compile(r"(?:([A-E])\d)+")


def positional_pattern(text: str) -> str:
    """``"A1A2-B1B2C1C2D1-E1E2"`` → ``"{dept:2}-{major:2}{minor:2}{volume:1}-{item:2}"``."""

    def expand(run: re.Match[str]) -> str:
        letters = run.group(0)[::2]
        out, index = [], 0
        while index < len(letters):
            letter = letters[index]
            width = len(letters) - index - len(letters[index:].lstrip(letter))
            out.append(f"{{{POSITION_LETTERS[letter]}:{width}}}")
            index += width
        return "".join(out)

    return _POSITIONAL.sub(expand, text)


DEFAULT_PATTERN = positional_pattern(DEFAULT_PATTERN_SOURCE)
PRESETS = {
    "default": ("档号 A1A2-B1B2C1C2D1-E1E2（部门-大类小类卷次-目次）", DEFAULT_PATTERN),
    "dat22": ("DA/T 22（全宗号-门类·年度-保管期限-机构-件号）", DAT22_PATTERN),
}


@dataclass(frozen=True)
class Field:
    name: str
    width: int | None


Segment = str | Field


def parse_pattern(pattern: str) -> list[Segment]:
    """The literal text and fields of ``pattern``; a pattern without an item is refused."""
    segments: list[Segment] = []
    position = 0
    for found in _FIELD.finditer(pattern):
        if found.start() > position:
            segments.append(pattern[position : found.start()])
        name, width = found.group(1), found.group(2)
        if name not in FIELDS:
            raise RecordsError(
                RecordsErrorCode.BAD_TEMPLATE,
                _("档号格式中有未知字段：%(name)s") % {"name": name},
            )
        segments.append(Field(name, int(width) if width else None))
        position = found.end()
    if position < len(pattern):
        segments.append(pattern[position:])
    names = [s.name for s in segments if isinstance(s, Field)]
    items = [s for s in segments if isinstance(s, Field) and s.name == "item"]
    if len(items) != 1 or items[0].width is None:
        raise RecordsError(
            RecordsErrorCode.BAD_TEMPLATE,
            _("档号格式须有且仅有一个定宽的目次/件号字段"),
        )
    if names.count("volume") > 1 or any(
        s.name == "volume" and s.width is None for s in segments if isinstance(s, Field)
    ):
        raise RecordsError(
            RecordsErrorCode.BAD_TEMPLATE, _("档号格式中的卷次字段须定宽且只出现一次")
        )
    return segments


def _field(segments: list[Segment], name: str) -> Field | None:
    for segment in segments:
        if isinstance(segment, Field) and segment.name == name:
            return segment
    return None


def _item_width(segments: list[Segment]) -> int:
    found = _field(segments, "item")
    if found is None or found.width is None:  # parse_pattern refuses such patterns
        raise RecordsError(RecordsErrorCode.BAD_TEMPLATE, _("档号格式缺少定宽的件号"))
    return found.width


def _fit(value: str, width: int | None) -> str:
    if width is None:
        return value
    return value.zfill(width) if value.isdigit() else value


def case_fields(
    *,
    template: NumberTemplate,
    archive_class: ArchiveClass,
    doc_date: date,
    retention_years: int | None,
) -> dict[str, str]:
    """The values of every fixed field for a case of this class, date and period."""
    codes = {node.level: node.code for node in archive_class.path()}
    return {
        "dept": codes.get(ClassLevel.DEPARTMENT, ""),
        "major": codes.get(ClassLevel.MAJOR, ""),
        "minor": codes.get(ClassLevel.MINOR, ""),
        "detail": codes.get(ClassLevel.DETAIL, ""),
        "org": codes.get(ClassLevel.DEPARTMENT, ""),
        "fonds": template.fonds_code,
        "category": template.category_code,
        "year": f"{doc_date.year:04d}",
        "retention": retention_code(retention_years),
    }


def render(
    segments: list[Segment], values: dict[str, str], *, volume: str, item: str
) -> str:
    out = []
    for segment in segments:
        if isinstance(segment, str):
            out.append(segment)
        elif segment.name == "volume":
            out.append(volume)
        elif segment.name == "item":
            out.append(item)
        else:
            value = values.get(segment.name, "")
            out.append(_fit(value or "0" * (segment.width or 0), segment.width))
    return "".join(out)


@dataclass(frozen=True)
class Capacity:
    per_volume: int
    max_volume: int | None
    item_max: int

    @property
    def total(self) -> int:
        if self.max_volume is None:
            return self.item_max
        return self.max_volume * self.per_volume

    @property
    def warn_at(self) -> int:
        """Warn when this many numbers or fewer are left."""
        space = self.per_volume if self.max_volume is not None else self.item_max
        return max(1, space // 10)


def capacity(segments: list[Segment], archive_class: ArchiveClass) -> Capacity:
    item_max = 10 ** _item_width(segments) - 1
    volume = _field(segments, "volume")
    if volume is None or volume.width is None:
        return Capacity(archive_class.folder_capacity, None, item_max)
    if archive_class.folder_capacity > item_max:
        raise RecordsError(
            RecordsErrorCode.BAD_TEMPLATE,
            _("每卷 %(folder_capacity)s 件超出档号目次位数（最多 %(item_max)s 件）")
            % {"folder_capacity": archive_class.folder_capacity, "item_max": item_max},
            field="folder_capacity",
        )
    return Capacity(archive_class.folder_capacity, 10**volume.width - 1, item_max)


NumberFor = Callable[[int, int], str]


@dataclass(frozen=True)
class Allocation:
    number: str
    item: int
    volume: int
    folder: Folder
    warning: str


def number_holder(property_id: int, number: str) -> Case | None:
    """The case that holds ``number`` (its own, not a follower's), if any."""
    return (
        Case.objects.filter(
            property_id=property_id, archive_number=number, belongs_to__isnull=True
        )
        .order_by("pk")
        .first()
    )


def number_taken_message(number: str, holder: Case) -> str:
    return _(
        "档号 %(number)s 已由案件《%(title)s》（#%(pk)s，%(status)s）使用，不能再编给其他案件"
    ) % {
        "number": number,
        "title": holder.title,
        "pk": holder.pk,
        "status": holder.get_status_display(),
    }


def _sequence_locked(template: NumberTemplate, key: str) -> NumberSequence:
    NumberSequence.objects.bulk_create(
        [NumberSequence(template=template, key=key)], ignore_conflicts=True
    )
    return NumberSequence.objects.select_for_update().get(template=template, key=key)


def number_allocate(
    *,
    template: NumberTemplate,
    archive_class: ArchiveClass,
    doc_date: date,
    retention_years: int | None,
    item: int | None = None,
) -> Allocation:
    """Take the next number of the case's sequence, or the manual ``item`` if free.

    Must run inside the transaction that saves the case. A manual item already held
    by any case (filed, trashed or destroyed) is refused, naming the holder.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("number_allocate must run inside transaction.atomic()")
    segments = parse_pattern(template.pattern)
    values = case_fields(
        template=template,
        archive_class=archive_class,
        doc_date=doc_date,
        retention_years=retention_years,
    )
    limits = capacity(segments, archive_class)
    volume_field = _field(segments, "volume")
    item_width = _item_width(segments)
    key = render(segments, values, volume="*", item="#")

    sequence = _sequence_locked(template, key)

    def number_for(volume: int, number: int) -> str:
        volume_text = str(volume).zfill(volume_field.width or 1) if volume_field else ""
        return render(
            segments,
            values,
            volume=volume_text,
            item=str(number).zfill(item_width),
        )

    if item is not None:
        chosen = _manual(
            sequence, limits, item, number_for, template, volume_field is not None
        )
    else:
        chosen = _next(
            sequence,
            limits,
            volume_field is not None,
            number_for,
            template,
            archive_class,
        )
    volume, number = chosen
    text = number_for(volume, number)
    sequence.save(update_fields=["last_item", "volume", "in_volume"])
    folder, _ = Folder.objects.get_or_create(
        sequence=sequence,
        volume=volume,
        defaults={"archive_class": archive_class, "capacity": limits.per_volume},
    )
    return Allocation(
        number=text,
        item=number,
        volume=volume,
        folder=folder,
        warning=_warning(sequence, limits, archive_class, template),
    )


def _next(
    sequence: NumberSequence,
    limits: Capacity,
    per_volume_items: bool,
    number_for: NumberFor,
    template: NumberTemplate,
    archive_class: ArchiveClass,
) -> tuple[int, int]:
    property_id = template.property_id
    while True:
        if sequence.in_volume >= limits.per_volume:
            sequence.volume += 1
            sequence.in_volume = 0
            if per_volume_items:
                sequence.last_item = 0
        number = sequence.last_item + 1
        if (
            limits.max_volume is not None and sequence.volume > limits.max_volume
        ) or number > limits.item_max:
            raise RecordsError(
                RecordsErrorCode.NUMBERS_EXHAUSTED,
                _(
                    "“%(full_code)s %(name)s”的档号已用尽（%(room)s），不能再归档。请启用新的类别，或修订档号格式“%(name2)s”，加宽卷次或目次的位数。"
                )
                % {
                    "full_code": archive_class.full_code,
                    "name": archive_class.name,
                    "room": _room(limits),
                    "name2": template.name,
                },
                field="archive_class",
            )
        sequence.last_item = number
        sequence.in_volume += 1
        # A number given by hand earlier may lie ahead of the counter: step over it.
        if number_holder(property_id, number_for(sequence.volume, number)) is None:
            return sequence.volume, number


def _manual(
    sequence: NumberSequence,
    limits: Capacity,
    item: int,
    number_for: NumberFor,
    template: NumberTemplate,
    per_volume_items: bool,
) -> tuple[int, int]:
    if not 1 <= item <= limits.item_max:
        raise RecordsError(
            RecordsErrorCode.INVALID_VALUE,
            _("目次/件号须在 1 到 %(item_max)s 之间") % {"item_max": limits.item_max},
            field="item",
        )
    volume = sequence.volume
    if per_volume_items and item > limits.per_volume:
        raise RecordsError(
            RecordsErrorCode.INVALID_VALUE,
            _(
                "目次 %(item)s 超出档夹容量：每卷 %(per_volume)s 件，第 %(volume)s 卷的目次须在 1 到 %(per_volume)s 之间"
            )
            % {"item": item, "per_volume": limits.per_volume, "volume": volume},
            field="item",
        )
    in_folder = Case.objects.filter(
        folder__sequence=sequence, folder__volume=volume, belongs_to__isnull=True
    ).count()
    if in_folder >= limits.per_volume:
        raise RecordsError(
            RecordsErrorCode.INVALID_VALUE,
            _(
                "第 %(volume)s 卷已满（%(in_folder)s/%(per_volume)s 件），不能再手工编入；请不填目次，由系统编入下一卷"
            )
            % {
                "volume": volume,
                "in_folder": in_folder,
                "per_volume": limits.per_volume,
            },
            field="item",
        )
    text = number_for(volume, item)
    holder = number_holder(template.property_id, text)
    if holder is not None:
        raise RecordsError(
            RecordsErrorCode.NUMBER_TAKEN,
            number_taken_message(text, holder),
            field="item",
        )
    if item > sequence.last_item:
        sequence.in_volume = min(
            limits.per_volume, sequence.in_volume + item - sequence.last_item
        )
        sequence.last_item = item
    return volume, item


def _room(limits: Capacity) -> str:
    if limits.max_volume is None:
        return _("最多 %(item_max)s 件") % {"item_max": limits.item_max}
    return _("最多 %(max_volume)s 卷、每卷 %(per_volume)s 件") % {
        "max_volume": limits.max_volume,
        "per_volume": limits.per_volume,
    }


def _warning(
    sequence: NumberSequence,
    limits: Capacity,
    archive_class: ArchiveClass,
    template: NumberTemplate,
) -> str:
    if limits.max_volume is None:
        used = sequence.last_item
    else:
        used = (sequence.volume - 1) * limits.per_volume + sequence.in_volume
    remaining = limits.total - used
    if remaining > limits.warn_at:
        return ""
    return _(
        "“%(full_code)s %(name)s”的档号即将用尽：只剩 %(remaining)s 个号（档号格式“%(name2)s”：%(room)s）。请及时启用新的类别，或修订档号格式，加宽卷次或目次的位数。"
    ) % {
        "full_code": archive_class.full_code,
        "name": archive_class.name,
        "remaining": remaining,
        "name2": template.name,
        "room": _room(limits),
    }
