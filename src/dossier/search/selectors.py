"""Finding guests by whatever the desk has at hand, and searching with filters.

One mechanism for every door (look-up box, search page, API, ``dossier lookup``):
:func:`dossier.search.query.plan_query` turns the query into key branches, and one
SQL statement fetches a bounded candidate set for all of them (each branch capped,
rooms included), so a look-up costs the same few queries at any archive size.

Ranking: an exact key, then a prefix, then a word inside a company name or a note,
then a fuzzy match (a merged sound or two swapped letters, tried only when the
others found too few). Within a rank, digits read as a phone's tail come before an
ID's last four (see ``REASON_ORDER``), then guests in the house or arriving today
before the others, then the guest seen most recently, then by name. Guests in the
house rank first for a room number.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AnonymousUser, User
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.dateparse import parse_datetime

from dossier.core.dbsetup import prepared_cursor
from dossier.core.models import Property
from dossier.core.rows import marks, table_name
from dossier.guests.cardload import card_rows
from dossier.guests.models import Gender, Guest, GuestPhone
from dossier.guests.selectors import (
    card_guests,
    card_viewer,
    guest_card,
    visible_sql,
)
from dossier.history.models import Bill, Stay, StayStatus
from dossier.search.errors import SearchError, SearchErrorCode
from dossier.search.filters import (
    QUERY_MAX,
    VISIT_BILLS,
    VISIT_STAYS,
    SearchFilters,
    filters_problem,
    guest_filter,
)
from dossier.search.indexing import national_of
from dossier.search.keys import pinyin_spelling
from dossier.search.models import SavedSearch, SearchKey
from dossier.search.query import (
    AllOf,
    KeyMatch,
    Plan,
    Rank,
    Want,
    plan_query,
    preference_condition,
    reason_order,
    room_forms,
)
from dossier.search.reasons import REASON_LABELS, room_label
from dossier.zh.names import name_readings
from dossier.zh.phones import mask_phone

__all__ = [
    "Hit",
    "Rank",
    "SearchFilters",
    "guest_lookup",
    "guest_search",
    "hits_why",
]

LOOKUP_LIMIT = 20
SEARCH_LIMIT = 500
PAGE_SIZE = 25
# Rows read per branch: enough to rank from, never a whole prefix range.
MIN_CANDIDATES = 60
IN_HOUSE_LIMIT = 5
# Stays of a room read to find who is in it: more than a room ever holds at once.
IN_HOUSE_SCAN = 20
_ROOM_BRANCH = -1
_PHONE_REASONS = ("phone", "phone_tail")
_LAST_ROOM_BRANCH = -2
# Guests shown for the start of room numbers when none of those rooms is occupied.
ROOM_PREFIX_LAST = 5

_Sql = tuple[str, list[Any]]


@dataclass(frozen=True)
class Hit:
    """A guest found: how well, why (a reason code and the key matched), last visit."""

    guest_id: int
    rank: Rank
    reason: str
    matched: str = ""
    last_visit: date | None = None
    # The key looked for (without its kind), of which ``matched`` is the key found.
    wanted: str = ""


def _key_branch(
    property_id: int, want: Want, branch: int, cap: int, guests: _Sql | None
) -> _Sql:
    """One key branch: rows of ``SearchKey`` (as ``o``) matching ``want``, capped."""
    table = connection.ops.quote_name(SearchKey._meta.db_table)
    condition, key_params = want.match.sql("o.key")
    sql = (
        f"SELECT o.guest_id, o.key, {int(branch)} AS branch FROM {table} o"
        f" WHERE o.property_id = %s AND {condition}"
    )
    params: list[Any] = [property_id, *key_params]
    for group in want.also:
        condition, group_params = _also_sql(table, group)
        sql += f" AND ({condition})"
        params += group_params
    return _admitted(sql, params, guests, cap)


def _has_sql(table: str, matches: Sequence[KeyMatch]) -> _Sql:
    """The guest of row ``o`` has a key matching one of ``matches``."""
    alternatives = [match.sql("a.key") for match in matches]
    either = " OR ".join(f"({part})" for part, _ in alternatives)
    sql = (
        f"EXISTS (SELECT 1 FROM {table} a WHERE a.guest_id = o.guest_id AND ({either}))"
    )
    return sql, [param for _, part in alternatives for param in part]


def _also_sql(table: str, group: Sequence[AllOf]) -> _Sql:
    """The guest of row ``o`` meets one alternative of ``group``: single keys are
    asked in one probe of the (guest, key) index, sets of keys one probe a key."""
    singles = [alternative[0] for alternative in group if len(alternative) == 1]
    parts = [_has_sql(table, singles)] if singles else []
    for alternative in group:
        if len(alternative) > 1:
            probes = [_has_sql(table, (match,)) for match in alternative]
            parts.append(
                (
                    "(" + " AND ".join(sql for sql, _ in probes) + ")",
                    [param for _, part in probes for param in part],
                )
            )
    return " OR ".join(sql for sql, _ in parts), [p for _, part in parts for p in part]


def _admitted(sql: str, params: list[Any], guests: _Sql | None, cap: int) -> _Sql:
    if guests is not None:
        sql += f" AND EXISTS ({guests[0]})"
        params = [*params, *guests[1]]
    return f"{sql} LIMIT {int(cap)}", params


def _room_branches(property_id: int, plan: Plan, guests: _Sql | None) -> list[_Sql]:
    """Guests in the room tonight, and the last guest who stayed in it, the room
    written either way (``812``, ``0812``: see ``room_forms``); with ``room_also``
    only guests who have the other words too (``王 812``).

    Both read the room's latest stays through the (property, room, arrival) index:
    a condition on the status would let a planner without statistics walk every
    in-house stay of the property instead. The start of room numbers (``T47``,
    ``room_prefix``) gives the guests in the house in any of those rooms, else the
    last few who stayed in one.
    """
    table = connection.ops.quote_name(Stay._meta.db_table)
    if plan.room_prefix:
        condition, rooms = KeyMatch(plan.room, True).sql("o.room")
    else:
        rooms = room_forms(plan.room)
        condition = f"o.room IN ({', '.join(['%s'] * len(rooms))})"
    latest = (
        f"SELECT o.guest_id, o.room, o.status FROM {table} o"
        f" WHERE o.property_id = %s AND {condition}"
    )
    params: list[Any] = [property_id, *rooms]
    for group in plan.room_also:
        also, also_params = _also_sql(
            connection.ops.quote_name(SearchKey._meta.db_table), group
        )
        latest += f" AND ({also})"
        params += also_params
    if guests is not None:
        latest += f" AND EXISTS ({guests[0]})"
        params += guests[1]
    last_count = ROOM_PREFIX_LAST if plan.room_prefix else 1
    if plan.room_prefix:
        # Rooms of a prefix are many; those in the house are few.
        in_house = (
            f"SELECT r.guest_id, r.room AS key, {_ROOM_BRANCH} AS branch FROM"
            f" ({latest} AND o.status = %s LIMIT {LOOKUP_LIMIT}) r"
        )
        in_house_params = [*params, StayStatus.IN_HOUSE.value]
    else:
        in_house = (
            f"SELECT r.guest_id, r.room AS key, {_ROOM_BRANCH} AS branch FROM"
            f" ({latest} ORDER BY o.arrival DESC LIMIT {IN_HOUSE_SCAN}) r"
            f" WHERE r.status = %s LIMIT {IN_HOUSE_LIMIT}"
        )
        in_house_params = [*params, StayStatus.IN_HOUSE.value]
    last = (
        f"SELECT o.guest_id, o.room AS key, {_LAST_ROOM_BRANCH} AS branch FROM"
        f" ({latest} AND o.status <> %s ORDER BY o.arrival DESC LIMIT {last_count}) o"
    )
    return [
        (in_house, in_house_params),
        (last, [*params, StayStatus.CANCELLED.value]),
    ]


def _guest_sql(guests: Q) -> _Sql:
    """The guest condition as a subquery correlated to the branch row ``o``."""
    rows = Guest.objects.filter(guests, pk=RawSQL("o.guest_id", ())).values("pk")
    sql, params = rows.query.get_compiler(using=rows.db).as_sql()
    return sql, list(params)


def _candidates(
    property_id: int, plan: Plan, guests: Q | None, cap: int
) -> list[tuple[int, str, int]]:
    """(guest id, key found, branch) for every branch, in one statement; each branch
    reads at most ``cap`` rows, so no prefix range is scanned whole."""
    admitted = _guest_sql(guests) if guests is not None else None
    wants = [*plan.wants, *plan.fuzzy]
    branches = [
        _key_branch(property_id, want, i, cap, admitted) for i, want in enumerate(wants)
    ]
    if plan.room:
        branches += _room_branches(property_id, plan, admitted)
    if not branches:
        return []
    sql = " UNION ALL ".join(
        f"SELECT * FROM ({part}) b{i}" for i, (part, _) in enumerate(branches)
    )
    params = [param for _, part in branches for param in part]
    # A look-up's statement is one of a few shapes of keys and ids, prepared; the
    # filters of the search page are not (dates, free text).
    with prepared_cursor() if guests is None else connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(int(g), str(k), int(b)) for g, k, b in cursor.fetchall()]


def _hits(rows: list[tuple[int, str, int]], plan: Plan) -> dict[int, Hit]:
    """The best hit of each guest; rooms: guests in the house, else the last one;
    a room found by its start (T47: T4701) ranks as a prefix."""
    wants = [*plan.wants, *plan.fuzzy]
    in_house = any(branch == _ROOM_BRANCH for _, _, branch in rows)
    best: dict[int, Hit] = {}
    for guest_id, key, branch in rows:
        if branch < 0:
            if (branch == _ROOM_BRANCH) != in_house:
                continue
            whole = not plan.room_prefix or key.upper() == plan.room
            rank = Rank.EXACT if whole else Rank.PREFIX
            hit = Hit(guest_id, rank, "room", key, None, plan.room)
        else:
            want = wants[branch]
            if want.rank is not None:
                rank = want.rank
            else:
                rank = Rank.EXACT if key == want.match.key else Rank.PREFIX
            wanted = want.match.key.split(":", 1)[1]
            hit = Hit(guest_id, rank, want.reason, key.split(":", 1)[1], None, wanted)
        if guest_id not in best or _tier(hit) < _tier(best[guest_id]):
            best[guest_id] = hit
    return best


def _tier(hit: Hit) -> tuple[Rank, int]:
    """Rank, then the order of the reason within it: a phone tail before an ID's."""
    return hit.rank, reason_order(hit.reason)


