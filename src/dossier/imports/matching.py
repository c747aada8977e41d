"""Which guest each row is: an existing one, an earlier row of the same file, or new.

A row is matched on its identity number first, then its member card (as ``card_key``
reads it: VIP-88001 is VIP88001), then its phones
(mobile first). A phone match is refused when both sides hold a document of the same
type with different numbers: a shared family phone does not make two people one.

A match never renames a person nor changes their birth date: a row found by its ID
number or card whose name differs from the profile's (folded, so 陳嘉欣 is 陈嘉欣 and
spacing or case do not count) or whose birth date contradicts it is rejected; a row
found only by a phone under another name is a household member, a new guest.
The existing guests' keys are loaded in one statement per kind of key: for the whole
file, or, when a guest file is committed a part at a time, for each part.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import connection
from django.utils.translation import gettext as _

from dossier.core.models import Property
from dossier.core.sql import among
from dossier.guests.models import (
    Guest,
    GuestPhone,
    GuestPreference,
    IdentityDocument,
    MemberCard,
    card_key,
)
from dossier.guests.services import (
    GuestInput,
    IdentityInput,
    document_index,
    parse_identity,
)
from dossier.imports.validation import GuestRow, RowError, phone_parse
from dossier.search.keys import compact

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
    identities: dict[int, Identity] = field(default_factory=dict)


class Written:
    """The guests a streamed import has already written, in its earlier parts.

    A large file is matched and written a part at a time in one transaction, so a
    later part finds these guests in the archive. What the file says of them again
    must count and read as it would within one part: a guest the file created is
    not "updated", a repeat names the guest's first row, and a later row fills only
    what is still blank.

    Each guest is one integer (id, first row, created, unchanged) in sorted arrays
    of eight bytes a guest, not an object; a part's array is merged with the last
    one while that is no more than twice as long, so that a look-up searches a few
    arrays rather than one per part.
    """

    _ROW = 1 << 2
    _ID = 1 << 28

    def __init__(self) -> None:
        self._parts: list[array[int]] = []

    def record(self, targets: Sequence[Target]) -> None:
        """Remember a part's targets the first time each guest is written."""
        fresh = array("q")
        for target in targets:
            if target.guest_id is None:
                continue
            found = self._find(target.guest_id)
            if found is None:
                fresh.append(
                    target.guest_id * self._ID
                    + target.first_row * self._ROW
                    + 2 * target.is_new
                    + target.unchanged
                )
            elif not target.unchanged:
                part, at = found
                self._parts[part][at] &= ~1
        if fresh:
            self._parts.append(array("q", sorted(fresh)))
        while len(self._parts) > 1 and (
            len(self._parts[-2]) <= 2 * len(self._parts[-1])
        ):
            newer, older = self._parts.pop(), self._parts.pop()
            self._parts.append(array("q", sorted(older + newer)))

    def _find(self, guest_id: int) -> tuple[int, int] | None:
        low = guest_id * self._ID
        for number, part in enumerate(self._parts):
            at = bisect_left(part, low)
            if at < len(part) and part[at] // self._ID == guest_id:
                return number, at
        return None

    def first_row(self, guest_id: int) -> int | None:
        """The file row that first spoke of the guest; negative when the guest was
        already in the archive, ``None`` when no earlier part wrote it."""
        found = self._find(guest_id)
        if found is None:
            return None
        value = self._parts[found[0]][found[1]]
        row = value % self._ID // self._ROW
        return row if value & 2 else -row

    def _values(self) -> Iterator[int]:
        for part in self._parts:
            yield from part

    def touched_ids(self) -> list[int]:
        """The guests the file created or changed: those a duplicate check must see."""
        return sorted(value // self._ID for value in self._values() if value & 3 != 1)

    @property
    def created(self) -> int:
        return sum(1 for value in self._values() if value & 2)

    @property
    def updated(self) -> int:
        return sum(1 for value in self._values() if not value & 2)

    @property
    def unchanged(self) -> int:
        return sum(1 for value in self._values() if value & 3 == 1)


@dataclass(frozen=True, slots=True)
class Identity:
    """Who a profile is: what a match must agree with before it may update it."""

    name: str
    birth: date | None

    @property
    def masked(self) -> str:
        return self.name[:1] + "*" * max(len(self.name) - 1, 1)


def _owners(
    model: type[IdentityDocument | MemberCard | GuestPhone],
    column: str,
    prop: Property,
    keys: Iterable[str],
    written: Written | None,
) -> dict[str, int]:
    """The oldest guest of the property holding each key; in a streamed import, the
    guest an earlier part wrote first, as the file's own rows come first.

    The property is checked in Python rather than in SQL: filtered on it, SQLite
    walks the property's guests instead of using the key's own index.
    """

    def order(row: tuple[str, int, int]) -> tuple[int, int]:
        first = written.first_row(row[1]) if written is not None else None
        return (1, row[1]) if first is None else (0, abs(first))

    owners: dict[str, int] = {}
    for key, guest_id, property_id in sorted(_holders(model, column, keys), key=order):
        if property_id == prop.pk:
            owners.setdefault(key, guest_id)
    return owners


def _holders(
    model: type[IdentityDocument | MemberCard | GuestPhone],
    column: str,
    keys: Iterable[str],
) -> list[tuple[str, int, int]]:
    """``(key, guest id, property id)`` of every holder of any of ``keys``, in one
    statement however many keys there are (one array or JSON parameter)."""
    wanted = sorted(set(keys))
    if not wanted:
        return []
    q = connection.ops.quote_name
    key = f"k.{q(column)}"
    held, params = among(key, wanted)
    sql = (
        f"SELECT {key}, k.guest_id, g.property_id FROM {q(model._meta.db_table)} k "
        f"JOIN {q(Guest._meta.db_table)} g ON g.id = k.guest_id WHERE {held}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(str(k), int(g), int(p)) for k, g, p in cursor.fetchall()]


def known_load(
    prop: Property, rows: Sequence[GuestRow], written: Written | None = None
) -> Known:
    documents = (index for row in rows for _, index in row.documents)
    known = Known(
        by_document=_owners(IdentityDocument, "number_index", prop, documents, written),
        by_card=_owners(
            MemberCard,
            "number_key",
            prop,
            (card_key(c) for r in rows for c in r.cards),
            written,
        ),
        by_phone=_owners(
            GuestPhone, "e164", prop, (p for r in rows for p in r.phones), written
        ),
    )
    ids = sorted(
        {*known.by_document.values(), *known.by_card.values(), *known.by_phone.values()}
    )
    for start in range(0, len(ids), BATCH):
        for guest_id, doc_type, index in IdentityDocument.objects.filter(
            guest_id__in=ids[start : start + BATCH]
        ).values_list("guest_id", "doc_type", "number_index"):
            known.documents.setdefault(guest_id, defaultdict(set))[doc_type].add(index)
        for guest_id, name, birth in Guest.objects.filter(
            pk__in=ids[start : start + BATCH]
        ).values_list("pk", "full_name", "birth_date"):
            known.identities[guest_id] = Identity(name, birth)
    return known


@dataclass
class GuestPlan:
    targets: list[Target] = field(default_factory=list)
    of_row: dict[int, Target] = field(default_factory=dict)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    # Rows that match a profile of another person: not applied, each with its reason.
    refused: list[RowError] = field(default_factory=list)

    def is_refused(self, row: int) -> bool:
        return any(error.row == row for error in self.refused)

    @property
    def created(self) -> list[Target]:
        return [t for t in self.targets if t.is_new]

    @property
    def matched(self) -> list[Target]:
        return [t for t in self.targets if not t.is_new]


class Planner:
    """Assigns rows to targets in file order, so a repeated guest meets the first row."""

    def __init__(
        self, known: Known, *, warn_repeats: bool = True, written: Written | None = None
    ) -> None:
        self.known = known
        self.warn_repeats = warn_repeats
        self.written = written
        self.plan = GuestPlan()
        self._existing: dict[int, Target] = {}
        self._document: dict[str, Target] = {}
        self._card: dict[str, Target] = {}
        self._phone: dict[str, Target] = {}

    def add(self, row: GuestRow, *, can_create: bool = True) -> Target | None:
        """The target of ``row``; ``None`` when it is refused or may not be created."""
        target, via = self._find(row)
        error = self._contradiction(target, via, row) if target else None
        if target is not None and error is not None:
            if via != "phone" or error.column != "full_name":
                error.column = row.heading(error.column)
                self.plan.refused.append(error)
                return None
            message = _("电话与%(other)s相同，但姓名不同，已按新客人处理")
            self._warn(row, message % {"other": self._described(target)})
            target = None
        if target is None:
            if not can_create:
                return None
            target = Target(guest_id=None)
        if not target.rows:
            self.plan.targets.append(target)
        first = self._first_row(target)
        if first and self.warn_repeats:
            self._warn(row, f"与第 {first} 行是同一位客人，已合并到该行")
        _merge(target, row)
        for doc_type, index in row.documents:
            self._document.setdefault(index, target)
            target.documents[doc_type].add(index)
        for card in row.cards:
            self._card.setdefault(card_key(card), target)
        for e164 in row.phones:
            self._phone.setdefault(e164, target)
        self.plan.of_row[row.row] = target
        return target

    def _written(self, target: Target) -> int | None:
        if self.written is None or target.guest_id is None:
            return None
        return self.written.first_row(target.guest_id)

    def _first_row(self, target: Target) -> int:
        """The row that first spoke of the target, in this part or an earlier one."""
        earlier = self._written(target)
        return abs(earlier) if earlier else target.first_row

    def _warn(self, row: GuestRow, message: str) -> None:
        self.plan.warnings.append(
            {"row": row.row, "column": "", "value": row.name, "message": message}
        )

    def _find(self, row: GuestRow) -> tuple[Target | None, str]:
        """The target a row's keys lead to, and which key: ``id_number``,
        ``card_number`` or ``phone``."""
        for _type, index in row.documents:
            found = self._document.get(index) or self._known(
                self.known.by_document, index
            )
            if found is not None:
                return found, "id_number"
        for card in map(card_key, row.cards):
            found = self._card.get(card) or self._known(self.known.by_card, card)
            if found is not None:
                return found, "card_number"
        for e164 in row.phones:
            found = self._phone.get(e164) or self._known(self.known.by_phone, e164)
            if found is not None and not self._conflicts(found, row):
                return found, "phone"
        return None, ""

    def _identity(self, target: Target) -> Identity:
        """Who the target is: the profile as stored, or the file's first row of it."""
        if target.guest_id is not None and target.guest_id in self.known.identities:
            return self.known.identities[target.guest_id]
        fields = target.data.fields
        return Identity(str(fields.get("full_name") or ""), fields.get("birth_date"))

    def _described(self, target: Target) -> str:
        """The target as a message names it, its name masked."""
        masked = self._identity(target).masked
        earlier = self._written(target)
        if target.is_new or (earlier is not None and earlier > 0):
            return _("第 %(row)s 行的 %(name)s") % {
                "row": self._first_row(target),
                "name": masked,
            }
        return _("已有档案 %(name)s") % {"name": masked}

    def _contradiction(
        self, target: Target, via: str, row: GuestRow
    ) -> RowError | None:
        """Why ``row`` cannot be the person ``target`` is, if it cannot; the error's
        column is the field at fault."""
        identity = self._identity(target)
        key = {
            "id_number": _("证件号码"),
            "card_number": _("会员卡号"),
            "phone": _("电话"),
        }[via]
        values = {"key": key, "other": self._described(target)}
        name = row.name
        if name and identity.name and compact(name) != compact(identity.name):
            reason = _(
                "%(key)s与%(other)s相同，但姓名不同：导入不会给客人改名，"
                "请核对%(key)s或姓名"
            )
            return RowError(row.row, "full_name", name, reason % values)
        birth, column, value = _row_birth(row)
        if birth and identity.birth and birth != identity.birth:
            reason = _(
                "%(key)s与%(other)s相同，但出生日期不同，请核对%(key)s或出生日期"
            )
            return RowError(row.row, column, value, reason % values)
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


def _row_birth(row: GuestRow) -> tuple[date | None, str, str]:
    """The birth date a row gives, written or read from its resident ID number, with
    the field and the value it comes from."""
    birth = row.data.fields.get("birth_date")
    if birth:
        return birth, "birth_date", birth.isoformat()
    for document in row.data.documents:
        _number, from_id, _gender = parse_identity(document)
        if from_id:
            return from_id, "id_number", document.number
    return None, "", ""


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
    held = {card_key(c) for c in target.cards}
    target.cards += [c for c in row.cards if card_key(c) not in held]
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
        for guest_id, key in MemberCard.objects.filter(guest_id__in=chunk).values_list(
            "guest_id", "number_key"
        ):
            current.cards[guest_id].add(key)
        if hobbies_item_id is not None:
            current.hobbies.update(
                GuestPreference.objects.filter(
                    guest_id__in=chunk, item_id=hobbies_item_id
                ).values_list("guest_id", "value_text")
            )
    return current


def changes_set(target: Target, current: Current, *, again: bool = False) -> None:
    """Work out what the file adds to or changes in a matched guest.

    ``again``: an earlier part of the same file wrote this guest, whose rows then
    came first; this part only fills its blanks and adds to its hobbies.
    """
    assert target.guest_id is not None
    target.changes = changes_of(target, current, again=again)
    held = current.cards[target.guest_id]
    target.new_cards = [card for card in target.cards if card_key(card) not in held]
    before = current.hobbies.get(target.guest_id, "")
    if again and before:
        held_hobbies = before.split("；")
        added = [h for h in target.hobbies if h not in held_hobbies]
        target.new_hobbies = "；".join([before, *added]) if added else ""
        return
    hobbies = "；".join(target.hobbies)
    if hobbies and hobbies != before:
        target.new_hobbies = hobbies


def changes_of(target: Target, current: Current, *, again: bool = False) -> GuestInput:
    """Only what the file adds or changes; a blank cell never erases a value."""
    assert target.guest_id is not None
    guest = current.guests[target.guest_id]
    fields: dict[str, Any] = {}
    for name, value in target.data.fields.items():
        before = getattr(guest, name)
        if again and name not in _APPENDED and before not in (None, ""):
            continue
        if name in _APPENDED:
            if value and value not in (before or ""):
                fields[name] = f"{before}\n{value}" if before else value
        elif name == "full_name" and compact(str(value)) == compact(before):
            # The same name in another script or spacing: the profile keeps its own.
            continue
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
