"""factory_boy factories; guests are made through the service, as staff would make them."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from dossier.core.properties import property_default
from dossier.guests.models import Guest
from dossier.guests.services import GuestInput, IdentityInput, guest_create
from dossier.history.models import Stay
from dossier.history.services import BillInput, BillLineInput, bill_record, stay_record
from dossier.zh.idnumber import make_id_number


def resident_id(
    birth: date = date(1985, 3, 14), gender: str = "F", seq: int = 1
) -> str:
    return make_id_number("110105", birth, seq, gender)  # type: ignore[arg-type]


class GuestFactory(factory.Factory):  # type: ignore[misc]
    class Meta:
        model = Guest

    full_name = factory.Sequence(lambda n: f"王{'一二三四五六七八九'[n % 9]}{n}")

    @classmethod
    def _create(cls, model_class: type[Guest], **kwargs: Any) -> Guest:
        phones = kwargs.pop("phones", [])
        documents = [IdentityInput(n) for n in kwargs.pop("id_numbers", [])]
        surname = kwargs.pop("surname", None)
        return guest_create(
            actor=kwargs.pop("actor", None),
            property=kwargs.pop("property", None) or property_default(),
            data=GuestInput(
                fields=kwargs, surname=surname, phones=phones, documents=documents
            ),
        )


def add_stay(
    guest: Guest, *, days_ago: int = 10, nights: int = 2, **values: Any
) -> Stay:
    arrival = timezone.localdate() - timedelta(days=days_ago)
    defaults: dict[str, Any] = {
        "arrival": arrival,
        "departure": arrival + timedelta(days=nights),
        "room": "0812",
        "room_type": "豪华大床房",
        "rate": Decimal("688.00"),
        "status": "checked_out",
    }
    defaults.update(values)
    return stay_record(
        property=guest.property,
        guest=guest,
        values=defaults,
        revenue=Decimal("1376.00"),
    )


def add_bill(
    guest: Guest, ref: str, dishes: list[tuple[str, str, str]], **kw: Any
) -> Any:
    """``dishes`` as (name, unit price, rating)."""
    lines = [
        BillLineInput(
            dish=name, quantity=Decimal(1), unit_price=Decimal(price), rating=r
        )
        for name, price, r in dishes
    ]
    data = BillInput(
        external_ref=ref,
        outlet_code="chinese",
        outlet_name="中餐厅",
        opened_at=kw.pop("opened_at", timezone.now() - timedelta(days=3)),
        lines=lines,
        **kw,
    )
    return bill_record(property=guest.property, guest=guest, data=data)


def at(text: str) -> datetime:
    return timezone.make_aware(datetime.fromisoformat(text))
