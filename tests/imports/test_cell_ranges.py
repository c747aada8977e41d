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
