"""The classification scheme (档案分类编号表): its classes, versions and sample.

A scheme is changed only by making a new version: the classes are copied with the
changes applied and every old class gets a row in the old→new table. Cases keep their
class of the version they were filed in, and a code once used is never given to a
different class, so an archive number keeps its meaning for ever.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from dossier.core.audit import AuditAction, audit
from dossier.core.models import Property
from dossier.records.errors import RecordsError, RecordsErrorCode
from dossier.records.models import (
    ArchiveClass,
    ClassLevel,
    ClassMapping,
    MappingKind,
    RetentionItem,
    RetentionSchedule,
    SchemeVersion,
)
from dossier.records.retention import DATA_DIR, parse_period

# The published enterprise scheme (党群管理类 A1–A3) shipped with the product.
PUBLISHED_SAMPLE = DATA_DIR / "enterprise_classification_scheme_sample_A.csv"
PUBLISHED_NAME = "企业档案分类方案（党群管理类，2022 年发布样本）"


def full_code_of(parent: ArchiveClass | None, code: str) -> str:
    """Department code, a dash, then the codes of the lower levels run together."""
    if parent is None:
        return code
    if parent.level == ClassLevel.DEPARTMENT:
        return f"{parent.full_code}-{code}"
    return f"{parent.full_code}{code}"


def _check_code(code: str) -> str:
    code = code.strip().upper()
    if not code or not code.isalnum() or not code.isascii() or len(code) > 8:
        raise RecordsError(
            RecordsErrorCode.INVALID_VALUE,
            _("类别代码须为 1–8 位数字或字母：%(code)s") % {"code": f"{code!r}"},
            field="code",
        )
    return code


def _codes_used_before(version: SchemeVersion) -> set[str]:
    return set(
        ArchiveClass.objects.filter(
            version__property_id=version.property_id, version__number__lt=version.number
        ).values_list("full_code", flat=True)
    )


def scheme_create(*, actor: User | None, prop: Property, name: str) -> SchemeVersion:
    """The first version of a property's scheme."""
    with transaction.atomic():
        if SchemeVersion.objects.filter(property=prop).exists():
            raise RecordsError(
                RecordsErrorCode.INVALID_VALUE, _("已有分类方案；修改请建立新版本")
            )
        version = SchemeVersion.objects.create(
            property=prop, number=1, name=name, created_by=actor
        )
        audit(actor=actor, action=AuditAction.SCHEME_VERSION_CREATED, obj=version)
    return version


def class_add(
    *,
    actor: User | None,
    version: SchemeVersion,
    parent: ArchiveClass | None,
    code: str,
    name: str,
    scope: str = "",
    folder_capacity: int = 50,
) -> ArchiveClass:
    """Add a class below ``parent`` (a department when there is none)."""
    code = _check_code(code)
    name = " ".join(name.split())
    if not name:
        raise RecordsError(
            RecordsErrorCode.INVALID_VALUE, _("类别名称不能为空"), field="name"
        )
    if parent is not None and parent.level == ClassLevel.DETAIL:
        raise RecordsError(
            RecordsErrorCode.INVALID_VALUE, _("细类之下不能再分"), field="parent"
        )
    if not 1 <= folder_capacity <= 999:
        raise RecordsError(
            RecordsErrorCode.INVALID_VALUE,
            _("须在 1 到 999 之间"),
            field="folder_capacity",
        )
    full_code = full_code_of(parent, code)
    with transaction.atomic():
        if ArchiveClass.objects.filter(version=version, full_code=full_code).exists():
            raise RecordsError(
                RecordsErrorCode.INVALID_VALUE,
                _("代码 %(full_code)s 已在本版本中使用") % {"full_code": full_code},
                field="code",
            )
        if full_code in _codes_used_before(version):
            raise RecordsError(
                RecordsErrorCode.CODE_REUSED,
                _(
                    "代码 %(full_code)s 在旧版本中用过，不能给新的类别（旧档号会改变含义）"
                )
                % {"full_code": full_code},
                field="code",
            )
        return ArchiveClass.objects.create(
            version=version,
            parent=parent,
            level=ClassLevel.DEPARTMENT if parent is None else parent.level + 1,
            code=code,
            full_code=full_code,
            name=name,
            scope=scope,
            folder_capacity=folder_capacity,
        )


