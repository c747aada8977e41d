"""Which guest each row is: an existing one, an earlier row of the same file, or new.

A row is matched on its identity number first, then its member card, then its phones
(mobile first). A phone match is refused when both sides hold a document of the same
type with different numbers: a shared family phone does not make two people one.
The existing guests' keys are loaded for the whole file in a few batched queries.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from dossier.core.models import Property
from dossier.guests.models import (
    Guest,
    GuestPhone,
    GuestPreference,
    IdentityDocument,
    MemberCard,
)
from dossier.guests.services import GuestInput, IdentityInput, document_index
from dossier.imports.validation import GuestRow, phone_parse

BATCH = 500
_APPENDED = ("notes",)


@dataclass(slots=True)
class Target:
    """One guest the file speaks of, with every row about them merged."""

    guest_id: int | None
    rows: list[int] = field(default_factory=list)
    data: GuestInput = field(default_factory=GuestInput)
    cards: list[str] = field(default_factory=list)
    hobbies: list[str] = field(default_factory=list)
    documents: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    # For a matched guest: what the file changes (set by the preview).
    changes: GuestInput | None = None
    new_cards: list[str] = field(default_factory=list)
    new_hobbies: str = ""
    # Fixed at planning time: a new guest keeps being new once written.
    is_new: bool = field(init=False)

    def __post_init__(self) -> None:
        self.is_new = self.guest_id is None

    @property
    def first_row(self) -> int:
        return self.rows[0] if self.rows else 0

    @property
    def unchanged(self) -> bool:
        data = self.changes
        return (
            data is not None
            and not (data.fields or data.phones or data.documents)
            and not (self.new_cards or self.new_hobbies)
        )


@dataclass
class Known:
    """The keys of the property's existing guests that the file mentions."""

    by_document: dict[str, int] = field(default_factory=dict)
    by_card: dict[str, int] = field(default_factory=dict)
    by_phone: dict[str, int] = field(default_factory=dict)
    documents: dict[int, dict[str, set[str]]] = field(default_factory=dict)


def _chunks(values: Iterable[str]) -> Iterable[list[str]]:
    unique = sorted(set(values))
    for start in range(0, len(unique), BATCH):
        yield unique[start : start + BATCH]


def _owners(
    model: type[IdentityDocument | MemberCard | GuestPhone],
    column: str,
    prop: Property,
    keys: Iterable[str],
) -> dict[str, int]:
    """The oldest guest of the property holding each key.

    The property is checked in Python rather than joined in SQL: with the join,
    SQLite walks the property's guests instead of using the key's own index.
    """
    owners: dict[str, int] = {}
    for chunk in _chunks(keys):
        rows = model.objects.filter(**{f"{column}__in": chunk}).values_list(
            column, "guest_id", "guest__property_id"
        )
        for key, guest_id, property_id in sorted(rows, key=lambda r: r[1]):
            if property_id == prop.pk:
                owners.setdefault(key, guest_id)
    return owners


def known_load(prop: Property, rows: Sequence[GuestRow]) -> Known:
    known = Known(
        by_document=_owners(
            IdentityDocument,
            "number_index",
            prop,
            (index for row in rows for _, index in row.documents),
        ),
        by_card=_owners(MemberCard, "number", prop, (c for r in rows for c in r.cards)),
        by_phone=_owners(GuestPhone, "e164", prop, (p for r in rows for p in r.phones)),
    )
    ids = sorted(
        {*known.by_document.values(), *known.by_card.values(), *known.by_phone.values()}
    )
    for start in range(0, len(ids), BATCH):
        for guest_id, doc_type, index in IdentityDocument.objects.filter(
            guest_id__in=ids[start : start + BATCH]
        ).values_list("guest_id", "doc_type", "number_index"):
            known.documents.setdefault(guest_id, defaultdict(set))[doc_type].add(index)
    return known


@dataclass
class GuestPlan:
    targets: list[Target] = field(default_factory=list)
    of_row: dict[int, Target] = field(default_factory=dict)
    warnings: list[dict[str, Any]] = field(default_factory=list)

    @property
    def created(self) -> list[Target]:
        return [t for t in self.targets if t.is_new]

    @property
    def matched(self) -> list[Target]:
        return [t for t in self.targets if not t.is_new]


