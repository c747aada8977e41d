"""Message templates of care: ``{称呼}您好`` filled in for one guest.

A template names its blanks in braces; an unknown name is refused when the rule or
campaign is saved, not discovered when the message goes out.
"""

import re
from collections.abc import Iterable, Mapping

from django.utils.translation import gettext as _

from dossier.care.errors import CareError, CareErrorCode

PLACEHOLDERS = {
    "称呼": "张先生",
    "姓名": "张伟",
    "日期": "12月8日",
    "纪念日": "生日",
    "节日": "春节",
    "礼品": "凭短信到前台领取生日蛋糕一份",
    "门店": "锦江饭店",
}
_BLANK = re.compile(r"\{([^{}]*)\}")


# A campaign goes to many guests at once: no dates or gifts of a single occasion.
CAMPAIGN_PLACEHOLDERS = ("称呼", "姓名", "门店")


def template_check(
    text: str, *, field: str = "template", allowed: Iterable[str] = PLACEHOLDERS
) -> None:
    """Refuse a template with an unknown or unclosed blank."""
    names = tuple(allowed)
    for name in _BLANK.findall(text):
        if name not in names:
            known = "、".join(f"{{{key}}}" for key in names)
            raise CareError(
                CareErrorCode.INVALID_VALUE,
                _("模板中有未知的占位符 {%(name)s}，可用：%(known)s")
                % {"name": name, "known": known},
                field=field,
            )
    rest = _BLANK.sub("", text)
    if "{" in rest or "}" in rest:
        raise CareError(
            CareErrorCode.INVALID_VALUE, _("模板中的花括号没有成对出现"), field=field
        )


def template_render(text: str, values: Mapping[str, str]) -> str:
    """``text`` with each blank replaced by its value (empty when not given)."""
    return _BLANK.sub(lambda match: values.get(match.group(1), ""), text)


def template_sample(text: str) -> str:
    """``text`` filled with sample values, for a preview."""
    return template_render(text, PLACEHOLDERS)
