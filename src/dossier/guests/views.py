"""Guest pages: list, profile page with card and history, forms, companies.

Each view parses, authorizes, calls a service or selector and renders; every change
to a guest goes through :mod:`dossier.guests.services`.
"""

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dossier.care.forms import ConsentForm
from dossier.care.selectors import consent_rows
from dossier.classes.exports import guest_table
from dossier.classes.selectors import guests_of_class
from dossier.core.audit import AuditAction, audit
from dossier.core.crypto import unseal
from dossier.core.exports import (
    Column,
    ExportFormat,
    Kind,
    Table,
    export_format,
    export_response,
)
from dossier.duplicates.selectors import (
    Shared,
    documents_elsewhere,
    phones_elsewhere,
)
from dossier.guests.changes import change_rows
from dossier.guests.errors import GuestError
from dossier.guests.forms import (
    CompanyForm,
    GuestForm,
    HistoryFilterForm,
    ObservationForm,
    PreferencesForm,
    SpecialDateForm,
    add_guest_error,
)
from dossier.guests.models import (
    Company,
    Guest,
    GuestClass,
    IdentityDocument,
    Observation,
    PhoneKind,
    PreferenceItem,
    ProfileChange,
)
from dossier.guests.selectors import (
    card_guests,
    card_viewer,
    guest_card,
    guest_honorific,
    guest_merged_into,
    guests_visible,
    phones_by_kind,
)
from dossier.guests.services import (
    company_save,
    document_index,
    guest_create,
    guest_update,
    observation_add,
    observation_review,
    parse_identity,
    preference_clear,
    preference_set,
)
from dossier.guests.services import special_date_add as special_date_add_service
from dossier.history.exports import bills_table, stays_table
from dossier.history.models import BillStatus, Outlet, StayStatus
from dossier.history.selectors import HistoryFilter, bills_of, stays_of
from dossier.search.selectors import guests_matching
from dossier.web.http import HtmxHttpRequest, request_actor
from dossier.web.selectors import viewer_property
from dossier.zh.phones import mask_phone

LIST_PAGE_SIZE = 50
HISTORY_PAGE_SIZE = 20
TABS = ("stays", "bills", "observations", "changes")


def _page(request: HttpRequest, queryset: QuerySet[Any], size: int) -> Page[Any]:
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def _visible_guest(request: HttpRequest, guest_id: int) -> Guest:
    guest = guests_visible(request.user).filter(pk=guest_id).first()
    if guest is None:
        raise Http404
    return guest


def _companies(request: HttpRequest) -> QuerySet[Company]:
    return Company.objects.filter(property=viewer_property(request.user))


# The profile page ---------------------------------------------------------------


def _history_filter(
    request: HttpRequest, guest: Guest, tab: str
) -> tuple[HistoryFilterForm, HistoryFilter]:
    """The filter form of a history tab and what it asks for (nothing when invalid)."""
    if tab == "stays":
        form = HistoryFilterForm(request.GET, statuses=list(StayStatus.choices))
    else:
        outlets = Outlet.objects.filter(property_id=guest.property_id).order_by("name")
        form = HistoryFilterForm(
            request.GET,
            statuses=list(BillStatus.choices),
            outlets=[(o.pk, o.name) for o in outlets],
        )
    if not form.is_valid():
        return form, HistoryFilter()
    data = form.cleaned_data
    return form, HistoryFilter(
        since=data.get("since"),
        until=data.get("until"),
        status=data.get("status") or "",
        outlet_id=data.get("outlet"),
        dish=data.get("dish") or "",
    )


