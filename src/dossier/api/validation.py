"""The details of a refused request (422) in the user's language.

pydantic describes each problem in English ("Input should be greater than or equal
to 1"); each detail keeps its ``loc`` and ``type`` for programs and gets a ``msg``
in the session's language that names the field, so a Chinese reader does not find
English beside "提交的数据有误". A message our own validators wrote (already in the
user's language) is kept as written.
"""

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dossier.core.punctuation import punctuation

# pydantic's error type, the message (about %(field)s) and the ``ctx`` key that
# fills %(limit)s.
_MESSAGES: dict[str, tuple[str, str]] = {
    "missing": (gettext_noop("缺少字段 %(field)s"), ""),
    "greater_than_equal": (gettext_noop("%(field)s 不能小于 %(limit)s"), "ge"),
    "greater_than": (gettext_noop("%(field)s 应大于 %(limit)s"), "gt"),
    "less_than_equal": (gettext_noop("%(field)s 不能大于 %(limit)s"), "le"),
    "less_than": (gettext_noop("%(field)s 应小于 %(limit)s"), "lt"),
    "int_parsing": (gettext_noop("%(field)s 应为整数"), ""),
    "int_type": (gettext_noop("%(field)s 应为整数"), ""),
    "int_from_float": (gettext_noop("%(field)s 应为整数"), ""),
    "float_parsing": (gettext_noop("%(field)s 应为数字"), ""),
    "float_type": (gettext_noop("%(field)s 应为数字"), ""),
    "decimal_parsing": (gettext_noop("%(field)s 应为数字"), ""),
    "decimal_type": (gettext_noop("%(field)s 应为数字"), ""),
    "finite_number": (gettext_noop("%(field)s 应为有限的数字"), ""),
    "decimal_max_digits": (
        gettext_noop("%(field)s 最多 %(limit)s 位数字"),
        "max_digits",
    ),
    "decimal_max_places": (
        gettext_noop("%(field)s 最多 %(limit)s 位小数"),
        "decimal_places",
    ),
    "decimal_whole_digits": (
        gettext_noop("%(field)s 的整数部分最多 %(limit)s 位"),
        "whole_digits",
    ),
    "string_type": (gettext_noop("%(field)s 应为文本"), ""),
    "string_too_long": (
        gettext_noop("%(field)s 最多 %(limit)s 个字符"),
        "max_length",
    ),
    "string_too_short": (
        gettext_noop("%(field)s 至少 %(limit)s 个字符"),
        "min_length",
    ),
    "string_pattern_mismatch": (gettext_noop("%(field)s 的格式不对"), ""),
    "too_long": (gettext_noop("%(field)s 最多 %(limit)s 项"), "max_length"),
    "too_short": (gettext_noop("%(field)s 至少 %(limit)s 项"), "min_length"),
    "bool_parsing": (gettext_noop("%(field)s 应为 true 或 false"), ""),
    "bool_type": (gettext_noop("%(field)s 应为 true 或 false"), ""),
    "date_parsing": (gettext_noop("%(field)s 应为日期，例如 2024-03-05"), ""),
    "date_from_datetime_parsing": (
        gettext_noop("%(field)s 应为日期，例如 2024-03-05"),
        "",
    ),
    "date_from_datetime_inexact": (
        gettext_noop("%(field)s 应为日期，例如 2024-03-05"),
        "",
    ),
    "date_type": (gettext_noop("%(field)s 应为日期，例如 2024-03-05"), ""),
    "datetime_parsing": (
        gettext_noop("%(field)s 应为日期时间，例如 2024-03-05T18:30:00"),
        "",
    ),
    "datetime_from_date_parsing": (
        gettext_noop("%(field)s 应为日期时间，例如 2024-03-05T18:30:00"),
        "",
    ),
    "datetime_type": (
        gettext_noop("%(field)s 应为日期时间，例如 2024-03-05T18:30:00"),
        "",
    ),
    "enum": (gettext_noop("%(field)s 应为以下之一：%(limit)s"), "expected"),
    "literal_error": (gettext_noop("%(field)s 应为以下之一：%(limit)s"), "expected"),
    "list_type": (gettext_noop("%(field)s 应为列表"), ""),
    "dict_type": (gettext_noop("%(field)s 应为对象"), ""),
    "model_type": (gettext_noop("%(field)s 应为对象"), ""),
    "model_attributes_type": (gettext_noop("%(field)s 应为对象"), ""),
    "extra_forbidden": (gettext_noop("不认识的字段 %(field)s"), ""),
    "json_invalid": (gettext_noop("请求内容不是有效的 JSON"), ""),
    "uuid_parsing": (gettext_noop("%(field)s 应为 UUID"), ""),
    "url_parsing": (gettext_noop("%(field)s 应为网址"), ""),
}
# A validator of ours raised ValueError with a message already in the user's
# language; pydantic puts this in front of it.
_OURS = {"value_error": "Value error, ", "assertion_error": "Assertion failed, "}
# Messages of ours that are no pydantic type (the null character of the parser).
_KEEP = {"null"}


def _field(loc: Iterable[Any]) -> str:
    """The field as the request names it: the last name in ``loc`` (a list index
    is kept after it, ``lines[2]``), or the body itself."""
    parts = [str(p) for p in loc]
    if parts[:1] == ["body"] and len(parts) > 2:
        parts = parts[2:]  # the view's parameter (payload) is no name the caller sent
    names = [p for p in parts if p not in ("body", "query", "path", "header")]
    if not names:
        return _("请求内容")
    field = names[0]
    for part in names[1:]:
        field += f"[{part}]" if part.isdigit() else f".{part}"
    return field


def error_message(error: dict[str, Any]) -> str:
    """One problem of a refused request in the active language."""
    kind = str(error.get("type", ""))
    msg = str(error.get("msg", ""))
    if kind in _KEEP:
        return msg
    if kind in _OURS:
        return msg.removeprefix(_OURS[kind])
    field = _field(error.get("loc", ()))
    template, key = _MESSAGES.get(kind, (gettext_noop("%(field)s 的值无效"), ""))
    limit = (error.get("ctx") or {}).get(key, "") if key else ""
    if kind in ("enum", "literal_error"):
        limit = punctuation("、").join(
            part.strip(" '") for part in str(limit).replace(" or ", ",").split(",")
        )
    return _(template) % {"field": field, "limit": limit}


def translated_errors(errors: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The details of a 422: where (``loc``), what kind (``type``) and ``msg`` in
    the user's language; pydantic's English text, the input and its links are left
    out."""
    return [
        {
            "loc": list(error.get("loc", ())),
            "msg": error_message(error),
            "type": error.get("type", ""),
        }
        for error in errors
    ]
