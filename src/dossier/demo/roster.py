"""Which bookings belong to which guest.

The data set names no guests. A booking by a first-time guest is one guest; bookings
marked as repeat guests (``is_repeated_guest`` or earlier bookings not cancelled) are
pooled by hotel and country and dealt, in arrival order, to about a third as many
guests, so that each returning guest has several stays and never two at once.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from dossier.demo.sources import Booking
from dossier.demo.timeline import StayPlan

STAYS_PER_RETURNING_GUEST = 3


@dataclass(frozen=True)
class GuestPlan:
    """A guest to create: its stable key (seeds its identity) and its bookings."""

    key: str
    country: str
    bookings: tuple[int, ...]
    returning: bool


def guests_plan(
    bookings: Sequence[Booking], stays: Sequence[StayPlan]
) -> list[GuestPlan]:
    """One plan per guest, ordered by each guest's first booking in the file."""
    plans: list[GuestPlan] = []
    pools: dict[tuple[str, str], list[int]] = defaultdict(list)
    for position, booking in enumerate(bookings):
        if booking.repeated:
            pools[(booking.hotel, booking.country)].append(position)
        else:
            plans.append(
                GuestPlan(f"b{booking.index}", booking.country, (position,), False)
            )
    for (hotel, country), members in pools.items():
        plans += _deal(hotel, country, members, stays)
    return sorted(plans, key=lambda plan: plan.bookings[0])


def _deal(
    hotel: str, country: str, members: list[int], stays: Sequence[StayPlan]
) -> list[GuestPlan]:
    members = sorted(members, key=lambda p: (stays[p].arrival, p))
    count = max(1, -(-len(members) // STAYS_PER_RETURNING_GUEST))
    owned: list[list[int]] = [[] for _ in range(count)]
    free_from: list[date] = [date.min] * count
    for turn, position in enumerate(members):
        stay = stays[position]
        slot = next(
            (
                (turn + step) % len(owned)
                for step in range(len(owned))
                if free_from[(turn + step) % len(owned)] <= stay.arrival
            ),
            None,
        )
        if slot is None:
            owned.append([])
            free_from.append(date.min)
            slot = len(owned) - 1
        owned[slot].append(position)
        free_from[slot] = max(free_from[slot], stay.departure)
    code = "city" if hotel == "City Hotel" else "resort"
    return [
        GuestPlan(f"r:{code}:{country}:{slot}", country, tuple(sorted(group)), True)
        for slot, group in enumerate(owned)
        if group
    ]
