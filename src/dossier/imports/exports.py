"""The rejected rows of an import file, to download and correct in the file itself."""

from typing import Any

from django.utils.translation import gettext as _

from dossier.core.exports import Column, Kind, Table
from dossier.imports.models import ImportJob
from dossier.imports.report import Report


def rejected_table(job: ImportJob, report: Report) -> Table:
    """Every rejected row of ``report``, as the preview lists its first ones."""
    columns = [
        Column(_("文件")),
        Column(_("行"), Kind.INTEGER),
        Column(_("列")),
        Column(_("原值")),
        Column(_("原因")),
    ]
    rows = (_row(job, error) for error in report.rejected)
    return Table(_("被拒绝的行"), columns, rows)


def _row(job: ImportJob, error: dict[str, Any]) -> list[Any]:
    return [
        error.get("file") or job.original_name,
        error.get("row"),
        error.get("column", ""),
        error.get("value", ""),
        error.get("message", ""),
    ]
