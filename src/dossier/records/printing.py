"""Which rows each printable PDF shows, scoped to the viewer's property, and its name.

The web downloads and the API both call these, so a PDF looks the same from either door.
"""

from dataclasses import dataclass
from urllib.parse import quote

from dossier.core.models import Property
from dossier.records import pdf
from dossier.records.access import Viewer
from dossier.records.models import Folder
from dossier.records.selectors import (
    CATALOGUE_STATUSES,
    case_for,
    cases_list,
    code_table,
    folders_of,
    register_entries,
    registers_of,
    scheme_current,
)
from dossier.records.selectors import (
    folder_contents as contents_of,
)


@dataclass(frozen=True)
class Document:
    """A finished PDF with a Chinese file name and its ASCII stand-in."""

    name: str
    ascii_name: str
    content: bytes

    @property
    def quoted_name(self) -> str:
        return quote(self.name)


def catalogue(
    prop: Property, *, viewer: Viewer, query: str = "", status: str = ""
) -> Document:
    # The printed catalogue lists filed cases only, whatever the list was showing.
    if status not in CATALOGUE_STATUSES:
        status = ""
    cases = list(cases_list(prop, viewer=viewer, query=query, status=status))
    return Document("案卷目录.pdf", "catalogue.pdf", pdf.catalogue_pdf(prop, cases))


def _folder(prop: Property, folder_id: int, viewer: Viewer) -> Folder | None:
    return (
        folders_of(prop, viewer=viewer)
        .select_related("archive_class__version__property")
        .filter(pk=folder_id)
        .first()
    )


def folder_contents(
    prop: Property, folder_id: int, *, viewer: Viewer
) -> Document | None:
    folder = _folder(prop, folder_id, viewer)
    if folder is None:
        return None
    cases = list(contents_of(folder))
    code = folder.archive_class.full_code
    return Document(
        f"目次表-{code}-第{folder.volume}卷.pdf",
        f"contents-{code}-{folder.volume}.pdf",
        pdf.folder_contents_pdf(folder, cases),
    )


def spines(
    prop: Property, folder_ids: list[int] | None = None, *, viewer: Viewer
) -> Document:
    """Spine labels of the given folders of ``prop``, or of all it shows ``viewer``."""
    folders = folders_of(prop, viewer=viewer).select_related(
        "archive_class__version__property"
    )
    if folder_ids is not None:
        folders = folders.filter(pk__in=folder_ids)
    labels = [
        pdf.spine_label(folder, list(contents_of(folder).filter(belongs_to=None)))
        for folder in folders
    ]
    return Document("背脊标签.pdf", "spines.pdf", pdf.spine_labels_pdf(prop, labels))


def codes(prop: Property) -> Document | None:
    version = scheme_current(prop)
    if version is None:
        return None
    return Document(
        f"档案分类编号表-第{version.number}版.pdf",
        f"codes-v{version.number}.pdf",
        pdf.code_table_pdf(version, code_table(version)),
    )


def register(prop: Property, register_id: int, *, viewer: Viewer) -> Document | None:
    found = (
        registers_of(prop)
        .select_related("property", "proposed_by", "approved_by", "executed_by")
        .filter(pk=register_id)
        .first()
    )
    if found is None:
        return None
    entries = list(register_entries(found, viewer=viewer))
    return Document(
        f"销毁清册-第{found.pk}号.pdf",
        f"register-{found.pk}.pdf",
        pdf.register_pdf(found, entries),
    )


def return_slip(
    prop: Property, case_id: int, slip_id: int, *, viewer: Viewer
) -> Document | None:
    """The return slip of a case ``viewer`` may see, or None."""
    case = case_for(prop, case_id, viewer=viewer)
    if case is None:
        return None
    slip = (
        case.slips.select_related("case__property", "intake_check__checked_by")
        .filter(pk=slip_id)
        .first()
    )
    if slip is None:
        return None
    return Document(
        f"退件单-{slip.department}-{slip.pk}.pdf",
        f"return-slip-{slip.pk}.pdf",
        pdf.return_slip_pdf(slip),
    )
