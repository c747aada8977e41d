"""The change log of a profile as a viewer may read it.

The log keeps every value as it was written; what a viewer sees of a phone or an
identity number is masked as on the profile card. Identity numbers are only ever
shown whole through the audited reveal, and phones whole only to viewers who may see
whole identity numbers.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from dossier.guests.models import ProfileChange
from dossier.guests.selectors import CardViewer
from dossier.zh.idnumber import mask_id_number
from dossier.zh.phones import mask_phone

_PHONE_FIELDS = frozenset({"phone", "phones", "mobile"})
_ID_NUMBER = re.compile(
    r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])|(?<![0-9])[0-9]{15}(?![0-9])"
)
_LIST = re.compile(r"[,，、;；]\s*")


@dataclass(frozen=True)
class ChangeRow:
    """One change as shown: the stored row and its values as this viewer sees them."""

    change: ProfileChange
    before: str
    after: str


def _phones_masked(value: str) -> str:
    parts = [p for p in _LIST.split(value) if p.strip()]
    return "、".join(mask_phone(part) for part in parts)


def change_value(field: str, value: str, viewer: CardViewer) -> str:
    """``value`` of ``field`` with what the viewer may not see whole masked."""
    if not value:
        return value
    if field in _PHONE_FIELDS and not viewer.sees_full_id:
        return _phones_masked(value)
    return _ID_NUMBER.sub(lambda found: mask_id_number(found.group()), value)


def change_rows(
    changes: Iterable[ProfileChange], viewer: CardViewer
) -> list[ChangeRow]:
    return [
        ChangeRow(
            change=change,
            before=change_value(change.field, change.before, viewer),
            after=change_value(change.field, change.after, viewer),
        )
        for change in changes
    ]
