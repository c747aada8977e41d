"""Reading the document archive: the code table, the class tree, cases, folders."""

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Count, F, Q, QuerySet

from dossier.core.models import Property
from dossier.records.access import Viewer, cases_visible, hidden_class_ids
from dossier.records.fulltext import fulltext_case_ids
from dossier.records.models import (
    ArchiveClass,
    Case,
    CaseStatus,
    ClassMapping,
    DestructionEntry,
    DestructionRegister,
    Folder,
    Hold,
    Loan,
    LoanState,
    RetentionItem,
    RetentionSchedule,
    SchemeVersion,
)


def scheme_current(prop: Property) -> SchemeVersion | None:
    return SchemeVersion.objects.filter(property=prop, is_current=True).first()


@dataclass(frozen=True)
class CodeRow:
    """One row of the printable code table: a class, or a reserved gap (预留)."""

    level: int
    code: str
    full_code: str
    name: str
    reserved: bool = False
    retired: bool = False
    archive_class: ArchiveClass | None = None


def _gap(level: int, prefix: str, start: int, end: int, width: int) -> CodeRow:
    first, last = str(start).zfill(width), str(end).zfill(width)
    code = first if start == end else f"{first}–{last}"
    return CodeRow(level, code, prefix, "预留", reserved=True)


def code_table(version: SchemeVersion) -> list[CodeRow]:
    """The classes in tree order, with the free numeric codes of each level as gaps.

    Between two used codes, and after the last up to the largest code of the same
    width, the free codes are shown as reserved for growth (第五条 4).
    """
    classes = list(version.classes.order_by("full_code"))
    children: dict[int | None, list[ArchiveClass]] = {}
    for node in classes:
        children.setdefault(node.parent_id, []).append(node)
    rows: list[CodeRow] = []

    def walk(parent_id: int | None, level: int, prefix: str) -> None:
        siblings = sorted(children.get(parent_id, []), key=lambda n: n.code)
        numeric = bool(siblings) and all(n.code.isdigit() for n in siblings)
        width = max((len(n.code) for n in siblings), default=0)
        previous = 0
        for node in siblings:
            if numeric and int(node.code) > previous + 1:
                rows.append(
                    _gap(level, prefix, previous + 1, int(node.code) - 1, width)
                )
            rows.append(
                CodeRow(
                    node.level,
                    node.code,
                    node.full_code,
                    node.name,
                    retired=node.retired,
                    archive_class=node,
                )
            )
            walk(node.pk, level + 1, node.full_code)
            previous = int(node.code) if numeric else previous
        if numeric and previous < 10**width - 1:
            rows.append(_gap(level, prefix, previous + 1, 10**width - 1, width))

    walk(None, 1, "")
    return rows


def class_tree(version: SchemeVersion, *, viewer: Viewer) -> QuerySet[ArchiveClass]:
    """The classes of a version with the number of cases ``viewer`` may see."""
    hidden = hidden_class_ids(viewer, version.property)
    return version.classes.annotate(
        case_count=Count("cases", filter=~Q(pk__in=hidden))
    ).order_by("full_code")


def mapping_table(version: SchemeVersion) -> QuerySet[ClassMapping]:
    """The old→new table; added classes, which have no old class, come last."""
    return version.mappings.select_related("old_class", "new_class").order_by(
        F("old_class__full_code").asc(nulls_last=True), "new_class__full_code"
    )


# The statuses of a case that has been filed: what the catalogue (案卷目录) lists.
CATALOGUE_STATUSES = (
    CaseStatus.FILED,
    CaseStatus.PARTLY_DESTROYED,
    CaseStatus.DESTROYED,
)


def cases_list(
    prop: Property,
    *,
    viewer: Viewer,
    query: str = "",
    status: str = "",
    class_id: int | None = None,
) -> QuerySet[Case]:
    """The catalogue of the cases ``viewer`` may see, destroyed ones with their date.

    The catalogue holds the filed cases (also those destroyed since, in whole or in
    part); a case returned to its department or in the trash is listed only when
    ``status`` asks for it. The query matches the start of the archive number, the
    title, or the full text of the case's attachments.
    """
    cases = cases_visible(viewer, prop).select_related("archive_class")
    if status:
        cases = cases.filter(status=status)
    else:
        cases = cases.filter(status__in=CATALOGUE_STATUSES)
    if class_id is not None:
        cases = cases.filter(archive_class_id=class_id)
    if query:
        cases = cases.filter(
            Q(archive_number__startswith=query)
            | Q(title__contains=query)
            | Q(pk__in=fulltext_case_ids(prop, query))
        )
    return cases.order_by("archive_number", "pk")


