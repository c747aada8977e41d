"""Moving the bookings of 2015–2017 to the present: dates, statuses and rooms.

Every date is shifted by the same whole number of days, chosen so that the data set's
last arrival lands about 30 days after today and today is a busy day (arrivals and
guests in house). A booking's status then follows from where it falls against today;
every stay that was or is in the house gets a room, one stay per room per night.
"""

import heapq
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from dossier.demo.sources import Booking

DAYS_AHEAD = 30
SEARCH_DAYS = 7
ROOMS_PER_FLOOR = 20
FIRST_FLOOR = {"City Hotel": 2, "Resort Hotel": 1}
ROOM_PREFIX = {"City Hotel": "", "Resort Hotel": "R"}


@dataclass(frozen=True)
class StayPlan:
    arrival: date
    departure: date
    status: str
    room: str


def shift_choose(bookings: Sequence[Booking], today: date) -> timedelta:
    """The shift that puts a busy day near "last arrival − 30 days" on today.

    Among the days a week either side of that target, today becomes the one with
    both arrivals and guests in house if there is one, then the busiest, then the
    nearest to the target.
    """
    last = max(booking.arrival for booking in bookings)
    target = last - timedelta(days=DAYS_AHEAD)
    candidates = [
        target + timedelta(days=d) for d in range(-SEARCH_DAYS, SEARCH_DAYS + 1)
    ]
    window = set(candidates)
    arriving: Counter[date] = Counter()
    staying: Counter[date] = Counter()
    for booking in bookings:
        if booking.status == "Canceled":
            continue
        if booking.arrival in window:
            arriving[booking.arrival] += 1
        if booking.status != "Check-Out":
            continue
        for night in range(1, booking.nights + 1):
            day = booking.arrival + timedelta(days=night)
            if day in window:
                staying[day] += 1

    def rank(day: date) -> tuple[int, int, int]:
        both = (arriving[day] > 0) + (staying[day] > 0)
        return both, arriving[day] + staying[day], -abs((day - target).days)

    return today - max(candidates, key=rank)


def status_of(booking: Booking, arrival: date, today: date, shift: timedelta) -> str:
    """Where the booking stands today: what the data say happened, or what is due."""
    departure = arrival + timedelta(days=booking.nights)
    if booking.status == "Canceled":
        cancelled_on = booking.status_date + shift
        return "cancelled" if cancelled_on <= today or arrival < today else "reserved"
    if arrival >= today:
        return "reserved"
    if booking.status == "No-Show":
        return "no_show"
    if departure >= today and booking.nights > 0:
        return "in_house"
    return "checked_out"


def stays_plan(bookings: Sequence[Booking], today: date) -> list[StayPlan]:
    """Dates, status and room of every booking, in the order given."""
    shift = shift_choose(bookings, today)
    arrivals = [booking.arrival + shift for booking in bookings]
    statuses = [
        status_of(booking, arrival, today, shift)
        for booking, arrival in zip(bookings, arrivals, strict=True)
    ]
    rooms = rooms_assign(bookings, arrivals, statuses)
    return [
        StayPlan(arrival, arrival + timedelta(days=booking.nights), status, room)
        for booking, arrival, status, room in zip(
            bookings, arrivals, statuses, rooms, strict=True
        )
    ]


def rooms_assign(
    bookings: Sequence[Booking], arrivals: Sequence[date], statuses: Sequence[str]
) -> list[str]:
    """A room for each stay that was or is in the house, never two stays a night.

    Stays are taken by arrival; each gets the lowest-numbered room of its type that is
    free (a room is free again on its guest's departure day). Processing intervals by
    start this way uses as few rooms as the busiest night needs.
    """
    slots = [-1] * len(bookings)
    free: dict[tuple[str, str], list[int]] = defaultdict(list)
    busy: dict[tuple[str, str], list[tuple[date, int]]] = defaultdict(list)
    size: Counter[tuple[str, str]] = Counter()
    order = sorted(
        (
            i
            for i, status in enumerate(statuses)
            if status in ("checked_out", "in_house")
        ),
        key=lambda i: (arrivals[i], bookings[i].index),
    )
    for i in order:
        kind = (bookings[i].hotel, bookings[i].room_type)
        while busy[kind] and busy[kind][0][0] <= arrivals[i]:
            heapq.heappush(free[kind], heapq.heappop(busy[kind])[1])
        if free[kind]:
            slot = heapq.heappop(free[kind])
        else:
            slot = size[kind]
            size[kind] += 1
        slots[i] = slot
        departure = arrivals[i] + timedelta(days=bookings[i].nights)
        heapq.heappush(busy[kind], (departure, slot))
    numbers = _room_numbers(size)
    return [
        numbers[(booking.hotel, booking.room_type)][slot] if slot >= 0 else ""
        for booking, slot in zip(bookings, slots, strict=True)
    ]


def _room_numbers(size: Counter[tuple[str, str]]) -> dict[tuple[str, str], list[str]]:
    """Room numbers floor by floor: each type takes whole floors, types in order.

    ``0812`` is room 12 on floor 8 of the City Hotel; the Resort Hotel's rooms carry
    an ``R`` (``R0305``).
    """
    numbers: dict[tuple[str, str], list[str]] = {}
    floor: dict[str, int] = {}
    for hotel, room_type in sorted(size):
        start = floor.get(hotel, FIRST_FLOOR.get(hotel, 1))
        count = size[(hotel, room_type)]
        numbers[(hotel, room_type)] = [
            f"{ROOM_PREFIX.get(hotel, '')}"
            f"{start + slot // ROOMS_PER_FLOOR:02d}{slot % ROOMS_PER_FLOOR + 1:02d}"
            for slot in range(count)
        ]
        floor[hotel] = start + -(-count // ROOMS_PER_FLOOR)
    return numbers