class Planner:
    """Assigns rows to targets in file order, so a repeated guest meets the first row."""

    def __init__(self, known: Known, *, warn_repeats: bool = True) -> None:
        self.known = known
        self.warn_repeats = warn_repeats
        self.plan = GuestPlan()
        self._existing: dict[int, Target] = {}
        self._document: dict[str, Target] = {}
        self._card: dict[str, Target] = {}
        self._phone: dict[str, Target] = {}

    def add(self, row: GuestRow, *, can_create: bool = True) -> Target | None:
        target = self._find(row)
        if target is None:
            if not can_create:
                return None
            target = Target(guest_id=None)
        if not target.rows:
            self.plan.targets.append(target)
        if target.rows and self.warn_repeats:
            self.plan.warnings.append(
                {
                    "row": row.row,
                    "column": "",
                    "value": row.name,
                    "message": f"与第 {target.first_row} 行是同一位客人，已合并到该行",
                }
            )
        _merge(target, row)
        for doc_type, index in row.documents:
            self._document.setdefault(index, target)
            target.documents[doc_type].add(index)
        for card in row.cards:
            self._card.setdefault(card, target)
        for e164 in row.phones:
            self._phone.setdefault(e164, target)
        self.plan.of_row[row.row] = target
        return target

    def _find(self, row: GuestRow) -> Target | None:
        for _, index in row.documents:
            found = self._document.get(index) or self._known(
                self.known.by_document, index
            )
            if found is not None:
                return found
        for card in row.cards:
            found = self._card.get(card) or self._known(self.known.by_card, card)
            if found is not None:
                return found
        for e164 in row.phones:
            found = self._phone.get(e164) or self._known(self.known.by_phone, e164)
            if found is not None and not self._conflicts(found, row):
                return found
        return None

    def _known(self, keys: dict[str, int], key: str) -> Target | None:
        guest_id = keys.get(key)
        if guest_id is None:
            return None
        target = self._existing.get(guest_id)
        if target is None:
            target = Target(guest_id=guest_id)
            for doc_type, indexes in self.known.documents.get(guest_id, {}).items():
                target.documents[doc_type] |= indexes
            self._existing[guest_id] = target
        return target

    def _conflicts(self, target: Target, row: GuestRow) -> bool:
        for doc_type, index in row.documents:
            held = target.documents.get(doc_type)
            if held and index not in held:
                self.plan.warnings.append(
                    {
                        "row": row.row,
                        "column": "",
                        "value": "",
                        "message": "电话与另一位客人相同，但证件号码不同，已按新客人处理",
                    }
                )
                return True
        return False


def _merge(target: Target, row: GuestRow) -> None:
    """Fill the target's blanks from the row; phones, documents and notes add up."""
    target.rows.append(row.row)
    data = target.data
    for name, value in row.data.fields.items():
        current = data.fields.get(name)
        if name in _APPENDED and current and value not in str(current):
            data.fields[name] = f"{current}\n{value}"
        elif current in (None, ""):
            data.fields[name] = value
    if data.surname is None:
        data.surname = row.data.surname
    for raw in row.data.phones:
        if raw not in data.phones:
            data.phones.append(raw)
    numbers = {d.number for d in data.documents}
    data.documents += [d for d in row.data.documents if d.number not in numbers]
    target.cards += [c for c in row.cards if c not in target.cards]
    if row.hobbies and row.hobbies not in target.hobbies:
        target.hobbies.append(row.hobbies)


@dataclass
class Current:
    """What the archive already holds of the matched guests."""

    guests: dict[int, Guest]
    phones: dict[int, set[str]]
    documents: dict[int, set[str]]
    cards: dict[int, set[str]]
    hobbies: dict[int, str]


def current_load(ids: Sequence[int], hobbies_item_id: int | None) -> Current:
    current = Current({}, defaultdict(set), defaultdict(set), defaultdict(set), {})
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        current.guests.update(Guest.objects.in_bulk(chunk))
        for guest_id, e164 in GuestPhone.objects.filter(guest_id__in=chunk).values_list(
            "guest_id", "e164"
        ):
            current.phones[guest_id].add(e164)
        for guest_id, index in IdentityDocument.objects.filter(
            guest_id__in=chunk
        ).values_list("guest_id", "number_index"):
            current.documents[guest_id].add(index)
        for guest_id, number in MemberCard.objects.filter(
            guest_id__in=chunk
        ).values_list("guest_id", "number"):
            current.cards[guest_id].add(number)
        if hobbies_item_id is not None:
            current.hobbies.update(
                GuestPreference.objects.filter(
                    guest_id__in=chunk, item_id=hobbies_item_id
                ).values_list("guest_id", "value_text")
            )
    return current


def changes_set(target: Target, current: Current) -> None:
    """Work out what the file adds to or changes in a matched guest."""
    assert target.guest_id is not None
    target.changes = changes_of(target, current)
    held = current.cards[target.guest_id]
    target.new_cards = [card for card in target.cards if card not in held]
    hobbies = "；".join(target.hobbies)
    if hobbies and hobbies != current.hobbies.get(target.guest_id, ""):
        target.new_hobbies = hobbies


def changes_of(target: Target, current: Current) -> GuestInput:
    """Only what the file adds or changes; a blank cell never erases a value."""
    assert target.guest_id is not None
    guest = current.guests[target.guest_id]
    fields: dict[str, Any] = {}
    for name, value in target.data.fields.items():
        before = getattr(guest, name)
        if name in _APPENDED:
            if value and value not in (before or ""):
                fields[name] = f"{before}\n{value}" if before else value
        elif value not in (None, "") and before != value:
            fields[name] = value
    phones = current.phones[target.guest_id]
    documents = current.documents[target.guest_id]
    return GuestInput(
        fields=fields,
        surname=target.data.surname if "full_name" in fields else None,
        phones=[p for p in target.data.phones if phone_parse(p).e164 not in phones],
        documents=[
            IdentityInput(number=d.number, doc_type=d.doc_type)
            for d in target.data.documents
            if document_index(d.doc_type, d.number) not in documents
        ],
    )
