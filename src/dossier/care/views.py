"""Pages of care: my tasks, reminder rules, daily run reports and campaigns."""

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dossier.care import campaigns as campaign_services
from dossier.care.daily import run_daily_property
from dossier.care.errors import CareError
from dossier.care.exports import (
    campaign_list_table,
    campaign_log_table,
    rules_table,
    run_table,
)
from dossier.care.forms import CampaignForm, ConsentForm, RuleForm, TaskCloseForm
from dossier.care.models import Campaign, ReminderKind, ReminderRule, Task
from dossier.care.rules import RuleInput, rule_save, rules_ensure
from dossier.care.selectors import (
    TaskList,
    my_tasks,
    rules_of,
    runs_of,
    runs_with_lines,
    staff_property,
)
from dossier.care.services import (
    MANAGE_CARE,
    consent_record,
    task_close,
    task_may_close,
)
from dossier.care.timing import campaign_timing
from dossier.core.exports import Column, Kind, Table, export_format, export_response
from dossier.core.people import staff_name
from dossier.guests.errors import GuestError
from dossier.guests.selectors import guests_visible
from dossier.messaging.sms import sms_preview
from dossier.web.http import HtmxHttpRequest, request_actor
from dossier.web.paging import page_of

CHUNK = 2000
RUNS_PAGE_SIZE = 20


@login_required
def tasks(request: HttpRequest) -> HttpResponseBase:
    user = request_actor(request)
    prop = staff_property(user)
    kind = request.GET.get("kind", "")
    if kind and kind not in ReminderKind.values:
        kind = ""
    everyone = request.GET.get("who") == "all" and user.has_perm(MANAGE_CARE)
    listing = my_tasks(user, today=prop.today(), kind=kind, everyone=everyone)
    fmt = export_format(request.GET.get("export", ""))
    if fmt is not None:
        return export_response(
            table=_task_table(listing, prop.today()),
            fmt=fmt,
            actor=user,
            what="care.tasks",
            kind=kind,
            everyone=everyone,
        )
    today = prop.today()
    page = page_of(request, listing.open)
    context = {
        "everyone": everyone,
        "listing": listing,
        "page": page,
        "overdue": [t for t in page if t.due < today],
        "upcoming": [t for t in page if t.due >= today],
        "kind": kind,
        "kinds": ReminderKind.choices,
        "today": today,
        "form": TaskCloseForm(),
    }
    return render(request, "care/tasks.html", context)


def _kind_label(kind: str) -> str:
    return str(ReminderKind(kind).label) if kind in ReminderKind.values else kind


def _task_table(listing: TaskList, today: date) -> Table:
    """Every task the list holds, not only the page: overdue, open, then the last
    closed."""
    columns = [
        Column(_("状态")),
        Column(_("截止日期"), Kind.DATE),
        Column(_("类型")),
        Column(_("事项")),
        Column(_("客人")),
        Column(_("负责人")),
        Column(_("结果")),
    ]

    def row(task: Task, group: str) -> list[Any]:
        owner = task.owner
        return [
            group,
            task.due,
            _kind_label(task.kind),
            task.title_shown,
            task.guest.full_name,
            staff_name(owner),
            task.outcome,
        ]

    def rows() -> Iterator[list[Any]]:
        overdue, upcoming = _("已逾期"), _("待办")
        for task in listing.open.iterator(chunk_size=2000):
            yield row(task, overdue if task.due < today else upcoming)
        for task in listing.closed:
            yield row(task, task.get_status_display())

    return Table(_("任务"), columns, rows())