def _tab_context(request: HttpRequest, guest: Guest, tab: str) -> dict[str, Any]:
    """What one tab of the guest page shows; only the open tab is read."""
    if tab in ("stays", "bills"):
        filter_form, filters = _history_filter(request, guest, tab)
        records = (
            stays_of(guest, filters) if tab == "stays" else bills_of(guest, filters)
        )
        query = request.GET.copy()
        query.pop("page", None)
        query["tab"] = tab
        return {
            "page": _page(request, records, HISTORY_PAGE_SIZE),
            "filter_form": filter_form,
            "filtered": filters.active,
            "page_base": f"?{query.urlencode()}",
        }
    if tab == "observations":
        observations = (
            Observation.objects.filter(guest=guest)
            .select_related("staff", "item", "reviewed_by")
            .order_by("-observed_at", "-id")
        )
        form = ObservationForm(
            initial={"department": card_viewer(request.user).department or None}
        )
        return {"page": _page(request, observations, HISTORY_PAGE_SIZE), "form": form}
    changes = ProfileChange.objects.filter(guest=guest).select_related("actor")
    page = _page(request, changes, HISTORY_PAGE_SIZE)
    return {"page": page, "rows": change_rows(page, card_viewer(request.user))}


def _render_tab(
    request: HttpRequest, guest: Guest, tab: str, **extra: Any
) -> HttpResponse:
    context = {"guest": guest, "tab": tab, **_tab_context(request, guest, tab), **extra}
    return render(request, "guests/_tabs.html", context)


def _history_export(
    request: HttpRequest, guest: Guest, tab: str, fmt: ExportFormat
) -> HttpResponseBase:
    """The stays or bills of the tab, filtered as the tab is, as a file."""
    if not request.user.has_perm("guests.export_guests"):
        raise PermissionDenied
    _form, filters = _history_filter(request, guest, tab)
    sees_spend = request.user.has_perm("history.view_spend")
    table = (
        stays_table(guest, stays_of(guest, filters), sees_spend=sees_spend)
        if tab == "stays"
        else bills_table(guest, bills_of(guest, filters), sees_spend=sees_spend)
    )
    return export_response(table=table, fmt=fmt, actor=request.user,
                           what=f"history.{tab}", guest=guest.pk)  # fmt: skip


@permission_required("guests.view_guest", raise_exception=True)
def guest_detail(request: HtmxHttpRequest, guest_id: int) -> HttpResponseBase:
    master = guest_merged_into(guest_id)
    if master is not None and guests_visible(request.user).filter(pk=master).exists():
        # An old link or bookmark of a merged profile leads to the one it joined.
        return redirect("guests:detail", guest_id=master)
    guest = _visible_guest(request, guest_id)
    tab = request.GET.get("tab", "stays")
    tab = tab if tab in TABS else "stays"
    fmt = export_format(request.GET.get("export", ""))
    if fmt is not None and tab in ("stays", "bills"):
        return _history_export(request, guest, tab, fmt)
    if request.htmx and request.htmx.target == "guest-tabs":
        return _render_tab(request, guest, tab)

    guest = card_guests([guest.pk])[guest.pk]
    viewer = card_viewer(request.user)
    context = {
        "guest": guest,
        "card": guest_card(guest, viewer=viewer),
        "all_preferences": [
            p
            for p in guest.preferences.all()
            if not p.item.is_alert and p.display_value()
        ],
        "documents": list(guest.documents.all()),
        "phones": phones_by_kind(guest),
        "tab": tab,
        "consents": consent_rows(guest),
        "consent_form": ConsentForm(),
        **_tab_context(request, guest, tab),
    }
    return render(request, "guests/detail.html", context)


@require_POST
@permission_required("guests.add_observation", raise_exception=True)
def observation_add_view(request: HtmxHttpRequest, guest_id: int) -> HttpResponse:
    guest = _visible_guest(request, guest_id)
    form = ObservationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            observation_add(
                actor=request_actor(request),
                guest=guest,
                department=data["department"],
                text=data["text"],
                touchpoint=data["touchpoint"],
                kind=data["kind"],
                item=data["item"],
                proposed_value=data["proposed_value"],
            )
        except GuestError as error:
            add_guest_error(form, error)
        else:
            messages.success(request, _("客史信息已提交，等待审核"))
            return _after_observation(request, guest)
    return _render_tab(request, guest, "observations", form=form)