@dataclass(frozen=True)
class ClassChange:
    """One change of a revision, naming the class by its full code in the old version.

    ``kind`` is ``rename`` (``name``), ``recode`` (``code``), ``retire``, or ``add``
    (``code`` and ``name`` below ``full_code``, empty for a new department).
    """

    kind: str
    full_code: str
    name: str = ""
    code: str = ""
    note: str = ""


def scheme_revise(
    *,
    actor: User | None,
    version: SchemeVersion,
    name: str,
    changes: list[ClassChange],
) -> SchemeVersion:
    """A new current version of the scheme with ``changes`` and its old→new table."""
    by_kind: dict[str, dict[str, ClassChange]] = {}
    for change in changes:
        if change.kind not in {"rename", "recode", "retire", "add"}:
            raise RecordsError(
                RecordsErrorCode.INVALID_VALUE,
                _("未知的修订类型：%(kind)s") % {"kind": change.kind},
            )
        if change.kind != "add":
            by_kind.setdefault(change.full_code, {})[change.kind] = change

    with transaction.atomic():
        old = SchemeVersion.objects.select_for_update().get(pk=version.pk)
        if not old.is_current:
            raise RecordsError(RecordsErrorCode.WRONG_STATUS, _("只能修订现行版本"))
        unknown = set(by_kind) - set(old.classes.values_list("full_code", flat=True))
        if unknown:
            raise RecordsError(
                RecordsErrorCode.NOT_FOUND,
                _("旧版本中没有这些代码：%(items)s")
                % {"items": "、".join(sorted(unknown))},
            )
        old.is_current = False
        old.save(update_fields=["is_current"])
        new = SchemeVersion.objects.create(
            property_id=old.property_id,
            number=old.number + 1,
            name=name,
            previous=old,
            created_by=actor,
        )
        used_before = _codes_used_before(new)
        copies: dict[int, ArchiveClass] = {}
        for node in old.classes.order_by("level", "full_code"):
            edits = by_kind.get(node.full_code, {})
            parent = copies.get(node.parent_id) if node.parent_id else None
            code = _check_code(edits["recode"].code) if "recode" in edits else node.code
            full_code = full_code_of(parent, code)
            if full_code != node.full_code and full_code in used_before:
                raise RecordsError(
                    RecordsErrorCode.CODE_REUSED,
                    _(
                        "代码 %(full_code)s 在旧版本中用过，不能给 %(full_code2)s %(name)s"
                    )
                    % {
                        "full_code": full_code,
                        "full_code2": node.full_code,
                        "name": node.name,
                    },
                    field="code",
                )
            copy = ArchiveClass.objects.create(
                version=new,
                parent=parent,
                level=node.level,
                code=code,
                full_code=full_code,
                name=edits["rename"].name if "rename" in edits else node.name,
                scope=node.scope,
                folder_capacity=node.folder_capacity,
                retired=node.retired or "retire" in edits,
            )
            copies[node.pk] = copy
            ClassMapping.objects.create(
                new_version=new,
                old_class=node,
                new_class=copy,
                kind=_mapping_kind(node, copy, edits),
                note="；".join(change.note for change in edits.values() if change.note),
            )
        for change in changes:
            if change.kind == "add":
                parent_copy = (
                    new.classes.filter(full_code=change.full_code).first()
                    if change.full_code
                    else None
                )
                if change.full_code and parent_copy is None:
                    raise RecordsError(
                        RecordsErrorCode.NOT_FOUND,
                        _("没有上级类别 %(full_code)s")
                        % {"full_code": change.full_code},
                    )
                added = class_add(
                    actor=actor,
                    version=new,
                    parent=parent_copy,
                    code=change.code,
                    name=change.name,
                )
                ClassMapping.objects.create(
                    new_version=new,
                    new_class=added,
                    kind=MappingKind.ADDED,
                    note=change.note,
                )
        audit(
            actor=actor,
            action=AuditAction.SCHEME_VERSION_CREATED,
            obj=new,
            previous=old.number,
            changes=len(changes),
        )
    return new


