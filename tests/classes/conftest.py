"""Guests with known spend for the class tests."""

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from dossier.core.models import Property
from dossier.guests.models import Company, Guest
from dossier.history.models import Bill
from tests.factories import GuestFactory, add_bill

SpendMaker = Callable[..., Bill]


@pytest.fixture
def spend(db: None) -> SpendMaker:
    """``spend(guest, "1500.00", days_ago=3)`` gives the guest one settled bill."""
    counter = iter(range(1, 100_000))

    def make(guest: Guest, amount: str, *, days_ago: int = 3) -> Bill:
        return add_bill(
            guest,
            f"B{next(counter)}",
            [("套餐", amount, "")],
            opened_at=timezone.now() - timedelta(days=days_ago),
        )

    return make


@pytest.fixture
def company(prop: Property) -> Company:
    return Company.objects.create(property=prop, name="华信科技有限公司")


@pytest.fixture
def guests(prop: Property, spend: SpendMaker, company: Company) -> dict[str, Guest]:
    """Four guests: big spender, regular, small spender, and a company's guest."""
    big = GuestFactory(full_name="李大方")
    regular = GuestFactory(full_name="王常来")
    small = GuestFactory(full_name="赵少少")
    staff = GuestFactory(full_name="钱公干", company=company)
    spend(big, "30000.00")
    spend(big, "20000.00", days_ago=100)
    spend(regular, "10000.00")
    spend(small, "200.00")
    return {"big": big, "regular": regular, "small": small, "staff": staff}


def money(text: str) -> Decimal:
    return Decimal(text)
