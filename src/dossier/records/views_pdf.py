"""Downloads of the printable PDFs: catalogue, contents, spines, code table, register,
return slips."""

from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse

from dossier.records import printing
from dossier.web.selectors import viewer_property

VIEW = "records.view_case"


def _attachment(document: printing.Document) -> HttpResponse:
    response = HttpResponse(document.content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{document.ascii_name}"; '
        f"filename*=UTF-8''{document.quoted_name}"
    )
    return response


def _or_404(document: printing.Document | None) -> HttpResponse:
    if document is None:
        raise Http404
    return _attachment(document)


@permission_required(VIEW, raise_exception=True)
def catalogue(request: HttpRequest) -> HttpResponse:
    prop = viewer_property(request.user)
    return _attachment(
        printing.catalogue(
            prop,
            viewer=request.user,
            query=request.GET.get("q", "").strip(),
            status=request.GET.get("status", ""),
        )
    )


@permission_required(VIEW, raise_exception=True)
def folder_contents(request: HttpRequest, folder_id: int) -> HttpResponse:
    return _or_404(
        printing.folder_contents(
            viewer_property(request.user), folder_id, viewer=request.user
        )
    )


@permission_required(VIEW, raise_exception=True)
def spines(request: HttpRequest) -> HttpResponse:
    ids = [int(v) for v in request.GET.getlist("folder") if v.isdigit()]
    return _attachment(
        printing.spines(viewer_property(request.user), ids or None, viewer=request.user)
    )


@permission_required(VIEW, raise_exception=True)
def codes(request: HttpRequest) -> HttpResponse:
    return _or_404(printing.codes(viewer_property(request.user)))


@permission_required(VIEW, raise_exception=True)
def register(request: HttpRequest, register_id: int) -> HttpResponse:
    return _or_404(
        printing.register(
            viewer_property(request.user), register_id, viewer=request.user
        )
    )


@permission_required(VIEW, raise_exception=True)
def return_slip(request: HttpRequest, case_id: int, slip_id: int) -> HttpResponse:
    return _or_404(
        printing.return_slip(
            viewer_property(request.user), case_id, slip_id, viewer=request.user
        )
    )
