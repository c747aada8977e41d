"""How staff address a guest (姓氏尊称): 张先生, 欧阳女士, 李经理, 张总, Ms Martin."""

from __future__ import annotations

from typing import Literal

from dossier.zh.fold import is_cjk
from dossier.zh.names import NAME_DOTS

HonorificGender = Literal["M", "F", ""]
LatinStyle = Literal["en", "zh"]

# Customary short forms of titles, matched against the end of the title, longest first.
_TITLE_FORMS: dict[str, str] = {
    "总经理": "总",
    "总裁": "总",
    "总监": "总",
    "董事长": "总",
    "首席执行官": "总",
    "总工程师": "总工",
    "工程师": "工",
    "经理": "经理",
    "主任": "主任",
    "处长": "处长",
    "局长": "局长",
    "厅长": "厅长",
    "部长": "部长",
    "科长": "科长",
    "院长": "院长",
    "校长": "校长",
    "所长": "所长",
    "厂长": "厂长",
    "行长": "行长",
    "秘书长": "秘书长",
    "书记": "书记",
    "主席": "主席",
    "教授": "教授",
    "博士": "博士",
    "医生": "医生",
    "大夫": "大夫",
    "老师": "老师",
    "律师": "律师",
    "会计师": "会计师",
}
# Courtesy drops these qualifiers: a deputy general manager is greeted as 李总.
_TITLE_QUALIFIERS = ("副", "常务", "执行", "代理", "高级")
_ZH_SUFFIX = {"M": "先生", "F": "女士"}
_EN_PREFIX = {"M": "Mr", "F": "Ms"}


def honorific(
    *,
    surname: str,
    given_name: str,
    gender: HonorificGender,
    is_han: bool,
    title: str = "",
    prefer_title: bool = False,
    latin_style: LatinStyle = "zh",
    override: str = "",
) -> str:
    """Return the form of address shown on the profile card.

    In order: a non-blank ``override`` as given; surname plus the customary form
    of ``title`` when ``prefer_title`` is set (张总, 李经理); surname plus 先生/女士
    for Han names; for names without a surname (阿依古丽·买买提) their first part
    plus 先生/女士; for Latin-script surnames "Ms Martin" (``latin_style="en"``)
    or "Martin 女士" (``"zh"``). With no gender the full name is used, never a guess.
    """
    if override.strip():
        return override.strip()
    if prefer_title and title.strip() and surname:
        titled = _titled(surname, title.strip(), latin_style)
        if titled:
            return titled
    if not surname:
        return _without_surname(given_name, gender)
    if is_han or is_cjk(surname[0]):
        return surname + _ZH_SUFFIX[gender] if gender else surname + given_name
    return _latin(surname, given_name, gender, latin_style)


def short_title(title: str) -> str:
    """The customary short form of a job title: 总经理 → 总, 销售部经理 → 经理.

    Titles not in the table are returned as written, without courtesy qualifiers.
    """
    for qualifier in _TITLE_QUALIFIERS:
        title = title.removeprefix(qualifier)
    for full in sorted(_TITLE_FORMS, key=len, reverse=True):
        if title.endswith(full):
            return _TITLE_FORMS[full]
    return title


def _titled(surname: str, title: str, latin_style: LatinStyle) -> str:
    """Surname plus short title; "" for English style, which has no such forms."""
    if is_cjk(surname[0]):
        return surname + short_title(title)
    if latin_style == "zh":
        return f"{surname} {short_title(title)}"
    return ""


def _without_surname(given_name: str, gender: HonorificGender) -> str:
    """Address by the first part of the name: 阿依古丽·买买提 → 阿依古丽女士."""
    first = given_name
    for dot in NAME_DOTS:
        first = first.split(dot, 1)[0]
    first = first.strip() or given_name
    return first + _ZH_SUFFIX[gender] if gender else given_name


def _latin(
    surname: str, given_name: str, gender: HonorificGender, latin_style: LatinStyle
) -> str:
    """Ms Martin / Martin 女士, or the full name when the gender is unknown."""
    if not gender:
        return f"{given_name} {surname}".strip()
    if latin_style == "en":
        return f"{_EN_PREFIX[gender]} {surname}"
    return f"{surname} {_ZH_SUFFIX[gender]}"
