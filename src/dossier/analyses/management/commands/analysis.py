"""``dossier analysis SLUG``: an analysis of a period, printed or written to files.

The same reports as the pages and ``/api/v1/analyses/{slug}``; files are written by
the one exporter (BOM, formula-safe text, exact money) and each is audited.
"""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from dossier.analyses.api import report_out
from dossier.analyses.reports import AnalysisError, Report, period_parse
from dossier.analyses.selectors import ANALYSES, analysis_run
from dossier.core.audit import AuditAction, audit
from dossier.core.exports import ExportFormat, table_csv, table_xlsx
from dossier.core.models import Property
from dossier.core.properties import property_default


class Command(BaseCommand):
    help = (
        "运行一项分析（客户画像、忠诚度、利润、前景、营销响应、分类消费），打印或导出。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", choices=list(ANALYSES))
        parser.add_argument("--start", default="", help="YYYY-MM-DD")
        parser.add_argument("--end", default="", help="YYYY-MM-DD (default: today)")
        parser.add_argument("--property", default="", help="property code")
        parser.add_argument("--json", action="store_true", help="as the API gives it")
        parser.add_argument("--format", choices=[f.value for f in ExportFormat])
        parser.add_argument(
            "--output", type=Path, default=Path("."), help="folder of the files"
        )
        parser.add_argument("--section", default="", help="only this table")

    def handle(self, *args: Any, **options: Any) -> None:
        report = self._report(options)
        if options["json"]:
            out = report_out(report)
            self.stdout.write(json.dumps(out, ensure_ascii=False, default=str))
            return
        self._print(report)
        if options["format"]:
            self._write(report, ExportFormat(options["format"]), options)

    def _report(self, options: dict[str, Any]) -> Report:
        code = options["property"]
        prop = (
            Property.objects.filter(code=code).first() if code else property_default()
        )
        if prop is None:
            raise CommandError(f"没有代码为 {code} 的门店")
        try:
            period = period_parse(options["start"], options["end"], today=prop.today())
        except AnalysisError as error:
            raise CommandError(error.message) from None
        report = analysis_run(options["slug"], prop, period)
        assert report is not None
        return report

    def _print(self, report: Report) -> None:
        self.stdout.write(f"{report.title} {report.period.start} – {report.period.end}")
        for label, value in report.figures:
            self.stdout.write(f"  {label}：{value}")
        for section in report.sections:
            rows = list(section.table.rows)
            self.stdout.write(f"  [{section.key}] {section.title}：{len(rows)} 行")

    def _write(
        self, report: Report, fmt: ExportFormat, options: dict[str, Any]
    ) -> None:
        sections = [s for s in report.sections if s.key == options["section"]]
        if options["section"] and not sections:
            keys = "、".join(s.key for s in report.sections)
            raise CommandError(f"没有表格“{options['section']}”，可选：{keys}")
        folder: Path = options["output"]
        folder.mkdir(parents=True, exist_ok=True)
        for section in sections or report.sections:
            body = (
                table_xlsx(section.table) if fmt == "xlsx" else table_csv(section.table)
            )
            path = folder / f"{report.slug}-{section.key}.{fmt}"
            path.write_bytes(body)
            with transaction.atomic():
                audit(actor=None, action=AuditAction.EXPORT,
                      object_type=f"analyses.{report.slug}.{section.key}",
                      format=str(fmt), rows=len(list(section.table.rows)),
                      start=report.period.start.isoformat(),
                      end=report.period.end.isoformat(), path=str(path))  # fmt: skip
            self.stdout.write(f"已写入 {path}")