def _mapping_kind(
    old: ArchiveClass, new: ArchiveClass, edits: dict[str, ClassChange]
) -> str:
    if new.retired and not old.retired:
        return MappingKind.RETIRED
    if new.full_code != old.full_code:
        return MappingKind.RECODED
    if new.name != old.name:
        return MappingKind.RENAMED
    return MappingKind.SAME


def scheme_load_sample(
    *,
    actor: User | None,
    prop: Property,
    path: Path,
    department_code: str = "01",
    department_name: str = "党群工作部",
    name: str = "",
) -> SchemeVersion:
    """Load a published scheme CSV (``class_code, class_name, scope, retention``).

    A one-letter code (``A``) is a major class; a letter and digits (``A1``) a minor
    class of it, whose own code is the digits. Each scope row becomes a line of a
    retention schedule tied to its class, so that filing can offer its period.
    """
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with transaction.atomic():
        version = scheme_create(
            actor=actor, prop=prop, name=name or f"档案分类方案（{path.stem}）"
        )
        department = class_add(
            actor=actor,
            version=version,
            parent=None,
            code=department_code,
            name=department_name,
        )
        schedule = RetentionSchedule.objects.create(
            property=prop, name="分类方案归档范围与保管期限", preset="scheme"
        )
        majors: dict[str, ArchiveClass] = {}
        minors: dict[str, ArchiveClass] = {}
        items: list[RetentionItem] = []
        for line, row in enumerate(rows, start=2):
            code = row["class_code"].strip()
            letter, digits = code[:1], code[1:]
            if not letter.isalpha() or (digits and not digits.isdigit()):
                raise RecordsError(
                    RecordsErrorCode.INVALID_VALUE,
                    _("%(name)s 第 %(line)s 行 class_code 列：无法识别的代码 %(code)s")
                    % {"name": path.name, "line": line, "code": f"{code!r}"},
                )
            if letter not in majors:
                majors[letter] = class_add(
                    actor=actor,
                    version=version,
                    parent=department,
                    code=letter,
                    name=row["class_name"] if not digits else letter,
                )
            if not digits:
                continue
            if code not in minors:
                minors[code] = class_add(
                    actor=actor,
                    version=version,
                    parent=majors[letter],
                    code=digits,
                    name=row["class_name"],
                )
            if row["scope"]:
                try:
                    years = parse_period(row["retention"])
                except ValueError as error:
                    raise RecordsError(
                        RecordsErrorCode.INVALID_VALUE,
                        _("%(name)s 第 %(line)s 行 retention 列：%(error)s")
                        % {"name": path.name, "line": line, "error": error},
                    ) from None
                items.append(
                    RetentionItem(
                        schedule=schedule,
                        position=len(items) + 1,
                        archive_class=minors[code],
                        group=f"{minors[code].full_code} {minors[code].name}",
                        record_type=row["scope"],
                        years=years,
                        note=row["note"],
                    )
                )
        RetentionItem.objects.bulk_create(items)
        for minor in minors.values():
            minor.scope = "\n".join(
                item.record_type for item in items if item.archive_class == minor
            )
            minor.save(update_fields=["scope"])
    return version


def scheme_start(
    *, actor: User, prop: Property, source: str, name: str = ""
) -> SchemeVersion:
    """The first version of ``prop``'s scheme: the published sample, or empty.

    An empty scheme gets its departments and classes by revisions, each a version.
    """
    if source == "published":
        return scheme_load_sample(
            actor=actor, prop=prop, path=PUBLISHED_SAMPLE, name=PUBLISHED_NAME
        )
    if source != "empty":
        raise RecordsError(
            RecordsErrorCode.INVALID_VALUE,
            _("未知的方案来源：%(source)s") % {"source": source},
            field="source",
        )
    name = " ".join(name.split())
    if not name:
        raise RecordsError(
            RecordsErrorCode.INVALID_VALUE, _("请填写方案名称"), field="name"
        )
    if len(name) > 200:
        raise RecordsError(
            RecordsErrorCode.INVALID_VALUE,
            _("最多 %(limit)s 个字符") % {"limit": 200},
            field="name",
        )
    return scheme_create(actor=actor, prop=prop, name=name)
