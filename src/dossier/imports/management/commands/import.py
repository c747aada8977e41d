"""``dossier import PATH``: preview a guest, stay or bill file, then commit it.

Exit codes: 0 imported (or, with ``--dry-run``, nothing rejected), 1 rejected rows
present, 2 the file cannot be read. With ``--json`` every outcome, a failure too, is
one JSON object on stdout with its ``code`` (an :class:`Outcome`) and ``message``.
"""

import enum
import json
import sys
from pathlib import Path
from typing import Any, NoReturn, TextIO

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dossier.core.properties import property_default
from dossier.imports.mapping import MappingError, mapping_parse
from dossier.imports.models import ImportJob, ImportKind
from dossier.imports.report import PHASES, Report
from dossier.imports.services import (
    ImportFailed,
    import_commit,
    import_preview,
    job_create,
)

LINES_BESIDE = {"tipdm_meal_order_info.csv": "tipdm_meal_order_detail.csv"}


class Outcome(enum.StrEnum):
    IMPORTED = "imported"
    PREVIEWED = "previewed"
    REJECTED = "rejected"
    UNREADABLE = "unreadable"
    NOT_FOUND = "not_found"
    BAD_MAPPING = "bad_mapping"
    FAILED = "failed"


class ProgressBar:
    """A one-line bar on stderr, drawn only when stderr is a terminal."""

    WIDTH = 30

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.drawn = False

    def __call__(self, phase: str, done: int, total: int) -> None:
        label = PHASES.get(phase, phase)
        if total:
            filled = self.WIDTH * done // total
            bar = "█" * filled + "·" * (self.WIDTH - filled)
            line = f"\r{label} [{bar}] {done}/{total}"
        else:
            line = f"\r{label}…"
        self.stream.write(line.ljust(self.WIDTH + 30))
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.drawn = False


class Command(BaseCommand):
    help = "导入客人档案、住店记录或餐饮账单（csv 或 xlsx）：先预览检查，再全部写入或全部不写。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--kind", choices=list(ImportKind.values), default=ImportKind.GUESTS
        )
        parser.add_argument("--dry-run", action="store_true", help="只预览，不写入")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出报告")
        parser.add_argument(
            "--map", action="append", default=[], metavar="列名=字段",
            help="指定某列对应的字段；“列名=” 表示不导入该列",
        )  # fmt: skip
        parser.add_argument(
            "--yes", action="store_true", help="有被拒绝的行时仍导入其余行"
        )
        parser.add_argument("--lines", type=Path, help="餐厅账单明细文件（restaurant）")

    def handle(self, *args: Any, **options: Any) -> None:
        self.json = bool(options["json"])
        bar = self._bar(options)
        job = self._job(options)
        try:
            report = import_preview(job=job, progress=bar)
        except ImportFailed as error:
            self._fail(Outcome.UNREADABLE, error.message, 2)
        finally:
            if bar:
                bar.close()
        if options["dry_run"]:
            self._finish(report, Outcome.PREVIEWED, "预览完成，未写入任何数据")
            return
        if not self.json:
            self.stdout.write(_summary(report))
        if report.rejected and not self._go_ahead(report, options):
            message = (
                f"有 {report.rejected_rows} 行被拒绝，未导入任何数据"
                "（用 --yes 导入其余行）"
            )
            self._fail(Outcome.REJECTED, message, 1, report)
        committed = import_commit(job=job, actor=None, skip_rejected=True, progress=bar)
        if bar:
            bar.close()
        if committed.error:
            returncode = 2 if not committed.rejected else 1
            self._fail(Outcome.FAILED, committed.error, returncode, committed)
        message = f"已导入：新建 {committed.created}，更新 {committed.updated}。"
        if not self.json:
            self.stdout.write(message)
        self._finish(committed, Outcome.IMPORTED, message)

    def _finish(self, report: Report, outcome: Outcome, message: str) -> None:
        """Print the report (as JSON, or the summary of a dry run); exit 1 when rows
        were rejected, even if the others were imported."""
        rejected = f"有 {report.rejected_rows} 行被拒绝" if report.rejected else ""
        if self.json and outcome == Outcome.IMPORTED:
            self._json(report, outcome, message + rejected)
        elif self.json:
            self._json(
                report, Outcome.REJECTED if rejected else outcome, rejected or message
            )
        elif outcome == Outcome.PREVIEWED:
            self.stdout.write(_summary(report))
        if rejected:
            raise CommandError(rejected, returncode=1)

    def _fail(
        self,
        outcome: Outcome,
        message: str,
        returncode: int,
        report: Report | None = None,
    ) -> NoReturn:
        if self.json:
            self._json(report, outcome, message)
        raise CommandError(message, returncode=returncode)

    def _json(self, report: Report | None, outcome: Outcome, message: str) -> None:
        body = {
            "code": str(outcome),
            "message": message,
            **(report.as_json() if report else {}),
        }
        self.stdout.write(json.dumps(body, ensure_ascii=False, indent=2))

    def _bar(self, options: dict[str, Any]) -> ProgressBar | None:
        if options["json"] or not sys.stderr.isatty():
            return None
        return ProgressBar(sys.stderr)

    def _job(self, options: dict[str, Any]) -> ImportJob:
        path: Path = options["path"]
        try:
            mapping = mapping_parse(options["map"])
        except MappingError as error:
            self._fail(Outcome.BAD_MAPPING, error.message, 2)
        lines: Path | None = options["lines"]
        if options["kind"] == ImportKind.RESTAURANT and lines is None:
            lines = path.with_name(
                LINES_BESIDE.get(path.name, path.stem + "_detail.csv")
            )
        for needed in filter(None, (path, lines)):
            if not needed.is_file():
                self._fail(Outcome.NOT_FOUND, f"找不到文件“{needed}”", 2)
        with path.open("rb") as handle:
            extra: dict[str, Any] = {}
            if lines is not None:
                extra = {"lines": File(lines.open("rb")), "lines_name": lines.name}
            try:
                return job_create(
                    actor=None, property=property_default(), kind=options["kind"],
                    file=File(handle), name=path.name, mapping=mapping, **extra,
                )  # fmt: skip
            finally:
                if extra:
                    extra["lines"].close()

    def _go_ahead(self, report: Report, options: dict[str, Any]) -> bool:
        if options["yes"]:
            return True
        if not sys.stdin.isatty() or options["json"]:
            return False
        accepted = report.total_rows - report.rejected_rows
        answer = input(
            f"有 {report.rejected_rows} 行被拒绝。是否导入其余 {accepted} 行？[y/N] "
        )
        return answer.strip().casefold() in ("y", "yes", "是")


def _summary(report: Report) -> str:
    lines = [
        f"文件：{report.file}（{report.total_rows} 行）",
        f"将新建 {report.created}，更新 {report.updated}（其中无变化 {report.unchanged}），"
        f"拒绝 {report.rejected_rows} 行",
    ]
    if report.guests:
        lines.append(
            f"客人：新建 {report.guests.get('created', 0)}，"
            f"匹配到已有 {report.guests.get('updated', 0)}"
        )
    if report.ignored_columns:
        lines.append("未导入的列：" + "、".join(report.ignored_columns))
    for error in report.rejected:
        where = f"{error['file']} " if error.get("file") else ""
        lines.append(
            f"  ✗ {where}第 {error['row']} 行 [{error['column']}] “{error['value']}”：{error['message']}"
        )
    for note in report.warnings:
        lines.append(f"  ! 第 {note['row']} 行：{note['message']}")
    return "\n".join(lines)
