"""The demo's corporate clients: the busiest company ids of the data, invented names.

The names below are made up for the demo; any likeness to a real firm is chance.
"""

from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from dossier.core.models import Property
from dossier.demo.sources import Booking
from dossier.guests.models import Company

# (name, nature, industry, city, main needs, class)
CLIENTS = (
    ("申城启明软件科技有限公司", "民营企业", "软件和信息技术", "上海市浦东新区",
     "工作日商务散客，高楼层大床房，开专票", "A"),
    ("远澜航运（上海）有限公司", "外资企业", "航运物流", "上海市虹口区",
     "船员和外籍高管长住，含早，接送机", "A"),
    ("青禾会展服务有限公司", "民营企业", "会展服务", "杭州市西湖区",
     "展会期间团队用房和会议室", "B"),
    ("华东晨曦医药集团", "国有企业", "医药制造", "南京市鼓楼区",
     "学术会议住宿与宴请，需发票明细", "B"),
    ("嘉木律师事务所", "合伙企业", "法律服务", "上海市静安区",
     "合伙人出差，安静房间，延迟退房", "B"),
    ("明川汽车零部件有限公司", "中外合资企业", "汽车制造", "苏州市工业园区",
     "外籍工程师长住，洗衣服务", "B"),
    ("云帆教育咨询有限公司", "民营企业", "教育咨询", "上海市徐汇区",
     "培训班学员团队用房", "C"),
    ("金穗农业发展集团", "国有企业", "农业", "合肥市包河区",
     "年度经销商大会，宴会和用房", "C"),
)  # fmt: skip
TITLES = ("行政经理", "总经理助理", "采购主管", "办公室主任", "人事总监")
DISCOUNTS = (Decimal("0.850"), Decimal("0.880"), Decimal("0.900"), Decimal("0.800"))


def clients_choose(bookings: Sequence[Booking]) -> dict[str, str]:
    """Data-set company id → client name, for the busiest ids."""
    counts = Counter(booking.company for booking in bookings if booking.company)
    busiest = sorted(counts, key=lambda code: (-counts[code], int(code)))
    return {code: client[0] for code, client in zip(busiest, CLIENTS, strict=False)}


def companies_create(
    prop: Property,
    names: dict[str, str],
    rates: dict[str, Decimal],
    contacts: dict[str, tuple[str, str]],
    today: date,
) -> dict[str, Company]:
    """Create (or find) the clients; ``contacts``: each code's contact and phone."""
    created: dict[str, Company] = {}
    details = {client[0]: client for client in CLIENTS}
    for position, (code, name) in enumerate(sorted(names.items(), key=lambda i: i[1])):
        _, nature, industry, city, needs, grade = details[name]
        person, phone = contacts.get(code, ("", ""))
        created[code], _ = Company.objects.get_or_create(
            property=prop,
            name=name,
            defaults={
                "nature": nature,
                "industry": industry,
                "address": city,
                "responsible_person": person,
                "phones": phone,
                "main_needs": needs,
                "agreed_rate": rates.get(code),
                "discount_rate": DISCOUNTS[position % len(DISCOUNTS)],
                "payment_method": "月结",
                "contract_start": today - timedelta(days=200 + 30 * position),
                "contract_end": today + timedelta(days=165 + 30 * position),
                "guest_class": grade,
                "notes": "演示数据：虚构的单位客户。",
            },
        )
    return created
