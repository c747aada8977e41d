"""What the dashboard shows: arrivals, guests in house, birthdays, observations.

Every list is capped, and the profile cards of all listed guests are built in one
batch, so the dashboard costs the same few queries however large the archive is.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser, User

from dossier.core.models import Property, StaffProfile
from dossier.core.properties import property_default
from dossier.guests.dates import upcoming
from dossier.guests.models import (
    Observation,
    ObservationStatus,
    SpecialDate,
    SpecialDateKind,
)
from dossier.guests.selectors import card_viewer, guest_cards, not_merged
from dossier.history.models import Stay, StayStatus
from dossier.zh.lunar import solar_to_lunar

ARRIVALS_LIMIT = 50
BIRTHDAYS_LIMIT = 30
OBSERVATIONS_LIMIT = 20
# "This week" is today and the six days after it.
BIRTHDAY_DAYS = 7


@dataclass
class Dashboard:
    today: date
    arrivals: list[dict[str, Any]] = field(default_factory=list)
    arrivals_total: int = 0
    in_house: int = 0
    birthdays: list[dict[str, Any]] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)
    observations_pending: int = 0


def viewer_property(viewer: User | AnonymousUser) -> Property:
    """The property a member of staff works in; the default one otherwise."""
    staff = _staff(viewer)
    if staff is not None and staff.property_id and staff.property is not None:
        return staff.property
    return property_default()


def _staff(viewer: User | AnonymousUser) -> StaffProfile | None:
    """The viewer's staff profile with its property, in one statement, kept on the
    user as ``viewer.staff`` is (``None`` if the user has none)."""
    if not isinstance(viewer, User):
        return None
    related = User.staff.related
    if not related.is_cached(viewer):
        found = StaffProfile.objects.select_related("property").filter(user=viewer)
        related.set_cached_value(viewer, found.first())
    staff: StaffProfile | None = getattr(viewer, "staff", None)
    return staff


def _arrivals(prop: Property, today: date) -> tuple[list[Stay], int]:
    """Today's arrivals not cancelled, A clients first, and how many there are."""
    stays = Stay.objects.filter(
        property=prop,
        arrival=today,
        status__in=[StayStatus.RESERVED, StayStatus.IN_HOUSE],
    )
    ordered = stays.order_by("guest__guest_class", "guest__name_sort", "id")
    return list(ordered[:ARRIVALS_LIMIT]), stays.count()


def _birthdays(prop: Property, today: date) -> list[tuple[date, SpecialDate]]:
    """Birthdays in the coming week; only the months the week touches are read."""
    days = [today + timedelta(days=n) for n in range(BIRTHDAY_DAYS)]
    solar_months = {day.month for day in days}
    lunar_months = {solar_to_lunar(day)[1] for day in days}
    candidates = SpecialDate.objects.filter(
        not_merged("guest_id"), kind=SpecialDateKind.BIRTHDAY, guest__property=prop
    )
    solar = candidates.filter(calendar="solar", month__in=solar_months)
    lunar = candidates.filter(calendar="lunar", month__in=lunar_months)
    found = upcoming(list(solar) + list(lunar), today, BIRTHDAY_DAYS - 1)
    return found[:BIRTHDAYS_LIMIT]


def dashboard_get(*, prop: Property, viewer: User | AnonymousUser) -> Dashboard:
    """The dashboard of ``viewer`` for today in the property's time zone."""
    today = prop.today()
    board = Dashboard(today=today)

    arrivals, board.arrivals_total = _arrivals(prop, today)
    birthdays = _birthdays(prop, today)
    board.in_house = (
        Stay.objects.filter(property=prop, status=StayStatus.IN_HOUSE)
        .values("guest_id")
        .distinct()
        .count()
    )
    if viewer.has_perm("guests.review_observation"):
        pending = Observation.objects.filter(
            not_merged("guest_id"),
            status=ObservationStatus.PENDING,
            guest__property=prop,
        )
        board.observations_pending = pending.count()
        board.observations = list(
            pending.select_related("guest", "staff", "item")[:OBSERVATIONS_LIMIT]
        )

    ids = [s.guest_id for s in arrivals] + [s.guest_id for _d, s in birthdays]
    cards = {
        c["id"]: c
        for c in guest_cards(list(dict.fromkeys(ids)), viewer=card_viewer(viewer))
    }
    board.arrivals = [
        {"stay": s, "card": cards[s.guest_id]} for s in arrivals if s.guest_id in cards
    ]
    board.birthdays = [
        {
            "date": day,
            "special": s,
            "card": cards[s.guest_id],
            "days": (day - today).days,
        }
        for day, s in birthdays
        if s.guest_id in cards
    ]
    return board
