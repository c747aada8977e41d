"""Loading the demo property from real bookings: plan everything in memory, then write.

``demo_load`` is what ``dossier demo`` calls. It reads the shipped bookings, moves them
to the present (:mod:`dossier.demo.timeline`), deals them to guests
(:mod:`dossier.demo.roster`), gives every guest a seeded identity
(:mod:`dossier.demo.identities`) and writes guests, stays, room revenue, clients and
archive content in one transaction, then builds the search keys once.
"""

import hashlib
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction

from dossier.care.models import Consent
from dossier.core.audit import AuditAction, audit
from dossier.core.dbsetup import statistics_refresh
from dossier.core.models import Property
from dossier.core.properties import property_default
from dossier.demo import labels
from dossier.demo.accounts import demo_staff_ensure
from dossier.demo.archive import (
    ArchiveGuest,
    archive_build,
    archive_note,
    consents_build,
    tags_write,
)
from dossier.demo.companies import TITLES, clients_choose, companies_create
from dossier.demo.identities import Identity, IdentityMaker
from dossier.demo.roster import GuestPlan, guests_plan
from dossier.demo.sources import Booking, bookings_read
from dossier.demo.timeline import StayPlan, stays_plan
from dossier.guests.bulk import guests_bulk_create
from dossier.guests.models import (
    Company,
    Guest,
    GuestPhone,
    GuestPreference,
    IdentityDocument,
    MemberCard,
    Observation,
    PreferenceItem,
    SpecialDate,
)
from dossier.guests.services import GuestInput, IdentityInput
from dossier.history.models import Outlet, OutletKind, SpendLine, Stay
from dossier.history.services import outlet_get
from dossier.search.indexing import guest_reindex
from dossier.search.models import SearchKey
from dossier.zh.lunar import solar_to_lunar

logger = logging.getLogger(__name__)

DEFAULT_SEED = 2019
DEMO_NAME = "Dossier 演示酒店"
FACTORY_NAME = "本店"
REF_PREFIX = "HBD-"
GUEST_CHUNK = 10_000
BATCH = 2000
# One guest in 200 with the highest room revenue is class A, one in 1,000 platinum.
A_EVERY, PLATINUM_EVERY = 200, 1000
ARCHIVE_EVERY, ARCHIVE_MIN = 200, 60
CONTACTS_PER_CLIENT = 2

Progress = Callable[[str], None]


class DemoError(Exception):
    """The demo cannot be loaded here; the message says why, in Chinese."""


@dataclass
class DemoReport:
    today: date
    bookings: int = 0
    guests: int = 0
    stays: int = 0
    in_house: int = 0
    arrivals_today: int = 0
    spend_lines: int = 0
    revenue: Decimal = Decimal("0.00")
    archive_guests: int = 0
    consents: int = 0
    companies: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass
class _Plan:
    seed: int
    today: date
    bookings: list[Booking]
    stays: list[StayPlan]
    guests: list[GuestPlan]
    identities: list[Identity]
    owner: list[int]
    clients: dict[str, str]
    archive: list[int] = field(default_factory=list)


def _quiet(message: str) -> None:
    logger.debug(message)


def demo_load(
    *,
    bookings: int | None = None,
    seed: int = DEFAULT_SEED,
    progress: Progress = _quiet,
) -> DemoReport:
    """Load ``bookings`` bookings (all 119,390 by default) into the default property.

    Progress lines start with the seconds since the start. Raises :class:`DemoError`
    if the demo bookings are already there.
    """
    clock = time.monotonic()

    def say(message: str) -> None:
        progress(f"{time.monotonic() - clock:6.1f}s  {message}")

    with _queries_unlogged():
        prop = _property_prepare()
        plan = _plan(prop, bookings, seed, say)
        report = DemoReport(today=plan.today, bookings=len(plan.bookings))
        report.seconds["plan"] = time.monotonic() - clock
        with transaction.atomic():
            guest_ids = _guests_write(prop, plan, report, say)
            report.seconds["guests"] = time.monotonic() - clock
            _stays_write(prop, plan, guest_ids, report, say)
            _archive_write(prop, plan, guest_ids, report)
            report.seconds["stays"] = time.monotonic() - clock
            audit(
                actor=None,
                action=AuditAction.IMPORT_COMMITTED,
                object_type="demo",
                object_id=prop.code,
                source="demo",
                seed=seed,
                bookings=len(plan.bookings),
                guests=len(guest_ids),
            )
            say(f"建立检索索引：{len(guest_ids)} 位客人…")
            guest_reindex(guest_ids)
        statistics_refresh(
            Guest, GuestPhone, IdentityDocument, SearchKey, Stay, rows=len(guest_ids)
        )
        report.seconds["index"] = time.monotonic() - clock
    logger.info(
        "demo loaded: %s bookings, %s guests in %.1f s",
        report.bookings,
        report.guests,
        report.seconds["index"],
        extra={"seconds": report.seconds},
    )
    return report


