"""API of setting up the archive: the first scheme, the template of numbers, folder
capacities; nested in the records router."""

from typing import Annotated, Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from dossier.records.api import ErrorOut, _error, _require
from dossier.records.errors import RecordsError
from dossier.records.models import NumberTemplate
from dossier.records.numbering import class_capacity_set, template_choose
from dossier.records.scheme import scheme_start
from dossier.records.selectors import scheme_current
from dossier.records.services import template_default
from dossier.web.http import request_actor
from dossier.web.selectors import viewer_property

router = Router(tags=["records"])


class TemplateOut(Schema):
    name: str
    pattern: str
    fonds_code: str
    category_code: str


def _template_out(template: NumberTemplate) -> dict[str, Any]:
    return {
        "name": template.name,
        "pattern": template.pattern,
        "fonds_code": template.fonds_code,
        "category_code": template.category_code,
    }


@router.get("/numbering", response=TemplateOut, summary="The template of new numbers")
def template_api(request: HttpRequest) -> dict[str, Any]:
    _require(request, "records.view_case")
    return _template_out(template_default(viewer_property(request.user)))


class TemplateIn(Schema):
    preset: str
    fonds_code: Annotated[str, Field(max_length=16)] = ""
    category_code: Annotated[str, Field(max_length=16)] = "WS"


@router.post(
    "/numbering",
    response={200: TemplateOut, 422: ErrorOut},
    summary="Number new cases by a preset: default or dat22 (DA/T 22, with fonds code)",
)
def template_choose_api(request: HttpRequest, payload: TemplateIn) -> Any:
    _require(request, "records.file_case")
    try:
        chosen = template_choose(
            actor=request_actor(request),
            prop=viewer_property(request.user),
            preset=payload.preset,
            fonds_code=payload.fonds_code,
            category_code=payload.category_code,
        )
    except RecordsError as error:
        return _error(error)
    return Status(200, _template_out(chosen))


class CapacityIn(Schema):
    folder_capacity: int


class CapacityOut(Schema):
    class_code: str
    folder_capacity: int


@router.post(
    "/classes/{class_code}/capacity",
    response={200: CapacityOut, 422: ErrorOut},
    summary="How many cases a folder of the class holds",
)
def capacity_api(request: HttpRequest, class_code: str, payload: CapacityIn) -> Any:
    _require(request, "records.file_case")
    version = scheme_current(viewer_property(request.user))
    klass = (
        version.classes.filter(full_code=class_code, retired=False).first()
        if version
        else None
    )
    if klass is None:
        raise Http404
    try:
        klass = class_capacity_set(
            actor=request_actor(request),
            archive_class=klass,
            folder_capacity=payload.folder_capacity,
        )
    except RecordsError as error:
        return _error(error)
    return Status(
        200, {"class_code": klass.full_code, "folder_capacity": klass.folder_capacity}
    )


class SchemeStartIn(Schema):
    source: str
    name: Annotated[str, Field(max_length=300)] = ""


class SchemeOut(Schema):
    id: int
    number: int
    name: str


@router.post(
    "/scheme",
    response={201: SchemeOut, 422: ErrorOut},
    summary="Start the scheme: the published sample (published) or an empty one (empty)",
)
def scheme_start_api(request: HttpRequest, payload: SchemeStartIn) -> Any:
    _require(request, "records.file_case")
    try:
        version = scheme_start(
            actor=request_actor(request),
            prop=viewer_property(request.user),
            source=payload.source,
            name=payload.name,
        )
    except RecordsError as error:
        return _error(error)
    return Status(
        201, {"id": version.pk, "number": version.number, "name": version.name}
    )