@dataclass(frozen=True)
class _Facts:
    """What ranking reads of a guest: last visit, sort name, the name's parts, and
    whether the guest is in the house or arriving today."""

    last_visit: date | None
    name_sort: str
    surname: str
    given_name: str
    is_han: bool
    present: bool = False


def _sql_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _sql_local_date(value: Any, zone: str) -> date | None:
    """A stored time (aware, or UTC text on SQLite) as a day in ``zone``."""
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else parse_datetime(str(value))
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo(zone)).date()


def _recency_columns() -> str:
    """The last stay and meal, and a reserved stay arriving about today and a stay in
    the house, of the guest ``g``: parameters from :func:`_recency_values`."""
    quote = connection.ops.quote_name
    stay, bill = quote(Stay._meta.db_table), quote(Bill._meta.db_table)
    return (
        f"(SELECT s.arrival FROM {stay} s WHERE s.guest_id = g.id"
        f" AND s.status IN (%s, %s) ORDER BY s.arrival DESC LIMIT 1),"
        f" (SELECT b.opened_at FROM {bill} b WHERE b.guest_id = g.id"
        f" AND b.status IN (%s, %s) ORDER BY b.opened_at DESC LIMIT 1),"
        f" (SELECT MIN(s.arrival) FROM {stay} s WHERE s.guest_id = g.id"
        f" AND s.status = %s AND s.arrival BETWEEN %s AND %s),"
        f" (SELECT MIN(s.arrival) FROM {stay} s WHERE s.guest_id = g.id"
        f" AND s.status = %s)"
    )


