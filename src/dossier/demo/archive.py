"""What the house has learnt about some demo guests: preferences, dates, observations.

Written by hand in the words staff would use; each guest's share is drawn from its own
seeded generator, so the same seed gives the same archive.
"""

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User

from dossier.care.models import Consent
from dossier.demo.identities import Identity
from dossier.guests.models import (
    Guest,
    GuestPreference,
    Observation,
    PreferenceItem,
    SpecialDate,
    Tag,
)
from dossier.zh.lunar import solar_to_lunar

CHOICES: dict[str, tuple[str, ...]] = {
    "pillow": ("低", "中", "高", "双枕"),
    "pillow_type": ("羽绒", "荞麦", "记忆棉", "乳胶"),
    "mattress": ("偏软", "适中", "偏硬", "加木板"),
    "lighting": ("柔和", "明亮", "夜灯常开"),
    "taste": ("清淡", "微辣", "重辣", "偏甜", "酸辣"),
    "tea": ("西湖龙井", "普洱熟茶", "铁观音", "茉莉花茶", "安吉白茶", "大红袍"),
    "coffee": ("美式，不加糖", "拿铁，燕麦奶", "双份浓缩", "不喝咖啡"),
    "newspaper": ("《人民日报》", "《参考消息》", "《经济观察报》", "Financial Times"),
    "tv_channel": ("CCTV-13 新闻", "CCTV-5 体育", "凤凰卫视", "BBC World News"),
    "room_location": ("高楼层，远离电梯", "低楼层，靠近电梯", "安静房间，不临街"),
    "wine": ("五粮液", "干红（波尔多）", "青岛啤酒", "不饮酒", "单一麦芽威士忌"),
    "toiletries": ("自带洗漱用品，无需补充", "无香型洗护用品"),
    "condiments": ("每餐备香醋", "要辣椒酱", "要生抽和榨菜"),
}
NUMBERS = {"ac_temperature": (22, 26), "bath_temperature": (38, 42)}
ALERTS = {
    "allergy": (
        "花生过敏",
        "海鲜过敏",
        "芒果过敏",
        "青霉素过敏",
        "尘螨过敏，需防螨床品",
    ),
    "taboo": ("忌辣", "不吃香菜", "不吃猪肉", "素食", "不吃葱姜蒜", "不吃牛肉"),
}
# (department, touchpoint, kind, text)
OBSERVATIONS = (
    ("housekeeping", "夜床服务", "preference", "客人用了两个枕头，另要了一床薄被"),
    ("housekeeping", "客房清扫", "preference", "空调一直调在 24 度，窗帘全部拉上"),
    ("housekeeping", "客房清扫", "preference", "茶杯里是绿茶，茶包没有动过"),
    ("housekeeping", "客房清扫", "preference", "电视停在体育频道"),
    ("fnb", "早餐厅", "preference", "早餐只吃清淡的粥和青菜，不要油炸食品"),
    ("fnb", "中餐厅", "preference", "点菜时交代不要放香菜"),
    ("fnb", "中餐厅", "preference", "喜欢靠窗的座位，每次都要一壶普洱"),
    ("fnb", "大堂吧", "praise", "表扬：对大堂吧的手冲咖啡很满意"),
    ("front_office", "入住登记", "preference", "希望安排高楼层、远离电梯的房间"),
    ("front_office", "退房结账", "note", "发票抬头开单位全称，需提前准备"),
    ("front_office", "礼宾", "note", "每次离店都要预订去机场的车"),
    ("front_office", "入住登记", "complaint", "投诉：上次入住时空调噪音大，已致歉并升级房型"),
    ("marketing", "回访电话", "praise", "对上次入住的早餐评价很好，愿意推荐给同事"),
    ("marketing", "客户拜访", "note", "计划下季度在店里办一场小型答谢会"),
)  # fmt: skip
TAGS = ("回头客", "商务客", "家庭出游", "团队客人", "长住客", "会议客人", "摄影爱好者")
NOTES = (
    "喜欢安静，入住期间请勿安排推销电话。",
    "常带小狗出行，需提前确认宠物房。",
    "睡眠浅，请安排远离电梯和布草间的房间。",
    "习惯早起晨跑，早餐请提前至 6:30 供应。",
)


@dataclass(frozen=True)
class ArchiveGuest:
    guest_id: int
    key: str
    identity: Identity
    past_arrivals: tuple[date, ...]
    has_children: bool


@dataclass
class ArchiveRows:
    preferences: list[GuestPreference]
    dates: list[SpecialDate]
    observations: list[Observation]
    tags: list[tuple[int, str]]


def archive_build(
    *,
    guests: Sequence[ArchiveGuest],
    seed: int,
    staff: dict[str, User],
    items: dict[str, PreferenceItem],
    zone: ZoneInfo,
    today: date,
) -> ArchiveRows:
    """The archive rows of ``guests``; at least one lunar birthday in a leap month."""
    rows = ArchiveRows([], [], [], [])
    leap_given = False
    for guest in guests:
        rng = random.Random(f"{seed}:{guest.key}:archive")
        rows.preferences += _preferences(rng, guest.guest_id, items)
        dates = _special_dates(rng, guest, force_lunar=not leap_given)
        leap_given = leap_given or any(d.is_leap_month for d in dates)
        rows.dates += dates
        rows.observations += _observations(rng, guest, staff, zone, today)
        if guest.has_children:
            rows.tags.append((guest.guest_id, "家庭出游"))
        if rng.random() < 0.3:
            rows.tags.append((guest.guest_id, rng.choice(TAGS[4:])))
    return rows


