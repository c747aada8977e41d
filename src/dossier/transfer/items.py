"""The items that can be sent, how each is found for a user, and how it is shown.

Visibility is asked of the item's own app every time: the archive's class ranges
for cases and attachments, the guest app's property scope and permission for cards.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext as _

from dossier.guests.models import Guest
from dossier.guests.selectors import guests_visible
from dossier.records.access import cases_visible
from dossier.records.models import Attachment, Case
from dossier.transfer.models import ItemKind, Transfer
from dossier.web.selectors import viewer_property

Viewer = User | AnonymousUser
VIEW_GUEST = "guests.view_guest"


def item_find(viewer: Viewer, kind: str, item_id: int) -> models.Model | None:
    """The item of ``kind`` and ``item_id`` if ``viewer`` may see it, else None."""
    prop = viewer_property(viewer)
    if kind == ItemKind.CASE:
        return cases_visible(viewer, prop).filter(pk=item_id).first()
    if kind == ItemKind.ATTACHMENT:
        return (
            Attachment.objects.select_related("case")
            .filter(
                pk=item_id,
                destroyed_at__isnull=True,
                case__in=cases_visible(viewer, prop),
            )
            .first()
        )
    if kind == ItemKind.GUEST:
        if not viewer.has_perm(VIEW_GUEST):
            return None
        return guests_visible(viewer).filter(pk=item_id).first()
    return None


def item_id_of(transfer: Transfer) -> int:
    return int(transfer.case_id or transfer.attachment_id or transfer.guest_id or 0)


@dataclass(frozen=True)
class ItemView:
    """What an inbox shows of an item: its label and link, or only that it is there."""

    kind: str
    available: bool
    label: str = ""
    url: str = ""


def item_view(viewer: Viewer, transfer: Transfer) -> ItemView:
    """The item of ``transfer`` as ``viewer`` may see it now; no title otherwise."""
    item = item_find(viewer, transfer.kind, item_id_of(transfer))
    if item is None:
        return ItemView(kind=transfer.kind, available=False)
    return ItemView(
        kind=transfer.kind, available=True, label=item_label(item), url=item_url(item)
    )


def items_view(viewer: Viewer, transfers: list[Transfer]) -> list[ItemView]:
    """:func:`item_view` of many transfers with one query per kind of item."""
    wanted: dict[str, set[int]] = {}
    for transfer in transfers:
        wanted.setdefault(transfer.kind, set()).add(item_id_of(transfer))
    found: dict[tuple[str, int], models.Model] = {}
    for kind, ids in wanted.items():
        for visible in _visible(viewer, kind, ids):
            found[(kind, visible.pk)] = visible
    views = []
    for transfer in transfers:
        item = found.get((transfer.kind, item_id_of(transfer)))
        if item is None:
            views.append(ItemView(kind=transfer.kind, available=False))
        else:
            views.append(
                ItemView(
                    kind=transfer.kind,
                    available=True,
                    label=item_label(item),
                    url=item_url(item),
                )
            )
    return views


def _visible(viewer: Viewer, kind: str, ids: set[int]) -> list[models.Model]:
    prop = viewer_property(viewer)
    if kind == ItemKind.CASE:
        return list(cases_visible(viewer, prop).filter(pk__in=ids))
    if kind == ItemKind.ATTACHMENT:
        return list(
            Attachment.objects.select_related("case")
            .defer("text")
            .filter(
                pk__in=ids,
                destroyed_at__isnull=True,
                case__in=cases_visible(viewer, prop),
            )
        )
    if kind == ItemKind.GUEST and viewer.has_perm(VIEW_GUEST):
        return list(guests_visible(viewer).filter(pk__in=ids))
    return []


def item_label(item: models.Model) -> str:
    if isinstance(item, Case):
        return f"{item.archive_number or '—'} {item.title}"
    if isinstance(item, Attachment):
        return _("%(name)s（案件 %(number)s）") % {
            "name": item.name,
            "number": item.case.archive_number or item.case.title,
        }
    if isinstance(item, Guest):
        return item.full_name
    return str(item)


def item_url(item: models.Model) -> str:
    if isinstance(item, Case):
        return reverse("records:case_detail", args=[item.pk])
    if isinstance(item, Attachment):
        return reverse("records:attachment_preview", args=[item.case_id, item.pk])
    if isinstance(item, Guest):
        return reverse("guests:detail", args=[item.pk])
    return ""
