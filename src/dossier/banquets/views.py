"""Banquet menu pages: a guest's or company's menus, one menu, its printable form."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dossier.banquets.errors import BanquetError
from dossier.banquets.exports import menus_table
from dossier.banquets.forms import DishAddForm, EvaluationForm, MenuForm
from dossier.banquets.models import BanquetMenu, MenuDish
from dossier.banquets.selectors import (
    Owner,
    dish_verdicts,
    menu_lines,
    menu_proposals,
    menus_of,
    menus_visible,
)
from dossier.banquets.services import (
    MenuInput,
    dish_evaluate,
    menu_create,
    menu_dish_add,
    menu_dish_remove,
    menu_update,
)
from dossier.core.exports import export_format, export_response
from dossier.guests.forms import add_guest_error
from dossier.guests.models import Company
from dossier.guests.selectors import guests_visible
from dossier.history.models import Dish
from dossier.web.http import request_actor
from dossier.web.selectors import viewer_property

VIEW = "banquets.view_banquetmenu"
ADD = "banquets.add_banquetmenu"
CHANGE = "banquets.change_banquetmenu"


def _owner(request: HttpRequest, kind: str, owner_id: int) -> Owner:
    if kind == "guest":
        guest = guests_visible(request.user).filter(pk=owner_id).first()
        if guest is None:
            raise Http404
        return guest
    if kind != "company":
        raise Http404
    prop = viewer_property(request.user)
    return get_object_or_404(Company, pk=owner_id, property=prop)


def _menu(request: HttpRequest, menu_id: int) -> BanquetMenu:
    menu = menus_visible(request.user).filter(pk=menu_id).first()
    if menu is None:
        raise Http404
    return menu


def _input(form: MenuForm) -> MenuInput:
    data = form.cleaned_data
    return MenuInput(
        event_date=data["event_date"],
        occasion=data["occasion"],
        tables=data["tables"],
        covers=data["covers"],
        price_per_table=data["price_per_table"] or None,
        outlet=data["outlet"],
        notes=data["notes"],
    )


def _owner_context(owner: Owner) -> dict[str, Any]:
    is_guest = not isinstance(owner, Company)
    return {"owner": owner, "owner_kind": "guest" if is_guest else "company"}


@permission_required(VIEW, raise_exception=True)
def owner_menus(request: HttpRequest, kind: str, owner_id: int) -> HttpResponseBase:
    owner = _owner(request, kind, owner_id)
    fmt = export_format(request.GET.get("export", ""))
    if fmt is not None:
        menus = menus_of(owner).prefetch_related("dishes__dish")
        name = owner.name if isinstance(owner, Company) else owner.full_name
        return export_response(table=menus_table(name, menus), fmt=fmt,
                               actor=request.user, what="banquets.menus",
                               owner=f"{kind}:{owner.pk}")  # fmt: skip
    form = MenuForm(request.POST or None, property=owner.property)
    if request.method == "POST":
        if not request.user.has_perm(ADD):
            raise PermissionDenied
        if form.is_valid():
            guest = None if isinstance(owner, Company) else owner
            company = owner if isinstance(owner, Company) else None
            try:
                menu = menu_create(
                    actor=request_actor(request),
                    guest=guest,
                    company=company,
                    data=_input(form),
                )
            except BanquetError as error:
                add_guest_error(form, error)
            else:
                messages.success(request, _("已建立宴会菜单，请添加菜品"))
                return redirect("banquets:menu", menu_id=menu.pk)
    context = {
        **_owner_context(owner),
        "menus": menus_of(owner).prefetch_related("dishes__dish"),
        "form": form,
        "proposals": menu_proposals(owner),
    }
    return render(request, "banquets/owner_menus.html", context)


def _menu_context(request: HttpRequest, menu: BanquetMenu) -> dict[str, Any]:
    owner: Owner = menu.guest or menu.company  # type: ignore[assignment]
    lines = menu_lines(menu)
    verdicts = dish_verdicts(owner, [line.dish_id for line in lines], exclude=menu)
    on_menu = {line.dish_id for line in lines}
    proposals = menu_proposals(owner, menu=menu)
    return {
        **_owner_context(owner),
        "menu": menu,
        "rows": [(line, verdicts.get(line.dish_id)) for line in lines],
        "proposals": [v for v in proposals.proposed if v.dish.pk not in on_menu],
        "flagged": [v for v in proposals.flagged if v.dish.pk not in on_menu],
        "taboos": proposals.taboos,
        "held": menu.event_date <= menu.property.today(),
        "dish_names": Dish.objects.filter(property=menu.property)
        .order_by("name")
        .values_list("name", flat=True)[:500],
        "evaluation_form": EvaluationForm(),
    }


@permission_required(VIEW, raise_exception=True)
def menu_detail(request: HttpRequest, menu_id: int) -> HttpResponse:
    menu = _menu(request, menu_id)
    form = DishAddForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm(CHANGE):
            raise PermissionDenied
        if form.is_valid():
            ingredients = form.cleaned_data["ingredients"].strip() or None
            try:
                line = menu_dish_add(
                    actor=request_actor(request),
                    menu=menu,
                    name=form.cleaned_data["name"],
                    ingredients=ingredients,
                )
            except BanquetError as error:
                form.add_error(
                    "name" if error.field == "dish" else "ingredients", error.message
                )
            else:
                messages.success(
                    request, _("已添加：%(dish)s") % {"dish": line.dish.name}
                )
                return redirect("banquets:menu", menu_id=menu.pk)
    context = {**_menu_context(request, menu), "form": form}
    return render(request, "banquets/menu.html", context)


@permission_required(CHANGE, raise_exception=True)
def menu_edit(request: HttpRequest, menu_id: int) -> HttpResponse:
    menu = _menu(request, menu_id)
    initial = {
        "event_date": menu.event_date,
        "occasion": menu.occasion,
        "outlet": menu.outlet,
        "tables": menu.tables,
        "covers": menu.covers,
        "price_per_table": menu.price_per_table or "",
        "notes": menu.notes,
    }
    form = MenuForm(request.POST or None, initial=initial, property=menu.property)
    if request.method == "POST" and form.is_valid():
        try:
            menu_update(actor=request_actor(request), menu=menu, data=_input(form))
        except BanquetError as error:
            add_guest_error(form, error)
        else:
            messages.success(request, _("已保存宴会信息"))
            return redirect("banquets:menu", menu_id=menu.pk)
    return render(request, "banquets/menu_form.html", {"menu": menu, "form": form})


def _line(request: HttpRequest, line_id: int) -> MenuDish:
    line = get_object_or_404(
        MenuDish.objects.select_related("menu", "dish"), pk=line_id
    )
    _menu(request, line.menu_id)
    return line


@require_POST
@permission_required(CHANGE, raise_exception=True)
def dish_remove(request: HttpRequest, line_id: int) -> HttpResponse:
    line = _line(request, line_id)
    try:
        menu_dish_remove(actor=request_actor(request), line=line)
    except BanquetError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已移除：%(dish)s") % {"dish": line.dish.name})
    return redirect("banquets:menu", menu_id=line.menu_id)


@require_POST
@permission_required(CHANGE, raise_exception=True)
def dish_evaluate_view(request: HttpRequest, line_id: int) -> HttpResponse:
    line = _line(request, line_id)
    form = EvaluationForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("“%(dish)s”的评价未保存：请选择喜欢、不喜欢或剩余较多")
            % {"dish": line.dish.name},
        )
        return redirect("banquets:menu", menu_id=line.menu_id)
    try:
        dish_evaluate(
            actor=request_actor(request),
            line=line,
            evaluation=form.cleaned_data["evaluation"],
            note=form.cleaned_data["note"],
        )
    except BanquetError as error:
        messages.error(request, f"{line.dish.name}：{error.message}")
    else:
        messages.success(
            request, _("已记录“%(dish)s”的评价") % {"dish": line.dish.name}
        )
    url = reverse("banquets:menu", kwargs={"menu_id": line.menu_id})
    return redirect(f"{url}#dish-{line.pk}")


@permission_required(VIEW, raise_exception=True)
def menu_print(request: HttpRequest, menu_id: int) -> HttpResponse:
    menu = _menu(request, menu_id)
    owner: Owner = menu.guest or menu.company  # type: ignore[assignment]
    context = {**_owner_context(owner), "menu": menu, "lines": menu_lines(menu)}
    return render(request, "banquets/print.html", context)
