"""Guest endpoints: look-up, the profile card, create and read."""

from datetime import date
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from dossier.api.types import Money
from dossier.core.audit import AuditAction, audit
from dossier.guests.selectors import card_viewer, guest_cards
from dossier.guests.services import GuestInput, IdentityInput, guest_create
from dossier.search.selectors import lookup_rows, query_notice
from dossier.web.selectors import viewer_property

router = Router(tags=["guests"])

# The look-up box shows a short list of the best hits; a longer one is a search.
LookupLimit = Annotated[int, Field(ge=1, le=50)]


@router.get("/{guest_id}/card", summary="Profile card")
def card(request: HttpRequest, guest_id: int) -> dict[str, Any]:
    if not request.user.has_perm("guests.view_guest"):
        raise PermissionError
    viewer = card_viewer(request.user)
    found = guest_cards([guest_id], viewer=viewer, visible_to=request.user)
    if not found:
        raise Http404
    return found[0]


@router.get("/lookup", summary="Look up guests by phone, ID, name, pinyin, room, card")
def lookup(request: HttpRequest, q: str, limit: LookupLimit = 10) -> dict[str, Any]:
    if not request.user.has_perm("guests.view_guest"):
        raise PermissionError
    prop = viewer_property(request.user)
    rows = lookup_rows(property_id=prop.pk, query=q, viewer=request.user, limit=limit)
    return {"matches": rows, "notice": query_notice(q)}


class GuestIn(Schema):
    full_name: str = Field(max_length=100)
    surname: str | None = Field(None, max_length=40)
    gender: str = ""
    birth_date: date | None = None
    title: str = Field("", max_length=100)
    employer: str = Field("", max_length=200)
    email: str = Field("", max_length=254)
    mobile: list[Annotated[str, Field(max_length=40)]] = []
    id_number: str | None = Field(None, max_length=40)
    id_type: str = "resident_id"
    notes: str = ""
    usual_rate: Money | None = None


class GuestOut(Schema):
    id: int
    full_name: str
    honorific: str


@router.post("", response={201: GuestOut}, summary="Create a guest")
def create(request: HttpRequest, payload: GuestIn) -> Status[dict[str, Any]]:
    if not request.user.has_perm("guests.add_guest"):
        raise PermissionError
    fields = payload.dict(
        include={
            "full_name",
            "gender",
            "birth_date",
            "title",
            "employer",
            "email",
            "notes",
            "usual_rate",
        },
        exclude_none=True,
    )
    documents = (
        [IdentityInput(number=payload.id_number, doc_type=payload.id_type)]
        if payload.id_number
        else []
    )
    guest = guest_create(
        actor=request.user,
        property=viewer_property(request.user),
        data=GuestInput(
            fields=fields,
            surname=payload.surname,
            phones=payload.mobile,
            documents=documents,
        ),
        source="api",
    )
    audit(actor=request.user, action=AuditAction.GUEST_CREATED, obj=guest, via="api")
    card = guest_cards([guest.pk], viewer=card_viewer(request.user))[0]
    return Status(
        201,
        {"id": guest.pk, "full_name": guest.full_name, "honorific": card["honorific"]},
    )
