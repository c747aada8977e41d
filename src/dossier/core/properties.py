"""The property a request, command or import works in."""

from django.db import transaction

from dossier.core.models import Property


def property_default() -> Property:
    """The default property, created on first use so that a new install just works."""
    found = Property.objects.filter(is_default=True).first()
    if found is not None:
        return found
    with transaction.atomic():
        found, _ = Property.objects.get_or_create(
            code="main", defaults={"name": "本店", "is_default": True}
        )
        if not found.is_default:
            found.is_default = True
            found.save(update_fields=["is_default"])
        return found