def _recency_values() -> list[Any]:
    """The parameters of :func:`_recency_columns`: visit statuses, and the days that
    are today somewhere on earth (the property's own is found per row)."""
    utc_today = datetime.now(UTC).date()
    statuses = [str(s) for s in (*VISIT_STAYS, *VISIT_BILLS)]
    days = [utc_today - timedelta(days=1), utc_today + timedelta(days=1)]
    return [
        *statuses,
        StayStatus.RESERVED.value,
        *days,
        StayStatus.IN_HOUSE.value,
    ]


def _recency_sql(count: int) -> str:
    """The statement of :func:`_recency` for ``count`` guests, one for each number of
    guests (see ``guests.cardload``)."""
    quote = connection.ops.quote_name
    guest, prop = quote(Guest._meta.db_table), quote(Property._meta.db_table)
    guests = "= %s" if count == 1 else f"IN ({', '.join(['%s'] * count)})"
    return (
        "SELECT g.id, g.name_sort, g.surname, g.given_name, g.name_is_han,"
        f" p.time_zone, {_recency_columns()}"
        f" FROM {guest} g JOIN {prop} p ON p.id = g.property_id"
        f" WHERE g.id {guests}"
    )


def _recency_params(ids: Sequence[int]) -> list[Any]:
    return [*_recency_values(), *ids]


