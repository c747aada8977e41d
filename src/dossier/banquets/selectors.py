"""Reading banquet menus and what the archive says about the next one.

A new menu is drafted against the evidence of earlier ones: each dish's evaluations on
the menus of the same guest or company and the ratings of the guest's dining bills.
A dish whose latest evidence is "liked" is proposed; one whose latest evidence is
"disliked" or "left over" is flagged, with every piece of evidence shown; a dish whose
name or declared ingredients contain something the guest is allergic to or avoids is
flagged whatever its ratings.
"""

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from dossier.banquets.models import BanquetMenu, DishIngredients, MenuDish
from dossier.guests.models import Company, Guest, GuestPreference, Observation
from dossier.guests.selectors import guests_visible
from dossier.history.models import BillLine, Dish, DishRating

Owner = Guest | Company
NEGATIVE = (DishRating.DISLIKED, DishRating.LEFT_OVER)
TERM_SEPARATORS = re.compile(r"[,，、;；/\s]+|以及|和|及|与")
# "对花生过敏", "花生过敏", "忌牛肉", "不吃香菜", "忌口：羊肉"
TEXT_PATTERNS = (
    re.compile(r"对([^，。,；;\s]{1,12}?)(?:严重)?过敏"),
    re.compile(r"(?:^|[，。,；;、\s])([^，。,；;、\s对]{1,6})过敏"),
    re.compile(r"(?:忌口|忌食|忌)[:：]?([^，。,；;\s]{1,20})"),
    re.compile(r"不(?:吃|能吃|食)([^，。,；;\s]{1,20})"),
)
TERM_NOISE = ("对", "过敏", "严重", "轻微", "忌口", "忌食", "不吃", "不能吃")


@dataclass
class Evidence:
    """One judgement of a dish: on a banquet menu or a dining bill."""

    on: date
    rating: str
    source: str
    occasion: str = ""
    note: str = ""

    @property
    def rating_label(self) -> str:
        return str(DishRating(self.rating).label)


@dataclass
class Clash:
    term: str
    source: str

    def __str__(self) -> str:
        return f"{self.source}：{self.term}"


@dataclass
class DishVerdict:
    """What the archive says of one dish for this guest or company."""

    dish: Dish
    evidence: list[Evidence] = field(default_factory=list)
    clashes: list[Clash] = field(default_factory=list)

    @property
    def latest(self) -> Evidence | None:
        return self.evidence[0] if self.evidence else None

    @property
    def pleased(self) -> bool:
        latest = self.latest
        return latest is not None and latest.rating == DishRating.LIKED

    @property
    def displeased(self) -> bool:
        latest = self.latest
        return latest is not None and latest.rating in NEGATIVE

    @property
    def negative_evidence(self) -> list[Evidence]:
        return [e for e in self.evidence if e.rating in NEGATIVE]

    @property
    def flagged(self) -> bool:
        return self.displeased or bool(self.clashes)


@dataclass
class Proposals:
    proposed: list[DishVerdict]
    flagged: list[DishVerdict]
    taboos: list[Clash]


def menus_visible(viewer: User | AnonymousUser) -> QuerySet[BanquetMenu]:
    """Menus of the viewer's property whose guest (or company) the viewer may see."""
    menus = BanquetMenu.objects.select_related("guest", "company", "outlet")
    staff = getattr(viewer, "staff", None)
    if staff is not None and staff.property_id and not viewer.is_superuser:
        menus = menus.filter(property_id=staff.property_id)
    visible = guests_visible(viewer).values("pk")
    return menus.filter(Q(company__isnull=False) | Q(guest__in=visible))


def menus_of(owner: Owner) -> QuerySet[BanquetMenu]:
    if isinstance(owner, Guest):
        menus = BanquetMenu.objects.filter(guest=owner)
    else:
        menus = BanquetMenu.objects.filter(company=owner)
    return menus.select_related("outlet").order_by("-event_date", "-id")


def menu_lines(menu: BanquetMenu) -> list[MenuDish]:
    return list(menu.dishes.select_related("dish", "dish__ingredients", "evaluated_by"))


def _people(owner: Owner) -> list[Guest]:
    """Whose taboos and dining history count: the guest, or a company's contacts."""
    if isinstance(owner, Guest):
        return [owner]
    return list(owner.contacts.all())


def terms_parse(text: str) -> list[str]:
    """The foods named in a taboo: "对花生、虾过敏" gives 花生 and 虾."""
    found: list[str] = []
    for pattern in TEXT_PATTERNS:
        for match in pattern.finditer(text):
            found += _split_terms(match.group(1))
    return list(dict.fromkeys(found))


def _split_terms(text: str) -> list[str]:
    terms = []
    for part in TERM_SEPARATORS.split(text):
        for noise in TERM_NOISE:
            part = part.replace(noise, "")
        part = part.strip("：:。. ")
        if part and part not in ("无", "没有", "暂无"):
            terms.append(part)
    return terms