@require_POST
@permission_required("guests.review_observation", raise_exception=True)
def observation_review_view(
    request: HtmxHttpRequest, observation_id: int
) -> HttpResponse:
    observation = get_object_or_404(
        Observation.objects.filter(guest__in=guests_visible(request.user)),
        pk=observation_id,
    )
    confirm = request.POST.get("decision") == "confirm"
    try:
        observation_review(
            actor=request_actor(request),
            observation=observation,
            confirm=confirm,
        )
    except GuestError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("已确认并写入档案") if confirm else _("已标记为未采纳")
        )
    return _after_observation(request, observation.guest)


def _after_observation(request: HtmxHttpRequest, guest: Guest) -> HttpResponse:
    if request.htmx:
        return _render_tab(request, guest, "observations")
    url = reverse("guests:detail", args=[guest.pk])
    return redirect(f"{url}?tab=observations")


@require_POST
@permission_required("guests.view_full_id_number", raise_exception=True)
def document_reveal(request: HttpRequest, document_id: int) -> HttpResponse:
    document = get_object_or_404(
        IdentityDocument.objects.filter(guest__in=guests_visible(request.user)),
        pk=document_id,
    )
    with transaction.atomic():
        number = unseal(document.number_sealed)
        audit(actor=request.user, action=AuditAction.ID_NUMBER_VIEWED, obj=document)
    return render(
        request,
        "guests/_document_number.html",
        {"document": document, "number": number},
    )


# The guest list and forms --------------------------------------------------------


@permission_required("guests.view_guest", raise_exception=True)
def guest_list(request: HttpRequest) -> HttpResponseBase:
    prop = viewer_property(request.user)
    query = request.GET.get("q", "").strip()
    guest_class = request.GET.get("class", "")
    guests = (
        guests_visible(request.user)
        .filter(property=prop)
        .select_related("property", "company")
        .prefetch_related("phones")
        .order_by("name_sort", "id")
    )
    if query:
        guests = guests.filter(guests_matching(prop.pk, query))
    if guest_class in GuestClass.values:
        guests = guests_of_class(guests, guest_class)
    fmt = export_format(request.GET.get("export", ""))
    if fmt is not None:
        if not request.user.has_perm("guests.export_guests"):
            raise PermissionDenied
        table = guest_table(request.user, guests, title=_("客人名单"))
        return export_response(table=table, fmt=fmt, actor=request.user,
                               what="guests.list", query=query,
                               guest_class=guest_class)  # fmt: skip
    page = _page(request, guests, LIST_PAGE_SIZE)
    rows = [
        {
            "guest": g,
            "honorific": guest_honorific(g, prop),
            "mobile": _mobile(g),
        }
        for g in page
    ]
    context = {
        "page": page,
        "rows": rows,
        "query": query,
        "guest_class": guest_class,
        "classes": GuestClass.choices,
    }
    return render(request, "guests/list.html", context)


def _shared_phones(
    form: GuestForm, prop_id: int, guest: Guest | None = None
) -> list[Shared]:
    """Profiles holding a number of the form, unless the user confirmed them."""
    if form.cleaned_data.get("shared_phone_ok"):
        return []
    return phones_elsewhere(
        property_id=prop_id,
        phones=form.guest_input().phones,
        guest_id=guest.pk if guest else None,
    )


def _shared_documents(
    form: GuestForm, prop_id: int, guest: Guest | None = None
) -> list[Shared]:
    """Profiles holding a document number of the form, unless the user confirmed
    them."""
    if form.cleaned_data.get("shared_document_ok"):
        return []
    indexes = []
    for document in form.guest_input().documents:
        try:
            number, _birth, _gender = parse_identity(document)
        except GuestError:
            # Saving names the fault beside the field.
            continue
        indexes.append(document_index(document.doc_type, number))
    return documents_elsewhere(
        property_id=prop_id, indexes=indexes, guest_id=guest.pk if guest else None
    )


def _mobile(guest: Guest) -> str:
    """The first mobile of a listed guest, masked; landlines have their own place."""
    mobiles = (p for p in guest.phones.all() if p.kind == PhoneKind.MOBILE)
    return next((mask_phone(p.e164) for p in mobiles), "")


