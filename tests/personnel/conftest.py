"""Fixtures of the personnel tests: an archivist, a file, and a sign-out at each step."""

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User

from dossier.core.crypto import unseal
from dossier.core.models import Property
from dossier.personnel import rules
from dossier.personnel.models import PersonnelFile, SignOut
from dossier.personnel.services import (
    FileInput,
    Handover,
    SignOutDetails,
    personnel_file_create,
    sign_out_check,
    sign_out_hand_over,
    sign_out_open,
    situation_of,
)
from tests.conftest import StaffMaker
from tests.factories import resident_id

EMPLOYEE_ID = resident_id(date(1990, 5, 6), "M", 3)
DELEGATE_ID = resident_id(date(1988, 1, 2), "F", 4)


@pytest.fixture
def archivist(make_staff: StaffMaker) -> User:
    return make_staff("archive", username="archivist")


FileMaker = Callable[..., PersonnelFile]


@pytest.fixture
def make_file(archivist: User, prop: Property) -> FileMaker:
    counter = iter(range(1, 1000))

    def make(**values: Any) -> PersonnelFile:
        n = next(counter)
        data: dict[str, Any] = {
            "file_number": f"RS-{n:03d}",
            "employee_name": "张伟",
            "id_number": EMPLOYEE_ID
            if n == 1
            else resident_id(date(1991, 1, n), "M", n),
            "department": "餐饮部",
            "position": "厨师",
            "location": "档案室 A 架",
            "box": "12",
        }
        data.update(values)
        return personnel_file_create(
            actor=archivist, property=prop, data=FileInput(**data)
        )

    return make


def details(sign_out: SignOut, **values: str) -> SignOutDetails:
    delegate = sign_out.requester_kind == "delegate"
    data = {
        "requester_name": "李娜" if delegate else sign_out.file.employee_name,
        "requester_id_number": (
            DELEGATE_ID if delegate else unseal(sign_out.file.id_number_sealed)
        ),
        "destination_unit": "上海市静安区人才服务中心",
        "destination_address": "上海市静安区万荣路 700 号",
        "letter_number": "沪静人调〔2026〕118 号",
        "issuer_kind": "talent_service",
        "issuer_name": "上海市静安区人才服务中心",
        "party_letter_number": "静组介〔2026〕7 号" if sign_out.party_transfer else "",
    }
    data.update(values)
    return SignOutDetails(**data)


def all_documents(sign_out: SignOut) -> set[str]:
    return {str(d) for d in rules.checklist(situation_of(sign_out))}


CaseMaker = Callable[..., SignOut]


@pytest.fixture
def open_case(archivist: User, make_file: FileMaker) -> CaseMaker:
    def make(requester_kind: str = "self", **kwargs: Any) -> SignOut:
        file = kwargs.pop("file", None) or make_file()
        return sign_out_open(
            actor=archivist, file=file, requester_kind=requester_kind, **kwargs
        )

    return make


@pytest.fixture
def checked_case(archivist: User, open_case: CaseMaker) -> CaseMaker:
    def make(requester_kind: str = "self", **kwargs: Any) -> SignOut:
        sign_out = open_case(requester_kind, **kwargs)
        return sign_out_check(
            actor=archivist,
            sign_out=sign_out,
            details=details(sign_out),
            documents=all_documents(sign_out),
        )

    return make


@pytest.fixture
def handed_case(archivist: User, checked_case: CaseMaker) -> CaseMaker:
    def make(requester_kind: str = "self", **kwargs: Any) -> SignOut:
        due = kwargs.pop("receipt_due", None)
        sign_out = checked_case(requester_kind, **kwargs)
        return sign_out_hand_over(
            actor=archivist,
            sign_out=sign_out,
            handover=Handover(
                seal_intact=True,
                seam_stamp_intact=True,
                acknowledged=True,
                acknowledged_name=sign_out.requester_name,
                registration_card_handed=sign_out.graduate == "beyond",
                receipt_due=due,
            ),
        )

    return make
