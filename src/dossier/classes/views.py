"""Class pages: the policy with recomputation, one guest's class, the class list."""

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dossier.classes.errors import ClassError, ClassErrorCode
from dossier.classes.exports import (
    class_changes_table,
    class_list_table,
    guest_history_table,
    pinned_table,
)
from dossier.classes.forms import PinForm, PolicyForm, UnpinForm, add_class_error
from dossier.classes.keyguests import (
    NOT_SEEN_DAYS,
    NOT_SEEN_DAYS_MAX,
    DecisionInput,
    KeyGuest,
    key_guest_list,
    meeting_file,
    month_parse,
)
from dossier.classes.models import ClassChange, CustomerClass, KeyGuestMeeting
from dossier.classes.selectors import (
    class_changes_of,
    class_counts,
    class_row,
    pinned_guests,
)
from dossier.classes.services import (
    class_pin,
    class_unpin,
    classes_recompute,
    policy_get,
    policy_update,
)
from dossier.core.exports import Column, Kind, Table, export_format, export_response
from dossier.guests.models import Guest
from dossier.guests.selectors import guests_visible
from dossier.web.http import request_actor
from dossier.web.paging import page_of
from dossier.web.selectors import viewer_property

RECENT_CHANGES = 30


@permission_required("history.view_spend", raise_exception=True)
def policy(request: HttpRequest) -> HttpResponse:
    prop = viewer_property(request.user)
    current = policy_get(prop)
    form = PolicyForm.of(current, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not request.user.has_perm("classes.change_classpolicy"):
            raise Http404
        if form.is_valid():
            try:
                policy_update(actor=request_actor(request), property=prop,
                              data=form.policy_input())  # fmt: skip
            except ClassError as error:
                add_class_error(form, error)
            else:
                messages.success(request, _("分级规则已保存，下次重算时生效"))
                return redirect("classes:policy")
    changes = (
        ClassChange.objects.filter(guest__property=prop)
        .select_related("guest", "by")
        .order_by("-at", "-id")[:RECENT_CHANGES]
    )
    context: dict[str, Any] = {
        "policy": current,
        "form": form,
        "counts": class_counts(prop),
        "changes": changes,
        "pinned": page_of(request, pinned_guests(prop)),
        "classes": CustomerClass.choices,
    }
    return render(request, "classes/policy.html", context)


@require_POST
@permission_required("classes.recompute_classes", raise_exception=True)
def recompute(request: HttpRequest) -> HttpResponse:
    prop = viewer_property(request.user)
    report = classes_recompute(property=prop, actor=request_actor(request))
    messages.success(
        request,
        _("已重算 %(guests)s 位客人：A 类 %(a)s，B 类 %(b)s，C 类 %(c)s；"
          "变动 %(changed)s 位（升级 %(up)s，降级 %(down)s），人工指定 %(pinned)s 位未改动")
        % {
            "guests": report.guests, "a": report.by_class.get("A", 0),
            "b": report.by_class.get("B", 0), "c": report.by_class.get("C", 0),
            "changed": report.changed, "up": report.upgraded,
            "down": report.downgraded, "pinned": report.pinned,
        },
    )  # fmt: skip
    return redirect("classes:policy")


def _guest(request: HttpRequest, guest_id: int) -> Guest:
    guest = (
        guests_visible(request.user)
        .select_related("property", "customer_class")
        .filter(pk=guest_id)
        .first()
    )
    if guest is None:
        raise Http404
    return guest


@permission_required("guests.view_guest", raise_exception=True)
def guest_class(request: HttpRequest, guest_id: int) -> HttpResponseBase:
    guest = _guest(request, guest_id)
    changes = class_changes_of(guest)
    fmt = export_format(request.GET.get("export", ""))
    if fmt is not None:
        if not request.user.has_perm("guests.export_guests"):
            raise PermissionDenied
        return export_response(table=guest_history_table(guest, changes), fmt=fmt,
                               actor=request.user, what="classes.guest_history",
                               guest=guest.pk)  # fmt: skip
    pin_form: forms.Form = PinForm(initial={"klass": guest.guest_class})
    unpin_form: forms.Form = UnpinForm()
    if request.method == "POST":
        if not request.user.has_perm("classes.pin_guestclass"):
            raise Http404
        pinning = request.POST.get("action") == "pin"
        form: forms.Form = PinForm(request.POST) if pinning else UnpinForm(request.POST)
        if form.is_valid():
            try:
                _pin_or_unpin(request, guest, form)
            except ClassError as error:
                add_class_error(form, error)
            else:
                messages.success(request, _("客户类别已更新"))
                return redirect("classes:guest", guest_id=guest.pk)
        pin_form, unpin_form = (form, unpin_form) if pinning else (pin_form, form)
    context = {
        "guest": guest,
        "row": class_row(guest),
        "history": page_of(request, changes),
        "pin_form": pin_form,
        "unpin_form": unpin_form,
    }
    return render(request, "classes/guest.html", context)


def _pin_or_unpin(request: HttpRequest, guest: Guest, form: Any) -> None:
    actor = request_actor(request)
    data = form.cleaned_data
    if isinstance(form, PinForm):
        class_pin(actor=actor, guest=guest, klass=data["klass"], reason=data["reason"])
    else:
        class_unpin(actor=actor, guest=guest, reason=data["reason"])


@permission_required("guests.export_guests", raise_exception=True)
def class_export(request: HttpRequest) -> HttpResponseBase:
    fmt = export_format(request.GET.get("format", ""))
    klass = request.GET.get("class", "")
    if fmt is None:
        raise Http404
    prop = viewer_property(request.user)
    table = class_list_table(request.user, prop, klass)
    return export_response(table=table, fmt=fmt, actor=request.user,
                           what="classes.list", guest_class=klass)  # fmt: skip


@permission_required("history.view_spend", raise_exception=True)
def changes_export(request: HttpRequest, what: str) -> HttpResponseBase:
    """The class changes (``?since=YYYY-MM-DD``) or the pinned classes, as a file."""
    fmt = export_format(request.GET.get("format", ""))
    if fmt is None or what not in ("changes", "pinned"):
        raise Http404
    prop = viewer_property(request.user)
    if what == "pinned":
        return export_response(table=pinned_table(request.user, prop), fmt=fmt,
                               actor=request.user, what="classes.pinned")  # fmt: skip
    try:
        raw = request.GET.get("since", "")
        since = date.fromisoformat(raw) if raw else None
    except ValueError:
        return HttpResponse(_("日期“%(d)s”不是 YYYY-MM-DD 格式") % {"d": raw},
                            status=400, content_type="text/plain; charset=utf-8")  # fmt: skip
    table = class_changes_table(request.user, prop, since=since)
    return export_response(table=table, fmt=fmt, actor=request.user,
                           what="classes.changes", since=raw)  # fmt: skip


KEY_SECTIONS = (
    ("new_a", gettext_lazy("新晋 A 类客户")),
    ("not_seen", gettext_lazy("久未到店的 A 类客户")),
    ("dates", gettext_lazy("本月纪念日（A、B 类）")),
)


def _key_table(lists: dict[str, list[KeyGuest]], month: date) -> Table:
    rows = [
        [str(title), k.guest.pk, k.guest.full_name, k.guest.guest_class, k.reason,
         k.when, k.last_visit]
        for key, title in KEY_SECTIONS
        for k in lists[key]
    ]  # fmt: skip
    columns = [Column(_("名单")), Column(_("档案号"), Kind.INTEGER), Column(_("姓名")),
               Column(_("类别")), Column(_("原因")), Column(_("日期"), Kind.DATE),
               Column(_("最近到店"), Kind.DATE)]  # fmt: skip
    return Table(_("重点客户 %(month)s") % {"month": f"{month:%Y-%m}"}, columns, rows)


def _decisions(request: HttpRequest, ids: list[int]) -> list[DecisionInput]:
    found = []
    for pk in ids:
        text = request.POST.get(f"decision_{pk}", "").strip()
        due = request.POST.get(f"due_{pk}", "").strip()
        if not text:
            continue
        try:
            day = date.fromisoformat(due) if due else None
        except ValueError:
            raise ClassError(ClassErrorCode.INVALID_MONTH,
                             _("跟进日期“%(d)s”不是 YYYY-MM-DD 格式") % {"d": due},
                             field="decisions") from None  # fmt: skip
        found.append(DecisionInput(guest_id=pk, text=text, task_due=day))
    return found


@permission_required("history.view_spend", raise_exception=True)
def key_guests(request: HttpRequest) -> HttpResponseBase:
    prop = viewer_property(request.user)
    error: ClassError | None = None
    try:
        month = month_parse(request.GET.get("month", ""), today=prop.today())
        days = int(request.GET.get("days") or NOT_SEEN_DAYS)
    except (ClassError, ValueError) as refused:
        month, days = prop.today().replace(day=1), NOT_SEEN_DAYS
        error = refused if isinstance(refused, ClassError) else ClassError(
            ClassErrorCode.INVALID_MONTH, _("未到店天数应为整数"), field="days")  # fmt: skip
    if not 1 <= days <= NOT_SEEN_DAYS_MAX:
        days, error = (
            NOT_SEEN_DAYS,
            ClassError(
                ClassErrorCode.INVALID_MONTH,
                _("未到店天数应在 1 至 %(max)s 天之间") % {"max": NOT_SEEN_DAYS_MAX},
                field="days",
            ),
        )
    lists = key_guest_list(prop, month, days)
    fmt = export_format(request.GET.get("export", ""))
    if fmt is not None and error is None:
        return export_response(table=_key_table(lists, month), fmt=fmt,
                               actor=request.user, what="classes.key_guests",
                               month=f"{month:%Y-%m}")  # fmt: skip
    if request.method == "POST":
        if not request.user.has_perm("classes.recompute_classes"):
            raise Http404
        ids = sorted({k.guest.pk for items in lists.values() for k in items})
        try:
            held = date.fromisoformat(request.POST.get("held_on", "") or
                                      prop.today().isoformat())  # fmt: skip
            meeting_file(actor=request_actor(request), property=prop, month=month,
                         held_on=held, attendees=request.POST.get("attendees", ""),
                         minutes=request.POST.get("minutes", ""),
                         decisions=_decisions(request, ids))  # fmt: skip
        except ValueError as refused:
            error = refused if isinstance(refused, ClassError) else ClassError(
                ClassErrorCode.INVALID_MONTH, _("会议日期应为 YYYY-MM-DD"),
                field="held_on")  # fmt: skip
        else:
            messages.success(request, _("会议纪要已保存，决定已记入相关客人档案"))
            return redirect(f"{request.path}?month={month:%Y-%m}&days={days}")
    meetings = KeyGuestMeeting.objects.filter(property=prop, month=month)
    context = {
        "month": month, "days": days, "error": error, "posted": request.POST,
        "sections": [(key, title, lists[key]) for key, title in KEY_SECTIONS],
        "meetings": meetings.prefetch_related("decisions__guest"),
        "today": prop.today(),
    }  # fmt: skip
    return render(
        request, "classes/key_guests.html", context, status=400 if error else 200
    )
