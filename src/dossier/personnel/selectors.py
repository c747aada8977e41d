"""Reads of the personnel archive, always within the viewer's property."""

import contextlib
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from dossier.core.models import Property
from dossier.personnel import rules
from dossier.personnel.models import PersonnelFile, SignOut, SignOutState
from dossier.personnel.services import id_index, situation_of
from dossier.zh.idnumber import InvalidIdNumber, parse_id_number


def files_list(
    prop: Property, *, query: str = "", status: str = ""
) -> QuerySet[PersonnelFile]:
    """Files by name, file number, whole ID number or its last four characters."""
    files = PersonnelFile.objects.filter(property=prop)
    if status:
        files = files.filter(status=status)
    query = query.strip()
    if query:
        match = (
            Q(employee_name__icontains=query)
            | Q(file_number__istartswith=query)
            | Q(department__icontains=query)
        )
        if len(query) == 4:
            match |= Q(id_number_masked__endswith=query.upper())
        with contextlib.suppress(InvalidIdNumber):
            match |= Q(id_number_index=id_index(parse_id_number(query).number))
        files = files.filter(match)
    return files.order_by("file_number", "id")


def file_for(prop: Property, file_id: int) -> PersonnelFile | None:
    return PersonnelFile.objects.filter(property=prop, pk=file_id).first()


def sign_out_for(prop: Property, sign_out_id: int) -> SignOut | None:
    return (
        SignOut.objects.select_related(
            "file", "property", "opened_by", "checked_by", "seal_checked_by"
        )
        .filter(property=prop, pk=sign_out_id)
        .first()
    )


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    label: str
    ticked: bool


@dataclass(frozen=True)
class SignOutView:
    """A case as the page and the API show it: its step, checklist and receipt."""

    sign_out: SignOut
    checklist: list[ChecklistItem]
    requirements: list[str]
    missing: list[str]
    step: int
    days_overdue: int
    needs_letter: bool
    registration_card_with_file: bool


STEPS = {
    SignOutState.OPEN: 2,
    SignOutState.CHECKED: 3,
    SignOutState.HANDED_OVER: 4,
    SignOutState.CLOSED: 5,
    SignOutState.CANCELLED: 0,
}


def days_overdue(sign_out: SignOut, today: date) -> int:
    if sign_out.state != SignOutState.HANDED_OVER or sign_out.receipt_due is None:
        return 0
    return max((today - sign_out.receipt_due).days, 0)


def sign_out_view(sign_out: SignOut, ticked: set[str] | None = None) -> SignOutView:
    """``ticked`` overrides the documents seen, to show a refused form as it was sent."""
    situation = situation_of(sign_out)
    seen = set(sign_out.documents_seen) if ticked is None else ticked
    return SignOutView(
        sign_out=sign_out,
        checklist=[
            ChecklistItem(str(d), str(rules.DOCUMENT_LABELS[d]), str(d) in seen)
            for d in rules.checklist(situation)
        ],
        requirements=[need.label for need in rules.requirements(situation)],
        missing=rules.missing(situation, seen),
        step=STEPS[SignOutState(sign_out.state)],
        days_overdue=days_overdue(sign_out, sign_out.property.today()),
        needs_letter=rules.letter_required(situation),
        registration_card_with_file=rules.registration_card_with_file(situation),
    )


def register_entries(prop: Property, *, year: int | None = None) -> QuerySet[SignOut]:
    """The sign-out register (提档簿): every case whose documents were complete."""
    entries = SignOut.objects.select_related("file", "property").filter(
        property=prop, register_number__gt=""
    )
    if year is not None:
        entries = entries.filter(register_year=year)
    return entries.order_by("register_year", "register_seq")


def register_years(prop: Property) -> list[int]:
    years = (
        SignOut.objects.filter(property=prop, register_year__isnull=False)
        .values_list("register_year", flat=True)
        .distinct()
        .order_by("-register_year")
    )
    return [y for y in years if y is not None]


@dataclass(frozen=True)
class OutstandingReceipt:
    sign_out: SignOut
    days_overdue: int
    reminded_on: date | None


def receipts_outstanding(
    prop: Property, today: date | None = None
) -> list[OutstandingReceipt]:
    """Files handed over whose receipt has not come back, the most overdue first."""
    today = today or prop.today()
    cases = (
        SignOut.objects.select_related("file", "property", "reminder")
        .filter(property=prop, state=SignOutState.HANDED_OVER)
        .order_by("receipt_due", "pk")
    )
    rows = []
    for case in cases:
        reminder = getattr(case, "reminder", None)
        rows.append(
            OutstandingReceipt(
                case,
                days_overdue(case, today),
                reminder.created_on if reminder else None,
            )
        )
    return rows


def receipts_overdue_count(prop: Property, today: date | None = None) -> int:
    today = today or prop.today()
    return SignOut.objects.filter(
        property=prop, state=SignOutState.HANDED_OVER, receipt_due__lt=today
    ).count()


def sign_outs_in_progress(prop: Property) -> QuerySet[SignOut]:
    """Cases not yet handed over: documents to check or a file to hand over."""
    return (
        SignOut.objects.select_related("file")
        .filter(property=prop, state__in=[SignOutState.OPEN, SignOutState.CHECKED])
        .order_by("opened_at", "pk")
    )


def sign_outs_of(file: PersonnelFile) -> QuerySet[SignOut]:
    return file.sign_outs.order_by("-opened_at", "-pk")
