"""API endpoints of banquets: menus of a guest or company, dishes, evaluations, proposals."""

from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import User
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from dossier.api.types import Money, PageLimit, PageOffset
from dossier.banquets.errors import BanquetError
from dossier.banquets.models import BanquetMenu, MenuDish
from dossier.banquets.selectors import (
    DishVerdict,
    Owner,
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
)
from dossier.guests.models import Company
from dossier.guests.selectors import guests_visible
from dossier.history.models import Outlet
from dossier.web.selectors import viewer_property

router = Router(tags=["banquets"])


def _allowed(request: HttpRequest, perm: str) -> User:
    user = request.user
    if not isinstance(user, User) or not user.has_perm(f"banquets.{perm}_banquetmenu"):
        raise PermissionError
    return user


def _owner(request: HttpRequest, guest_id: int | None, company_id: int | None) -> Owner:
    if guest_id is not None:
        guest = guests_visible(request.user).filter(pk=guest_id).first()
        if guest is None:
            raise Http404
        return guest
    if company_id is None:
        raise Http404
    return get_object_or_404(
        Company, pk=company_id, property=viewer_property(request.user)
    )


def _menu(request: HttpRequest, menu_id: int) -> BanquetMenu:
    menu = menus_visible(request.user).filter(pk=menu_id).first()
    if menu is None:
        raise Http404
    return menu


def _line(line: MenuDish) -> dict[str, Any]:
    ingredients = getattr(line.dish, "ingredients", None)
    return {
        "id": line.pk,
        "dish": line.dish.name,
        "ingredients": ingredients.tags if ingredients else [],
        "evaluation": line.evaluation,
        "note": line.evaluation_note,
        "evaluated_by": line.evaluated_by.get_username() if line.evaluated_by else None,
        "evaluated_at": line.evaluated_at,
    }


def _menu_out(menu: BanquetMenu) -> dict[str, Any]:
    return {
        "id": menu.pk,
        "guest_id": menu.guest_id,
        "company_id": menu.company_id,
        "event_date": menu.event_date,
        "occasion": menu.occasion,
        "outlet": menu.outlet.code if menu.outlet else None,
        "tables": menu.tables,
        "covers": menu.covers,
        "price_per_table": menu.price_per_table,
        "notes": menu.notes,
        "dishes": [_line(line) for line in menu_lines(menu)],
    }


def _verdict(v: DishVerdict) -> dict[str, Any]:
    return {
        "dish": v.dish.name,
        "evidence": [
            {
                "date": e.on,
                "rating": e.rating,
                "source": e.source,
                "occasion": e.occasion,
                "note": e.note,
            }
            for e in v.evidence
        ],
        "clashes": [{"term": c.term, "source": c.source} for c in v.clashes],
    }


class MenuIn(Schema):
    guest_id: int | None = None
    company_id: int | None = None
    event_date: date
    occasion: str = Field(max_length=100)
    outlet: str | None = None
    tables: int = Field(1, ge=1, le=500)
    covers: int = Field(0, ge=0, le=10_000)
    price_per_table: Money | None = None
    notes: str = ""


class DishIn(Schema):
    name: str = Field(max_length=100)
    ingredients: list[str] | None = None


class EvaluationIn(Schema):
    evaluation: str
    note: str = Field("", max_length=200)


class LineOut(Schema):
    id: int
    dish: str
    ingredients: list[str]
    evaluation: str
    note: str
    evaluated_by: str | None
    evaluated_at: datetime | None


class MenuOut(Schema):
    id: int
    guest_id: int | None
    company_id: int | None
    event_date: date
    occasion: str
    outlet: str | None
    tables: int
    covers: int
    price_per_table: Money | None
    notes: str
    dishes: list[LineOut]


@router.get(
    "/menus", summary="Banquet menus of a guest or company", response=list[MenuOut]
)
def menus(
    request: HttpRequest,
    guest_id: int | None = None,
    company_id: int | None = None,
    limit: PageLimit = 50,
    offset: PageOffset = 0,
) -> list[dict[str, Any]]:
    _allowed(request, "view")
    owner = _owner(request, guest_id, company_id)
    return [_menu_out(menu) for menu in menus_of(owner)[offset : offset + limit]]


@router.post("/menus", summary="Draft a banquet menu", response={201: MenuOut})
def menu_new(request: HttpRequest, payload: MenuIn) -> Status[dict[str, Any]]:
    actor = _allowed(request, "add")
    owner = _owner(request, payload.guest_id, payload.company_id)
    outlet = None
    if payload.outlet:
        outlet = Outlet.objects.filter(
            property=owner.property, code=payload.outlet
        ).first()
        if outlet is None:
            raise BanquetError(
                _("没有代码为“%(outlet)s”的餐厅") % {"outlet": payload.outlet},
                field="outlet",
            )
    menu = menu_create(
        actor=actor,
        guest=None if isinstance(owner, Company) else owner,
        company=owner if isinstance(owner, Company) else None,
        data=MenuInput(
            event_date=payload.event_date,
            occasion=payload.occasion,
            tables=payload.tables,
            covers=payload.covers,
            price_per_table=payload.price_per_table,
            outlet=outlet,
            notes=payload.notes,
        ),
    )
    return Status(201, _menu_out(menu))


@router.get("/menus/{menu_id}", summary="One banquet menu", response=MenuOut)
def menu_get(request: HttpRequest, menu_id: int) -> dict[str, Any]:
    _allowed(request, "view")
    return _menu_out(_menu(request, menu_id))


@router.post(
    "/menus/{menu_id}/dishes", summary="Add a dish by name", response={201: LineOut}
)
def dish_add(
    request: HttpRequest, menu_id: int, payload: DishIn
) -> Status[dict[str, Any]]:
    actor = _allowed(request, "change")
    menu = _menu(request, menu_id)
    line = menu_dish_add(
        actor=actor, menu=menu, name=payload.name, ingredients=payload.ingredients
    )
    return Status(201, _line(line))


@router.post(
    "/menus/{menu_id}/dishes/{line_id}/evaluation",
    summary="Evaluate a dish after the event",
    response=LineOut,
)
def evaluation(
    request: HttpRequest, menu_id: int, line_id: int, payload: EvaluationIn
) -> dict[str, Any]:
    actor = _allowed(request, "change")
    menu = _menu(request, menu_id)
    line = get_object_or_404(MenuDish, pk=line_id, menu=menu)
    line = dish_evaluate(
        actor=actor, line=line, evaluation=payload.evaluation, note=payload.note
    )
    return _line(line)


@router.get("/proposals", summary="Dishes to repeat and dishes to avoid")
def proposals(
    request: HttpRequest, guest_id: int | None = None, company_id: int | None = None
) -> dict[str, Any]:
    _allowed(request, "view")
    owner = _owner(request, guest_id, company_id)
    found = menu_proposals(owner)
    return {
        "proposed": [_verdict(v) for v in found.proposed],
        "flagged": [_verdict(v) for v in found.flagged],
        "taboos": [{"term": t.term, "source": t.source} for t in found.taboos],
    }