@permission_required("guests.add_guest", raise_exception=True)
def guest_create_view(request: HttpRequest) -> HttpResponse:
    prop = viewer_property(request.user)
    form = GuestForm(request.POST or None, property=prop)
    shared: list[Shared] = []
    shared_documents: list[Shared] = []
    if request.method == "POST" and form.is_valid():
        shared = _shared_phones(form, prop.pk)
        shared_documents = _shared_documents(form, prop.pk)
    if request.method == "POST" and form.is_valid() and not shared + shared_documents:
        try:
            guest = guest_create(
                actor=request.user, property=prop, data=form.guest_input()
            )
        except GuestError as error:
            add_guest_error(form, error)
        else:
            messages.success(request, _("已建立客史档案"))
            return redirect("guests:detail", guest_id=guest.pk)
    context = {
        "form": form,
        "guest": None,
        "shared": shared,
        "shared_documents": shared_documents,
    }
    return render(request, "guests/form.html", context)


@permission_required("guests.change_guest", raise_exception=True)
def guest_edit(request: HttpRequest, guest_id: int) -> HttpResponse:
    guest = _visible_guest(request, guest_id)
    form = GuestForm(
        request.POST or None,
        property=guest.property,
        initial=GuestForm.initial_of(guest),
    )
    shared: list[Shared] = []
    shared_documents: list[Shared] = []
    if request.method == "POST" and form.is_valid():
        shared = _shared_phones(form, guest.property_id, guest)
        shared_documents = _shared_documents(form, guest.property_id, guest)
    if request.method == "POST" and form.is_valid() and not shared + shared_documents:
        try:
            guest_update(actor=request.user, guest=guest, data=form.guest_input())
        except GuestError as error:
            add_guest_error(form, error)
        else:
            messages.success(request, _("档案已保存"))
            return redirect("guests:detail", guest_id=guest.pk)
    documents = list(guest.documents.all())
    context = {
        "form": form,
        "guest": guest,
        "documents": documents,
        "shared": shared,
        "shared_documents": shared_documents,
    }
    return render(request, "guests/form.html", context)