Recency = Callable[[Sequence[int]], dict[int, _Facts]]


def _recency(ids: Sequence[int]) -> dict[int, _Facts]:
    """Last visit (stay or meal, in the property's time zone), name, and whether in
    the house or arriving today, of each guest: one statement on the (guest,
    arrival) and (guest, opened_at) indexes."""
    if not ids:
        return {}
    with prepared_cursor() as cursor:
        cursor.execute(_recency_sql(len(ids)), _recency_params(ids))
        rows = cursor.fetchall()
    return {int(pk): _facts(*values) for pk, *values in rows}


def _facts(
    name_sort: str,
    surname: str,
    given: str,
    is_han: Any,
    zone: str,
    stay: Any,
    bill: Any,
    arriving: Any,
    in_house: Any,
) -> _Facts:
    """What ranking reads of a guest, from the values of :func:`_recency_sql`."""
    days = [d for d in (_sql_date(stay), _sql_local_date(bill, zone)) if d]
    today = datetime.now(ZoneInfo(zone)).date()
    return _Facts(
        max(days) if days else None,
        name_sort,
        surname,
        given,
        bool(is_han),
        present=_sql_date(in_house) is not None or _sql_date(arriving) == today,
    )


def _ranked(best: dict[int, Hit], limit: int, recency_of: Recency) -> list[Hit]:
    """The first ``limit`` hits by rank, then last visit, then name; recency is read
    (by ``recency_of``) only for the ranks that reach the limit."""
    tiers = sorted({_tier(hit) for hit in best.values()})
    needed: list[Hit] = []
    for tier in tiers:
        needed += [hit for hit in best.values() if _tier(hit) == tier]
        if len(needed) >= limit:
            break
    recency = recency_of([hit.guest_id for hit in needed])
    ordered: list[tuple[tuple[Any, ...], Hit]] = []
    for h in needed:
        facts = recency.get(h.guest_id)
        if facts is None:
            continue
        shown, usual = _customary(h, facts)
        visit = facts.last_visit
        hit = Hit(h.guest_id, h.rank, h.reason, shown, visit, h.wanted)
        # Within a rank, a match through a rare reading (王 read yu, 立 read wei)
        # comes after the matches through the usual ones.
        order = (
            *_tier(h),
            not facts.present,
            not usual,
            -(visit.toordinal() if visit else 0),
        )
        ordered.append(((*order, facts.name_sort, h.guest_id), hit))
    ordered.sort(key=lambda pair: pair[0])
    return [hit for _, hit in ordered[:limit]]


_READING_REASONS = {
    "pinyin": False,
    "fuzzy_pinyin": False,
    "initials": True,
    "fuzzy_initials": True,
}


