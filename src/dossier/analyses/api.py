"""API of analyses: each report's figures and tables as JSON, money as exact strings."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from dossier.analyses.reports import AnalysisError, Report, period_parse
from dossier.analyses.selectors import ANALYSES, analysis_run
from dossier.web.selectors import viewer_property

router = Router(tags=["analyses"])


class SectionOut(Schema):
    key: str
    title: str
    columns: list[str]
    kinds: list[str]
    rows: list[list[Any]]


class ReportOut(Schema):
    slug: str
    title: str
    start: date
    end: date
    figures: dict[str, Any]
    sections: list[SectionOut]


class ErrorOut(Schema):
    code: str
    message: str
    field: str = ""


def _value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def report_out(report: Report) -> dict[str, Any]:
    return {
        "slug": report.slug,
        "title": report.title,
        "start": report.period.start,
        "end": report.period.end,
        "figures": {label: _value(v) for label, v in report.figures},
        "sections": [
            {
                "key": s.key,
                "title": s.title,
                "columns": [c.heading for c in s.table.columns],
                "kinds": [str(c.kind) for c in s.table.columns],
                "rows": [[_value(v) for v in row] for row in s.table.rows],
            }
            for s in report.sections
        ],
    }


@router.get("/{slug}", response={200: ReportOut, 422: ErrorOut},
            summary="One analysis over a period (default: the last 12 months)")  # fmt: skip
def analysis(request: HttpRequest, slug: str, start: str = "", end: str = "") -> Any:
    if not request.user.has_perm("history.view_spend"):
        raise PermissionError
    if slug not in ANALYSES:
        raise Http404
    prop = viewer_property(request.user)
    try:
        period = period_parse(start, end, today=prop.today())
    except AnalysisError as error:
        return Status(422, {"code": "invalid_period", "message": error.message,
                            "field": error.field})  # fmt: skip
    report = analysis_run(slug, prop, period)
    assert report is not None
    return report_out(report)