# Shares of guests who agreed on the registration card to marketing by SMS (and
# by e-mail, of those who gave one), and who ticked "no".
MARKETING_SMS = 0.35
MARKETING_EMAIL = 0.4
MARKETING_DECLINED = 0.03
CONSENT_SOURCE = "演示数据：客人资料登记卡"


def consents_build(
    *,
    guests: Sequence[tuple[int, str, Identity]],
    seed: int,
    zone: ZoneInfo,
    today: date,
) -> list[Consent]:
    """The marketing answers the guests gave on their registration card, the same
    for the same seed: about a third agreed, a few declined, the rest were not asked."""
    found: list[Consent] = []
    for guest_id, key, identity in guests:
        rng = random.Random(f"{seed}:{key}:consent")
        draw = rng.random()
        if draw >= MARKETING_SMS + MARKETING_DECLINED or not identity.phone:
            continue
        granted = draw < MARKETING_SMS
        day = today - timedelta(days=rng.randint(1, 720))
        at = datetime.combine(day, time(rng.randint(8, 21), rng.randint(0, 59)), zone)
        channels = ["sms"]
        if granted and identity.email and rng.random() < MARKETING_EMAIL:
            channels.append("email")
        found += [
            Consent(guest_id=guest_id, channel=channel, purpose="marketing",
                    granted=granted, at=at, source=CONSENT_SOURCE)
            for channel in channels
        ]  # fmt: skip
    return found


def archive_note(seed: int, key: str) -> str:
    """A note for about one archive guest in ten, else the empty string."""
    rng = random.Random(f"{seed}:{key}:note")
    return rng.choice(NOTES) if rng.random() < 0.1 else ""


def _preferences(
    rng: random.Random, guest_id: int, items: dict[str, PreferenceItem]
) -> list[GuestPreference]:
    codes = rng.sample(sorted([*CHOICES, *NUMBERS]), rng.randint(2, 5))
    if rng.random() < 0.35:
        codes.append(rng.choice(sorted(ALERTS)))
    rows = []
    for code in codes:
        if code in NUMBERS:
            low, high = NUMBERS[code]
            value = GuestPreference(value_number=Decimal(rng.randint(low, high)))
        else:
            value = GuestPreference(value_text=rng.choice({**CHOICES, **ALERTS}[code]))
        value.guest_id = guest_id
        value.item = items[code]
        rows.append(value)
    return rows


def _special_dates(
    rng: random.Random, guest: ArchiveGuest, *, force_lunar: bool
) -> list[SpecialDate]:
    birth = guest.identity.birth
    rows = []
    lunar = None if guest.identity.is_foreign else solar_to_lunar(birth)
    leap = lunar is not None and lunar[3]
    if lunar is not None and (rng.random() < 0.25 or (force_lunar and leap)):
        year, month, day, is_leap = lunar
        rows.append(
            SpecialDate(
                guest_id=guest.guest_id,
                kind="birthday",
                label="过农历生日",
                calendar="lunar",
                year=year,
                month=month,
                day=day,
                is_leap_month=is_leap,
            )
        )
    elif rng.random() < 0.7:
        rows.append(
            SpecialDate(
                guest_id=guest.guest_id,
                kind="birthday",
                year=birth.year,
                month=birth.month,
                day=birth.day,
            )
        )
    if rng.random() < 0.3 and birth.year + 24 <= 2016:
        rows.append(
            SpecialDate(
                guest_id=guest.guest_id,
                kind="wedding",
                year=rng.randint(birth.year + 24, min(birth.year + 35, 2016)),
                month=rng.randint(1, 12),
                day=rng.randint(1, 28),
            )
        )
    if guest.has_children and rng.random() < 0.5:
        rows.append(
            SpecialDate(
                guest_id=guest.guest_id,
                kind="school",
                label="孩子开学",
                month=9,
                day=1,
            )
        )
    return rows


def _observations(
    rng: random.Random,
    guest: ArchiveGuest,
    staff: dict[str, User],
    zone: ZoneInfo,
    today: date,
) -> list[Observation]:
    rows = []
    for department, touchpoint, kind, text in rng.sample(
        OBSERVATIONS, rng.randint(1, 3)
    ):
        if guest.past_arrivals:
            day = rng.choice(guest.past_arrivals)
        else:
            day = today - timedelta(days=rng.randint(1, 60))
        at = datetime.combine(day, time(rng.randint(8, 21)), zone)
        confirmed = kind == "preference" and rng.random() < 0.6
        rows.append(
            Observation(
                guest_id=guest.guest_id,
                kind=kind,
                department=department,
                staff=staff[department],
                touchpoint=touchpoint,
                observed_at=at,
                text=text,
                status="confirmed" if confirmed else "pending",
                resolved=kind == "complaint",
                reviewed_by=staff["marketing"] if confirmed else None,
                reviewed_at=at + timedelta(hours=1) if confirmed else None,
            )
        )
    return rows


def tags_write(prop_id: int, pairs: Sequence[tuple[int, str]]) -> int:
    """Attach tags by name, creating the tags of the property that are missing."""
    names = sorted({name for _, name in pairs})
    Tag.objects.bulk_create(
        [Tag(property_id=prop_id, name=name) for name in names], ignore_conflicts=True
    )
    ids = dict(
        Tag.objects.filter(property_id=prop_id, name__in=names).values_list(
            "name", "pk"
        )
    )
    through = Guest.tags.through
    links = {(guest_id, ids[name]) for guest_id, name in pairs}
    through.objects.bulk_create(
        [through(guest_id=g, tag_id=t) for g, t in sorted(links)], batch_size=2000
    )
    return len(links)
