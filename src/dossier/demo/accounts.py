"""The accounts a demo needs: the administrator, and the staff behind observations."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, User
from django.db import transaction

from dossier.core.models import Property, StaffProfile
from dossier.core.properties import property_default
from dossier.core.roles import DEPARTMENT_ROLE

ADMIN_USERNAME = "admin"
# Staff who signed the demo's observations; they cannot log in (no usable password).
STAFF = {
    "front_office": ("demo.frontdesk", "王", "静"),
    "housekeeping": ("demo.housekeeping", "刘", "秀英"),
    "fnb": ("demo.restaurant", "陈", "晓东"),
    "marketing": ("demo.sales", "赵", "敏"),
}


def demo_admin_ensure(*, property: Property | None = None) -> str | None:
    """Create the administrator ``admin`` if the install has no administrator yet.

    Returns the generated password the one time the account is created, else ``None``;
    the caller shows it once (it is stored only as a hash). The account is a superuser
    of department "admin" in the 系统管理员 group.
    """
    users = get_user_model()
    if users.objects.filter(is_superuser=True).exists():
        return None
    if users.objects.filter(username=ADMIN_USERNAME).exists():
        return None
    password = secrets.token_urlsafe(12)
    with transaction.atomic():
        user = users.objects.create_superuser(ADMIN_USERNAME, "", password)
        StaffProfile.objects.create(
            user=user, department="admin", property=property or property_default()
        )
        user.groups.add(Group.objects.get_or_create(name=DEPARTMENT_ROLE["admin"])[0])
    return password


def demo_staff_ensure(prop: Property) -> dict[str, User]:
    """One member of staff per department that files observations, by department."""
    users = get_user_model()
    staff: dict[str, User] = {}
    for department, (username, surname, given) in STAFF.items():
        user, created = users.objects.get_or_create(
            username=username, defaults={"last_name": surname, "first_name": given}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            StaffProfile.objects.create(user=user, department=department, property=prop)
            group, _ = Group.objects.get_or_create(name=DEPARTMENT_ROLE[department])
            user.groups.add(group)
        staff[department] = user
    return staff