def _customary(hit: Hit, facts: _Facts) -> tuple[str, bool]:
    """The key a reading hit shows, and whether the usual reading of every character
    gives it. Of the guest's readings that meet the query the most customary is
    shown (王小区 for ``wangxiao`` shows wangxiaoqu, not the rare wangxiaoou)."""
    initials = _READING_REASONS.get(hit.reason)
    if initials is None:
        return hit.matched, True
    exact = hit.matched == hit.wanted
    if facts.is_han:
        readings = name_readings(facts.surname, facts.given_name)
    else:
        # A name without a surname (阿依古丽·买买提) is read as a given name.
        readings = name_readings("", facts.surname + facts.given_name)
    for number, reading in enumerate(readings):
        syllables = [pinyin_spelling(s) for s in reading]
        for start in range(len(syllables)):
            part = syllables[start:]
            shown = "".join(s[:1] for s in part) if initials else "".join(part)
            if shown == hit.wanted or (not exact and shown.startswith(hit.wanted)):
                return shown, number == 0
    return hit.matched, False


def _guest_condition(property_id: int, filters: SearchFilters) -> Q | None:
    if filters.is_empty():
        return None
    zone = Property.objects.get(pk=property_id).zone
    preference = (
        preference_condition(filters.preference) if filters.preference else None
    )
    return guest_filter(filters, zone=zone, preference=preference)


def _filtered(
    property_id: int, guests: Q, limit: int, recency_of: Recency
) -> list[Hit]:
    """With filters and no query: the guests admitted, by name."""
    ids = (
        Guest.objects.filter(guests, property_id=property_id)
        .order_by("name_sort", "id")
        .values_list("pk", flat=True)[:limit]
    )
    recency = recency_of(list(ids))
    hits = [Hit(pk, Rank.EXACT, "filter", "", recency[pk].last_visit) for pk in recency]
    return sorted(hits, key=lambda h: (recency[h.guest_id].name_sort, h.guest_id))


def guest_search(
    *,
    property_id: int,
    query: str,
    filters: SearchFilters | None = None,
    limit: int = SEARCH_LIMIT,
) -> list[Hit]:
    """The best-ranked guests for ``query`` among those ``filters`` admit, one hit per
    guest, best first; with filters alone, the admitted guests by name."""
    return _search(property_id, query, filters or SearchFilters(), limit, _recency)


def _search(
    property_id: int,
    query: str,
    filters: SearchFilters,
    limit: int,
    recency_of: Recency,
) -> list[Hit]:
    problem = filters_problem(filters)
    if problem is not None:
        raise SearchError(SearchErrorCode.INVALID_FILTER, problem[1], field=problem[0])
    if len(query) > QUERY_MAX:
        raise SearchError(
            SearchErrorCode.INVALID_FILTER,
            f"检索内容最多 {QUERY_MAX} 个字符",
            field="q",
        )
    guests = _guest_condition(property_id, filters)
    plan = plan_query(query)
    if plan.gender:
        # 王先生 is a man or a guest whose gender nobody recorded, never a woman.
        other = ~Q(gender=Gender.FEMALE if plan.gender == Gender.MALE else Gender.MALE)
        guests = other if guests is None else guests & other
    if not plan.wants and not plan.room:
        if guests is None:
            return []
        return _filtered(property_id, guests, limit, recency_of)
    cap = max(limit * 3, MIN_CANDIDATES)
    rows = _candidates(property_id, plan, guests, cap)
    best = _hits(rows, plan)
    return _ranked(best, limit, recency_of) if best else []


def guest_lookup(
    *, property_id: int, query: str, limit: int = LOOKUP_LIMIT
) -> list[Hit]:
    """The look-up box: :func:`guest_search` without filters."""
    return guest_search(property_id=property_id, query=query, limit=limit)


def guests_matching(property_id: int, query: str) -> Q:
    """A filter for guest lists: the guests ``guest_lookup`` finds, unranked."""
    ids = [
        hit.guest_id
        for hit in guest_search(
            property_id=property_id, query=query, limit=SEARCH_LIMIT
        )
    ]
    return Q(pk__in=ids)


def saved_searches_visible(*, viewer: User, property_id: int) -> QuerySet[SavedSearch]:
    """The viewer's own saved searches and those colleagues shared, by name."""
    return SavedSearch.objects.filter(
        Q(owner_id=viewer.pk) | Q(shared=True), property_id=property_id
    ).select_related("owner")