def taboos_of(owner: Owner) -> list[Clash]:
    """Allergies and taboos from alert preferences and staff observations."""
    people = _people(owner)
    names = {p.pk: p.full_name for p in people}
    several = isinstance(owner, Company)
    clashes: list[Clash] = []
    prefs = GuestPreference.objects.filter(
        guest__in=people, item__is_alert=True
    ).select_related("item")
    for pref in prefs:
        source = str(pref.item.name)
        if several:
            source = f"{names[pref.guest_id]} · {source}"
        text = pref.display_value()
        terms = terms_parse(text) or _split_terms(text)
        clashes += [Clash(term, source) for term in terms]
    notes = Observation.objects.filter(guest__in=people).exclude(status="rejected")
    for note in notes.only("guest_id", "text", "observed_at"):
        source = _("客史信息 %(observed_at)s") % {
            "observed_at": f"{note.observed_at:%Y-%m-%d}"
        }
        if several:
            source = f"{names[note.guest_id]} · {source}"
        clashes += [Clash(term, source) for term in terms_parse(note.text)]
    unique: dict[str, Clash] = {}
    for clash in clashes:
        unique.setdefault(clash.term, clash)
    return list(unique.values())


def _clashes(dish: Dish, tags: Iterable[str], taboos: list[Clash]) -> list[Clash]:
    words = [dish.name, *tags]
    return [
        t
        for t in taboos
        if any(t.term in w or (w and w in t.term and len(w) > 1) for w in words)
    ]


def _evidence(owner: Owner, exclude: BanquetMenu | None) -> dict[int, list[Evidence]]:
    by_dish: dict[int, list[Evidence]] = defaultdict(list)
    lines = MenuDish.objects.exclude(evaluation="").select_related("menu")
    lines = lines.filter(menu__in=menus_of(owner))
    if exclude is not None:
        lines = lines.exclude(menu=exclude)
    for line in lines:
        by_dish[line.dish_id].append(
            Evidence(
                on=line.menu.event_date,
                rating=line.evaluation,
                source="宴会菜单",
                occasion=line.menu.occasion,
                note=line.evaluation_note,
            )
        )
    tz = owner.property.zone
    bill_lines = (
        BillLine.objects.filter(bill__guest__in=_people(owner), bill__status="settled")
        .exclude(rating="")
        .select_related("bill__outlet")
    )
    for bill_line in bill_lines:
        by_dish[bill_line.dish_id].append(
            Evidence(
                on=bill_line.bill.opened_at.astimezone(tz).date(),
                rating=bill_line.rating,
                source=_("餐饮账单 %(name)s") % {"name": bill_line.bill.outlet.name},
                note=bill_line.rating_note,
            )
        )
    for items in by_dish.values():
        items.sort(key=lambda e: e.on, reverse=True)
    return by_dish


def dish_verdicts(
    owner: Owner,
    dish_ids: Iterable[int] | None = None,
    *,
    exclude: BanquetMenu | None = None,
    taboos: list[Clash] | None = None,
) -> dict[int, DishVerdict]:
    """The verdict on every dish with evidence (or on ``dish_ids``) for ``owner``."""
    evidence = _evidence(owner, exclude)
    wanted = set(evidence) | set(dish_ids or ())
    dishes = Dish.objects.filter(pk__in=wanted, property=owner.property)
    tags = dict(
        DishIngredients.objects.filter(dish__in=dishes).values_list("dish_id", "tags")
    )
    if taboos is None:
        taboos = taboos_of(owner)
    return {
        dish.pk: DishVerdict(
            dish=dish,
            evidence=evidence.get(dish.pk, []),
            clashes=_clashes(dish, tags.get(dish.pk, []), taboos),
        )
        for dish in dishes
    }


def menu_proposals(owner: Owner, *, menu: BanquetMenu | None = None) -> Proposals:
    """Dishes to repeat (most recently liked first) and dishes to avoid, with why.

    The dishes already on ``menu`` are judged too, but not on the evidence of
    ``menu`` itself.
    """
    on_menu = list(menu.dishes.values_list("dish_id", flat=True)) if menu else []
    taboos = taboos_of(owner)
    verdicts = dish_verdicts(owner, on_menu, exclude=menu, taboos=taboos).values()
    proposed = [v for v in verdicts if v.pleased and not v.clashes]
    proposed.sort(
        key=lambda v: (v.latest.on if v.latest else date.min, v.dish.name), reverse=True
    )
    flagged = [v for v in verdicts if v.flagged]
    flagged.sort(key=lambda v: v.dish.name)
    return Proposals(proposed=proposed, flagged=flagged, taboos=taboos)
