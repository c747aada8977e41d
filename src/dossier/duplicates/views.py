"""The review queue of likely duplicates, the comparison page, merge, dismiss, undo."""

from collections.abc import Iterable

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dossier.core.exports import Column, Kind, Table, export_format, export_response
from dossier.duplicates.merge import guest_merge, guest_merge_undo
from dossier.duplicates.models import DuplicateCandidate, Merge
from dossier.duplicates.rules import disagreements_shown, evidence_shown
from dossier.duplicates.selectors import (
    candidate_comparison,
    candidate_for,
    candidates_open,
    pair_conflicts,
)
from dossier.duplicates.services import candidate_dismiss
from dossier.guests.errors import GuestError
from dossier.web.http import request_actor
from dossier.web.selectors import viewer_property

PERMISSION = "duplicates.merge_guest"
PAGE_SIZE = 50


def _candidate(request: HttpRequest, candidate_id: int) -> DuplicateCandidate:
    candidate = candidate_for(candidate_id, viewer_property(request.user).pk)
    if candidate is None:
        raise Http404
    return candidate


def _queue_table(candidates: Iterable[DuplicateCandidate]) -> Table:
    """The open pairs as the queue lists them, best first, the rules by name."""
    columns = [
        Column(_("相似度"), Kind.INTEGER),
        Column(_("档案一"), Kind.INTEGER),
        Column(_("姓名一")),
        Column(_("档案二"), Kind.INTEGER),
        Column(_("姓名二")),
        Column(_("依据")),
    ]
    rows = [
        [c.score, c.guest_a_id, c.guest_a.full_name, c.guest_b_id,
         c.guest_b.full_name, "、".join(r.label for r in evidence_shown(c.evidence))]
        for c in candidates
    ]  # fmt: skip
    return Table(_("疑似重复档案"), columns, rows)


@permission_required(PERMISSION, raise_exception=True)
def queue(request: HttpRequest) -> HttpResponseBase:
    candidates = candidates_open(viewer_property(request.user).pk)
    fmt = export_format(request.GET.get("export", ""))
    if fmt is not None:
        return export_response(table=_queue_table(candidates), fmt=fmt,
                               actor=request.user, what="duplicates.queue")  # fmt: skip
    page = Paginator(candidates, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(c, evidence_shown(c.evidence)) for c in page.object_list]
    return render(request, "duplicates/queue.html", {"page": page, "rows": rows})


@permission_required(PERMISSION, raise_exception=True)
def compare(request: HttpRequest, candidate_id: int) -> HttpResponse:
    candidate = _candidate(request, candidate_id)
    merge = candidate.merges.filter(undone_at__isnull=True).first()
    conflicts = pair_conflicts(candidate.guest_a_id, candidate.guest_b_id)
    context = {
        "candidate": candidate,
        "rows": candidate_comparison(candidate),
        "evidence": evidence_shown(candidate.evidence),
        "merge": merge,
        "conflicts": disagreements_shown(conflicts),
    }
    return render(request, "duplicates/compare.html", context)


@require_POST
@permission_required(PERMISSION, raise_exception=True)
def merge(request: HttpRequest, candidate_id: int) -> HttpResponse:
    candidate = _candidate(request, candidate_id)
    pair = {str(candidate.guest_a_id): candidate.guest_a}
    pair[str(candidate.guest_b_id)] = candidate.guest_b
    master = pair.pop(request.POST.get("master", ""), None)
    if master is None:
        messages.error(request, _("请选择保留哪一份作为主档案"))
        return redirect("duplicates:compare", candidate_id=candidate.pk)
    duplicate = next(iter(pair.values()))
    try:
        guest_merge(
            actor=request_actor(request),
            master=master,
            duplicate=duplicate,
            confirmed=request.POST.get("confirm") == "yes",
        )
    except GuestError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已合并；如有误可在本页撤销"))
    return redirect("duplicates:compare", candidate_id=candidate.pk)


@require_POST
@permission_required(PERMISSION, raise_exception=True)
def dismiss(request: HttpRequest, candidate_id: int) -> HttpResponse:
    candidate = _candidate(request, candidate_id)
    try:
        candidate_dismiss(actor=request_actor(request), candidate=candidate)
    except GuestError as error:
        messages.error(request, error.message)
        return redirect("duplicates:compare", candidate_id=candidate.pk)
    messages.success(request, _("已标记为不同的客人"))
    return redirect("duplicates:queue")


@require_POST
@permission_required(PERMISSION, raise_exception=True)
def undo(request: HttpRequest, merge_id: int) -> HttpResponse:
    prop = viewer_property(request.user)
    found = Merge.objects.filter(pk=merge_id, property=prop).first()
    if found is None:
        raise Http404
    try:
        guest_merge_undo(actor=request_actor(request), merge=found)
    except GuestError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已撤销合并，两份档案已恢复"))
    if found.candidate_id is not None:
        return redirect("duplicates:compare", candidate_id=found.candidate_id)
    return redirect("guests:detail", guest_id=found.master_id)