def case_for(prop: Property, case_id: int, *, viewer: Viewer) -> Case | None:
    """The case if ``viewer`` may see it, else None (a hidden case is not found)."""
    return (
        cases_visible(viewer, prop)
        .select_related("archive_class", "folder", "belongs_to")
        .filter(pk=case_id)
        .first()
    )


def case_by_number(prop: Property, number: str, *, viewer: Viewer) -> Case | None:
    """The case that first took archive ``number``, if ``viewer`` may see it.

    Later cases that belong to it carry the same number; the first one is the case
    a new follower joins.
    """
    return (
        cases_visible(viewer, prop)
        .filter(archive_number=number.strip(), belongs_to__isnull=True)
        .exclude(archive_number="")
        .order_by("pk")
        .first()
    )


def folder_contents(folder: Folder) -> QuerySet[Case]:
    """The table of contents (目次表) of a folder, in item order."""
    return folder.cases.order_by("item", "belongs_to_id", "pk")


def folders_of(prop: Property, *, viewer: Viewer) -> QuerySet[Folder]:
    """The folders of the classes ``viewer`` may see."""
    return (
        Folder.objects.filter(archive_class__version__property=prop)
        .exclude(archive_class_id__in=hidden_class_ids(viewer, prop))
        .select_related("archive_class")
        .annotate(case_count=Count("cases"))
        .order_by("archive_class__full_code", "volume")
    )


def loans_active(prop: Property, *, viewer: Viewer) -> QuerySet[Loan]:
    return (
        Loan.objects.filter(case__in=cases_visible(viewer, prop), state=LoanState.OUT)
        .select_related("case", "borrower")
        .order_by("due_date")
    )


def loans_pending(prop: Property, *, viewer: Viewer) -> QuerySet[Loan]:
    """Loans requested or approved but not yet handed out, oldest request first."""
    return (
        Loan.objects.filter(
            case__in=cases_visible(viewer, prop),
            state__in=[LoanState.REQUESTED, LoanState.APPROVED],
        )
        .select_related("case", "borrower", "approved_by")
        .order_by("requested_at", "pk")
    )


def loans_awaiting_approval(viewer: User) -> QuerySet[Loan]:
    """The loan requests that name ``viewer`` as approver and wait for them."""
    return (
        Loan.objects.filter(approved_by=viewer, state=LoanState.REQUESTED)
        .select_related("case", "borrower", "requested_by")
        .order_by("requested_at", "pk")
    )


def registers_of(prop: Property) -> QuerySet[DestructionRegister]:
    return DestructionRegister.objects.filter(property=prop).order_by("-proposed_at")


def register_entries(
    register: DestructionRegister, *, viewer: Viewer
) -> QuerySet[DestructionEntry]:
    """The entries of ``register`` whose cases ``viewer`` may see, in number order.

    A register is kept for ever and names every case it covers; the page, the PDF
    and the API show each viewer only the lines of the classes they may read.
    """
    return (
        register.entries.filter(case__in=cases_visible(viewer, register.property))
        .select_related("case", "case__archive_class")
        .order_by("case__archive_number", "pk")
    )


STATUS_CHOICES = CaseStatus.choices


def cases_trashed(prop: Property, *, viewer: Viewer) -> QuerySet[Case]:
    """The trash: cases moved there, most recently trashed first, with their numbers."""
    return (
        cases_visible(viewer, prop)
        .filter(status=CaseStatus.TRASHED)
        .select_related("archive_class")
        .order_by("-trashed_at", "pk")
    )


def holds_active(prop: Property, *, viewer: Viewer) -> QuerySet[Hold]:
    return (
        Hold.objects.filter(
            case__in=cases_visible(viewer, prop), released_at__isnull=True
        )
        .select_related("case", "placed_by")
        .order_by("-placed_at", "pk")
    )


def holds_released(prop: Property, *, viewer: Viewer) -> QuerySet[Hold]:
    return (
        Hold.objects.filter(
            case__in=cases_visible(viewer, prop), released_at__isnull=False
        )
        .select_related("case", "placed_by", "released_by")
        .order_by("-released_at", "pk")
    )


def schedules_of(prop: Property) -> QuerySet[RetentionSchedule]:
    return RetentionSchedule.objects.filter(property=prop).order_by("-is_default", "pk")


def retention_item_for(prop: Property, item_id: int) -> RetentionItem | None:
    return (
        RetentionItem.objects.select_related("schedule")
        .filter(schedule__property=prop, pk=item_id)
        .first()
    )


def versions_of(prop: Property) -> QuerySet[SchemeVersion]:
    return SchemeVersion.objects.filter(property=prop).order_by("-number")
