"""How a member of staff is named on pages, printouts and exports."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from dossier.zh.fold import is_cjk


def staff_name(user: AbstractBaseUser | AnonymousUser | None) -> str:
    """The staff member's name as colleagues write it: 陈晓东 (surname first, no
    space) for a Chinese name, "Anna Weber" for a Western one, else the username."""
    if user is None or not user.is_authenticated:
        return ""
    surname = str(getattr(user, "last_name", "") or "").strip()
    given = str(getattr(user, "first_name", "") or "").strip()
    if surname and given and all(is_cjk(char) for char in surname + given):
        return surname + given
    return " ".join(part for part in (given, surname) if part) or user.get_username()
