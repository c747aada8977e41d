"""``dossier import PATH``: preview a guest, stay or bill file, then commit it.

Exit codes: 0 imported (or, with ``--dry-run``, nothing rejected), 1 rejected rows
present, 2 the file cannot be read.
"""

import json
import sys
from pathlib import Path
from typing import Any, TextIO

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
        bar = self._bar(options)
        job = self._job(options)
        try:
            report = import_preview(job=job, progress=bar)
        except ImportFailed as error:
            raise CommandError(error.message, returncode=2) from None
        finally:
            if bar:
                bar.close()
        if options["dry_run"]:
            self._print(report, options)
            self._exit(report)
            return
        if not options["json"]:
            self._print(report, options)
        if report.rejected and not self._go_ahead(report, options):
            if options["json"]:
                self._print(report, options)
            raise CommandError(
                f"有 {report.rejected_rows} 行被拒绝，未导入任何数据（用 --yes 导入其余行）",
                returncode=1,
            )
        committed = import_commit(job=job, actor=None, skip_rejected=True, progress=bar)
        if bar:
            bar.close()
        if committed.error:
            raise CommandError(
                committed.error, returncode=2 if not committed.rejected else 1
            )
        if options["json"]:
            self._print(committed, options)
        else:
            self.stdout.write(
                f"已导入：新建 {committed.created}，更新 {committed.updated}。"
            )
        self._exit(committed)

    def _bar(self, options: dict[str, Any]) -> ProgressBar | None:
        if options["json"] or not sys.stderr.isatty():
            return None
        return ProgressBar(sys.stderr)

    def _job(self, options: dict[str, Any]) -> ImportJob:
        path: Path = options["path"]
        try:
            mapping = mapping_parse(options["map"])
        except MappingError as error:
            raise CommandError(error.message, returncode=2) from None
        lines: Path | None = options["lines"]
        if options["kind"] == ImportKind.RESTAURANT and lines is None:
            lines = path.with_name(
                LINES_BESIDE.get(path.name, path.stem + "_detail.csv")
            )
        for needed in filter(None, (path, lines)):
            if not needed.is_file():
                raise CommandError(f"找不到文件“{needed}”", returncode=2)
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

    def _print(self, report: Report, options: dict[str, Any]) -> None:
        if options["json"]:
            self.stdout.write(
                json.dumps(report.as_json(), ensure_ascii=False, indent=2)
            )
            return
        self.stdout.write(_summary(report))

    def _exit(self, report: Report) -> None:
        if report.rejected:
            raise CommandError(f"有 {report.rejected_rows} 行被拒绝", returncode=1)


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
