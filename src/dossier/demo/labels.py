"""How the data set's codes read in the demo: segments, channels, meals, room types.

The data set's room types are anonymised letters; the demo keeps the letter and adds a
plausible name. Its ``adr`` is in euros; the demo converts it at a fixed rate.
"""

from decimal import ROUND_HALF_UP, Decimal

# 1 EUR = 7.80 CNY, fixed, so that a rebuild always gives the same amounts.
EUR_TO_CNY = Decimal("7.80")
FEN = Decimal("0.01")
# A notional cost of sales on room revenue, so that margin and profit have numbers.
ROOM_COST_SHARE = Decimal("0.30")

HOTELS = {
    "City Hotel": ("city_rooms", "城市楼客房"),
    "Resort Hotel": ("resort_rooms", "度假楼客房"),
}
SEGMENTS = {
    "Online TA": "在线旅行社", "Offline TA/TO": "旅行社/批发商", "Groups": "团队",
    "Direct": "散客直订", "Corporate": "商务协议", "Complementary": "免费房",
    "Aviation": "航空公司", "Undefined": "",
}  # fmt: skip
CHANNELS = {
    "TA/TO": "旅行社", "Direct": "直销", "Corporate": "公司", "GDS": "GDS",
    "Undefined": "",
}  # fmt: skip
MEALS = {
    "BB": "含早",
    "HB": "半膳",
    "FB": "全膳",
    "SC": "不含餐",
    "Undefined": "不含餐",
}
ROOM_TYPES = {
    "A": "高级大床房", "B": "高级双床房", "C": "豪华大床房", "D": "豪华双床房",
    "E": "行政大床房", "F": "家庭房", "G": "套房", "H": "行政套房", "I": "庭院别墅",
    "K": "景观房", "L": "总统套房", "P": "内部用房",
}  # fmt: skip
PAYMENTS = {
    "Corporate": "单位挂账", "Groups": "团队结算", "Online TA": "网络预付",
    "Offline TA/TO": "旅行社结算", "Complementary": "免费", "Aviation": "单位挂账",
}  # fmt: skip
WALK_IN_PAYMENTS = ("微信支付", "支付宝", "银行卡", "信用卡", "现金")
# What the data's count of special requests stands for.
REQUESTS = (
    "高楼层", "无烟房", "安静房间，远离电梯", "提前入住", "延迟退房", "加床",
    "婴儿床", "蚊帐",
)  # fmt: skip


def room_type_label(code: str) -> str:
    name = ROOM_TYPES.get(code, "")
    return f"{code} {name}".strip()


def rate_cny(adr: Decimal) -> Decimal:
    """The nightly rate in yuan: the average daily rate × 7.80, to the fen; never < 0.

    One booking in the data has a negative rate (a correction); the demo shows it as 0.
    """
    return (max(adr, Decimal(0)) * EUR_TO_CNY).quantize(FEN, rounding=ROUND_HALF_UP)


def room_cost(revenue: Decimal) -> Decimal:
    return (revenue * ROOM_COST_SHARE).quantize(FEN, rounding=ROUND_HALF_UP)


def requests_text(index: int, count: int, parking: int, children: int) -> str:
    """The booking's special requests as text, chosen by its row number."""
    choices = [r for r in REQUESTS if children or r != "婴儿床"]
    start = index % len(choices)
    wishes = [
        choices[(start + k) % len(choices)] for k in range(min(count, len(choices)))
    ]
    if parking:
        wishes.append(f"车位 {parking} 个")
    return "；".join(wishes)
