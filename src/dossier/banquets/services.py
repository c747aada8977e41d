"""Every change to a banquet menu goes through one function here.

Each function validates, writes and records the audit row in one transaction; the web
views and the API call them.
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from dossier.banquets.errors import BanquetError
from dossier.banquets.models import BanquetMenu, DishIngredients, MenuDish
from dossier.core.audit import AuditAction, audit
from dossier.core.models import Property
from dossier.core.money import to_money
from dossier.guests.models import Company, Guest
from dossier.history.models import Dish, DishRating, Outlet

MAX_TABLES = 500
MAX_COVERS = 10_000
TAG_SEPARATORS = re.compile(r"[,，、;；/\s]+")


@dataclass
class MenuInput:
    """What a form or an API call gives to draft or change a menu."""

    event_date: date
    occasion: str
    tables: int = 1
    covers: int = 0
    price_per_table: Decimal | str | None = None
    outlet: Outlet | None = None
    notes: str = ""


def tags_parse(text: str | list[str]) -> list[str]:
    """Ingredient tags from "花生、虾，芝麻" or a list: trimmed, once each, in order."""
    parts = TAG_SEPARATORS.split(text) if isinstance(text, str) else text
    tags: list[str] = []
    for part in parts:
        tag = part.strip()
        if len(tag) > 20:
            raise BanquetError(
                _("配料“%(tag)s…”过长（最多 20 字）") % {"tag": tag[:20]},
                field="ingredients",
            )
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def _check(data: MenuInput, property: Property) -> Decimal | None:
    if not data.occasion.strip():
        raise BanquetError(_("请填写宴会主题（如寿宴、商务宴请）"), field="occasion")
    if len(data.occasion.strip()) > 100:
        raise BanquetError(_("宴会主题最多 100 字"), field="occasion")
    if not 1 <= data.tables <= MAX_TABLES:
        raise BanquetError(
            _("应在 1 到 %(max_tables)s 之间") % {"max_tables": MAX_TABLES},
            field="tables",
        )
    if not 0 <= data.covers <= MAX_COVERS:
        raise BanquetError(
            _("应在 0 到 %(max_covers)s 之间") % {"max_covers": MAX_COVERS},
            field="covers",
        )
    if data.outlet is not None and data.outlet.property_id != property.pk:
        raise BanquetError(_("该餐厅不属于本店"), field="outlet")
    if data.price_per_table in (None, ""):
        return None
    try:
        price = to_money(data.price_per_table)
    except (TypeError, ValueError):
        raise BanquetError(
            _("每桌价格“%(price_per_table)s”不是有效金额（元，最多两位小数）")
            % {"price_per_table": data.price_per_table},
            field="price_per_table",
        ) from None
    if price < 0:
        raise BanquetError(_("每桌价格不能为负数"), field="price_per_table")
    return price


def _fill(menu: BanquetMenu, data: MenuInput, price: Decimal | None) -> None:
    menu.event_date = data.event_date
    menu.occasion = data.occasion.strip()
    menu.tables = data.tables
    menu.covers = data.covers
    menu.price_per_table = price
    menu.outlet = data.outlet
    menu.notes = data.notes.strip()


@transaction.atomic
def menu_create(
    *,
    actor: User,
    guest: Guest | None = None,
    company: Company | None = None,
    data: MenuInput,
) -> BanquetMenu:
    """Draft a menu for ``guest`` or ``company`` (exactly one of them)."""
    if (guest is None) == (company is None):
        raise BanquetError(_("菜单须归入一位客人或一个单位的档案"), field="owner")
    owner = guest or company
    assert owner is not None
    price = _check(data, owner.property)
    menu = BanquetMenu(
        property=owner.property, guest=guest, company=company, created_by=actor
    )
    _fill(menu, data, price)
    menu.save()
    audit(actor=actor, action=AuditAction.BANQUET_MENU_CREATED, obj=menu)
    return menu


@transaction.atomic
def menu_update(*, actor: User, menu: BanquetMenu, data: MenuInput) -> BanquetMenu:
    """Change the event details of a menu."""
    menu = BanquetMenu.objects.select_for_update().get(pk=menu.pk)
    price = _check(data, menu.property)
    _fill(menu, data, price)
    menu.save()
    audit(actor=actor, action=AuditAction.BANQUET_MENU_CHANGED, obj=menu)
    return menu


def _dish_for(property: Property, name: str) -> Dish:
    name = " ".join(name.split())
    if not name:
        raise BanquetError(_("请填写菜名"), field="dish")
    if len(name) > 100:
        raise BanquetError(_("菜名最多 100 字"), field="dish")
    dish, _x = Dish.objects.get_or_create(property=property, name=name)
    return dish


@transaction.atomic
def menu_dish_add(
    *,
    actor: User,
    menu: BanquetMenu,
    name: str,
    ingredients: str | list[str] | None = None,
) -> MenuDish:
    """Put a dish on ``menu`` by name; a dish not yet in the dish list is added to it.

    ``ingredients``, when given, replaces the ingredient tags the dish declares.
    """
    tags = tags_parse(ingredients) if ingredients is not None else None
    dish = _dish_for(menu.property, name)
    if menu.dishes.filter(dish=dish).exists():
        raise BanquetError(
            _("“%(name)s”已在菜单上") % {"name": dish.name}, field="dish"
        )
    if tags is not None:
        DishIngredients.objects.update_or_create(dish=dish, defaults={"tags": tags})
    last = menu.dishes.aggregate(last=Max("position"))["last"]
    try:
        with transaction.atomic():
            line = MenuDish.objects.create(
                menu=menu, dish=dish, position=(last or 0) + 1
            )
    except IntegrityError:
        raise BanquetError(
            _("“%(name)s”已在菜单上") % {"name": dish.name}, field="dish"
        ) from None
    audit(
        actor=actor,
        action=AuditAction.BANQUET_MENU_CHANGED,
        obj=menu,
        added=dish.name,
    )
    return line


@transaction.atomic
def menu_dish_remove(*, actor: User, line: MenuDish) -> None:
    """Take a dish off its menu; an evaluated dish stays, being evidence."""
    line = (
        MenuDish.objects.select_for_update()
        .select_related("menu", "dish")
        .get(pk=line.pk)
    )
    if line.evaluation:
        raise BanquetError(_("已评价的菜品不能移除"), field="dish")
    menu = line.menu
    name = line.dish.name
    line.delete()
    audit(
        actor=actor,
        action=AuditAction.BANQUET_MENU_CHANGED,
        obj=menu,
        removed=name,
    )


@transaction.atomic
def dish_evaluate(
    *, actor: User, line: MenuDish, evaluation: str, note: str = ""
) -> MenuDish:
    """Record how a dish was received after the event: by whom and when."""
    if evaluation not in DishRating.values or not evaluation:
        raise BanquetError(
            _("评价“%(evaluation)s”无效，应为喜欢、不喜欢或剩余较多")
            % {"evaluation": evaluation},
            field="evaluation",
        )
    if len(note.strip()) > 200:
        raise BanquetError(_("评价说明最多 200 字"), field="note")
    line = (
        MenuDish.objects.select_for_update()
        .select_related("menu", "dish")
        .get(pk=line.pk)
    )
    if line.menu.event_date > line.menu.property.today():
        raise BanquetError(_("宴会尚未举行，不能评价菜品"), field="evaluation")
    before = line.evaluation
    line.evaluation = evaluation
    line.evaluation_note = note.strip()
    line.evaluated_by = actor
    line.evaluated_at = timezone.now()
    line.save()
    audit(
        actor=actor,
        action=AuditAction.BANQUET_DISH_EVALUATED,
        obj=line,
        dish=line.dish.name,
        before=before,
        after=evaluation,
    )
    return line
