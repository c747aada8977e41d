"""The benchmark run: build data, time look-ups and cards, report."""

import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import timedelta
from pathlib import Path

from django.core.management import call_command
from django.db import connection

from bench.generate import guest_inputs
from dossier.core.properties import property_default
from dossier.guests.bulk import guests_bulk_create
from dossier.guests.models import Guest
from dossier.guests.selectors import CardViewer, guest_cards
from dossier.history.models import Stay
from dossier.search.selectors import guest_lookup

SAMPLES = 400
VIEWER = CardViewer(department="front_office", sees_full_id=False, sees_spend=False)


@dataclass
class Figure:
    name: str
    p50_ms: float
    p99_ms: float
    baseline: str
    baseline_p50_ms: float
    target: str
    met: bool | None


def timed(call: Callable[[], object], samples: int) -> tuple[float, float]:
    durations = []
    for _ in range(samples):
        start = time.perf_counter()
        call()
        durations.append((time.perf_counter() - start) * 1000)
    durations.sort()
    return statistics.median(durations), durations[int(len(durations) * 0.99) - 1]


def load(count: int) -> tuple[list[tuple[str, str]], float]:
    prop = property_default()
    keys: list[tuple[str, str]] = []
    batch, start = [], time.perf_counter()
    for data, mobile, number in guest_inputs(count):
        batch.append(data)
        keys.append((mobile, number))
        if len(batch) == 5000:
            guests_bulk_create(actor=None, property=prop, inputs=batch, source="bench")
            batch = []
    if batch:
        guests_bulk_create(actor=None, property=prop, inputs=batch, source="bench")
    rate = count / (time.perf_counter() - start)
    ids = list(Guest.objects.order_by("pk").values_list("pk", flat=True)[:500])
    today = prop.today()
    Stay.objects.bulk_create(
        Stay(
            property=prop,
            guest_id=gid,
            room=f"{8 + n // 50:02d}{n % 50 + 1:02d}",
            arrival=today - timedelta(days=1),
            departure=today + timedelta(days=2),
            status="in_house",
        )
        for n, gid in enumerate(ids)
    )
    return keys, rate


def card_figure(
    name: str, queries: list[str], raw_sql: str, raw_args: list[list[str]]
) -> Figure:
    prop_id = property_default().pk
    rng = random.Random(1)

    def card() -> None:
        hits = guest_lookup(property_id=prop_id, query=rng.choice(queries), limit=5)
        guest_cards([h.guest_id for h in hits[:1]], viewer=VIEWER)

    def raw() -> None:
        with connection.cursor() as cursor:
            cursor.execute(raw_sql, rng.choice(raw_args))
            cursor.fetchall()

    p50, p99 = timed(card, SAMPLES)
    base, _ = timed(raw, SAMPLES)
    return Figure(
        name,
        p50,
        p99,
        "raw indexed SQL",
        base,
        "p50 ≤ 1 ms, p99 ≤ 5 ms",
        p50 <= 1 and p99 <= 5,
    )


def search_figure(name: str, queries: list[str]) -> Figure:
    prop_id = property_default().pk
    rng = random.Random(2)
    p50, p99 = timed(
        lambda: guest_lookup(property_id=prop_id, query=rng.choice(queries)), SAMPLES
    )
    base, _ = timed(
        lambda: list(
            Guest.objects.filter(full_name__icontains=rng.choice(queries))[:20]
        ),
        max(SAMPLES // 10, 20),
    )
    return Figure(name, p50, p99, "Django icontains", base, "p99 ≤ 15 ms", p99 <= 15)


def run(*, guests: int, database: str, out_dir: str) -> int:
    call_command("migrate", verbosity=0)
    keys, rate = load(guests)
    mobiles = [m for m, _ in keys]
    numbers = [n for _, n in keys]
    phone_sql = "SELECT guest_id FROM guests_guestphone WHERE e164 = %s"
    figures = [
        card_figure(
            "card by mobile", mobiles, phone_sql, [["+86" + m] for m in mobiles]
        ),
        card_figure(
            "card by ID number",
            numbers,
            "SELECT guest_id FROM guests_identitydocument WHERE tail = %s",
            [[n[-4:]] for n in numbers],
        ),
        card_figure(
            "card by room",
            ["0801", "0925", "1010", "1250"],
            "SELECT guest_id FROM history_stay WHERE room = %s",
            [["0801"], ["0925"]],
        ),
        search_figure("search: initials", ["wf", "lj", "zw", "cm", "ly"]),
        search_figure("search: name", ["王芳", "李静", "张伟", "陈明"]),
        search_figure("search: phone tail", [m[-4:] for m in mobiles[:100]]),
    ]
    return report(figures, guests=guests, database=database, rate=rate, out_dir=out_dir)


def report(
    figures: list[Figure], *, guests: int, database: str, rate: float, out_dir: str
) -> int:
    lines = [
        f"# Dossier benchmark — {guests:,} guests on {database}",
        "",
        f"Guest creation (bulk, validated, indexed): {rate:,.0f} guests/s",
        "",
        "| what | p50 ms | p99 ms | baseline | baseline p50 ms | ratio | target | met |",
        "| --- | ---: | ---: | --- | ---: | ---: | --- | --- |",
    ]
    for f in figures:
        ratio = f.p50_ms / f.baseline_p50_ms if f.baseline_p50_ms else 0
        lines.append(
            f"| {f.name} | {f.p50_ms:.2f} | {f.p99_ms:.2f} | {f.baseline} | "
            f"{f.baseline_p50_ms:.3f} | {ratio:.1f}× | {f.target} | "
            f"{'yes' if f.met else 'NO'} |"
        )
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.md").write_text(text, encoding="utf-8")
    payload = {
        "guests": guests,
        "database": database,
        "create_rate": rate,
        "figures": [asdict(f) for f in figures],
    }
    (out / "report.json").write_text(json.dumps(payload, indent=2), encoding="utf-8")
    return 0
