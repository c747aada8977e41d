"""Retention periods: when a case falls due, the presets, and legal minimums.

A period counts from 1 January after the year of the document (会计年度终了后的第一天
算起), so a voucher of 2015-03-10 kept 30 years is due on 2046-01-01.
"""

import csv
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from dossier.core.models import Property
from dossier.records.models import RetentionItem, RetentionSchedule


def retention_due(doc_date: date, years: int | None) -> date | None:
    """The first day a case kept ``years`` may be destroyed; None when permanent."""
    if years is None:
        return None
    return date(doc_date.year + 1 + years, 1, 1)


def retention_label(years: int | None) -> str:
    return "永久" if years is None else f"{years}年"


def retention_code(years: int | None) -> str:
    """The DA/T 22 code of a period: Y for permanent, D30, D10 for fixed periods."""
    return "Y" if years is None else f"D{years}"


_YEARS = re.compile(r"(\d+)\s*年")


def parse_period(text: str) -> int | None:
    """``"永久"`` → None, ``"30年"`` → 30; anything else is refused."""
    text = text.strip()
    if text == "永久":
        return None
    found = _YEARS.search(text)
    if found is None:
        raise ValueError(_("保管期限无法识别：%(text)s") % {"text": text})
    return int(found.group(1))


@dataclass(frozen=True)
class PresetItem:
    group: str
    record_type: str
    years: int | None
    minimum_years: int | None = None
    minimum_permanent: bool = False
    note: str = ""


# The source regulation's own schedule (第八条 保存期限); 会计凭证 and 财务报表 carry the
# accounting minimums, so that the source's 10 years for vouchers is flagged.
SOURCE_PRESET = [
    PresetItem("永久保存", "公司章程、股东名簿、组织规程及办事细则", None),
    PresetItem("永久保存", "董事会及股东会纪录", None),
    PresetItem("永久保存", "财务报表", None, minimum_permanent=True),
    PresetItem("永久保存", "政府机关核准文件、不动产所有权状及其他债权凭证", None),
    PresetItem("永久保存", "工程设计图", None),
    PresetItem("10年保存", "预算、决算书类", 10),
    PresetItem("10年保存", "会计凭证", 10, minimum_years=30),
    PresetItem("10年保存", "事业计划资料", 10),
    PresetItem("5年保存", "期满或解除之合约", 5),
    PresetItem("1年保存", "结案后无长期保存必要者", 1),
]

# 国家档案局令第10号 第七条: permanent, or fixed 30 or 10 years; art. 11: minimums.
ENTERPRISE_PRESET = [
    PresetItem("企业管理类", "永久保管的管理类文件", None, minimum_permanent=True),
    PresetItem("企业管理类", "定期30年保管的管理类文件", 30, minimum_years=30),
    PresetItem("企业管理类", "定期10年保管的管理类文件", 10, minimum_years=10),
]

PRESETS = {
    "source": ("本企业档案管理规定（永久、10年、5年、1年）", SOURCE_PRESET),
    "enterprise": ("企业管理类档案保管期限（永久、30年、10年）", ENTERPRISE_PRESET),
}


def accounting_preset(path: Path) -> list[PresetItem]:
    """The accounting table (会计档案管理办法 2015, 附表1) from its CSV.

    Each period there is a legal minimum. An event-triggered period (固定资产卡片:
    five years after the asset is cleared) keeps its text as a note; its clock does not
    start at the document date, so it is entered as permanent until the event.
    """
    items = []
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            text = row["retention"]
            if text == "永久" or (text.endswith("年") and text[:-1].isdigit()):
                years = parse_period(text)
                note = row["note"]
            else:
                years, note = None, f"{text}（{row['note']}）"
            items.append(
                PresetItem(
                    row["group"],
                    row["record_type"],
                    years,
                    minimum_years=years,
                    minimum_permanent=years is None and not note,
                    note=note,
                )
            )
    return items


DATA_DIR = Path(__file__).resolve().parent / "data"
ACCOUNTING_CSV = DATA_DIR / "accounting_retention_2015_enterprise.csv"
ACCOUNTING_NAME = "会计档案保管期限（会计档案管理办法 2015 附表1）"


def preset_choices() -> list[tuple[str, str]]:
    """The presets a schedule can start from: key and name."""
    return [(key, name) for key, (name, _) in PRESETS.items()] + [
        ("accounting", ACCOUNTING_NAME)
    ]


def preset_items(key: str) -> tuple[str, list[PresetItem]]:
    """The name and lines of preset ``key``; an unknown key is a ``KeyError``."""
    if key == "accounting":
        return ACCOUNTING_NAME, accounting_preset(ACCOUNTING_CSV)
    name, items = PRESETS[key]
    return name, list(items)


def schedule_from_preset(
    *, prop: Property, name: str, preset: str, items: list[PresetItem]
) -> RetentionSchedule:
    with transaction.atomic():
        schedule = RetentionSchedule.objects.create(
            property=prop, name=name, preset=preset
        )
        RetentionItem.objects.bulk_create(
            RetentionItem(
                schedule=schedule,
                position=position,
                group=item.group,
                record_type=item.record_type,
                years=item.years,
                minimum_years=item.minimum_years,
                minimum_permanent=item.minimum_permanent,
                note=item.note,
            )
            for position, item in enumerate(items, start=1)
        )
    return schedule


def period_warning(
    *,
    record_type: str,
    years: int | None,
    minimum_years: int | None,
    minimum_permanent: bool,
) -> str:
    """A warning when ``years`` is below the legal minimum, else an empty string."""
    if years is None:
        return ""
    if minimum_permanent:
        return _("“%(record_type)s”依法须永久保存，不得定为%(years)s年") % {
            "record_type": record_type,
            "years": years,
        }
    if minimum_years is not None and years < minimum_years:
        return _(
            "“%(record_type)s”定为%(years)s年，低于法定最低%(minimum_years)s年"
        ) % {"record_type": record_type, "years": years, "minimum_years": minimum_years}
    return ""


def schedule_warnings(schedule: RetentionSchedule) -> list[str]:
    """Every line of ``schedule`` that goes below its legal minimum."""
    warnings = []
    for item in schedule.items.all():
        warning = period_warning(
            record_type=item.record_type,
            years=item.years,
            minimum_years=item.minimum_years,
            minimum_permanent=item.minimum_permanent,
        )
        if warning:
            warnings.append(warning)
    return warnings
