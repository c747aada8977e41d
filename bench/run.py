"""The benchmark run: build data, time look-ups, cards, search, imports, load; report."""

import csv
import itertools
import random
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from bench import generate
from bench.figures import Figure, missed, percentiles, report_write, timed
from bench.history import histories_add
from bench.load import CLIENTS, DESK_PACE, LoadResult, ServerDied, load_run
from dossier.core.dbsetup import statistics_refresh
from dossier.core.models import Property, StaffProfile
from dossier.core.properties import property_default
from dossier.core.roles import DEPARTMENT_ROLE
from dossier.guests.bulk import guests_bulk_create
from dossier.guests.models import Guest, GuestPhone, IdentityDocument
from dossier.guests.selectors import CardViewer, guest_cards
from dossier.guests.services import GuestInput
from dossier.history.models import Outlet, OutletKind, SpendLine, Stay
from dossier.search.indexing import rows_insert
from dossier.search.models import SearchKey
from dossier.search.selectors import guest_lookup, lookup_rows
from dossier.web.selectors import viewer_property
from dossier.zh.names import name_initials, name_pinyin, split_name

SAMPLES = 400
SPEND_PER_GUEST = 10
LOAD_IMPORT_ROWS = 100_000
# Guests in the house (found by room), and guests with a history after them.
IN_HOUSE = 500
REGULARS = 200
VIEWER = CardViewer(department="front_office", sees_full_id=False, sees_spend=False)
CARD_TARGET = "p50 ≤ 1 ms, p99 ≤ 5 ms"


@dataclass
class Archive:
    """What the run built, for the queries that follow."""

    prop: Property
    mobiles: list[str] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)
    # Guests with a history (see ``bench.history``), and their mobiles.
    regulars: list[int] = field(default_factory=list)
    regular_mobiles: list[str] = field(default_factory=list)


def load(count: int, figures: list[Figure]) -> Archive:
    archive = Archive(prop=property_default())
    batch = []
    started = time.perf_counter()
    for data, mobile, number in generate.guest_inputs(count):
        batch.append(data)
        archive.mobiles.append(mobile)
        archive.numbers.append(number)
        if len(archive.names) < 2000:
            archive.names.append(str(data.fields["full_name"]))
        if len(batch) == 5000:
            archive.ids += _create(archive.prop, batch)
            batch = []
    if batch:
        archive.ids += _create(archive.prop, batch)
    rate = count / (time.perf_counter() - started)
    figures.append(
        Figure("guest creation (bulk, validated, indexed)", rate, "guests/s")
    )
    _rooms(archive)
    _regulars(archive)
    return archive


# Of the guests an earlier run generated, how many mobiles, ID numbers and names a
# run with --reuse reads back to ask for.
REUSE_SAMPLE = 20_000


class ArchiveMissing(SystemExit):
    """The database holds no archive of the scale asked for."""


