"""Build a large archive straight into the database and time ``duplicates_scan``.

Not a test: run it against a throwaway data directory, for example::

    DOSSIER_DATA_DIR=/tmp/dup-bench .venv/bin/dossier migrate
    DOSSIER_DATA_DIR=/tmp/dup-bench .venv/bin/python -m tests.duplicates.scan_benchmark 1000000

Rows are written with ``bulk_create`` rather than through the services (which would
take hours at this size); sealed ID numbers are placeholders, since the scan reads only
the keyed hash. Every 1000th guest gets a planted duplicate (same ID, same phone
written differently, or the traditional-script name with the same birthday), and 500
guests share a switchboard number.
"""

import os
import random
import sys
import time
from datetime import date, timedelta
from functools import cache

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dossier.settings")
django.setup()

from bench.generate import GIVEN, MOBILE_PREFIXES, regions, surnames  # noqa: E402
from dossier.core.properties import property_default  # noqa: E402
from dossier.duplicates.services import duplicates_scan  # noqa: E402
from dossier.guests.models import Guest, GuestPhone, IdentityDocument  # noqa: E402
from dossier.guests.services import document_index  # noqa: E402
from dossier.zh.idnumber import make_id_number, mask_id_number  # noqa: E402
from dossier.zh.names import name_pinyin, pinyin_sort_key  # noqa: E402

CHUNK = 20_000


@cache
def _readings(surname: str, given: str) -> tuple[str, str]:
    return name_pinyin(surname, given), pinyin_sort_key(surname, given)[:200]


def _people(count: int, seed: int = 5) -> list[tuple[str, str, date, str, str]]:
    rng = random.Random(seed)
    names, weights = surnames()
    codes = regions()
    people = []
    for n in range(count):
        surname = rng.choices(names, weights)[0]
        given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        birth = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 55))
        number = make_id_number(rng.choice(codes), birth, n % 500, "MF"[n % 2])  # type: ignore[arg-type]
        mobile = f"+86{MOBILE_PREFIXES[n % 10]}{n:08d}"
        people.append((surname, given, birth, number, mobile))
    return people


def _planted(
    people: list[tuple[str, str, date, str, str]],
) -> list[tuple[str, str, date, str, str]]:
    extra = []
    for n in range(0, len(people), 1000):
        surname, given, birth, number, mobile = people[n]
        kind = (n // 1000) % 3
        if kind == 0:
            extra.append(("另", "一人", date(1949, 1, 1), number, f"+8617{n:09d}"))
        elif kind == 1:
            extra.append(("家", "人", date(1949, 1, 2), f"X{n:08d}", mobile))
        else:
            extra.append((surname, given, birth, f"Y{n:08d}", f"+8616{n:09d}"))
    extra += [
        (
            "总",
            f"机{i}",
            date(1900, 1, 1) + timedelta(days=i),
            f"Z{i:08d}",
            "+8657188888888",
        )
        for i in range(500)
    ]
    return extra


def build(count: int) -> int:
    prop = property_default()
    people = _people(count)
    people += _planted(people)
    for start in range(0, len(people), CHUNK):
        chunk = people[start : start + CHUNK]
        guests = []
        for surname, given, birth, _, _ in chunk:
            pinyin, sort = _readings(surname, given)
            guests.append(
                Guest(property=prop, full_name=surname + given, surname=surname,
                      given_name=given, name_pinyin=pinyin, name_sort=sort,
                      birth_date=birth)
            )  # fmt: skip
        Guest.objects.bulk_create(guests)
        IdentityDocument.objects.bulk_create(
            IdentityDocument(guest=g, doc_type="resident_id", number_sealed="-",
                             number_index=document_index("resident_id", p[3]),
                             number_masked=mask_id_number(p[3]) if p[3][0].isdigit() else p[3],
                             tail=p[3][-4:])
            for g, p in zip(guests, chunk, strict=True)
        )  # fmt: skip
        GuestPhone.objects.bulk_create(
            GuestPhone(guest=g, raw=p[4], e164=p[4], is_primary=True)
            for g, p in zip(guests, chunk, strict=True)
        )
        print(f"{start + len(chunk)} guests written", file=sys.stderr)
    return len(people)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    if not Guest.objects.exists():
        started = time.monotonic()
        written = build(count)
        print(f"built {written} guests in {time.monotonic() - started:.0f}s")
    result = duplicates_scan(property_id=property_default().pk)
    print(
        f"scan: {result.guests} guests, {result.blocks} blocks, "
        f"{result.pairs_compared} pairs, {result.created} new candidates, "
        f"{len(result.warnings)} warnings, {result.seconds:.1f}s"
    )


if __name__ == "__main__":
    main()
