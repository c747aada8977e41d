"""Who sees which cases: the archive permission and the reading range of each class.

A class may be restricted to some roles (``ClassAccess``); the restriction covers its
sub-classes too. Everything that shows a case, its files or its counts goes through
:func:`cases_visible`, so a hidden case answers every door the same way: not found.
"""

from django.contrib.auth.models import AnonymousUser, Group, User
from django.db import transaction
from django.db.models import QuerySet

from dossier.core.audit import AuditAction, audit
from dossier.core.models import Property
from dossier.records.errors import RecordsError, RecordsErrorCode
from dossier.records.models import ArchiveClass, Case, ClassAccess

VIEW_CASE = "records.view_case"
RESTRICT_CLASS = "records.restrict_class"

Viewer = User | AnonymousUser


def hidden_class_ids(viewer: Viewer, prop: Property) -> frozenset[int]:
    """The classes of ``prop`` whose cases ``viewer`` may not see."""
    if viewer.is_superuser:
        return frozenset()
    allowed: dict[int, set[int]] = {}
    rows = ClassAccess.objects.filter(archive_class__version__property=prop)
    for class_id, group_id in rows.values_list("archive_class_id", "group_id"):
        allowed.setdefault(class_id, set()).add(group_id)
    if not allowed:
        return frozenset()
    groups = set(viewer.groups.values_list("pk", flat=True)) if viewer.pk else set()
    parents = dict(
        ArchiveClass.objects.filter(version__property=prop).values_list(
            "pk", "parent_id"
        )
    )
    hidden: set[int] = set()
    for class_id in parents:
        node: int | None = class_id
        while node is not None:
            if node in allowed and not allowed[node] & groups:
                hidden.add(class_id)
                break
            node = parents.get(node)
    return frozenset(hidden)


def may_see_archive(viewer: Viewer) -> bool:
    return viewer.is_authenticated and viewer.has_perm(VIEW_CASE)


def cases_visible(viewer: Viewer, prop: Property) -> QuerySet[Case]:
    """The cases of ``prop`` that ``viewer`` may see; none without the permission."""
    if not may_see_archive(viewer):
        return Case.objects.none()
    cases = Case.objects.filter(property=prop)
    hidden = hidden_class_ids(viewer, prop)
    if hidden:
        cases = cases.exclude(archive_class_id__in=hidden)
    return cases


def case_visible_to(viewer: Viewer, case: Case) -> bool:
    """Whether ``viewer`` may see ``case`` (used for another user, e.g. a recipient)."""
    if not may_see_archive(viewer):
        return False
    return case.archive_class_id not in hidden_class_ids(viewer, case.property)


def class_access_set(
    *, actor: User, archive_class: ArchiveClass, groups: list[Group]
) -> None:
    """Restrict ``archive_class`` to ``groups``; an empty list opens it to all again."""
    if not actor.has_perm(RESTRICT_CLASS):
        raise RecordsError(RecordsErrorCode.NOT_PERMITTED, "没有设置类别查阅范围的权限")
    with transaction.atomic():
        before = sorted(archive_class.access.values_list("group__name", flat=True))
        archive_class.access.all().delete()
        ClassAccess.objects.bulk_create(
            ClassAccess(archive_class=archive_class, group=group) for group in groups
        )
        audit(
            actor=actor,
            action=AuditAction.CLASS_ACCESS_CHANGED,
            obj=archive_class,
            before=before,
            after=sorted(group.name for group in groups),
        )