def saved_search_filters(saved: SavedSearch) -> SearchFilters:
    """The filters a saved search keeps; one saved under other filters drops them."""
    try:
        return SearchFilters.from_json(dict(saved.filters or {}))
    except (TypeError, ValueError):
        return SearchFilters()


@dataclass(frozen=True)
class ResultPage:
    """One page of search results: the hits of the page and a row for each."""

    page: Page[Hit]
    rows: list[dict[str, Any]]
    # True when more guests match than a search ranks (SEARCH_LIMIT): the count is
    # then "at least", and a narrower query or a filter finds the rest.
    capped: bool = False
    # Said when part of a long query was not searched (see ``MAX_WORDS``).
    notice: str = ""


def hit_why(hit: Hit, phones: Sequence[str] = ()) -> dict[str, Any]:
    """Why a guest matched, for people and programs alike; ``phones`` are the
    guest's numbers in E.164, of which a phone match shows the one it found."""
    return {
        "rank": hit.rank.name.lower(),
        "reason": hit.reason,
        "label": str(REASON_LABELS.get(hit.reason, hit.reason)),
        "matched": matched_shown(hit, phones),
    }


def hits_why(
    hits: Sequence[Hit], phones: Mapping[int, Sequence[str]] | None = None
) -> dict[int, dict[str, Any]]:
    """:func:`hit_why` of each hit by guest id. The phones of phone matches are
    ``phones`` (each guest's, as loaded already) or read in one statement (none
    when no hit is one)."""
    if phones is None:
        phones = _phones([hit.guest_id for hit in hits if hit.reason in _PHONE_REASONS])
    why = {hit.guest_id: hit_why(hit, phones.get(hit.guest_id, ())) for hit in hits}
    rooms = [hit for hit in hits if hit.reason == "room"]
    if rooms:
        stays = _room_stays(rooms)
        for hit in rooms:
            stay = stays.get((hit.guest_id, hit.matched))
            if stay is not None:
                why[hit.guest_id].update(
                    label=room_label(hit.matched, *stay),
                    in_house=stay[0] == StayStatus.IN_HOUSE,
                    stay_arrival=f"{stay[1]:%Y-%m-%d}",
                    stay_departure=f"{stay[2]:%Y-%m-%d}",
                )
    return why


def _phones(ids: Sequence[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    if ids:
        # Plain SQL: the look-up box asks on every keystroke (see dossier.core.rows).
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT guest_id, e164 FROM {table_name(GuestPhone)} "
                f"WHERE guest_id IN ({marks(ids)}) ORDER BY id",
                list(ids),
            )
            for guest_id, e164 in cursor.fetchall():
                found.setdefault(guest_id, []).append(e164)
    return found


def _room_stays(hits: Sequence[Hit]) -> dict[tuple[int, str], tuple[str, date, date]]:
    """The latest stay (not cancelled) of each guest found by a room, in that room:
    its status, arrival and departure, in one statement (plain SQL: compiling it
    with the ORM took longer than the look-up)."""
    table = connection.ops.quote_name(Stay._meta.db_table)
    pairs = " OR ".join(["(s.guest_id = %s AND s.room = %s)"] * len(hits))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT s.guest_id, s.room, s.status, s.arrival, s.departure"
            f" FROM {table} s WHERE ({pairs}) AND s.status <> %s"
            f" ORDER BY s.arrival, s.id",
            [
                *(value for hit in hits for value in (hit.guest_id, hit.matched)),
                StayStatus.CANCELLED.value,
            ],
        )
        rows = cursor.fetchall()
    # Ordered by arrival, the latest stay of each guest and room is written last.
    return {(int(g), room): (status, a, d) for g, room, status, a, d in rows}


_PHONE_REASONS = ("phone", "phone_tail")


def matched_shown(hit: Hit, phones: Sequence[str] = ()) -> str:
    """What matched, as anyone may see it: a phone masked as the guest's phone column
    masks it (see ``mask_phone``), ID hashes hidden."""
    if hit.reason in _PHONE_REASONS:
        digits = hit.matched[::-1] if hit.reason == "phone_tail" else hit.matched
        found = [e164 for e164 in phones if national_of(e164) == digits]
        return mask_phone(found[0] if found else digits)
    if hit.reason == "id":
        return ""
    return hit.matched


