"""Reading classes. ``Guest.guest_class`` is the class: the card, the guest list,
search filters and every export read it through :func:`guest_class_of` and
:func:`guests_of_class`, and only :mod:`dossier.classes.services` changes it."""

from typing import Any

from django.db.models import Count, QuerySet

from dossier.classes.models import ClassChange, CustomerClass, GuestClass
from dossier.core.models import Property
from dossier.guests.models import Guest

CLASS_FIELD = "guest_class"


def guest_class_of(guest: Guest) -> str:
    """The class ``guest`` is in now."""
    return str(getattr(guest, CLASS_FIELD))


def guests_of_class(guests: QuerySet[Guest], klass: str) -> QuerySet[Guest]:
    """``guests`` narrowed to one class; an unknown class narrows to nothing."""
    if klass not in CustomerClass.values:
        return guests.none()
    return guests.filter(**{CLASS_FIELD: klass})


def class_row(guest: Guest) -> GuestClass | None:
    """The loaded class row (``select_related("customer_class")``) or ``None``."""
    try:
        return guest.customer_class
    except GuestClass.DoesNotExist:
        return None


def class_detail(guest: Guest, *, sees_spend: bool) -> dict[str, Any]:
    """What the card says about the class: pinned and why; spend for those allowed."""
    row = class_row(guest)
    return {
        "class_pinned": bool(row and row.pinned),
        "class_pin_reason": row.pin_reason if row and row.pinned else "",
        "class_spend": str(row.annual_spend) if row and sees_spend else None,
        "class_computed_on": (
            row.computed_on.isoformat() if row and row.computed_on else None
        ),
    }


def class_changes_of(guest: Guest) -> QuerySet[ClassChange]:
    """Every class change of ``guest``, the latest first."""
    return (
        ClassChange.objects.filter(guest=guest)
        .select_related("by")
        .order_by("-on", "-id")
    )


def class_history(guest: Guest, limit: int = 50, offset: int = 0) -> list[ClassChange]:
    return list(class_changes_of(guest)[offset : offset + limit])


def class_counts(prop: Property) -> dict[str, int]:
    """Guests per class in ``prop`` (merged profiles not counted)."""
    from dossier.guests.selectors import not_merged

    rows = (
        Guest.objects.filter(property=prop)
        .filter(not_merged())
        .values(CLASS_FIELD)
        .annotate(n=Count("id"))
        .values_list(CLASS_FIELD, "n")
    )
    counts = dict.fromkeys(CustomerClass.values, 0)
    counts.update({str(k): int(n) for k, n in rows})
    return counts


def pinned_guests(prop: Property) -> QuerySet[GuestClass]:
    return (
        GuestClass.objects.filter(guest__property=prop, pinned=True)
        .select_related("guest", "pinned_by")
        .order_by("guest__name_sort")
    )