def archive_found(count: int) -> Archive:
    """The archive an earlier run of ``count`` guests built, as :func:`load` gave it:
    the generator's first guests again, and the ids of the first ``count`` guests."""
    archive = Archive(prop=property_default())
    archive.ids = list(
        Guest.objects.filter(property=archive.prop)
        .order_by("id")
        .values_list("id", flat=True)[:count]
    )
    if len(archive.ids) < count:
        raise ArchiveMissing(
            f"--reuse: the database has {len(archive.ids):,} guests, fewer than the "
            f"{count:,} of this scale; run the bench once without --reuse"
        )
    sample = itertools.islice(generate.guest_inputs(count), REUSE_SAMPLE)
    for data, mobile, number in sample:
        archive.mobiles.append(mobile)
        archive.numbers.append(number)
        archive.names.append(str(data.fields["full_name"]))
    start = min(IN_HOUSE, count // 2)
    archive.regulars = archive.ids[start : start + REGULARS]
    archive.regular_mobiles = archive.mobiles[start : start + REGULARS]
    return archive


def _regulars(archive: Archive) -> None:
    """A history for ``REGULARS`` guests after those in the house (see ``_rooms``)."""
    start = min(IN_HOUSE, len(archive.ids) // 2)
    archive.regulars = archive.ids[start : start + REGULARS]
    archive.regular_mobiles = archive.mobiles[start : start + REGULARS]
    histories_add(archive.prop, archive.regulars)


def _create(prop: Property, batch: list[GuestInput]) -> list[int]:
    return guests_bulk_create(actor=None, property=prop, inputs=batch, source="bench")


def _rooms(archive: Archive) -> None:
    today = archive.prop.today()
    Stay.objects.bulk_create(
        Stay(
            property=archive.prop,
            guest_id=gid,
            room=f"{8 + n // 50:02d}{n % 50 + 1:02d}",
            arrival=today - timedelta(days=1),
            departure=today + timedelta(days=2),
            status="in_house",
        )
        for n, gid in enumerate(archive.ids[:IN_HOUSE])
    )


def spend(archive: Archive, figures: list[Figure]) -> None:
    """``SPEND_PER_GUEST`` spend lines per guest, as plain rows (COPY on PostgreSQL)."""
    outlets = [
        Outlet.objects.create(property=archive.prop, code=code, name=name, kind=kind)
        for code, name, kind in (
            ("rooms", "客房", OutletKind.ROOMS),
            ("cn", "中餐厅", OutletKind.FOOD_BEVERAGE),
            ("spa", "水疗", OutletKind.OTHER),
        )
    ]
    rows = generate.spend_rows(
        archive.ids,
        SPEND_PER_GUEST,
        property_id=archive.prop.pk,
        outlet_ids=[o.pk for o in outlets],
    )
    columns = (
        "property_id", "guest_id", "outlet_id", "date", "description", "revenue", "cost",
        "created_at",
    )  # fmt: skip
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    total, started = 0, time.perf_counter()
    while chunk := list(itertools.islice(rows, 200_000)):
        with transaction.atomic():
            rows_insert(SpendLine._meta.db_table, columns, [(*r, now) for r in chunk])
        total += len(chunk)
    rate = total / (time.perf_counter() - started)
    # As after a large import: the planner reads fresh statistics (PostgreSQL).
    statistics_refresh(
        Guest, GuestPhone, IdentityDocument, SearchKey, Stay, SpendLine, rows=total
    )
    figures.append(
        Figure(
            "spend lines written (raw rows)", rate, "lines/s", detail=f"{total:,} lines"
        )
    )


def card_figures(archive: Archive, figures: list[Figure]) -> None:
    prop_id = archive.prop.pk
    rng = random.Random(1)
    cases = [
        ("mobile", archive.mobiles, "SELECT guest_id FROM guests_guestphone WHERE e164 = %s",
         lambda q: ["+86" + q]),
        ("ID number", archive.numbers,
         "SELECT guest_id FROM guests_identitydocument WHERE tail = %s",
         lambda q: [q[-4:]]),
        ("room", ["0801", "0925", "1010", "1250"],
         "SELECT guest_id FROM history_stay WHERE room = %s", lambda q: [q]),
        ("mobile, a guest with a history", archive.regular_mobiles,
         "SELECT guest_id FROM guests_guestphone WHERE e164 = %s",
         lambda q: ["+86" + q]),
    ]  # fmt: skip
    desk = _desk_user()
    for label, queries, raw_sql, args in cases:

        def card(queries: list[str] = queries) -> None:
            query = rng.choice(queries)
            lookup_rows(property_id=prop_id, query=query, viewer=desk, limit=5)

        def raw(queries: list[str] = queries, args: Callable[..., list[str]] = args,
                sql: str = raw_sql) -> None:  # fmt: skip
            with connection.cursor() as cursor:
                cursor.execute(sql, args(rng.choice(queries)))
                cursor.fetchall()

        p50, p99 = timed(card, SAMPLES)
        base, _ = timed(raw, SAMPLES)
        figures.append(
            Figure(
                f"look-up + card by {label}, p50",
                p50,
                "ms",
                "one raw indexed SQL query",
                base,
                CARD_TARGET,
                p50 <= 1 and p99 <= 5,
                detail=f"p99 {p99:.2f} ms",
            )
        )
    for label, ids in (
        ("", archive.ids),
        (", a guest with a history", archive.regulars),
    ):

        def card_alone(ids: list[int] = ids) -> None:
            guest_cards([rng.choice(ids)], viewer=VIEWER)

        p50, p99 = timed(card_alone, SAMPLES)
        figures.append(
            Figure(
                f"card alone (guests.selectors){label}, p50",
                p50,
                "ms",
                detail=f"p99 {p99:.2f} ms",
            )
        )


def search_figures(archive: Archive, figures: list[Figure]) -> None:
    prop_id = archive.prop.pk
    rng = random.Random(2)
    parts = [split_name(n) for n in archive.names[:200]]
    cases = [
        ("name", archive.names[:200], "full_name__icontains"),
        ("pinyin", [name_pinyin(p.surname, p.given_name).replace(" ", "") for p in parts],
         "name_pinyin__icontains"),
        ("initials", [name_initials(p.surname, p.given_name) for p in parts],
         "name_pinyin__icontains"),
        ("2-character note word", generate.NOTE_WORDS, "notes__icontains"),
        ("phone tail", [m[-4:] for m in archive.mobiles[:200]], "phones__e164__endswith"),
    ]  # fmt: skip
    for label, queries, lookup in cases:

        def search(q: list[str] = queries) -> object:
            return guest_lookup(property_id=prop_id, query=rng.choice(q))

        def contains(q: list[str] = queries, k: str = lookup) -> object:
            found = Guest.objects.filter(**{k: rng.choice(q)}).values_list("pk")
            return list(found[:20])

        p50, p99 = timed(search, SAMPLES)
        base, _ = timed(contains, max(SAMPLES // 20, 10))
        figures.append(
            Figure(
                f"search: {label}, p99",
                p99,
                "ms",
                "Django icontains, p50",
                base,
                "p99 ≤ 15 ms",
                p99 <= 15,
                detail=f"p50 {p50:.2f} ms",
            )
        )


def _read_csv(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


def _read_xlsx(path: Path) -> int:
    import python_calamine

    sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    return len(sheet.to_python()) - 1


def _import(path: Path) -> dict[str, object]:
    import json
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "bench.importer", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if not done.stdout.strip():
        return {"committed": False, "error": done.stderr[-500:]}
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def import_figures(
    archive: Archive, rows: int, work: Path, figures: list[Figure]
) -> None:
    peak = 0.0
    for kind, offset, target, writer, reader, base_name in (
        ("csv", 50_000_000, 30_000, generate.write_csv, _read_csv, "csv module reading"),
        ("xlsx", 60_000_000, 20_000, generate.write_xlsx, _read_xlsx,
         "python-calamine reading"),
    ):  # fmt: skip
        path = work / f"guests.{kind}"
        writer(path, generate.guest_rows(rows, seed=offset, offset=offset))
        started = time.perf_counter()
        reader(path)
        read_rate = rows / (time.perf_counter() - started)
        result = _import(path)
        committed = bool(result.get("committed"))
        seconds = float(str(result.get("seconds", 0))) or float("inf")
        cpu = float(str(result.get("cpu_seconds", 0)))
        rate = rows / seconds if committed else 0.0
        peak = max(peak, float(str(result.get("peak_mb", 0))))
        found = _searchable(archive, offset)
        figures.append(
            Figure(
                f"import {kind}, validated and searchable",
                rate,
                "rows/s",
                base_name,
                read_rate,
                f"≥ {target:,} rows/s at 1M",
                rate >= target,
                detail=f"{rows:,} rows in {seconds:.1f} s given {cpu:.1f} s of CPU, "
                f"peak {float(str(result.get('peak_mb', 0))):,.0f} MB, "
                f"committed {committed}, found by phone {found}; "
                f"{result.get('error') or ''}".strip("; ")
                + "".join(f"; {line}" for line in _logged(result)),
            )
        )
        figures.append(
            Figure(
                f"import {kind} committed and searchable",
                float(committed and found),
                "",
                target="commits, rows found",
                met=committed and found,
                enforced=True,
            )
        )
    figures.append(
        Figure(
            "import peak memory (whole process)",
            peak,
            "MB",
            target=f"≤ 600 MB for 1M rows (this run {rows:,})",
            met=peak <= 600,
        )
    )


def _logged(result: dict[str, object]) -> list[str]:
    """What the import logged: its parts' seconds, its duplicate check."""
    lines = result.get("log")
    return [str(line) for line in lines] if isinstance(lines, list) else []


def _searchable(archive: Archive, offset: int) -> bool:
    """The first imported guest is found by its mobile."""
    first = next(generate.guest_rows(1, seed=offset, offset=offset))
    hits = guest_lookup(property_id=archive.prop.pk, query=first[2])
    return bool(hits)


def duplicates_figure(archive: Archive, figures: list[Figure]) -> None:
    try:
        from dossier.duplicates.services import duplicates_scan
    except ImportError:
        figures.append(Figure("duplicate scan", 0, "s", detail="not available"))
        return
    started = time.perf_counter()
    duplicates_scan(property_id=archive.prop.pk)
    seconds = time.perf_counter() - started
    figures.append(
        Figure(
            "duplicate scan of the whole archive",
            seconds,
            "s",
            target="≤ 120 s at 1M",
            met=seconds <= 120,
        )
    )


def _desk_user() -> User:
    """A member of the front office, as a request at the desk has it: with the
    property and permissions read."""
    user, created = User.objects.get_or_create(username="bench-desk")
    if created:
        user.set_password("bench-Dossier-1")
        user.save()
        StaffProfile.objects.create(
            user=user, department="front_office", property=property_default()
        )
        user.groups.add(Group.objects.get(name=DEPARTMENT_ROLE["front_office"]))
    user = User.objects.get(pk=user.pk)
    viewer_property(user)
    user.has_perm("guests.view_guest")
    return user


def _session() -> str:
    user = _desk_user()
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def load_figures(
    archive: Archive, rows: int, work: Path, figures: list[Figure]
) -> None:
    rng = random.Random(4)
    paths = [f"/api/v1/guests/lookup?q={rng.choice(archive.mobiles)}&limit=5"
             for _ in range(500)]  # fmt: skip
    paths += [f"/api/v1/guests/{rng.choice(archive.ids)}/card" for _ in range(500)]
    cookie = _session()
    runs: list[tuple[str, LoadResult]] = []
    for label, pace, offset in (
        ("closed loop", None, 70_000_000),
        ("desk pace", DESK_PACE, 75_000_000),
    ):
        path = work / f"load-{offset}.csv"
        generate.write_csv(path, generate.guest_rows(rows, seed=3, offset=offset))
        try:
            result = load_run(cookie=cookie, paths=paths, import_file=path, pace=pace)
        except ServerDied as error:
            print(f"under load: {error}", file=sys.stderr)
            figures.append(
                Figure(
                    "under load: the server ran to the end",
                    0.0,
                    "",
                    target="the server serves the whole run",
                    met=False,
                    detail=str(error).splitlines()[0],
                    enforced=True,
                )
            )
            break
        runs.append((label, result))
    if runs:
        figures += [*_load_speed(runs, rows), _load_correct(runs)]


def _load_speed(runs: list[tuple[str, LoadResult]], rows: int) -> list[Figure]:
    """p99 of each run: the closed loop against the target, the desk pace beside it."""
    figures = []
    for label, result in runs:
        p50, p99 = percentiles(result.durations_ms)
        count = len(result.durations_ms)
        cpu = result.server_cpu_seconds
        detail = (
            f"{count:,} requests by {CLIENTS} clients in {result.seconds:.1f} s "
            f"({count / max(result.seconds, 1e-9):,.0f}/s), p50 {p50:.2f} ms, "
            + (
                f"server CPU {cpu * 1000 / count:.2f} ms a request, "
                if cpu and count
                else ""
            )
            + f"during an import of {rows:,} rows "
            f"(committed {bool(result.import_result.get('committed'))}"
            + (f": {error}" if (error := result.import_result.get("error")) else "")
            + ")"
        )
        if label == "closed loop":
            figures.append(
                Figure(
                    "under load: look-ups and cards over HTTP, p99",
                    p99,
                    "ms",
                    target="p99 ≤ 50 ms",
                    met=p99 <= 50,
                    detail=f"closed loop, no pause between requests; {detail}",
                )
            )
        else:
            low, high = (int(s * 1000) for s in DESK_PACE)
            figures.append(
                Figure(
                    "under load at desk pace: look-ups and cards over HTTP, p99",
                    p99,
                    "ms",
                    target="shown beside the closed loop, whose p99 is the target",
                    detail=f"each client asks every {low}–{high} ms; {detail}",
                )
            )
    return figures


def _load_correct(runs: list[tuple[str, LoadResult]]) -> Figure:
    failed = sum(r.failed for _, r in runs)
    locked = sum(r.locked for _, r in runs)
    committed = all(r.import_result.get("committed") for _, r in runs)
    errors = [e for _, r in runs for e in r.errors]
    return Figure(
        "under load: failed requests / 'database is locked'",
        float(failed + locked),
        "",
        target="none, and the import commits",
        met=failed == 0 and locked == 0 and committed,
        detail="; ".join(errors)
        or "; ".join(
            f"{label}: {r.failed} failed, {r.locked} locked, "
            f"import committed {bool(r.import_result.get('committed'))}"
            for label, r in runs
        ),
        enforced=True,
    )


def run(
    *,
    guests: int,
    database: str,
    out_dir: str,
    check: bool,
    parts: frozenset[str],
    reuse: bool = False,
) -> int:
    figures: list[Figure] = []
    if reuse:
        archive = archive_found(guests)
    else:
        call_command("migrate", verbosity=0)
        archive = load(guests, figures)
        spend(archive, figures)
    if "card" in parts:
        card_figures(archive, figures)
    if "search" in parts:
        search_figures(archive, figures)
    with tempfile.TemporaryDirectory(prefix="dossier-bench-files-") as folder:
        work = Path(folder)
        if "imports" in parts:
            import_figures(archive, guests, work, figures)
        if "duplicates" in parts:
            duplicates_figure(archive, figures)
        if "load" in parts:
            load_figures(archive, min(LOAD_IMPORT_ROWS, guests), work, figures)
    facts = {
        "guests": guests,
        "database": database,
        "spend_lines": guests * SPEND_PER_GUEST,
        "check": check,
        "parts": sorted(parts),
        "reused": reuse,
    }
    title = f"Dossier benchmark — {guests:,} guests on {database}"
    report_write(Path(out_dir), f"report-{database}", title, facts, figures)
    failures = missed(figures, check=check)
    for figure in failures:
        print(f"missed: {figure.name} ({figure.target})")
    return 1 if failures else 0
