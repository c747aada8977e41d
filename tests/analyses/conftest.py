"""A small archive with known revenue and cost for the analysis tests."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from dossier.core.models import Property
from dossier.guests.models import Guest
from dossier.history.costs import cost_rate_set
from dossier.history.models import Outlet
from dossier.history.services import BillInput, BillLineInput, bill_record
from tests.factories import GuestFactory, add_stay


@pytest.fixture
def archive(prop: Property) -> dict[str, Guest]:
    """Li dined (one costed, one uncosted dish) and stayed; Wang dined twice."""
    li = GuestFactory(full_name="李大方")
    wang = GuestFactory(full_name="王常来")
    now = timezone.now()
    bill_record(
        property=prop,
        guest=li,
        data=BillInput(
            external_ref="B1", outlet_code="chinese", outlet_name="中餐厅",
            opened_at=now - timedelta(days=3),
            lines=[
                BillLineInput(quantity=Decimal(1), dish="清蒸石斑鱼", unit_price=Decimal("388.00"),
                              category="海鲜"),
                BillLineInput(quantity=Decimal(1), dish="米饭", unit_price=Decimal("3.00"),
                              cost=Decimal("0.80"), category="主食"),
            ],
        ),
    )  # fmt: skip
    add_stay(li, days_ago=20, external_ref="S1")
    for ref, days in (("B2", 40), ("B3", 5)):
        bill_record(
            property=prop,
            guest=wang,
            data=BillInput(
                external_ref=ref, outlet_code="chinese", outlet_name="中餐厅",
                opened_at=now - timedelta(days=days),
                lines=[BillLineInput(quantity=Decimal(1), dish="米饭", unit_price=Decimal("3.00"),
                                     cost=Decimal("0.80"), category="主食")],
            ),
        )  # fmt: skip
    return {"li": li, "wang": wang}


@pytest.fixture
def rates(prop: Property, archive: dict[str, Guest]) -> None:
    chinese = Outlet.objects.get(property=prop, code="chinese")
    rooms = Outlet.objects.get(property=prop, code="rooms")
    cost_rate_set(actor=None, property=prop, outlet=chinese, category="",
                  cost_percent="40", expense_percent="10")  # fmt: skip
    cost_rate_set(actor=None, property=prop, outlet=chinese, category="海鲜",
                  cost_percent="55")  # fmt: skip
    cost_rate_set(actor=None, property=prop, outlet=rooms, category="",
                  cost_percent="20", expense_percent="15")  # fmt: skip
