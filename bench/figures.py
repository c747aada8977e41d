"""Figures, their baselines and targets, and the report they make."""

import json
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any


@dataclass
class Figure:
    """One measured figure beside the baseline measured in the same run.

    ``met`` is ``None`` when there is no target; ``enforced`` says whether a miss
    fails the run without ``--check`` (only correctness, never speed at small scale).
    """

    name: str
    value: float
    unit: str
    baseline: str = ""
    baseline_value: float | None = None
    target: str = ""
    met: bool | None = None
    detail: str = ""
    enforced: bool = False


def timed(call: Callable[[], object], samples: int) -> tuple[float, float]:
    """p50 and p99 of ``call`` in milliseconds."""
    durations = []
    for _ in range(samples):
        start = time.perf_counter()
        call()
        durations.append((time.perf_counter() - start) * 1000)
    return percentiles(durations)


def percentiles(durations: list[float]) -> tuple[float, float]:
    if not durations:
        return 0.0, 0.0
    ordered = sorted(durations)
    p99 = ordered[max(int(len(ordered) * 0.99) - 1, 0)]
    return statistics.median(ordered), p99


def _cell(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit in ("rows/s", "guests/s", "lines/s"):
        return f"{value:,.0f} {unit}"
    if unit == "MB":
        return f"{value:,.0f} MB"
    if unit == "s":
        return f"{value:,.1f} s"
    return f"{value:,.3f} {unit}"


def markdown(title: str, facts: dict[str, Any], figures: list[Figure]) -> str:
    lines = [f"# {title}", ""]
    lines += [f"- {name}: {value}" for name, value in facts.items()]
    lines += [
        "",
        "| what | figure | baseline | baseline figure | target | met |",
        "| --- | ---: | --- | ---: | --- | --- |",
    ]
    for f in figures:
        met = "—" if f.met is None else ("yes" if f.met else "NO")
        lines.append(
            f"| {f.name} | {_cell(f.value, f.unit)} | {f.baseline or '—'} | "
            f"{_cell(f.baseline_value, f.unit)} | {f.target or '—'} | {met} |"
        )
    details = [f"- {f.name}: {f.detail}" for f in figures if f.detail]
    if details:
        lines += ["", *details]
    return "\n".join(lines) + "\n"


def report_write(
    out_dir: Path, stem: str, title: str, facts: dict[str, Any], figures: list[Figure]
) -> str:
    text = markdown(title, facts, figures)
    sys.stdout.write(text)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"{stem}.md").write_text(text, encoding="utf-8")
    payload = {**facts, "figures": [asdict(f) for f in figures]}
    (out_dir / f"{stem}.json").write_text(
        json.dumps(payload, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    return text


def missed(figures: list[Figure], *, check: bool) -> list[Figure]:
    """Figures whose target is missed and that count: all with ``check``."""
    return [f for f in figures if f.met is False and (check or f.enforced)]