def hit_rows(hits: Sequence[Hit], viewer: User | AnonymousUser) -> list[dict[str, Any]]:
    """The profile cards of the hits the viewer may see, each with why it matched
    and the last visit, in the order of ``hits``: the guests, whether the viewer
    may see them and their phones are read in the card's one statement."""
    guests = card_guests([h.guest_id for h in hits], visible_to=viewer)
    return _rows([hit for hit in hits if hit.guest_id in guests], guests, viewer)


def lookup_rows(
    *,
    property_id: int,
    query: str,
    viewer: User | AnonymousUser,
    limit: int = LOOKUP_LIMIT,
) -> list[dict[str, Any]]:
    """The look-up box: :func:`hit_rows` of :func:`guest_lookup`.

    When no more guests are to be ranked than are shown, as for a phone, an ID
    number or a room, their last visits are read in the statement of their cards
    (with whether the viewer may see each): a look-up is then two statements.
    """
    loaded: dict[int, tuple[Guest, bool]] = {}

    def recency_of(ids: Sequence[int]) -> dict[int, _Facts]:
        if len(ids) > limit:
            return _recency(ids)
        facts, guests = _recency_with_cards(ids, viewer)
        loaded.update(guests)
        return facts

    hits = _search(property_id, query, SearchFilters(), limit, recency_of)
    if any(hit.guest_id not in loaded for hit in hits):
        return hit_rows(hits, viewer)
    guests = {pk: guest for pk, (guest, visible) in loaded.items() if visible}
    return _rows([hit for hit in hits if hit.guest_id in guests], guests, viewer)


def _recency_with_cards(
    ids: Sequence[int], viewer: User | AnonymousUser
) -> tuple[dict[int, _Facts], dict[int, tuple[Guest, bool]]]:
    """:func:`_recency` of ``ids``, and each guest loaded for its card with whether
    ``viewer`` may see it, in one statement."""
    visible, visible_params = visible_sql(viewer)
    columns = f"CASE WHEN {visible} THEN 1 ELSE 0 END, {_recency_columns()}"
    rows = card_rows(
        list(dict.fromkeys(ids)),
        columns=(columns, [*visible_params, *_recency_values()]),
    )
    facts: dict[int, _Facts] = {}
    guests: dict[int, tuple[Guest, bool]] = {}
    for guest, (shown, *recency) in rows:
        zone = guest.property.time_zone
        facts[guest.pk] = _facts(guest.name_sort, guest.surname, guest.given_name,
                                 guest.name_is_han, zone, *recency)  # fmt: skip
        guests[guest.pk] = (guest, bool(shown))
    return facts, guests


def _rows(
    shown: Sequence[Hit], guests: Mapping[int, Guest], viewer: User | AnonymousUser
) -> list[dict[str, Any]]:
    """The rows of ``shown``, their guests loaded for the card."""
    phones = {
        hit.guest_id: [p.e164 for p in guests[hit.guest_id].phones.all()]
        for hit in shown
    }
    why = hits_why(shown, phones)
    seen_by = card_viewer(viewer)
    return [
        {
            **guest_card(guests[hit.guest_id], viewer=seen_by),
            "why": why[hit.guest_id],
            "last_visit": hit.last_visit.isoformat() if hit.last_visit else None,
        }
        for hit in shown
    ]


def search_page(
    *,
    viewer: User | AnonymousUser,
    property_id: int,
    query: str,
    filters: SearchFilters,
    number: int | str | None = 1,
    per_page: int = PAGE_SIZE,
) -> ResultPage:
    """A page of :func:`guest_search` results with the viewer's cards."""
    hits = guest_search(
        property_id=property_id, query=query, filters=filters, limit=SEARCH_LIMIT
    )
    page = Paginator(hits, per_page).get_page(number)
    return ResultPage(
        page=page,
        rows=hit_rows(list(page), viewer),
        capped=len(hits) >= SEARCH_LIMIT,
        notice=query_notice(query),
    )


def query_notice(query: str) -> str:
    """What to tell the user of ``query`` before the results: the words left out of
    a long one; empty when the whole query was searched."""
    return plan_query(query).notice
