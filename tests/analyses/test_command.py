"""``dossier analysis``: the reports of the pages from the command line."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dossier.core.audit import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_command_prints_figures_and_writes_each_table(archive, rates, tmp_path):
    # when the profit analysis is run and written as csv
    out = StringIO()
    call_command("analysis", "profit", "--format", "csv", "--output", str(tmp_path),
                 stdout=out)  # fmt: skip

    # then the figures are printed and the outlet table is exact, with a BOM
    text = out.getvalue()
    assert "总收入：1773.00" in text
    raw = (tmp_path / "profit-outlets.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())
    assert raw.decode("utf-8-sig").splitlines()[-1] == (
        "合计,1773.00,491.00,1282.00,72.31%,246.10,1035.90"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "profit-dishes.csv", "profit-guests.csv", "profit-outlets.csv",
    ]  # fmt: skip
    assert AuditEvent.objects.filter(object_type="analyses.profit.outlets").count() == 1


def test_the_command_gives_the_api_json_and_refuses_a_bad_period(archive):
    out = StringIO()

    call_command("analysis", "loyalty", "--json", stdout=out)

    body = json.loads(out.getvalue())
    assert body["slug"] == "loyalty"
    assert body["sections"]
    with pytest.raises(CommandError, match="2026-1-1"):
        call_command("analysis", "loyalty", "--end", "2026-1-1")
    with pytest.raises(CommandError, match="没有表格“nope”"):
        call_command("analysis", "profit", "--format", "csv", "--section", "nope")
