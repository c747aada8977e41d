"""Reading a downloaded export back in tests: csv rows, the xlsx sheet, its audit."""

import csv
import io
from typing import Any

from django.http import HttpResponse
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from dossier.core.audit import AuditAction
from dossier.core.models import AuditEvent


def csv_rows(response: Any) -> list[list[str]]:
    """The rows of a csv download, checked to start with the BOM Excel needs."""
    assert response.status_code == 200, response.status_code
    raw = response.content
    assert raw.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def xlsx_sheet(response: HttpResponse) -> Worksheet:
    """The one sheet of an xlsx download."""
    assert response.status_code == 200, response.status_code
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert isinstance(sheet, Worksheet)
    return sheet


def exports_of(what: str) -> list[AuditEvent]:
    """The audit entries of exports of ``what``, oldest first."""
    return list(
        AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type=what).order_by(
            "pk"
        )
    )


def exports_of_all() -> list[AuditEvent]:
    """The audit entries of every export, oldest first."""
    return list(AuditEvent.objects.filter(action=AuditAction.EXPORT).order_by("pk"))
