"""Which column feeds which field: headings in Chinese or English, with synonyms.

A mapping is a plain ``{heading: field}`` dict; ``""`` means the column is ignored.
It is guessed from the headings and the user may change it (web form, ``--map``).
"""

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from dossier.imports.models import ImportKind

IGNORE = ""


@dataclass(frozen=True)
class Field:
    code: str
    label: str
    synonyms: tuple[str, ...]
    # Several columns may feed it: phones are collected, texts joined.
    many: bool = False


_GUEST = (
    Field("full_name", "姓名", ("姓名", "名字", "客人姓名", "客户姓名", "宾客姓名",
                               "name", "guest name", "full name")),
    Field("surname", "姓氏", ("姓氏", "surname", "family name", "last name")),
    Field("gender", "性别", ("性别", "gender", "sex")),
    Field("mobile", "手机", ("手机", "手机号", "手机号码", "移动电话", "mobile",
                             "mobile phone", "cellphone", "cell phone"), many=True),
    Field("phone", "电话", ("联系电话", "电话", "电话号码", "固话", "办公电话", "家庭电话",
                            "phone", "tel", "telephone"), many=True),
    Field("birth_date", "出生日期", ("生日", "出生日期", "出生年月日", "birthday",
                                    "date of birth", "dob", "birth date")),
    Field("id_number", "证件号码", ("身份证号", "身份证", "身份证号码", "证件号码",
                                   "证件号", "id number", "id_no", "id no", "idno")),
    Field("id_type", "证件类型", ("证件类型", "证件种类", "id type", "document type")),
    Field("employer", "工作单位", ("单位", "工作单位", "公司", "所属单位", "单位名称",
                                  "company", "employer")),
    Field("title", "职务", ("职务", "职位", "title", "position", "job title")),
    Field("residence", "常住地", ("地址", "常住地", "住址", "居住地", "家庭住址",
                                 "address", "residence")),
    Field("hobbies", "爱好", ("嗜好", "爱好", "兴趣爱好", "hobbies", "hobby"), many=True),
    Field("consumption", "消费记录", ("消费记录", "消费情况", "消费历史"), many=True),
    Field("notes", "备注", ("备注", "notes", "note", "remark", "remarks", "说明"),
          many=True),
    Field("email", "电子邮件", ("邮箱", "电子邮件", "电子邮箱", "email", "e-mail")),
    Field("vip_level", "VIP 等级", ("vip", "会员等级", "vip等级", "vip level",
                                   "member level")),
    Field("guest_class", "客户类别", ("客户类别", "客人类别", "客户分类", "class",
                                     "guest class")),
    Field("card_number", "会员卡号", ("会员卡号", "卡号", "会员卡", "会员号", "card",
                                     "card number", "card no", "member card")),
)  # fmt: skip

_STAY = (
    Field("external_ref", "单号", ("单号", "订单号", "预订号", "账号", "booking no",
                                  "reference", "ref", "folio")),
    Field("room", "房号", ("房号", "房间号", "房间", "room", "room no", "room number")),
    Field("room_type", "房型", ("房型", "房间类型", "room type")),
    Field("rate", "房价", ("房价", "价格", "rate", "room rate", "adr")),
    Field("revenue", "房费合计", ("房费", "房费合计", "消费金额", "金额", "total",
                                 "amount", "revenue")),
    Field("arrival", "到店日期", ("到店日期", "入住日期", "到达日期", "到店", "入住时间",
                                 "arrival", "arrival date", "check-in", "checkin")),
    Field("departure", "离店日期", ("离店日期", "离开日期", "退房日期", "离店",
                                   "离店时间", "departure", "departure date",
                                   "check-out", "checkout")),
    Field("nights", "间夜", ("间夜", "晚数", "间夜数", "nights")),
    Field("adults", "人数", ("人数", "成人", "成人数", "adults", "guests")),
    Field("children", "儿童", ("儿童", "儿童数", "children")),
    Field("status", "状态", ("状态", "status", "reservation status")),
    Field("payment_method", "付款方式", ("付款方式", "支付方式", "payment",
                                        "payment method")),
    Field("segment", "客源", ("客源", "市场细分", "segment", "market segment")),
    Field("channel", "渠道", ("渠道", "预订渠道", "channel", "distribution channel")),
    Field("companions", "同行人", ("同行人", "同住人", "companions")),
    Field("special_requests", "特殊要求", ("特殊要求", "special requests", "requests")),
)  # fmt: skip

_BILL = (
    Field("external_ref", "单号", ("单号", "账单号", "订单号", "bill", "bill no",
                                  "order no", "order id")),
    Field("outlet", "营业点", ("营业点", "餐厅", "门店", "outlet", "restaurant")),
    Field("table", "台号", ("台号", "桌号", "台位", "table", "table no")),
    Field("covers", "人数", ("人数", "就餐人数", "covers", "pax")),
    Field("opened_at", "消费时间", ("消费时间", "开台时间", "就餐时间", "日期", "时间",
                                   "date", "time", "opened at")),
    Field("closed_at", "结账时间", ("结账时间", "closed at", "settled at")),
    Field("status", "状态", ("状态", "账单状态", "status")),
    Field("payable", "应付金额", ("应付金额", "应付", "实收金额", "账单金额", "payable",
                                 "bill amount")),
    Field("dish", "菜名", ("菜名", "菜品", "菜品名称", "品名", "dish", "item")),
    Field("category", "菜品类别", ("菜品类别", "类别", "category")),
    Field("quantity", "数量", ("数量", "份数", "quantity", "qty")),
    Field("unit_price", "单价", ("单价", "价格", "price", "unit price")),
    Field("amount", "金额", ("金额", "小计", "amount")),
    Field("cost", "成本", ("成本", "cost")),
)  # fmt: skip

