"""Guests with a history, for the card of a regular: preferences, dates, a card,
tags, an open task, and more stays and bills (with their dishes) than the card shows.

Written as plain rows in bulk: the figures time reading them, not writing them.
"""

from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from dossier.care.models import Task
from dossier.core.models import Property
from dossier.guests.models import (
    Guest,
    GuestPreference,
    MemberCard,
    PreferenceItem,
    PreferenceKind,
    SpecialDate,
    Tag,
)
from dossier.history.models import Bill, BillLine, Dish, Outlet, OutletKind, Stay

VISITS = 10
LINES = 4
PREFERENCES = {
    "allergy": "花生",
    "taboo": "忌辣",
    "pillow": "低",
    "tea": "龙井",
    "ac_temperature": "24",
}
DISHES = ["清蒸石斑鱼", "白灼菜心", "麻婆豆腐", "北京烤鸭", "小笼包", "扬州炒饭",
          "酸辣汤", "宫保鸡丁", "蚝油牛肉", "虾饺", "叉烧包", "杨枝甘露"]  # fmt: skip


def histories_add(prop: Property, ids: list[int]) -> None:
    """Give each guest of ``ids`` a history such as a regular has."""
    today = prop.today()
    now = timezone.now()
    items = PreferenceItem.objects.filter(code__in=PREFERENCES)
    GuestPreference.objects.bulk_create(
        _preference(guest_id, item) for guest_id in ids for item in items
    )
    SpecialDate.objects.bulk_create(
        SpecialDate(guest_id=guest_id, kind=kind, calendar=calendar, month=month,
                    day=n % 28 + 1)
        for n, guest_id in enumerate(ids)
        for kind, calendar, month in (("birthday", "solar", n % 12 + 1),
                                      ("wedding", "lunar", (n + 5) % 12 + 1))
    )  # fmt: skip
    MemberCard.objects.bulk_create(
        MemberCard(guest_id=guest_id, number=f"VIP-{guest_id:08d}", level="金卡")
        for guest_id in ids
    )
    tags = [Tag.objects.get_or_create(property=prop, name=name)[0]
            for name in ("常客", "商务")]  # fmt: skip
    Guest.tags.through.objects.bulk_create(
        Guest.tags.through(guest_id=guest_id, tag_id=tag.pk)
        for guest_id in ids
        for tag in tags
    )
    Task.objects.bulk_create(
        Task(guest_id=guest_id, title="生日前一天送花", due=today + timedelta(days=3))
        for guest_id in ids
    )
    Stay.objects.bulk_create(
        Stay(property=prop, guest_id=guest_id, room=f"{12 + visit % 8:02d}18",
             room_type="豪华大床房", rate=Decimal("688.00"),
             arrival=today - timedelta(days=30 * visit + 10),
             departure=today - timedelta(days=30 * visit + 8), nights=2,
             status="checked_out")
        for guest_id in ids
        for visit in range(VISITS)
    )  # fmt: skip
    _bills(prop, ids, now)


def _preference(guest_id: int, item: PreferenceItem) -> GuestPreference:
    value = PREFERENCES[item.code]
    if item.kind == PreferenceKind.NUMBER:
        return GuestPreference(
            guest_id=guest_id, item=item, value_number=Decimal(value)
        )
    return GuestPreference(guest_id=guest_id, item=item, value_text=value)


def _bills(prop: Property, ids: list[int], now: datetime) -> None:
    outlet, _ = Outlet.objects.get_or_create(
        property=prop,
        code="chinese",
        defaults={"name": "中餐厅", "kind": OutletKind.FOOD_BEVERAGE},
    )
    dishes = [Dish.objects.get_or_create(property=prop, name=name)[0]
              for name in DISHES]  # fmt: skip
    price = Decimal("88.00")
    bills = Bill.objects.bulk_create(
        Bill(property=prop, guest_id=guest_id, outlet=outlet, table="A8", covers=2,
             opened_at=now - timedelta(days=30 * visit + 3),
             status="settled", total=price * LINES, payable=price * LINES)
        for guest_id in ids
        for visit in range(VISITS)
    )  # fmt: skip
    BillLine.objects.bulk_create(
        BillLine(bill=bill, dish=dishes[(n + k) % len(dishes)], quantity=Decimal(1),
                 unit_price=price, amount=price, rating="liked" if k == 0 else "")
        for n, bill in enumerate(bills)
        for k in range(LINES)
    )  # fmt: skip
