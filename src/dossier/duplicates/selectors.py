"""Reading the review queue and what the rules and the comparison page need."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.db import connection
from django.db.models import Model, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dossier.core.people import staff_name
from dossier.core.sql import among
from dossier.duplicates.blocking import merged_away
from dossier.duplicates.models import CandidateStatus, DuplicateCandidate, Merge
from dossier.duplicates.rules import Facts, disagreements
from dossier.guests.models import Guest, GuestPhone, IdentityDocument, MemberCard
from dossier.zh.phones import InvalidPhone, mask_phone, normalize_phone

FACTS_BATCH = 1000
# Profile fields that are bookkeeping, not something a reviewer compares.
_HIDDEN_FIELDS = {
    "id",
    "property",
    "name_sort",
    "surname_explicit",
    "name_is_han",
    "name_pinyin",
}
# Fields the profile model leaves without a label of its own.
_FIELD_LABELS: dict[str, Promise] = {
    "created_at": _("建档时间"),
    "updated_at": _("最近修改时间"),
    "created_by": _("建档人"),
}
# What else the comparison counts, by the name of the reverse relation.
_COUNTED: dict[str, Promise] = {
    "stays": _("住店记录"),
    "bills": _("餐饮账单"),
    "spend": _("消费明细"),
    "observations": _("客史信息"),
    "tasks": _("任务"),
    "consents": _("授权记录"),
    "changes": _("档案变更"),
}


@dataclass(frozen=True)
class Shared:
    """A phone or document number typed for one profile that another profile of
    the property holds, masked."""

    masked: str
    guest_id: int
    name: str


def _elsewhere(held: QuerySet[Any], guest_id: int | None) -> QuerySet[Any]:
    """The rows of ``held`` of profiles other than ``guest_id`` and not merged away."""
    held = held.exclude(merged_away("guest_id"))
    return held if guest_id is None else held.exclude(guest_id=guest_id)


def phones_elsewhere(
    *, property_id: int, phones: Sequence[str], guest_id: int | None = None
) -> list[Shared]:
    """Profiles other than ``guest_id`` holding any of ``phones`` (as typed) that
    ``guest_id`` does not hold yet: what the form warns of before saving."""
    numbers = set()
    for raw in phones:
        try:
            numbers.add(normalize_phone(raw).e164)
        except InvalidPhone:
            continue
    if guest_id is not None:
        numbers -= set(
            GuestPhone.objects.filter(guest_id=guest_id).values_list("e164", flat=True)
        )
    if not numbers:
        return []
    held = _elsewhere(
        GuestPhone.objects.filter(e164__in=numbers, guest__property_id=property_id),
        guest_id,
    )
    rows = held.order_by("e164", "guest_id").values_list(
        "e164", "guest_id", "guest__full_name"
    )
    return [Shared(mask_phone(e164), owner, name) for e164, owner, name in rows]


def documents_elsewhere(
    *, property_id: int, indexes: Sequence[str], guest_id: int | None = None
) -> list[Shared]:
    """Profiles other than ``guest_id`` holding a document of ``indexes`` (keyed
    hashes of the numbers typed): what the form warns of before saving."""
    if not indexes:
        return []
    held = _elsewhere(
        IdentityDocument.objects.filter(
            number_index__in=indexes, guest__property_id=property_id
        ),
        guest_id,
    )
    rows = held.order_by("guest_id").values_list(
        "number_masked", "guest_id", "guest__full_name"
    )
    return [Shared(masked, owner, name) for masked, owner, name in rows]


def facts_load(ids: Sequence[int]) -> dict[int, Facts]:
    """The facts of each guest in ``ids``, with four statements per batch."""
    facts: dict[int, Facts] = {}
    for start in range(0, len(ids), FACTS_BATCH):
        chunk = ids[start : start + FACTS_BATCH]
        for pk, name, pinyin, birth, email in _rows(
            Guest, "id", chunk, "full_name", "name_pinyin", "birth_date", "email"
        ):
            facts[pk] = Facts(pk, name, pinyin, birth, email.strip().lower())
        for guest_id, e164 in _rows(GuestPhone, "guest_id", chunk, "e164"):
            facts[guest_id].phones.add(e164)
        for guest_id, index, masked in _rows(
            IdentityDocument, "guest_id", chunk, "number_index", "number_masked"
        ):
            facts[guest_id].documents[index] = masked
        # The first card written of those one key reads alike (VIP-1, vip 1) shows.
        for guest_id, key, number in _rows(
            MemberCard, "guest_id", chunk, "number_key", "number"
        ):
            if key:
                facts[guest_id].cards.setdefault(key, number)
    return facts


def _rows(
    model: type[Model], key: str, values: Sequence[int], *columns: str
) -> list[tuple[Any, ...]]:
    """``key`` and ``columns`` of ``model``'s rows whose ``key`` is among ``values``,
    in the order they were written, in one statement."""
    q = connection.ops.quote_name
    held, params = among(q(key), values)
    names = ", ".join(q(c) for c in (key, *columns))
    sql = (
        f"SELECT {names} FROM {q(model._meta.db_table)} WHERE {held} ORDER BY {q('id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def pair_conflicts(a_id: int, b_id: int) -> list[str]:
    """The fields on which two profiles sharing a document disagree (see
    ``rules.disagreements``); empty when they share none or agree."""
    facts = facts_load([a_id, b_id])
    a, b = facts[a_id], facts[b_id]
    if not set(a.documents) & set(b.documents):
        return []
    return disagreements(a, b)


def candidates_open(property_id: int) -> QuerySet[DuplicateCandidate]:
    """Open candidates of a property, best score first; merged-away guests left out."""
    return (
        DuplicateCandidate.objects.filter(
            property_id=property_id, status=CandidateStatus.OPEN
        )
        .exclude(merged_away("guest_a_id"))
        .exclude(merged_away("guest_b_id"))
        .select_related("guest_a", "guest_b")
        .order_by("-score", "created_at", "pk")
    )


def merge_active(guest_id: int) -> Merge | None:
    """The merge that took ``guest_id`` into another profile, if not undone."""
    return Merge.objects.filter(duplicate_id=guest_id, undone_at__isnull=True).first()


@dataclass(frozen=True)
class Row:
    label: str
    a: str
    b: str
    highlighted: bool

    @property
    def differs(self) -> bool:
        return self.a != self.b


def _shown(guest: Guest, name: str, zone: ZoneInfo) -> str:
    """A field as the reviewer reads it: choices by label, times in the property's
    time zone, yes or no, money in yuan."""
    display = getattr(guest, f"get_{name}_display", None)
    if display is not None:
        return str(display()) if getattr(guest, name) else ""
    value = getattr(guest, name)
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return str(_("是") if value else _("否"))
    if isinstance(value, datetime):
        return value.astimezone(zone).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, User):
        return staff_name(value)
    return str(value)


def _label(field: Any) -> str:
    return str(_FIELD_LABELS.get(field.name, field.verbose_name))


def _related(guest: Guest) -> dict[str, str]:
    phones = GuestPhone.objects.filter(guest=guest).order_by("-is_primary", "pk")
    preferences = guest.preferences.select_related("item").order_by("item__position")
    return {
        "phones": "、".join(mask_phone(p.e164) for p in phones),
        "documents": "、".join(
            f"{d.get_doc_type_display()} {d.number_masked}"
            for d in guest.documents.order_by("pk")
        ),
        "cards": "、".join(c.number for c in guest.cards.order_by("pk")),
        "tags": "、".join(t.name for t in guest.tags.order_by("name")),
        "preferences": "；".join(
            f"{p.item.name}：{p.display_value()}" for p in preferences
        ),
        "special_dates": "；".join(str(s) for s in guest.special_dates.order_by("pk")),
    }


_RELATED_LABELS: dict[str, Promise] = {
    "phones": _("电话"),
    "documents": _("证件"),
    "cards": _("会员卡"),
    "tags": _("标签"),
    "preferences": _("偏好"),
    "special_dates": _("纪念日"),
}


def _counts(guest: Guest) -> dict[str, int]:
    # One count per table: a join of all of them would multiply the rows.
    return {name: getattr(guest, name).count() for name in _COUNTED}


def candidate_comparison(candidate: DuplicateCandidate) -> list[Row]:
    """Every field of both profiles side by side, the ones the evidence names marked."""
    a, b = candidate.guest_a, candidate.guest_b
    marked = {
        name for rule in candidate.evidence.get("rules", []) for name in rule["fields"]
    }
    zone = candidate.property.zone
    rows = [
        Row(
            _label(f),
            _shown(a, f.name, zone),
            _shown(b, f.name, zone),
            f.name in marked,
        )
        for f in Guest._meta.concrete_fields
        if f.name not in _HIDDEN_FIELDS
    ]
    related_a, related_b = _related(a), _related(b)
    rows += [
        Row(str(label), related_a[name], related_b[name], name in marked)
        for name, label in _RELATED_LABELS.items()
    ]
    counts_a, counts_b = _counts(a), _counts(b)
    rows += [
        Row(str(label), str(counts_a[name]), str(counts_b[name]), False)
        for name, label in _COUNTED.items()
    ]
    return rows


def candidate_for(candidate_id: int, property_id: int) -> DuplicateCandidate | None:
    return (
        DuplicateCandidate.objects.filter(pk=candidate_id, property_id=property_id)
        .select_related("guest_a", "guest_b", "property")
        .first()
    )