@require_POST
@login_required
def task_close_view(request: HtmxHttpRequest, task_id: int) -> HttpResponse:
    """Close a task; htmx swaps the row for the closed one, a plain post redirects."""
    user = request_actor(request)
    task = get_object_or_404(
        Task.objects.select_related("guest", "owner"),
        pk=task_id,
        guest__property=staff_property(user),
    )
    if not task_may_close(user, task):
        raise Http404
    form = TaskCloseForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            task = task_close(
                actor=user,
                task=task,
                status=form.cleaned_data["status"],
                outcome=form.cleaned_data["outcome"],
            )
        except CareError as refused:
            error = refused.message
    else:
        error = "；".join(str(e) for errors in form.errors.values() for e in errors)
    if request.htmx:
        # The row is swapped in either way; a refusal shows inside it.
        context = {"task": task, "error": error, "today": staff_property(user).today()}
        return render(request, "care/_task.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("任务已处理"))
    return redirect("care:tasks")


@permission_required(MANAGE_CARE, raise_exception=True)
def rules(request: HttpRequest) -> HttpResponseBase:
    prop = staff_property(request_actor(request))
    rules_ensure(prop)
    fmt = export_format(request.GET.get("export", ""))
    if fmt is not None:
        return export_response(
            table=rules_table(rules_of(prop)),
            fmt=fmt,
            actor=request.user,
            what="care.rules",
        )
    return render(request, "care/rules.html", {"rules": rules_of(prop)})


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE_CARE, raise_exception=True)
def rule_edit(request: HttpRequest, rule_id: int | None = None) -> HttpResponse:
    user = request_actor(request)
    prop = staff_property(user)
    rule = (
        get_object_or_404(ReminderRule, pk=rule_id, property=prop) if rule_id else None
    )
    initial = RuleForm.initial_of(rule) if rule else {"active": True, "days": 0}
    form = RuleForm(request.POST or None, initial=initial, prop=prop)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = rule_save(
                actor=user,
                prop=prop,
                rule=rule,
                data=RuleInput(
                    name=data["name"],
                    kind=data["kind"],
                    days=data["days"],
                    classes="".join(data["classes"]),
                    channel=data["channel"],
                    template=data["template"],
                    subject=data["subject"],
                    gift_text=data["gift_text"],
                    date_kinds=",".join(data["date_kinds"]),
                    owner_department=data["owner_department"],
                    owner=data["owner"],
                    active=data["active"],
                ),
            )
        except CareError as error:
            form.add_error(
                error.field if error.field in form.fields else None, error.message
            )
        else:
            messages.success(request, _("规则“%(name)s”已保存") % {"name": saved.name})
            return redirect("care:rules")
    return render(request, "care/rule_form.html", {"form": form, "rule": rule})


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE_CARE, raise_exception=True)
def runs(request: HttpRequest) -> HttpResponseBase:
    """The run reports; a post starts the daily run now (it is safe to repeat)."""
    prop = staff_property(request_actor(request))
    if request.method == "POST":
        run = run_daily_property(prop, trigger="web")
        messages.success(
            request,
            _(
                "已运行：新建任务 %(created)s，发送 %(sent)s，跳过 %(skipped)s，错过 %(missed)s，失败 %(failed)s"
            )
            % {
                "created": run.created,
                "sent": run.sent,
                "skipped": run.skipped,
                "missed": run.missed,
                "failed": run.failed,
            },
        )
        return redirect("care:runs")
    runs = runs_of(prop)
    fmt = export_format(request.GET.get("export", ""))
    if fmt is not None:
        every = runs.iterator(chunk_size=CHUNK)
        return export_response(table=run_table(every, prop), fmt=fmt,
                               actor=request.user, what="care.runs")  # fmt: skip
    page = page_of(request, runs, size=RUNS_PAGE_SIZE)
    context = {"runs": runs_with_lines(page), "page": page}
    return render(request, "care/runs.html", context)


@permission_required(MANAGE_CARE, raise_exception=True)
def campaign_list(request: HttpRequest) -> HttpResponseBase:
    prop = staff_property(request_actor(request))
    found = Campaign.objects.filter(property=prop).order_by("-created_at", "-id")
    fmt = export_format(request.GET.get("export", ""))
    if fmt is not None:
        every = found.iterator(chunk_size=CHUNK)
        return export_response(table=campaign_list_table(every, prop), fmt=fmt,
                               actor=request.user, what="care.campaigns")  # fmt: skip
    return render(request, "care/campaigns.html", {"page": page_of(request, found)})


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE_CARE, raise_exception=True)
def campaign_edit(request: HttpRequest, campaign_id: int | None = None) -> HttpResponse:
    user = request_actor(request)
    prop = staff_property(user)
    campaign = (
        get_object_or_404(Campaign, pk=campaign_id, property=prop)
        if campaign_id
        else None
    )
    initial = _campaign_initial(campaign) if campaign else {"channel": "sms"}
    form = CampaignForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = campaign_services.campaign_save(
                actor=user,
                prop=prop,
                campaign=campaign,
                data=campaign_services.CampaignInput(
                    **{**data, "classes": "".join(data["classes"])}
                ),
            )
        except CareError as error:
            form.add_error(
                error.field if error.field in form.fields else None, error.message
            )
        else:
            messages.success(request, _("活动“%(name)s”已保存") % {"name": saved.name})
            return redirect("care:campaign_detail", saved.pk)
    body = form["body"].value() or ""
    preview = sms_preview(body) if body and form["channel"].value() == "sms" else None
    context = {"form": form, "campaign": campaign, "preview": preview}
    return render(request, "care/campaign_form.html", context)


