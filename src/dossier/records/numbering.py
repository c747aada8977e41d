"""Choosing how archive numbers look and how many cases a folder holds.

A property numbers its cases by one template: the source's default
(``A1A2-B1B2C1C2D1-E1E2``) or the DA/T 22 preset with its fonds code. Choosing another
template changes only the numbers made from then on; going back to a template used
before continues its sequences, so no number is made twice. A class's folder capacity
applies to the folder being filled and to the volumes after it.
"""

import re

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from dossier.core.audit import AuditAction, audit
from dossier.core.models import Property
from dossier.records.allocator import PRESETS, capacity, parse_pattern
from dossier.records.errors import RecordsError, RecordsErrorCode
from dossier.records.models import ArchiveClass, Case, Folder, NumberTemplate
from dossier.records.services import template_default

# 全宗号 and 门类代码 are short codes of letters and digits (DA/T 22).
_CODE = re.compile(r"[A-Za-z0-9]{1,16}")
CAPACITY_MAX = 999


def template_choose(
    *,
    actor: User,
    prop: Property,
    preset: str,
    fonds_code: str = "",
    category_code: str = "WS",
) -> NumberTemplate:
    """Make ``preset`` the template of ``prop``'s new numbers."""
    if preset not in PRESETS:
        raise RecordsError(
            RecordsErrorCode.INVALID_VALUE,
            _("没有这种档号格式：%(preset)s") % {"preset": preset},
            field="preset",
        )
    label, pattern = PRESETS[preset]
    uses_codes = "{fonds}" in pattern
    fonds_code = fonds_code.strip().upper() if uses_codes else ""
    category_code = category_code.strip().upper() if uses_codes else "WS"
    for name, value in (("fonds_code", fonds_code), ("category_code", category_code)):
        if uses_codes and not _CODE.fullmatch(value):
            raise RecordsError(
                RecordsErrorCode.INVALID_VALUE,
                _("请填写 1 至 16 位字母或数字"),
                field=name,
            )
    _check_capacities(prop, pattern)

    with transaction.atomic():
        before = template_default(prop)
        chosen = NumberTemplate.objects.filter(
            property=prop,
            pattern=pattern,
            fonds_code=fonds_code,
            category_code=category_code,
        ).first()
        if chosen is not None and chosen.pk == before.pk:
            return before
        NumberTemplate.objects.filter(property=prop, is_default=True).update(
            is_default=False
        )
        if chosen is None:
            chosen = NumberTemplate.objects.create(
                property=prop,
                name=label,
                pattern=pattern,
                fonds_code=fonds_code,
                category_code=category_code,
                is_default=True,
            )
        else:
            chosen.is_default = True
            chosen.save(update_fields=["is_default"])
        audit(
            actor=actor,
            action=AuditAction.NUMBER_TEMPLATE_CHOSEN,
            obj=chosen,
            before=str(before),
            after=str(chosen),
        )
    return chosen


def _check_capacities(prop: Property, pattern: str) -> None:
    """Refuse a pattern whose item digits cannot hold a class's folder."""
    segments = parse_pattern(pattern)
    leaves = ArchiveClass.objects.filter(
        version__property=prop, version__is_current=True, children__isnull=True
    )
    for klass in leaves.order_by("full_code"):
        capacity(segments, klass)


def class_capacity_set(
    *, actor: User, archive_class: ArchiveClass, folder_capacity: int
) -> ArchiveClass:
    """Set how many cases a folder of ``archive_class`` holds.

    The folder being filled takes the new capacity unless it already holds more, in
    which case it is full and the next case opens the next volume.
    """
    if not 1 <= folder_capacity <= CAPACITY_MAX:
        raise RecordsError(
            RecordsErrorCode.INVALID_VALUE,
            _("须在 1 到 999 之间"),
            field="folder_capacity",
        )
    if archive_class.children.exists():
        raise RecordsError(
            RecordsErrorCode.NOT_A_LEAF,
            _("%(full_code)s %(name)s 下还有小类，请选到最末一级")
            % {"full_code": archive_class.full_code, "name": archive_class.name},
            field="archive_class",
        )
    prop = archive_class.version.property
    before = archive_class.folder_capacity
    archive_class.folder_capacity = folder_capacity
    capacity(parse_pattern(template_default(prop).pattern), archive_class)

    with transaction.atomic():
        ArchiveClass.objects.filter(pk=archive_class.pk).update(
            folder_capacity=folder_capacity
        )
        _open_folders_resize(archive_class, folder_capacity)
        audit(
            actor=actor,
            action=AuditAction.FOLDER_CAPACITY_CHANGED,
            obj=archive_class,
            before=before,
            after=folder_capacity,
        )
    return archive_class


def _open_folders_resize(archive_class: ArchiveClass, folder_capacity: int) -> None:
    """The last folder of each sequence of the class takes the new capacity if it can."""
    folders = Folder.objects.filter(archive_class=archive_class).order_by(
        "sequence_id", "-volume"
    )
    seen: set[int] = set()
    for folder in folders:
        if folder.sequence_id in seen:
            continue
        seen.add(folder.sequence_id)
        held = Case.objects.filter(folder=folder, belongs_to__isnull=True).count()
        if held <= folder_capacity:
            folder.capacity = folder_capacity
            folder.save(update_fields=["capacity"])
