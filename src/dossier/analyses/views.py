"""Analysis pages: a period, figures, charts and tables that export to xlsx and csv."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dossier.analyses.reports import AnalysisError, period_parse
from dossier.analyses.selectors import ANALYSES, analysis_run
from dossier.core.exports import export_format, export_response
from dossier.history.costs import CostRateError, cost_rate_set
from dossier.history.exports import cost_rates_table
from dossier.history.models import CostRate, Dish, Outlet
from dossier.web.http import request_actor
from dossier.web.selectors import viewer_property


@permission_required("history.view_spend", raise_exception=True)
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "analyses/index.html", {"analyses": ANALYSES.items()})


@permission_required("history.view_spend", raise_exception=True)
def analysis(request: HttpRequest, slug: str) -> HttpResponseBase:
    if slug not in ANALYSES:
        raise Http404
    prop = viewer_property(request.user)
    start, end = request.GET.get("start", ""), request.GET.get("end", "")
    try:
        period = period_parse(start, end, today=prop.today())
    except AnalysisError as error:
        context: dict[str, Any] = {"slug": slug, "title": ANALYSES[slug][0], "error": error,
                   "start": start, "end": end, "analyses": ANALYSES.items()}  # fmt: skip
        return render(request, "analyses/report.html", context, status=400)
    report = analysis_run(slug, prop, period)
    assert report is not None
    fmt = export_format(request.GET.get("export", ""))
    if fmt is not None:
        section = report.section(request.GET.get("section", ""))
        if section is None:
            raise Http404
        return export_response(
            table=section.table, fmt=fmt, actor=request.user,
            what=f"analyses.{slug}.{section.key}",
            start=period.start.isoformat(), end=period.end.isoformat(),
        )  # fmt: skip
    context = {"report": report, "slug": slug, "title": report.title,
               "start": period.start.isoformat(), "end": period.end.isoformat(),
               "analyses": ANALYSES.items()}  # fmt: skip
    return render(request, "analyses/report.html", context)


@permission_required("history.change_costrate", raise_exception=True)
def cost_rates(request: HttpRequest) -> HttpResponseBase:
    prop = viewer_property(request.user)
    outlets = Outlet.objects.filter(property=prop).order_by("kind", "name")
    error: CostRateError | None = None
    if request.method == "POST":
        outlet = outlets.filter(pk=request.POST.get("outlet") or 0).first()
        try:
            if outlet is None:
                raise CostRateError(_("请选择营业点"), field="outlet")
            cost_rate_set(
                actor=request_actor(request), property=prop, outlet=outlet,
                category=request.POST.get("category", ""),
                cost_percent=request.POST.get("cost_percent", ""),
                expense_percent=request.POST.get("expense_percent", ""),
            )  # fmt: skip
        except CostRateError as refused:
            error = refused
        else:
            messages.success(request, _("成本率已保存"))
            return redirect("analyses:cost_rates")
    rates = CostRate.objects.filter(property=prop).select_related("outlet")
    fmt = export_format(request.GET.get("export", ""))
    if fmt is not None and request.method == "GET":
        return export_response(
            table=cost_rates_table(rates.order_by("outlet__name", "category")),
            fmt=fmt,
            actor=request.user,
            what="history.cost_rates",
        )
    categories = (
        Dish.objects.filter(property=prop).exclude(category="")
        .values_list("category", flat=True).distinct().order_by("category")
    )  # fmt: skip
    context = {"outlets": outlets, "rates": rates.order_by("outlet__name", "category"),
               "categories": categories, "error": error, "posted": request.POST,
               "analyses": ANALYSES.items(), "slug": "cost_rates"}  # fmt: skip
    return render(
        request, "analyses/cost_rates.html", context, status=400 if error else 200
    )
