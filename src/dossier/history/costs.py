"""Cost rates: the share of revenue the house counts as direct cost and as expenses,
where a charge carries no cost of its own (see :class:`CostRate`)."""

from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossier.core.audit import AuditAction, audit
from dossier.core.models import Property
from dossier.history.models import CostRate, Outlet

HUNDRED = Decimal(100)


class CostRateError(ValueError):
    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def percent_to_bp(value: Decimal | str, field: str, label: str) -> int:
    """A percentage with at most two decimals (``35.5``) as basis points (3550)."""
    try:
        percent = Decimal(str(value).strip().rstrip("%"))
    except InvalidOperation:
        raise CostRateError(
            _("%(label)s“%(value)s”不是数字") % {"label": label, "value": value},
            field=field,
        ) from None
    if not percent.is_finite() or not Decimal(0) <= percent <= HUNDRED:
        raise CostRateError(
            _("%(label)s应在 0 至 100 之间") % {"label": label}, field=field
        )
    if percent != percent.quantize(Decimal("0.01")):
        raise CostRateError(_("%(label)s最多两位小数") % {"label": label}, field=field)
    return int(percent * 100)


@transaction.atomic
def cost_rate_set(
    *,
    actor: User | AnonymousUser | None,
    property: Property,
    outlet: Outlet,
    category: str,
    cost_percent: Decimal | str,
    expense_percent: Decimal | str | None = None,
) -> CostRate:
    """Set the rates of an outlet (``category`` empty) or of one dish category.

    An ``expense_percent`` left blank (None or empty) is no rate at all, not 0%:
    it is shown and exported empty, and net profit deducts no expenses for it.
    """
    if outlet.property_id != property.pk:
        raise CostRateError(_("该营业点不属于本店"), field="outlet")
    category = " ".join(category.split())
    cost_bp = percent_to_bp(cost_percent, "cost_percent", _("成本率"))
    expense_bp = (
        None
        if expense_percent is None or not str(expense_percent).strip()
        else percent_to_bp(expense_percent, "expense_percent", _("费用率"))
    )
    if cost_bp + (expense_bp or 0) > 10_000:
        raise CostRateError(
            _("成本率与费用率之和不能超过 100%"), field="expense_percent"
        )
    rate, _x = CostRate.objects.update_or_create(
        property=property,
        outlet=outlet,
        category=category,
        defaults={"cost_bp": cost_bp, "expense_bp": expense_bp,
                  "updated_at": timezone.now()},
    )  # fmt: skip
    audit(actor=actor, action=AuditAction.COST_RATE_CHANGED, obj=rate,
          outlet=outlet.code, category=category, cost_bp=cost_bp,
          expense_bp=expense_bp)  # fmt: skip
    return rate
