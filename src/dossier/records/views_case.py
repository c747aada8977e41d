"""The case page, shared by the views whose forms sit on it.

A form that came back with errors is given to :func:`case_page`, which shows it as it
was filled in, its errors beside its fields and in a summary above it, with status 400.
"""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dossier.records.errors import RecordsError
from dossier.records.forms import HoldForm, IntakeForm, LoanForm, TrashForm
from dossier.records.models import Case, CaseStatus


def field_error(
    form: forms.Form, error: RecordsError, names: dict[str, str] | None = None
) -> None:
    """Put a service's refusal beside the field it names, else above the form.

    ``names`` maps a service's name of an input to the form's where they differ.
    """
    field = (names or {}).get(error.field, error.field)
    form.add_error(field if field in form.fields else None, error.message)


def beside_field(form: forms.Form, error: RecordsError) -> bool:
    """Put a service's refusal beside the field it names; False when it names none.

    A refusal of the case's or the loan's state names no field: the form it came
    from may no longer be offered, so the caller tells it as a message instead.
    """
    if error.field not in form.fields:
        return False
    form.add_error(error.field, error.message)
    return True


def case_page(
    request: HttpRequest,
    case: Case,
    *,
    loan_form: LoanForm | None = None,
    hold_form: HoldForm | None = None,
    trash_form: TrashForm | None = None,
    intake_form: IntakeForm | None = None,
) -> HttpResponse:
    """The case with its history and forms; a form given back shows its errors."""
    given = [loan_form, hold_form, trash_form, intake_form]
    context = {
        "case": case,
        "loans": case.loans.select_related("borrower", "approved_by").order_by(
            "-requested_at", "-pk"
        ),
        "holds": case.holds.order_by("-placed_at"),
        "slips": case.slips.order_by("-issued_at"),
        "followers": case.followers.order_by("pk"),
        # Only an original in the archive can be lent (the service says why not).
        "lendable": (CaseStatus.FILED, CaseStatus.PARTLY_DESTROYED),
        "loan_form": loan_form or LoanForm(),
        # Several forms share a page: each gets its own ids (both have a reason).
        "hold_form": hold_form or HoldForm(auto_id="hold_%s"),
        "trash_form": trash_form or TrashForm(auto_id="trash_%s"),
        "intake_form": intake_form or IntakeForm(auto_id="intake_%s"),
    }
    status = 400 if any(form is not None and form.errors for form in given) else 200
    return render(request, "records/case_detail.html", context, status=status)


def row_forms(
    rows: Iterable[Any],
    name: str,
    form_class: type[forms.Form],
    *,
    failed: int | None,
    form: forms.Form | None,
) -> None:
    """Give each row of a list its own ``<name>_form``: the one of row ``failed`` as it
    came back with its errors (``<name>_failed`` set), a blank one with ids of its own
    for every other row."""
    for row in rows:
        this = form is not None and row.pk == failed
        setattr(row, f"{name}_failed", this)
        setattr(
            row,
            f"{name}_form",
            form if this else form_class(auto_id=f"{name}-{row.pk}-%s"),
        )
