"""Who is logged in, and what they may do, read in two plain statements a request.

Django's ``ModelBackend`` reads the user, then the staff profile and the property
as each is first used, and the permissions in two more queries, each compiled by
the ORM on every request. This backend reads the user with the staff profile and its
property in one statement and all permissions in one more; nothing is kept between
requests, so a deactivated user, a changed role or a moved member of staff counts
from the next request on, in every server process.
"""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import (
    AbstractBaseUser,
    AnonymousUser,
    Group,
    Permission,
    User,
)
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from dossier.core.models import Property, StaffProfile
from dossier.core.rows import split, table, table_name


class StaffBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        user = user_with_staff(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(
        self, user_obj: AbstractBaseUser | AnonymousUser, obj: Any = None
    ) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        assert isinstance(user_obj, User)
        # Kept on the user object, which lives as long as its request (as Django's).
        cached: set[str] | None = getattr(user_obj, "_perm_cache", None)
        if cached is None:
            cached = permissions_of(user_obj)
            setattr(user_obj, "_perm_cache", cached)  # noqa: B010
        return cached


def user_with_staff(user_id: Any) -> User | None:
    """The user ``user_id`` with ``user.staff`` and ``user.staff.property`` loaded:
    ``getattr(user, "staff", None)`` is ``None`` for a user without a profile."""
    tables = (table(User, "u"), table(StaffProfile, "s"), table(Property, "p"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(t.columns for t in tables)} FROM {table_name(User)} u "
            f"LEFT JOIN {table_name(StaffProfile)} s ON s.user_id = u.id "
            f"LEFT JOIN {table_name(Property)} p ON p.id = s.property_id "
            "WHERE u.id = %s",
            [user_id],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    user, staff, prop = split(row, *tables)
    assert isinstance(user, User)
    User.staff.related.set_cached_value(user, staff)
    if isinstance(staff, StaffProfile):
        StaffProfile.user.field.set_cached_value(staff, user)
        StaffProfile.property.field.set_cached_value(staff, prop)
    return user


def permissions_of(user: User) -> set[str]:
    """Every permission of ``user``, given or through a group, as ``app.codename``;
    all of them for a superuser."""
    own = User.user_permissions.through
    member = User.groups.through
    granted = Group.permissions.through
    sql = (
        f"SELECT c.app_label, p.codename FROM {table_name(Permission)} p "
        f"JOIN {table_name(ContentType)} c ON c.id = p.content_type_id"
    )
    params: list[Any] = []
    if not user.is_superuser:
        sql += (
            f" WHERE p.id IN (SELECT permission_id FROM {table_name(own)} "
            "WHERE user_id = %s) "
            f"OR p.id IN (SELECT g.permission_id FROM {table_name(granted)} g "
            f"JOIN {table_name(member)} m ON m.group_id = g.group_id "
            "WHERE m.user_id = %s)"
        )
        params = [user.pk, user.pk]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {f"{app}.{codename}" for app, codename in cursor.fetchall()}