@permission_required("guests.change_guestpreference", raise_exception=True)
def guest_preferences(request: HttpRequest, guest_id: int) -> HttpResponse:
    guest = _visible_guest(request, guest_id)
    items = list(PreferenceItem.objects.select_related("group"))
    current = list(guest.preferences.select_related("item"))
    form = PreferencesForm(request.POST or None, items=items, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                for item, value in form.changed_values():
                    if value:
                        preference_set(
                            actor=request.user, guest=guest, item=item, value=value
                        )
                    else:
                        preference_clear(actor=request.user, guest=guest, item=item)
        except GuestError as error:
            add_guest_error(form, error)
        else:
            messages.success(request, _("偏好已保存"))
            return redirect("guests:detail", guest_id=guest.pk)
    return render(request, "guests/preferences.html", {"form": form, "guest": guest})


@permission_required("guests.add_specialdate", raise_exception=True)
def special_date_add(request: HttpRequest, guest_id: int) -> HttpResponse:
    guest = _visible_guest(request, guest_id)
    form = SpecialDateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        special_date_add_service(
            actor=request.user,
            guest=guest,
            kind=data["kind"],
            label=data.get("label") or "",
            calendar=data["calendar"],
            year=data.get("year"),
            month=data["month"],
            day=data["day"],
            is_leap_month=bool(data.get("is_leap_month")),
        )
        messages.success(request, _("纪念日已添加"))
        return redirect("guests:detail", guest_id=guest.pk)
    return render(
        request, "guests/special_date_form.html", {"form": form, "guest": guest}
    )


# Companies -----------------------------------------------------------------------


@permission_required("guests.view_company", raise_exception=True)
def company_list(request: HttpRequest) -> HttpResponseBase:
    query = request.GET.get("q", "").strip()
    companies = _companies(request).annotate(contact_count=Count("contacts"))
    if query:
        companies = companies.filter(name__icontains=query)
    fmt = export_format(request.GET.get("export", ""))
    if fmt is not None:
        if not request.user.has_perm("guests.export_guests"):
            raise PermissionDenied
        return export_response(
            table=_company_table(companies.order_by("name", "id")),
            fmt=fmt,
            actor=request.user,
            what="guests.companies",
            query=query,
        )
    page = _page(request, companies.order_by("name", "id"), LIST_PAGE_SIZE)
    return render(request, "guests/company_list.html", {"page": page, "query": query})


def _company_table(companies: QuerySet[Company]) -> Table:
    columns = [
        Column(_("单位名称")),
        Column(_("性质")),
        Column(_("行业")),
        Column(_("客户类别")),
        Column(_("负责人")),
        Column(_("电话")),
        Column(_("地址")),
        Column(_("折扣率"), Kind.DECIMAL),
        Column(_("付款方式")),
        Column(_("合同开始"), Kind.DATE),
        Column(_("合同结束"), Kind.DATE),
        Column(_("联系人数"), Kind.INTEGER),
        Column(_("主要消费需求")),
    ]
    rows = [
        [
            c.name,
            c.nature,
            c.industry,
            c.get_guest_class_display(),
            c.responsible_person,
            c.phones,
            c.address,
            c.discount_rate,
            c.payment_method,
            c.contract_start,
            c.contract_end,
            getattr(c, "contact_count", 0),
            c.main_needs,
        ]
        for c in companies
    ]
    return Table(_("协议单位"), columns, rows)


def _contact_row(guest: Guest) -> dict[str, Any]:
    return {
        "guest": guest,
        "honorific": guest_honorific(guest, guest.property),
        "mobile": _mobile(guest),
    }


def _contacts_table(company: Company, contacts: Iterable[Guest]) -> Table:
    """A company's contacts as its page lists them: mobiles masked."""
    columns = [
        Column(_("档案号"), Kind.INTEGER),
        Column(_("称呼")),
        Column(_("姓名")),
        Column(_("职务")),
        Column(_("手机")),
    ]
    rows = (
        [g.pk, row["honorific"], g.full_name, g.title, row["mobile"]]
        for g in contacts
        for row in [_contact_row(g)]
    )
    title = _("联系人：%(company)s") % {"company": company.name}
    return Table(title, columns, rows)


@permission_required("guests.view_company", raise_exception=True)
def company_detail(request: HttpRequest, company_id: int) -> HttpResponseBase:
    company = get_object_or_404(_companies(request), pk=company_id)
    contacts = (
        guests_visible(request.user)
        .filter(company=company)
        .select_related("property")
        .prefetch_related("phones")
        .order_by("name_sort", "id")
    )
    fmt = export_format(request.GET.get("export", ""))
    if fmt is not None:
        if not request.user.has_perm("guests.export_guests"):
            raise PermissionDenied
        return export_response(
            table=_contacts_table(company, contacts.iterator(chunk_size=2000)),
            fmt=fmt,
            actor=request.user,
            what="guests.company_contacts",
            company=company.pk,
        )
    page = _page(request, contacts, LIST_PAGE_SIZE)
    rows = [_contact_row(g) for g in page]
    context = {"company": company, "page": page, "rows": rows}
    return render(request, "guests/company_detail.html", context)


@permission_required("guests.add_company", raise_exception=True)
def company_create(request: HttpRequest) -> HttpResponse:
    form = CompanyForm(request.POST or None, property=viewer_property(request.user))
    if request.method == "POST" and form.is_valid():
        company = company_save(company=form.save(commit=False))
        messages.success(request, _("已建立单位客户档案"))
        return redirect("guests:company_detail", company_id=company.pk)
    return render(request, "guests/company_form.html", {"form": form, "company": None})


@permission_required("guests.change_company", raise_exception=True)
def company_edit(request: HttpRequest, company_id: int) -> HttpResponse:
    company = get_object_or_404(_companies(request), pk=company_id)
    form = CompanyForm(
        request.POST or None, instance=company, property=company.property
    )
    if request.method == "POST" and form.is_valid():
        company_save(company=form.save(commit=False))
        messages.success(request, _("单位客户档案已保存"))
        return redirect("guests:company_detail", company_id=company.pk)
    context = {"form": form, "company": company}
    return render(request, "guests/company_form.html", context)