def _campaign_initial(campaign: Campaign) -> dict[str, Any]:
    return {
        "name": campaign.name,
        "channel": campaign.channel,
        "subject": campaign.subject,
        "body": campaign.body,
        "classes": list(campaign.classes),
        "tags": campaign.tags,
        "preference": campaign.preference,
        "visited_after": campaign.visited_after,
        "visited_before": campaign.visited_before,
        "send_on": campaign.send_on,
    }


@permission_required(MANAGE_CARE, raise_exception=True)
def campaign_detail(request: HttpRequest, campaign_id: int) -> HttpResponseBase:
    prop = staff_property(request_actor(request))
    campaign = get_object_or_404(Campaign, pk=campaign_id, property=prop)
    fmt = export_format(request.GET.get("export", ""))
    if fmt is not None:
        return export_response(table=campaign_log_table(campaign), fmt=fmt,
                               actor=request.user, what="care.campaign_log",
                               campaign=campaign.pk)  # fmt: skip
    context: dict[str, Any] = {"campaign": campaign}
    if campaign.status in ("draft", "scheduled"):
        context["estimate"] = campaign_services.campaign_estimate(campaign)
        context["timing"] = campaign_timing(
            today=prop.today(), send_on=campaign.send_on
        )
    else:
        context["responses"] = campaign_services.campaign_responses(campaign)
        context["recipients"] = page_of(
            request,
            campaign.recipients.select_related("guest", "message").order_by("pk"),
        )
    return render(request, "care/campaign_detail.html", context)


@require_POST
@permission_required(MANAGE_CARE, raise_exception=True)
def campaign_action(
    request: HttpRequest, campaign_id: int, action: str
) -> HttpResponse:
    user = request_actor(request)
    campaign = get_object_or_404(
        Campaign, pk=campaign_id, property=staff_property(user)
    )
    try:
        if action == "send":
            outcome = campaign_services.campaign_send(actor=user, campaign=campaign)
            messages.success(
                request,
                _("已发送 %(sent)s 条，未发送 %(skipped_count)s 位")
                % {"sent": outcome.sent, "skipped_count": outcome.skipped_count},
            )
        elif action == "cancel":
            campaign_services.campaign_cancel(actor=user, campaign=campaign)
            messages.success(request, _("活动已取消"))
        else:
            raise PermissionDenied
    except CareError as error:
        messages.error(request, error.message)
    return redirect("care:campaign_detail", campaign.pk)


@require_POST
@permission_required("guests.change_guest", raise_exception=True)
def consent_add_view(request: HttpRequest, guest_id: int) -> HttpResponse:
    """Record a consent or opt-out a guest gave staff; it applies from now on."""
    guest = guests_visible(request.user).filter(pk=guest_id).first()
    if guest is None:
        raise Http404
    form = ConsentForm(request.POST)
    if not form.is_valid():
        errors = "；".join(str(e) for errs in form.errors.values() for e in errs)
        messages.error(request, errors)
    else:
        data = form.cleaned_data
        try:
            consent_record(actor=request_actor(request), guest=guest,
                           channel=data["channel"], purpose=data["purpose"],
                           granted=data["granted"], source=data["source"],
                           at=data["at"])  # fmt: skip
        except GuestError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("已记录客人的授权"))
    return redirect("guests:detail", guest_id=guest.pk)