@contextmanager
def _queries_unlogged() -> Iterator[None]:
    """Run without Django's DEBUG query log.

    With DEBUG on, Django formats every query with its parameters and keeps the last
    9,000; for a load of 100,000-row bulk inserts that costs seconds and most of a
    gigabyte. The flag is put back afterwards, whatever happens.
    """
    debug = settings.DEBUG
    settings.DEBUG = False
    try:
        yield
    finally:
        settings.DEBUG = debug


def _property_prepare() -> Property:
    prop = property_default()
    if Stay.objects.filter(property=prop, external_ref__startswith=REF_PREFIX).exists():
        raise DemoError("演示数据已经载入；要重新载入，请换一个空的数据目录。")
    if prop.name == FACTORY_NAME and not Guest.objects.filter(property=prop).exists():
        prop.name = DEMO_NAME
        prop.save(update_fields=["name"])
    return prop


def _plan(prop: Property, limit: int | None, seed: int, progress: Progress) -> _Plan:
    today = prop.today()
    bookings = bookings_read(limit)
    progress(f"读取预订 {len(bookings)} 条；今天是 {today}（{prop.time_zone}）")
    stays = stays_plan(bookings, today)
    guests = guests_plan(bookings, stays)
    maker = IdentityMaker(seed)
    identities = [maker.make(guest.key, guest.country) for guest in guests]
    owner = [0] * len(bookings)
    for number, guest in enumerate(guests):
        for position in guest.bookings:
            owner[position] = number
    progress(f"生成客人身份 {len(guests)} 位")
    plan = _Plan(
        seed,
        today,
        bookings,
        stays,
        guests,
        identities,
        owner,
        clients_choose(bookings),
    )
    plan.archive = _archive_numbers(plan)
    return plan


def _revenue(plan: _Plan, position: int) -> Decimal:
    stay = plan.stays[position]
    if stay.status != "checked_out":
        return Decimal("0.00")
    booking = plan.bookings[position]
    return labels.rate_cny(booking.adr) * booking.nights


