"""Template helpers of the web interface: catalogue names in the user's language."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms, template
from django.http import QueryDict
from django.utils.translation import get_language

from dossier.core import people
from dossier.core.dates import month_day
from dossier.guests.models import PreferenceGroup, PreferenceItem

register = template.Library()

_CACHE_ATTRIBUTE = "_dossier_catalogue_names"


def _names(context: template.Context) -> dict[str, str]:
    """English names of catalogue items and groups, read once per request."""
    request = context.get("request")
    cached: dict[str, str] | None = getattr(request, _CACHE_ATTRIBUTE, None)
    if cached is None:
        cached = {
            f"group:{code}": name_en
            for code, name_en in PreferenceGroup.objects.values_list("code", "name_en")
        }
        cached.update(PreferenceItem.objects.values_list("code", "name_en").order_by())
        if request is not None:
            setattr(request, _CACHE_ATTRIBUTE, cached)
    return cached


@register.simple_tag(takes_context=True)
def catalogue_name(context: template.Context, code: str, name: str) -> str:
    """The name of a catalogue item (or ``group:<code>``) in the active language."""
    if not (get_language() or "").startswith("en"):
        return name
    return _names(context).get(code) or name


@register.filter
def alert_class(kind: Any) -> str:
    """The colour of an alert badge: health red, blacklist black, others amber."""
    if kind in ("allergy", "taboo"):
        return "danger"
    if kind == "blacklist":
        return "blacklist"
    return "warning"


@register.filter
def initial(name: Any) -> str:
    """The first character of a name, for the avatar circle."""
    text = str(name or "").strip()
    return text[:1].upper() if text else "?"


@register.simple_tag(takes_context=True)
def page_url(context: template.Context, base: str, number: int) -> str:
    """The link to page ``number``: ``base`` plus the page, or this URL's query."""
    if base:
        separator = "&" if "?" in base else "?"
        return f"{base}{separator}page={number}"
    request = context.get("request")
    query = request.GET.copy() if request is not None else QueryDict(mutable=True)
    query["page"] = str(number)
    return f"?{query.urlencode()}"


@register.simple_tag(takes_context=True)
def export_url(context: template.Context, fmt: str, **extra: Any) -> str:
    """The link that downloads this list as ``fmt``: this URL's filters without the
    page (an export holds every row), plus ``extra`` (``list=`` where a page has two)."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else QueryDict(mutable=True)
    query.pop("page", None)
    for name, value in extra.items():
        query[name] = str(value)
    query["export"] = fmt
    return f"?{query.urlencode()}"


@register.filter
def staff_name(user: Any) -> str:
    """A member of staff as colleagues write the name (陈晓东, Anna Weber)."""
    return people.staff_name(user)


@dataclass(frozen=True)
class FormError:
    """One error of a form as the summary lists it: the field's id, its label, why."""

    anchor: str
    label: str
    message: str


def _form_errors(form: forms.BaseForm, row: str) -> list[FormError]:
    found = [FormError("", row, str(error)) for error in form.non_field_errors()]
    for field in form:
        # A group of radios or boxes has no single id; its first choice stands for it.
        anchor = field.id_for_label or (f"{field.auto_id}_0" if field.auto_id else "")
        label = f"{row} · {field.label}" if row else str(field.label)
        found += [FormError(anchor, label, str(error)) for error in field.errors]
    return found


@register.inclusion_tag("web/_error_summary.html")
def error_summary(
    *forms_given: Any, title: str = "", row_word: str = "", summary_id: str = ""
) -> dict[str, Any]:
    """Every error of the given forms and formsets, each linked to its field.

    Shown above a form that came back with errors, beside the errors each field
    shows; a formset's rows are named by ``row_word`` and their number (修订 2).
    """
    errors: list[FormError] = []
    for given in forms_given:
        if isinstance(given, forms.BaseFormSet):
            errors += [FormError("", "", str(e)) for e in given.non_form_errors()]
            for number, row in enumerate(given.forms, start=1):
                name = f"{row_word} {number}" if row_word else ""
                errors += _form_errors(row, name)
        elif isinstance(given, forms.BaseForm):
            errors += _form_errors(given, "")
    return {
        "errors": errors,
        "title": title,
        "summary_id": summary_id or "error-summary",
    }


@register.filter(name="month_day")
def month_day_filter(day: date) -> str:
    """This year's day of a remembered date, written as the date itself is."""
    return month_day(day)
