"""The demo archive: the shipped scheme sample, spread over years, with every state."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command

import dossier
from dossier.core.models import Property
from dossier.records.demo import SAMPLE, records_demo
from dossier.records.loans import loans_overdue
from dossier.records.models import (
    Case,
    CaseStatus,
    DestructionRegister,
    Hold,
    Loan,
    RegisterStatus,
    RetentionSchedule,
    SchemeVersion,
)

pytestmark = pytest.mark.django_db


def test_the_sample_ships_inside_the_package() -> None:
    package = Path(dossier.__file__).resolve().parent

    assert SAMPLE.is_file()
    assert package in SAMPLE.resolve().parents
    assert SAMPLE.read_text(encoding="utf-8").startswith("class_code,class_name")


def test_the_demo_archive_has_every_state(prop: Property) -> None:
    # when the demo archive is loaded
    report = records_demo(prop=prop)

    # then the scheme is the published sample's, with its three minor classes
    version = SchemeVersion.objects.get(property=prop, is_current=True)
    assert report.created
    assert sorted(
        version.classes.filter(children__isnull=True).values_list(
            "full_code", flat=True
        )
    ) == ["01-A1", "01-A2", "01-A3"]
    # and the cases spread over fifteen years and every class
    cases = Case.objects.filter(property=prop)
    assert cases.count() == report.cases
    years = {case.doc_date.year for case in cases}
    assert len(years) >= 15
    assert {c.archive_class.full_code for c in cases} == {"01-A1", "01-A2", "01-A3"}
    # and some are on loan (one overdue), on hold, trashed and destroyed
    assert Loan.objects.filter(returned_at__isnull=True).count() == 3
    assert loans_overdue(prop).count() == 1
    assert Hold.objects.filter(released_at__isnull=True).count() == 2
    assert cases.filter(status=CaseStatus.TRASHED).count() == 1
    assert cases.filter(status=CaseStatus.PARTLY_DESTROYED).count() == 1
    assert cases.filter(status=CaseStatus.DESTROYED).count() == report.destroyed - 1
    # and one register waits for the general manager, one was carried out
    statuses = sorted(DestructionRegister.objects.values_list("status", flat=True))
    assert statuses == [RegisterStatus.EXECUTED, RegisterStatus.PENDING]
    pending = DestructionRegister.objects.get(status=RegisterStatus.PENDING)
    assert report.pending_register == pending.pk
    assert pending.entries.filter(excluded_reason="").exists()
    # and the presets are there, with the accounting table from the package
    assert set(
        RetentionSchedule.objects.filter(property=prop).values_list("preset", flat=True)
    ) == {"scheme", "source", "enterprise", "accounting"}


def test_loading_twice_changes_nothing(prop: Property) -> None:
    first = records_demo(prop=prop)

    again = records_demo(prop=prop)

    assert not again.created
    assert again.cases == first.cases
    assert Case.objects.count() == first.cases
    assert again.summary() == (
        f"文书档案已有分类方案（{first.version}），未重复载入；现有案件 {first.cases} 件。"
    )


def test_the_command_says_what_was_loaded(prop: Property) -> None:
    out = io.StringIO()

    call_command("records-demo", stdout=out)

    pending = DestructionRegister.objects.get(status=RegisterStatus.PENDING)
    text = out.getvalue()
    assert text.startswith(
        "示例文书档案已载入：企业档案分类方案（党群管理类，2022 年发布样本） v1"
    )
    assert f"销毁清册第 {pending.pk} 号待总经理批准" in text


def test_no_case_of_the_demo_is_dated_after_today(prop: Property) -> None:
    records_demo(prop=prop)

    latest = Case.objects.order_by("-doc_date").first()

    assert latest is not None
    assert latest.doc_date <= prop.today() - timedelta(days=1)
