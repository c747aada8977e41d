"""Fixtures of the document-archive tests: a scheme, staff, and a database threads share."""

import sqlite3
import threading
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection

from dossier.core.models import Property
from dossier.records.allocator import DAT22_PATTERN
from dossier.records.loans import loan_approve, loan_hand_out, loan_request
from dossier.records.models import (
    ArchiveClass,
    Case,
    Loan,
    NumberTemplate,
    SchemeVersion,
)
from dossier.records.scheme import class_add, scheme_create
from dossier.records.services import CaseDraft, IntakeInput, case_file
from tests.conftest import StaffMaker


@pytest.fixture
def shared_database(db: None, tmp_path: Path) -> Iterator[None]:
    """A database that threads, each with its own connection, really share.

    The SQLite test database is in memory with a shared cache, where a second writer
    fails at once instead of waiting for the lock; the code under test is meant for a
    file database. So for this test the in-memory database is copied to a file and
    the connections point there; PostgreSQL needs nothing. The test must be marked
    ``django_db(transaction=True)`` and request this fixture before any that writes.
    """
    if connection.vendor != "sqlite" or "mode=memory" not in str(
        connection.settings_dict["NAME"]
    ):
        yield
        return
    connection.ensure_connection()
    memory = connection.connection
    assert memory is not None
    path = tmp_path / "shared.sqlite3"
    target = sqlite3.connect(path)
    memory.backup(target)
    target.close()
    name = connection.settings_dict["NAME"]
    # Keep the in-memory database alive (it dies with its last connection) while
    # this thread's connection is pointed at the file.
    connection.connection = None
    connection.settings_dict["NAME"] = str(path)
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = name
        connection.connection = memory


def run_together(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run ``work(i)`` in ``count`` threads released at the same moment.

    Returns each result, or the exception it raised, in order of ``i``.
    """
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as error:  # the test inspects every outcome
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.fixture
def archivist(make_staff: StaffMaker) -> User:
    return make_staff("archive", username="archivist")


@pytest.fixture
def scheme(prop: Property, archivist: User) -> SchemeVersion:
    """Version 1: 01 客户服务中心 → 02 合同 → 03 供应商合同 (and 04 客户合同)."""
    version = scheme_create(actor=archivist, prop=prop, name="本店档案分类方案")
    department = class_add(
        actor=archivist, version=version, parent=None, code="01", name="客户服务中心"
    )
    major = class_add(
        actor=archivist, version=version, parent=department, code="02", name="合同"
    )
    class_add(
        actor=archivist, version=version, parent=major, code="03", name="供应商合同"
    )
    class_add(
        actor=archivist, version=version, parent=major, code="04", name="客户合同"
    )
    return version


@pytest.fixture
def minor(scheme: SchemeVersion) -> ArchiveClass:
    return scheme.classes.get(full_code="01-0203")


@pytest.fixture
def dat22(prop: Property) -> NumberTemplate:
    """The DA/T 22 preset as the property's template, with fonds Z001."""
    return NumberTemplate.objects.create(
        property=prop,
        name="DA/T 22",
        pattern=DAT22_PATTERN,
        fonds_code="Z001",
        is_default=True,
    )


FileCase = Callable[..., Any]


@pytest.fixture
def file_case(archivist: User, minor: ArchiveClass) -> FileCase:
    """``file_case(title="…", doc_date=…, item=…)`` files one case that passes intake."""

    def make(**fields: Any) -> Any:
        values: dict[str, Any] = {
            "archive_class": minor,
            "title": "供应商合同",
            "department": "采购部",
            "doc_date": date(2025, 6, 1),
            "retention_years": 10,
        }
        values.update(fields)
        return case_file(
            actor=archivist, draft=CaseDraft(**values), intake=IntakeInput()
        )

    return make


def lend(
    *,
    actor: User,
    case: Case,
    borrower: User,
    due_date: date,
    approved_by: User,
    purpose: str = "",
) -> Loan:
    """Request a loan, have ``approved_by`` approve it and hand the original out."""
    loan = loan_request(
        actor=actor,
        case=case,
        borrower=borrower,
        due_date=due_date,
        approved_by=approved_by,
        purpose=purpose,
    )
    loan = loan_approve(actor=approved_by, loan=loan)
    return loan_hand_out(actor=actor, loan=loan)


def archive_reader(user: User) -> User:
    """``user`` with the right to see the archive besides their role's rights."""
    user.user_permissions.add(Permission.objects.get(codename="view_case"))
    return User.objects.get(pk=user.pk)
