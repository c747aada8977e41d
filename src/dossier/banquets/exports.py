"""Export table of a guest's or company's banquets: one row per dish with its verdict."""

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from dossier.banquets.models import BanquetMenu
from dossier.core.exports import Column, Kind, Table


def menus_table(owner_name: str, menus: Iterable[BanquetMenu]) -> Table:
    """Each menu's dishes in order with the evaluation; a menu without dishes is one row."""
    columns = [
        Column(_("宴会日期"), Kind.DATE),
        Column(_("宴会主题")),
        Column(_("营业点")),
        Column(_("桌数"), Kind.INTEGER),
        Column(_("人数"), Kind.INTEGER),
        Column(_("菜品")),
        Column(_("评价")),
        Column(_("评价说明")),
    ]
    rows: list[list[Any]] = []
    for menu in menus:
        head = [menu.event_date, menu.occasion, str(menu.outlet or ""), menu.tables,
                menu.covers]  # fmt: skip
        lines = sorted(menu.dishes.all(), key=lambda line: (line.position, line.pk))
        for line in lines:
            verdict = line.get_evaluation_display() if line.evaluation else ""
            rows.append([*head, line.dish.name, verdict, line.evaluation_note])
        if not lines:
            rows.append([*head, "", "", ""])
    return Table(_("宴会菜单 %(name)s") % {"name": owner_name}, columns, rows)