def _classes(plan: _Plan) -> list[tuple[str, str]]:
    """Class and VIP level per guest: A by room revenue, B for regulars and clients."""
    totals = [
        sum((_revenue(plan, p) for p in g.bookings), Decimal(0)) for g in plan.guests
    ]
    ranked = sorted(range(len(totals)), key=lambda i: (-totals[i], i))
    paying = [i for i in ranked if totals[i] > 0]
    top_a = paying[: max(1, len(plan.guests) // A_EVERY)]
    top_platinum = set(paying[: max(1, len(plan.guests) // PLATINUM_EVERY)])
    result = []
    for guest in plan.guests:
        company = any(plan.bookings[p].company in plan.clients for p in guest.bookings)
        grade = "B" if guest.returning or company else "C"
        vip = "银卡" if guest.returning and len(guest.bookings) >= 3 else ""
        result.append((grade, vip))
    for number in top_a:
        result[number] = ("A", "白金卡" if number in top_platinum else "金卡")
    return result


def _contacts(plan: _Plan) -> dict[int, str]:
    """Guest number → client code, for the first mainland guests of each client."""
    chosen: dict[int, str] = {}
    count: dict[str, int] = {}
    for number, guest in enumerate(plan.guests):
        if plan.identities[number].is_foreign:
            continue
        for position in guest.bookings:
            code = plan.bookings[position].company
            if code in plan.clients and count.get(code, 0) < CONTACTS_PER_CLIENT:
                chosen[number] = code
                count[code] = count.get(code, 0) + 1
                break
    return chosen


def _archive_numbers(plan: _Plan) -> list[int]:
    """Guests with archive content: today's guests, then regulars, then by lot."""

    def rank(number: int) -> tuple[int, str]:
        guest = plan.guests[number]
        here = any(
            plan.stays[p].status == "in_house"
            or (
                plan.stays[p].status == "reserved"
                and plan.stays[p].arrival == plan.today
            )
            for p in guest.bookings
        )
        lot = hashlib.blake2b(f"{plan.seed}:{guest.key}".encode(), digest_size=8)
        return (0 if here else 1 if guest.returning else 2, lot.hexdigest())

    size = min(len(plan.guests), max(ARCHIVE_MIN, len(plan.guests) // ARCHIVE_EVERY))
    ranked = sorted(range(len(plan.guests)), key=rank)
    chosen = ranked[:size]
    if not any(_leap_born(plan.identities[n]) for n in chosen):
        # The archive should show a lunar birthday in a leap month (闰月) at least once.
        extra = next((n for n in ranked[size:] if _leap_born(plan.identities[n])), None)
        chosen += [] if extra is None else [extra]
    return sorted(chosen)


def _leap_born(identity: Identity) -> bool:
    return not identity.is_foreign and solar_to_lunar(identity.birth)[3]


def _guest_input(
    plan: _Plan,
    number: int,
    grade: tuple[str, str],
    company: Company | None,
    title: str,
    note: str,
) -> GuestInput:
    identity = plan.identities[number]
    booking = plan.bookings[plan.guests[number].bookings[0]]
    rates = [
        labels.rate_cny(plan.bookings[p].adr) for p in plan.guests[number].bookings
    ]
    fields = {
        "full_name": identity.full_name,
        "gender": identity.gender,
        "birth_date": identity.birth,
        "residence": identity.residence,
        "email": identity.email,
        "guest_class": grade[0],
        "vip_level": grade[1],
        "arrival_reason": _reason(booking),
        "usual_rate": rates[-1] if rates[-1] else None,
        "payment_method": _payment(booking),
        "notes": note,
    }
    if company is not None:
        fields |= {"company": company, "employer": company.name}
    if title:
        fields |= {"is_company_contact": True, "title": title}
    return GuestInput(
        fields=fields,
        surname=identity.surname,
        phones=[identity.phone] if identity.phone else [],
        documents=[
            IdentityInput(identity.doc_number, identity.doc_type, identity.doc_country)
        ],
    )


def _reason(booking: Booking) -> str:
    if booking.segment in ("Corporate", "Aviation") or booking.company:
        return "商务出差"
    if booking.segment == "Groups":
        return "团队/会议"
    return "度假休闲" if booking.hotel == "Resort Hotel" else "旅游观光"


def _payment(booking: Booking) -> str:
    walk_in = labels.WALK_IN_PAYMENTS
    return labels.PAYMENTS.get(booking.segment, walk_in[booking.index % len(walk_in)])


def _guests_write(
    prop: Property, plan: _Plan, report: DemoReport, progress: Progress
) -> list[int]:
    grades = _classes(plan)
    contacts = _contacts(plan)
    archive = set(plan.archive)
    people: dict[str, tuple[str, str]] = {}
    for number, code in sorted(contacts.items()):
        identity = plan.identities[number]
        people.setdefault(code, (identity.full_name, identity.phone))
    companies = companies_create(
        prop, plan.clients, _agreed_rates(plan), people, plan.today
    )
    report.companies = len(companies)
    inputs = []
    for number, guest in enumerate(plan.guests):
        code = next(
            (
                plan.bookings[p].company
                for p in guest.bookings
                if plan.bookings[p].company in companies
            ),
            "",
        )
        title = TITLES[number % len(TITLES)] if number in contacts else ""
        note = archive_note(plan.seed, guest.key) if number in archive else ""
        inputs.append(
            _guest_input(plan, number, grades[number], companies.get(code), title, note)
        )
    ids: list[int] = []
    for start in range(0, len(inputs), GUEST_CHUNK):
        ids += guests_bulk_create(
            actor=None,
            property=prop,
            inputs=inputs[start : start + GUEST_CHUNK],
            source="demo",
            note="演示数据",
            reindex=False,
        )
        progress(f"客人 {len(ids)}/{len(inputs)}")
    report.guests = len(ids)
    _cards_write(ids, grades)
    return ids


def _agreed_rates(plan: _Plan) -> dict[str, Decimal]:
    rates: dict[str, list[Decimal]] = {}
    for booking in plan.bookings:
        if booking.company in plan.clients and booking.adr > 0:
            rates.setdefault(booking.company, []).append(labels.rate_cny(booking.adr))
    return {
        code: (sum(values, Decimal(0)) / len(values)).quantize(Decimal(1))
        for code, values in rates.items()
    }


def _cards_write(ids: Sequence[int], grades: Sequence[tuple[str, str]]) -> None:
    MemberCard.objects.bulk_create(
        [
            MemberCard(guest_id=guest_id, number=f"DM{guest_id:08d}", level=vip)
            for guest_id, (_, vip) in zip(ids, grades, strict=True)
            if vip
        ],
        batch_size=BATCH,
    )


def _stays_write(
    prop: Property,
    plan: _Plan,
    ids: Sequence[int],
    report: DemoReport,
    progress: Progress,
) -> None:
    outlets = {
        hotel: outlet_get(prop, code, name=name, kind=OutletKind.ROOMS)
        for hotel, (code, name) in labels.HOTELS.items()
    }
    companies = {c.name: c for c in Company.objects.filter(property=prop)}
    stays = [
        _stay(prop, plan, position, ids, companies)
        for position in range(len(plan.bookings))
    ]
    Stay.objects.bulk_create(stays, batch_size=BATCH)
    progress(f"住店记录 {len(stays)} 条")
    spend = [
        _spend(prop, stay, outlets[booking.hotel], _revenue(plan, position))
        for position, (stay, booking) in enumerate(
            zip(stays, plan.bookings, strict=True)
        )
        if _revenue(plan, position) > 0
    ]
    SpendLine.objects.bulk_create(spend, batch_size=BATCH)
    progress(f"房费消费明细 {len(spend)} 条")
    report.stays = len(stays)
    report.spend_lines = len(spend)
    report.revenue = sum((line.revenue for line in spend), Decimal("0.00"))
    report.in_house = sum(1 for s in plan.stays if s.status == "in_house")
    report.arrivals_today = sum(
        1
        for s in plan.stays
        if s.arrival == plan.today and s.status in ("reserved", "in_house")
    )


def _stay(
    prop: Property,
    plan: _Plan,
    position: int,
    ids: Sequence[int],
    companies: dict[str, Company],
) -> Stay:
    booking, stay = plan.bookings[position], plan.stays[position]
    return Stay(
        property=prop,
        guest_id=ids[plan.owner[position]],
        company=companies.get(plan.clients.get(booking.company, "")),
        external_ref=f"{REF_PREFIX}{booking.index + 1:06d}",
        room=stay.room,
        room_type=labels.room_type_label(booking.room_type),
        rate=labels.rate_cny(booking.adr),
        arrival=stay.arrival,
        departure=stay.departure,
        nights=booking.nights,
        adults=booking.adults,
        children=booking.children,
        payment_method=_payment(booking),
        segment=labels.SEGMENTS.get(booking.segment, booking.segment),
        channel=labels.CHANNELS.get(booking.channel, booking.channel),
        meal_plan=labels.MEALS.get(booking.meal, ""),
        special_requests=labels.requests_text(
            booking.index, booking.requests, booking.parking, booking.children
        ),
        status=stay.status,
    )


def _spend(prop: Property, stay: Stay, outlet: Outlet, revenue: Decimal) -> SpendLine:
    return SpendLine(
        property=prop,
        guest_id=stay.guest_id,
        outlet=outlet,
        stay=stay,
        date=stay.departure,
        description=f"房费 {stay.room_type}",
        revenue=revenue,
        cost=labels.room_cost(revenue),
    )


def _archive_write(
    prop: Property, plan: _Plan, ids: Sequence[int], report: DemoReport
) -> None:
    guests = [
        ArchiveGuest(
            guest_id=ids[n],
            key=plan.guests[n].key,
            identity=plan.identities[n],
            past_arrivals=tuple(
                plan.stays[p].arrival
                for p in plan.guests[n].bookings
                if plan.stays[p].status in ("checked_out", "in_house")
            ),
            has_children=any(
                plan.bookings[p].children for p in plan.guests[n].bookings
            ),
        )
        for n in plan.archive
    ]
    rows = archive_build(
        guests=guests,
        seed=plan.seed,
        staff=demo_staff_ensure(prop),
        items={item.code: item for item in PreferenceItem.objects.all()},
        zone=prop.zone,
        today=plan.today,
    )
    GuestPreference.objects.bulk_create(rows.preferences, batch_size=BATCH)
    SpecialDate.objects.bulk_create(rows.dates, batch_size=BATCH)
    Observation.objects.bulk_create(rows.observations, batch_size=BATCH)
    tags = rows.tags + [
        (ids[n], "回头客") for n, guest in enumerate(plan.guests) if guest.returning
    ]
    tags += [
        (ids[n], "商务客")
        for n, guest in enumerate(plan.guests)
        if any(plan.bookings[p].company in plan.clients for p in guest.bookings)
    ]
    tags_write(prop.pk, tags)
    report.archive_guests = len(guests)
    consents = consents_build(
        guests=[(ids[n], g.key, plan.identities[n]) for n, g in enumerate(plan.guests)],
        seed=plan.seed,
        zone=prop.zone,
        today=plan.today,
    )
    Consent.objects.bulk_create(consents, batch_size=BATCH)
    report.consents = len(consents)
