"""Money as exact decimals stored in integer fen on every database."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.expressions import Combinable

FEN = Decimal("0.01")
# A trillion yuan: far beyond any bill, well inside a 64-bit count of fen.
MONEY_MAX = Decimal("999999999999.99")


def to_money(value: object) -> Decimal:
    """Parse ``value`` as an amount of yuan with at most two decimals.

    Floats are refused: a binary float cannot say what amount was meant.
    """
    if isinstance(value, float):
        raise TypeError("money must not be given as a float")
    if isinstance(value, Decimal):
        amount = value
    else:
        try:
            amount = Decimal(str(value).strip().replace(",", ""))
        except InvalidOperation:
            raise ValueError(f"not an amount: {value!r}") from None
    if not amount.is_finite():
        raise ValueError(f"not an amount: {value!r}")
    if abs(amount) > MONEY_MAX:
        raise ValueError(f"amount out of range: {value!r}")
    if amount != amount.quantize(FEN):
        raise ValueError(f"more than two decimals: {value!r}")
    return amount.quantize(FEN)


def round_money(amount: Decimal) -> Decimal:
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


class MoneyField(models.BigIntegerField):  # type: ignore[type-arg]
    """A ``Decimal`` amount of yuan kept as a whole number of fen."""

    description = "Amount of money in yuan, stored in fen"
    if TYPE_CHECKING:
        _pyi_private_set_type: Decimal | int | str | Combinable  # type: ignore[assignment]
        _pyi_private_get_type: Decimal  # type: ignore[assignment]

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return None
        return (Decimal(int(value)) / 100).quantize(FEN)

    def to_python(self, value: Any) -> Any:
        if value is None or isinstance(value, Decimal):
            return value
        try:
            return to_money(value)
        except (TypeError, ValueError) as error:
            raise ValidationError(str(error)) from error

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            value = Decimal(value)
        amount = to_money(value)
        return int(amount * 100)

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
        from django import forms

        defaults: dict[str, Any] = {
            "form_class": forms.DecimalField,
            "decimal_places": 2,
            "max_digits": 14,
        }
        defaults.update(kwargs)
        return models.Field.formfield(self, **defaults)
