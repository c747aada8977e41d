"""A demo archive: the published scheme sample, the retention presets, a few cases."""

from datetime import date, timedelta
from pathlib import Path

from django.contrib.auth.models import User
from django.db import transaction

from dossier.core.models import Property
from dossier.records.models import RetentionSchedule, SchemeVersion
from dossier.records.retention import PRESETS, accounting_preset, schedule_from_preset
from dossier.records.scheme import scheme_load_sample
from dossier.records.services import CaseDraft, IntakeInput, case_file

DEMO_CASES = [
    ("01-A1", "2024 年党员大会会议纪要", date(2024, 3, 18), None),
    ("01-A1", "党支部换届选举结果的报告", date(2024, 6, 2), None),
    ("01-A1", "党务工作情况简报（第 3 期）", date(2020, 9, 10), 1),
    ("01-A2", "入党积极分子考察材料", date(2023, 11, 5), None),
    ("01-A2", "党费收支明细", date(2022, 1, 20), 30),
    ("01-A3", "店刊《宾至》第 12 期定稿", date(2025, 4, 30), 30),
]


def records_demo(*, actor: User | None, prop: Property, sample: Path) -> SchemeVersion:
    """Load the sample scheme, the presets and a few filed cases (once)."""
    found = SchemeVersion.objects.filter(property=prop, is_current=True).first()
    if found is not None:
        return found
    with transaction.atomic():
        version = scheme_load_sample(actor=actor, prop=prop, path=sample)
        for key, (name, items) in PRESETS.items():
            schedule_from_preset(prop=prop, name=name, preset=key, items=items)
        accounting = sample.parent / "accounting_retention_2015_enterprise.csv"
        if accounting.exists():
            schedule_from_preset(
                prop=prop,
                name="会计档案保管期限（2015）",
                preset="accounting",
                items=accounting_preset(accounting),
            )
        RetentionSchedule.objects.filter(property=prop, preset="source").update(
            is_default=True
        )
        if actor is not None:
            for code, title, doc_date, years in DEMO_CASES:
                case_file(
                    actor=actor,
                    draft=CaseDraft(
                        archive_class=version.classes.get(full_code=code),
                        title=title,
                        department="党群工作部",
                        doc_date=min(doc_date, prop.today() - timedelta(days=1)),
                        retention_years=years,
                    ),
                    intake=IntakeInput(),
                )
    return version
