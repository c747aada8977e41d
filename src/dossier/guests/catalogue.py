"""The seeded preference catalogue (G3): typed items grouped by domain.

Items are identified by code; syncing adds new items and updates names, units and
departments of existing ones, but never deletes an item a guest's value points to.
"""

from typing import Any, NamedTuple

HK, FB, FO = "housekeeping", "fnb", "front_office"


class Item(NamedTuple):
    code: str
    name: str
    name_en: str
    kind: str
    unit: str = ""
    choices: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    is_alert: bool = False


GROUPS: list[tuple[str, str, str, list[Item]]] = [
    (
        "health",
        "健康与禁忌",
        "Health and taboos",
        [
            Item("allergy", "过敏", "Allergies", "text", is_alert=True),
            Item(
                "taboo",
                "忌口",
                "Dietary taboos",
                "text",
                departments=(FB, HK),
                is_alert=True,
            ),
            Item(
                "hygiene", "卫生标准", "Hygiene standards", "text", departments=(HK, FB)
            ),
        ],
    ),
    (
        "room",
        "客房",
        "Room",
        [
            Item(
                "pillow",
                "枕头高度",
                "Pillow height",
                "choice",
                choices=("低", "中", "高", "双枕"),
                departments=(HK,),
            ),
            Item(
                "pillow_type",
                "枕芯",
                "Pillow filling",
                "choice",
                choices=("羽绒", "荞麦", "记忆棉", "乳胶"),
                departments=(HK,),
            ),
            Item(
                "mattress",
                "床垫软硬",
                "Mattress firmness",
                "choice",
                choices=("偏软", "适中", "偏硬", "加木板"),
                departments=(HK,),
            ),
            Item(
                "ac_temperature",
                "空调温度",
                "AC temperature",
                "number",
                unit="°C",
                departments=(HK,),
            ),
            Item(
                "bath_temperature",
                "洗澡水温",
                "Bath water temperature",
                "number",
                unit="°C",
                departments=(HK,),
            ),
            Item(
                "lighting",
                "灯光",
                "Lighting",
                "choice",
                choices=("明亮", "柔和", "昏暗", "夜灯常开"),
                departments=(HK,),
            ),
            Item(
                "toiletries",
                "洗漱用品品牌",
                "Toiletry brands",
                "text",
                departments=(HK,),
            ),
            Item(
                "amenities", "常用客用品", "Amenities used", "text", departments=(HK,)
            ),
            Item(
                "room_location",
                "房间位置",
                "Room location",
                "text",
                departments=(FO, HK),
            ),
        ],
    ),
    (
        "leisure",
        "阅读与娱乐",
        "Reading and entertainment",
        [
            Item(
                "newspaper",
                "报刊",
                "Newspapers and magazines",
                "text",
                departments=(HK, FO),
            ),
            Item("reading", "阅读习惯", "Reading habits", "text"),
            Item("tv_channel", "电视频道", "TV channels", "text", departments=(HK,)),
            Item("entertainment", "娱乐", "Entertainment", "text"),
            Item("hobbies", "其他爱好", "Other hobbies", "text"),
        ],
    ),
    (
        "dining",
        "餐饮",
        "Dining",
        [
            Item(
                "taste",
                "口味",
                "Taste",
                "choice",
                choices=("清淡", "偏咸", "偏甜", "微辣", "重辣", "酸辣"),
                departments=(FB,),
            ),
            Item("diet", "饮食习惯", "Diet", "text", departments=(FB,)),
            Item("tea", "茶", "Tea", "text", departments=(FB, HK)),
            Item("coffee", "咖啡", "Coffee", "text", departments=(FB,)),
            Item("wine", "酒水", "Wine and spirits", "text", departments=(FB,)),
            Item("seat", "座位", "Seating", "text", departments=(FB,)),
            Item(
                "condiments",
                "佐料",
                "Condiments (soy sauce, vinegar, pickles)",
                "text",
                departments=(FB,),
            ),
        ],
    ),
]


def catalogue_sync(**kwargs: Any) -> None:
    """Create or update the seeded groups and items."""
    from dossier.guests.models import PreferenceGroup, PreferenceItem

    for group_position, (code, name, name_en, items) in enumerate(GROUPS):
        group, _ = PreferenceGroup.objects.update_or_create(
            code=code,
            defaults={"name": name, "name_en": name_en, "position": group_position},
        )
        for position, item in enumerate(items):
            PreferenceItem.objects.update_or_create(
                code=item.code,
                defaults={
                    "group": group,
                    "name": item.name,
                    "name_en": item.name_en,
                    "kind": item.kind,
                    "unit": item.unit,
                    "choices": list(item.choices),
                    "departments": list(item.departments),
                    "is_alert": item.is_alert,
                    "position": position,
                },
            )
