"""Fixtures of the import tests: files built in memory, jobs previewed from them."""

import io
from collections.abc import Callable, Sequence
from typing import Any

import openpyxl
import pytest

from dossier.core.models import Property
from dossier.imports.models import ImportJob
from dossier.imports.services import job_create_from_bytes

# Valid resident ID numbers (region 110105, Beijing Chaoyang).
ID_ZHANG = "110105198001020150"  # man, born 1980-01-02
ID_LI = "110105199005170249"  # woman, born 1990-05-17
ID_WANG = "110105197511300676"  # man, born 1975-11-30


def xlsx_bytes(
    rows: Sequence[Sequence[Any]],
    *,
    merges: Sequence[str] = (),
    formats: dict[str, str] | None = None,
) -> bytes:
    """An xlsx workbook with ``rows`` from A1, merged ranges and number formats."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    for merged in merges:
        sheet.merge_cells(merged)
    for cell, number_format in (formats or {}).items():
        sheet[cell].number_format = number_format
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: Sequence[Sequence[str]], *, encoding: str = "utf-8") -> bytes:
    text = "\n".join(",".join(row) for row in rows) + "\n"
    return text.encode(encoding)


JobMaker = Callable[..., ImportJob]


@pytest.fixture
def make_job(prop: Property) -> JobMaker:
    def make(
        data: bytes, name: str = "guests.csv", kind: str = "guests", **extra: Any
    ) -> ImportJob:
        return job_create_from_bytes(
            actor=None, property=prop, kind=kind, data=data, name=name, **extra
        )

    return make
