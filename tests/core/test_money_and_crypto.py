import hashlib
import hmac
from decimal import Decimal

import pytest
from django.conf import settings
from django.db.models import Sum
from hypothesis import given
from hypothesis import strategies as st

from dossier.core.crypto import blind_index, seal, unseal
from dossier.core.money import to_money
from dossier.history.models import SpendLine
from tests.factories import GuestFactory, add_bill

pytestmark = pytest.mark.django_db


def test_sums_are_exact_on_the_database(prop):
    guest = GuestFactory(full_name="张三")
    for n in range(10):
        add_bill(guest, f"B{n}", [("茶", "0.10", "")])

    total = SpendLine.objects.aggregate(total=Sum("revenue"))["total"]

    assert total == Decimal("1.00")
    assert SpendLine.objects.filter(revenue__gt=Decimal("0.09")).count() == 10


@pytest.mark.parametrize(
    ("raw", "expected"), [("12.5", "12.50"), ("1,234.56", "1234.56"), (3, "3.00")]
)
def test_money_parsing(raw, expected):
    assert to_money(raw) == Decimal(expected)


@pytest.mark.parametrize("raw", ["1.005", "abc", "NaN", "Infinity"])
def test_money_refuses_what_it_cannot_hold(raw):
    with pytest.raises(ValueError):
        to_money(raw)


def test_floats_are_refused():
    with pytest.raises(TypeError):
        to_money(0.1)


def test_sealed_values_are_random_and_open_again():
    first, second = seal("11010519491231002X"), seal("11010519491231002X")

    assert first != second
    assert unseal(first) == unseal(second) == "11010519491231002X"


def test_a_tampered_value_does_not_open():
    token = seal("secret")
    tampered = token[:-4] + ("AAAA" if token[-4:] != "AAAA" else "BBBB")

    with pytest.raises(ValueError):
        unseal(tampered)


def test_blind_index_is_stable_and_keyed():
    assert blind_index("x") == blind_index("x")
    assert blind_index("x") != blind_index("y")


@given(st.text())
def test_blind_index_is_the_hmac_sha256_of_the_index_key(value):
    # given the index key as derived from the field key
    root = hashlib.sha256(settings.DOSSIER_FIELD_KEY.encode("utf-8")).digest()
    key = hmac.new(root, b"dossier-field-index", hashlib.sha256).digest()

    # then the stored index is that key's HMAC-SHA256 of the value, in hex
    expected = hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()
    assert blind_index(value) == expected
