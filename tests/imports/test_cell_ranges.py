"""Values too large for their column are rejected with the reason, never crash."""

from decimal import Decimal

import pytest

from dossier.imports.cells import CellError, cell_decimal, cell_int, cell_money


@pytest.mark.parametrize("raw", ["1e30", "99999999999999999999", "1000000000000"])
def test_huge_amounts_are_refused(raw):
    with pytest.raises(CellError, match="金额超出范围"):
        cell_money(raw)


def test_the_largest_amount_is_kept_exactly():
    assert cell_money("999,999,999,999.99") == Decimal("999999999999.99")


@pytest.mark.parametrize("raw", ["1e30", "40000", "-1"])
def test_counts_outside_their_column_are_refused(raw):
    with pytest.raises(CellError):
        cell_int(raw)


def test_a_quantity_with_too_many_decimals_is_refused():
    with pytest.raises(CellError, match="最多 2 位小数"):
        cell_decimal("1.005")
    assert cell_decimal("2.50") == Decimal("2.50")


def test_an_unexpected_failure_leaves_the_job_failed_not_running(
    prop, manager, monkeypatch
):
    from django.core.files.base import ContentFile

    from dossier.guests.models import Guest
    from dossier.imports import services
    from dossier.imports.models import ImportJob

    # given a valid file and a writer that fails for a reason of its own
    job = services.job_create(
        actor=manager,
        property=prop,
        kind="guests",
        file=ContentFile("姓名,手机\n张三,13800004444\n".encode(), name="g.csv"),
        name="g.csv",
    )

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(services, "write", broken)

    # when it is committed
    with pytest.raises(RuntimeError):
        services.import_commit(job=job, actor=manager)

    # then nothing is written and the job says it failed
    assert Guest.objects.count() == 0
    assert ImportJob.objects.get(pk=job.pk).status == "failed"