# The POS export of a restaurant: one file of bills, one of their lines.
_RESTAURANT = (
    Field("external_ref", "单号", ("info_id", "单号", "账单号", "order id")),
    Field("customer", "顾客编号", ("emp_id", "顾客编号", "会员号", "customer id")),
    Field("mobile", "手机", ("phone", "手机", "电话", "mobile"), many=True),
    Field("covers", "人数", ("number_consumers", "人数", "covers")),
    Field("table", "台号", ("dining_table_name", "台号", "table")),
    Field("payable", "应付金额", ("accounts_payable", "应付金额", "payable")),
    Field("opened_at", "开台时间", ("use_start_time", "开台时间", "opened at")),
    Field("closed_at", "结账时间", ("lock_time", "结账时间", "closed at")),
    Field("outlet", "门店", ("org_id", "门店", "outlet")),
    Field("status", "状态", ("order_status", "状态", "status")),
)  # fmt: skip

RESTAURANT_LINES = "restaurant_lines"
_RESTAURANT_LINES = (
    Field("external_ref", "单号", ("order_id", "单号", "账单号")),
    Field("dish", "菜名", ("dishes_name", "菜名", "dish")),
    Field("dish_ref", "菜品编号", ("dishes_id", "菜品编号")),
    Field("quantity", "数量", ("counts", "数量", "quantity")),
    Field("unit_price", "单价", ("amounts", "单价", "price")),
    Field("cost", "成本", ("cost", "成本")),
    Field("ordered_at", "点菜时间", ("place_order_time", "点菜时间")),
    Field("customer", "顾客编号", ("emp_id", "顾客编号")),
)  # fmt: skip

# Guest columns a stay or bill row may carry to say whose it is.
_IDENTITY = ("full_name", "surname", "gender", "mobile", "phone", "id_number",
             "id_type", "card_number", "employer")  # fmt: skip


def _identity() -> tuple[Field, ...]:
    return tuple(f for f in _GUEST if f.code in _IDENTITY)


FIELDS: dict[str, tuple[Field, ...]] = {
    ImportKind.GUESTS: _GUEST,
    ImportKind.STAYS: _identity() + _STAY,
    ImportKind.BILLS: _identity() + _BILL,
    ImportKind.RESTAURANT: _RESTAURANT,
    RESTAURANT_LINES: _RESTAURANT_LINES,
}

_STRIP = re.compile(r"[\s:*_\-./#]|[(（][^)）]*[)）]$")


class MappingError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def normalise_heading(heading: str) -> str:
    """Fold width and case, drop spaces, colons, asterisks and a trailing (note)."""
    folded = unicodedata.normalize("NFKC", heading).casefold().strip()
    return _STRIP.sub("", _STRIP.sub("", folded))


def fields_of(kind: str) -> tuple[Field, ...]:
    return FIELDS.get(kind, _GUEST)


def field_labels(kind: str) -> dict[str, str]:
    return {f.code: f.label for f in fields_of(kind)}


def column_keys(header: Iterable[str]) -> list[str]:
    """Headings as mapping keys; a repeated or blank heading gets its column number."""
    keys: list[str] = []
    for position, heading in enumerate(header, start=1):
        key = heading or f"第{position}列"
        keys.append(f"{key}（第{position}列）" if key in keys else key)
    return keys


def mapping_guess(kind: str, header: Iterable[str]) -> dict[str, str]:
    """The field each heading names; a single-valued field goes to its first column."""
    synonyms = {
        normalise_heading(name): spec
        for spec in fields_of(kind)
        for name in (spec.code, spec.label, *spec.synonyms)
    }
    taken: set[str] = set()
    mapping: dict[str, str] = {}
    for key, heading in zip(column_keys(header), header, strict=True):
        spec = synonyms.get(normalise_heading(heading))
        if spec is None or (spec.code in taken and not spec.many):
            mapping[key] = IGNORE
            continue
        taken.add(spec.code)
        mapping[key] = spec.code
    return mapping


def mapping_parse(pairs: Iterable[str]) -> dict[str, str]:
    """``["手机号码=mobile", "旧列="]`` from the command line as a dict."""
    parsed: dict[str, str] = {}
    for pair in pairs:
        heading, sep, code = pair.partition("=")
        if not sep or not heading.strip():
            raise MappingError(f"--map 应写成 “列名=字段”，实为 “{pair}”")
        parsed[heading.strip()] = code.strip()
    return parsed


def mapping_resolve(
    kind: str, header: list[str], overrides: Mapping[str, str]
) -> dict[str, str]:
    """The guessed mapping with the user's choices applied, checked."""
    mapping = mapping_guess(kind, header)
    specs = {f.code: f for f in fields_of(kind)}
    by_normal = {normalise_heading(key): key for key in mapping}
    for heading, code in overrides.items():
        key = (
            heading if heading in mapping else by_normal.get(normalise_heading(heading))
        )
        if key is None:
            raise MappingError(f"表格中没有“{heading}”这一列")
        if code and code not in specs:
            known = "、".join(f"{f.code}（{f.label}）" for f in specs.values())
            raise MappingError(f"没有字段“{code}”；可用的字段：{known}")
        mapping[key] = code
    _check_single(mapping, specs)
    return mapping


def _check_single(mapping: Mapping[str, str], specs: Mapping[str, Field]) -> None:
    seen: dict[str, str] = {}
    for heading, code in mapping.items():
        if not code:
            continue
        if code in seen and not specs[code].many:
            raise MappingError(
                f"“{seen[code]}”和“{heading}”都对应到“{specs[code].label}”，请只保留一列"
            )
        seen[code] = heading


def ignored_columns(mapping: Mapping[str, str]) -> list[str]:
    return [heading for heading, code in mapping.items() if not code]
