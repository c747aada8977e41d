"""What a requester must present to sign out a personnel file (提档), by situation.

The rules follow the archive's published procedure:

- the file leaves only against a transfer letter (调档函 or 商调函, the original) from a
  body with personnel authority: a party organisation department at county level or
  above, a government talent-exchange service, a receiving unit with personnel
  authority, or a talent centre or personnel agency;
- the employee in person shows the ID card and leaves a copy;
- a delegate also brings a power of attorney on which the employee's name is written
  by hand (not printed) and finger-printed, and copies of both ID cards;
- a party-membership transfer (组织关系转移) needs its own letter, the original and a
  copy: from the party branch, or from the school for a graduate;
- a graduate within the two-year job-seeking period (择业期) brings the registration
  card (报到证) or the unit's transfer letter; after the two years the graduate comes
  in person with the ID card only, and receives the registration card with the file.
  Graduates call two to three days ahead.

Pure functions, no database: the same rules drive the checklist on the page, the check
in the service and the API.
"""

import enum
from dataclasses import dataclass
from datetime import date

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

JOB_SEEKING_YEARS = 2


class Requester(enum.StrEnum):
    SELF = "self"
    DELEGATE = "delegate"


class GraduatePath(enum.StrEnum):
    NONE = "none"
    WITHIN = "within"
    BEYOND = "beyond"


class Document(enum.StrEnum):
    TRANSFER_LETTER = "transfer_letter"
    REGISTRATION_CARD = "registration_card"
    EMPLOYEE_ID = "employee_id"
    EMPLOYEE_ID_COPY = "employee_id_copy"
    ATTORNEY_HANDWRITTEN = "attorney_handwritten"
    ATTORNEY_FINGERPRINT = "attorney_fingerprint"
    DELEGATE_ID = "delegate_id"
    DELEGATE_ID_COPY = "delegate_id_copy"
    PARTY_LETTER = "party_letter"
    PARTY_LETTER_COPY = "party_letter_copy"
    SCHOOL_PARTY_LETTER = "school_party_letter"
    SCHOOL_PARTY_LETTER_COPY = "school_party_letter_copy"
    APPOINTMENT = "appointment"


DOCUMENT_LABELS: dict[Document, Promise] = {
    Document.TRANSFER_LETTER: _("调档函或商调函（原件）"),
    Document.REGISTRATION_CARD: _("报到证"),
    Document.EMPLOYEE_ID: _("本人身份证（原件，当场核对）"),
    Document.EMPLOYEE_ID_COPY: _("本人身份证复印件"),
    Document.ATTORNEY_HANDWRITTEN: _("委托书：委托人姓名为手写，非打印"),
    Document.ATTORNEY_FINGERPRINT: _("委托书：委托人已按手印"),
    Document.DELEGATE_ID: _("受托人身份证（原件，当场核对）"),
    Document.DELEGATE_ID_COPY: _("受托人身份证复印件"),
    Document.PARTY_LETTER: _("党组织关系介绍信（原件）"),
    Document.PARTY_LETTER_COPY: _("党组织关系介绍信复印件"),
    Document.SCHOOL_PARTY_LETTER: _("学校开具的党组织关系介绍信（原件）"),
    Document.SCHOOL_PARTY_LETTER_COPY: _("学校开具的党组织关系介绍信复印件"),
    Document.APPOINTMENT: _("已提前2至3天电话预约"),
}


@dataclass(frozen=True)
class Situation:
    requester: Requester
    graduate: GraduatePath
    party_transfer: bool


@dataclass(frozen=True)
class Requirement:
    """One thing to be shown; any one of ``documents`` satisfies it."""

    documents: tuple[Document, ...]

    @property
    def label(self) -> str:
        return str(_("或")).join(str(DOCUMENT_LABELS[d]) for d in self.documents)


def _need(*documents: Document) -> Requirement:
    return Requirement(documents)


def graduate_path(graduated_on: date | None, today: date) -> GraduatePath:
    """Within the job-seeking period until the second anniversary of graduation."""
    if graduated_on is None:
        return GraduatePath.NONE
    try:
        end = graduated_on.replace(year=graduated_on.year + JOB_SEEKING_YEARS)
    except ValueError:  # graduated on 29 February
        end = date(graduated_on.year + JOB_SEEKING_YEARS, 3, 1)
    return GraduatePath.WITHIN if today <= end else GraduatePath.BEYOND


def situation_refusal(situation: Situation) -> str:
    """Why a situation cannot be served at all, or an empty string."""
    if (
        situation.graduate == GraduatePath.BEYOND
        and situation.requester == Requester.DELEGATE
    ):
        return str(
            _(
                "超过两年择业期的毕业生须持本人身份证件亲自领取档案和报到证，不能委托他人"
            )
        )
    return ""


def requirements(situation: Situation) -> list[Requirement]:
    """Everything the requester must present, in the order the archivist checks it."""
    needs: list[Requirement] = []
    if situation.graduate == GraduatePath.NONE:
        needs.append(_need(Document.TRANSFER_LETTER))
    elif situation.graduate == GraduatePath.WITHIN:
        needs.append(_need(Document.REGISTRATION_CARD, Document.TRANSFER_LETTER))

    if situation.requester == Requester.SELF:
        needs.append(_need(Document.EMPLOYEE_ID))
        if situation.graduate != GraduatePath.BEYOND:
            needs.append(_need(Document.EMPLOYEE_ID_COPY))
    else:
        needs += [
            _need(Document.ATTORNEY_HANDWRITTEN),
            _need(Document.ATTORNEY_FINGERPRINT),
            _need(Document.DELEGATE_ID),
            _need(Document.EMPLOYEE_ID_COPY),
            _need(Document.DELEGATE_ID_COPY),
        ]

    if situation.party_transfer:
        if situation.graduate == GraduatePath.NONE:
            needs += [_need(Document.PARTY_LETTER), _need(Document.PARTY_LETTER_COPY)]
        else:
            needs += [
                _need(Document.SCHOOL_PARTY_LETTER),
                _need(Document.SCHOOL_PARTY_LETTER_COPY),
            ]

    if situation.graduate != GraduatePath.NONE:
        needs.append(_need(Document.APPOINTMENT))
    return needs


def checklist(situation: Situation) -> list[Document]:
    """The documents to tick, each once, in the order of the requirements."""
    seen: list[Document] = []
    for need in requirements(situation):
        for document in need.documents:
            if document not in seen:
                seen.append(document)
    return seen


def missing(situation: Situation, ticked: set[str]) -> list[str]:
    """The label of each requirement that no ticked document satisfies."""
    return [
        need.label
        for need in requirements(situation)
        if not any(d in ticked for d in need.documents)
    ]


def letter_required(situation: Situation) -> bool:
    """A letter number goes into the register unless the graduate came with the ID only."""
    return situation.graduate != GraduatePath.BEYOND


def registration_card_with_file(situation: Situation) -> bool:
    """After the job-seeking period the archive hands the registration card over too."""
    return situation.graduate == GraduatePath.BEYOND
