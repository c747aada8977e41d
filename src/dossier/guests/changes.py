"""The change log of a profile as a viewer may read it.

The log keeps field names, sources and coded values as written; the viewer reads them
as labels in their language. What a viewer sees of a phone or an identity number is
masked as on the profile card. Identity numbers are only ever
shown whole through the audited reveal, and phones whole only to viewers who may see
whole identity numbers.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import BooleanField
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from dossier.core.dates import month_day
from dossier.guests.models import DocumentType, Guest, PreferenceItem, ProfileChange
from dossier.guests.selectors import CardViewer
from dossier.zh.idnumber import mask_id_number
from dossier.zh.phones import mask_phone

_PHONE_FIELDS = frozenset({"phone", "phones", "mobile"})
_ID_NUMBER = re.compile(
    r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])|(?<![0-9])[0-9]{15}(?![0-9])"
)
_LIST = re.compile(r"[,，、;；]\s*")
_PREFERENCE = "preference:"
# Entries that are not a field of the profile model.
_FIELDS: dict[str, Promise] = {
    "phone": _("电话"),
    "document": _("证件"),
    "surname": _("姓"),
    "special_date": _("纪念日"),
    "created": _("建档"),
    "merged": _("合并了档案"),
    "merged_into": _("并入档案"),
    "merge_undone": _("撤销合并"),
}
_SOURCES: dict[str, Promise] = {
    "form": _("表单"),
    "import": _("导入"),
    "api": _("接口"),
    "registration": _("登记卡"),
    "observation": _("客史信息审核"),
    "merge": _("合并"),
    "merge_undo": _("撤销合并"),
    "demo": _("演示数据"),
}


@dataclass(frozen=True)
class ChangeRow:
    """One change as shown: the stored row, its field and source as labels, and its
    values as this viewer sees them."""

    change: ProfileChange
    field: str
    source: str
    before: str
    after: str


def _choices(name: str) -> dict[str, str]:
    """The labels of a coded field's values (gender, class, document type …)."""
    if name == "document":
        return {str(v): str(label) for v, label in DocumentType.choices}
    try:
        model_field = Guest._meta.get_field(name)
    except FieldDoesNotExist:
        return {}
    if isinstance(model_field, BooleanField):
        return {"是": str(_("是")), "否": str(_("否"))}
    choices: Sequence[Any] = getattr(model_field, "choices", None) or ()
    return {str(v): str(label) for v, label in choices if v != ""}


def field_label(name: str, items: dict[str, str]) -> str:
    if name.startswith(_PREFERENCE):
        code = name.removeprefix(_PREFERENCE)
        return items.get(code, code)
    if name in _FIELDS:
        return str(_FIELDS[name])
    try:
        model_field = Guest._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return str(getattr(model_field, "verbose_name", name))


def source_label(source: str) -> str:
    return str(_SOURCES[source]) if source in _SOURCES else source


def _items(changes: Sequence[ProfileChange]) -> dict[str, str]:
    """The catalogue items the changes name, by code, in the viewer's language."""
    codes = {
        c.field.removeprefix(_PREFERENCE)
        for c in changes
        if c.field.startswith(_PREFERENCE)
    }
    english = (get_language() or "").startswith("en")
    return {
        code: (name_en if english and name_en else name)
        for code, name, name_en in PreferenceItem.objects.filter(
            code__in=codes
        ).values_list("code", "name", "name_en")
    }


def _phones_masked(value: str) -> str:
    parts = [p for p in _LIST.split(value) if p.strip()]
    return "、".join(mask_phone(part) for part in parts)


def _birthday(value: str) -> str:
    """A birth date as the day of the year alone: with the masked resident ID
    beside it, the whole date would give the digits the mask hides."""
    try:
        return month_day(date.fromisoformat(value))
    except ValueError:
        return "****"


def change_value(field: str, value: str, viewer: CardViewer) -> str:
    """``value`` of ``field`` as a label when coded, with what the viewer may not
    see whole masked."""
    if not value:
        return value
    if label := _choices(field).get(value):
        return label
    if field in _PHONE_FIELDS and not viewer.sees_full_id:
        return _phones_masked(value)
    if field == "birth_date" and not viewer.sees_full_id:
        return _birthday(value)
    return _ID_NUMBER.sub(lambda found: mask_id_number(found.group()), value)


def change_rows(
    changes: Iterable[ProfileChange], viewer: CardViewer
) -> list[ChangeRow]:
    listed = list(changes)
    items = _items(listed)
    return [
        ChangeRow(
            change=change,
            field=field_label(change.field, items),
            source=source_label(change.source),
            before=change_value(change.field, change.before, viewer),
            after=change_value(change.field, change.after, viewer),
        )
        for change in listed
    ]
