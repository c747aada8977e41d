"""Template filters of the archive pages."""

from django import template
from django.contrib.auth.models import User

from dossier.core.people import staff_name

register = template.Library()


@register.filter
def person(user: User | None) -> str:
    """A member of staff by name (林芳), the user name when no name is on file."""
    return "" if user is None else staff_name(user)
