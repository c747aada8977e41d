"""A demo document archive built on the published classification scheme sample.

The scheme (党群管理类 A1–A3) and the accounting table ship in ``records/data``, so the
demo needs nothing outside the package. Cases are spread over fifteen years and the
three classes, drawn from a seeded generator; a few are on loan (one overdue), on hold,
in the trash or destroyed, and one destruction register waits for the general manager.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from dossier.core.models import Property, StaffProfile
from dossier.core.roles import DEPARTMENT_ROLE
from dossier.records.disposal import (
    entry_keep_part,
    register_approve,
    register_execute,
    register_propose,
)
from dossier.records.errors import RecordsError
from dossier.records.loans import loan_approve, loan_hand_out, loan_request
from dossier.records.models import (
    ArchiveClass,
    Case,
    DestructionRegister,
    Loan,
    RetentionItem,
    RetentionSchedule,
    SchemeVersion,
)
from dossier.records.retention import (
    PRESETS,
    preset_items,
    schedule_from_preset,
)
from dossier.records.scheme import PUBLISHED_NAME, PUBLISHED_SAMPLE, scheme_load_sample
from dossier.records.services import (
    CaseDraft,
    IntakeInput,
    case_file,
    case_trash,
    hold_place,
)

SAMPLE = PUBLISHED_SAMPLE
SCHEME_NAME = PUBLISHED_NAME
DEMO_SEED = 2022
FIRST_YEAR = 15  # years back from today
FOLDER_CAPACITY = 12

# Archive staff of the demo; like the other demo staff they cannot log in.
ARCHIVE_STAFF = {
    "archive": ("demo.archivist", "周", "慧兰"),
    "management": ("demo.gm", "钱", "国栋"),
}
# Colleagues outside the archive's readers borrow by name and department.
BORROWERS = (("赵敏", "市场销售部"), ("孙丽", "前厅部"))

# Per minor class: a title ({y} the year, {n} an issue) and its period (None permanent),
# each matching a line of the class's filing scope in the sample scheme.
TITLES: dict[str, list[tuple[str, int | None]]] = {
    "01-A1": [
        ("{y} 年党委会议纪要", None),
        ("{y} 年党员大会发言材料汇编", 10),
        ("{y} 年党务工作总结", None),
        ("{y} 年党务工作简报（第 {n} 期）", 10),
        ("{y} 年党风廉政建设责任书", 30),
    ],
    "01-A2": [
        ("{y} 年发展党员材料", None),
        ("{y} 年党费收缴明细", 30),
        ("{y} 年组织关系转接登记", 30),
        ("{y} 年入党积极分子培训记录", 10),
    ],
    "01-A3": [
        ("店刊《宾至》{y} 年第 {n} 期定稿", 30),
        ("{y} 年宣传工作计划", 10),
        ("{y} 年统战工作大事记", None),
        ("{y} 年对外宣传报道汇编", 30),
    ],
}


@dataclass
class RecordsDemoReport:
    version: SchemeVersion
    created: bool
    cases: int = 0
    loans: int = 0
    holds: int = 0
    destroyed: int = 0
    pending_register: int | None = None
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the operator who ran the demo."""
        if not self.created:
            return (
                f"文书档案已有分类方案（{self.version}），未重复载入；"
                f"现有案件 {self.cases} 件。"
            )
        pending = (
            f"销毁清册第 {self.pending_register} 号待总经理批准"
            if self.pending_register
            else "没有待批准的销毁清册"
        )
        return (
            f"示例文书档案已载入：{self.version}，案件 {self.cases} 件，"
            f"借出 {self.loans} 件，保全 {self.holds} 件，已销毁 {self.destroyed} 件，"
            f"{pending}。"
        )


def _staff(prop: Property, department: str, spec: tuple[str, str, str]) -> User:
    username, surname, given = spec
    users = get_user_model()
    user, created = users.objects.get_or_create(
        username=username, defaults={"last_name": surname, "first_name": given}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        StaffProfile.objects.create(user=user, department=department, property=prop)
        group, _ = Group.objects.get_or_create(name=DEPARTMENT_ROLE[department])
        user.groups.add(group)
    return users.objects.get(pk=user.pk)


def _schedules(prop: Property) -> None:
    for key in [*PRESETS, "accounting"]:
        name, items = preset_items(key)
        schedule_from_preset(prop=prop, name=name, preset=key, items=items)
    RetentionSchedule.objects.filter(property=prop, preset="source").update(
        is_default=True
    )


def _item_for(klass: ArchiveClass, years: int | None) -> RetentionItem | None:
    return (
        RetentionItem.objects.filter(archive_class=klass, years=years)
        .order_by("position")
        .first()
    )


def _file_cases(
    prop: Property, version: SchemeVersion, archivist: User, rng: random.Random
) -> list[Case]:
    today = prop.today()
    filed: list[Case] = []
    plan: list[tuple[date, ArchiveClass, str, int | None]] = []
    for code, titles in TITLES.items():
        klass = version.classes.get(full_code=code)
        for year in range(today.year - FIRST_YEAR, today.year + 1):
            first, last = (
                date(year, 1, 1),
                min(date(year, 12, 28), today - timedelta(days=1)),
            )
            if last < first:
                continue
            for title, years in rng.sample(titles, k=rng.choice((1, 2))):
                day = first + timedelta(days=rng.randrange((last - first).days + 1))
                text = title.format(y=year, n=rng.randint(1, 12))
                plan.append((day, klass, text, years))
    # Two ten-year cases that are surely due: one for each demo register.
    speeches = version.classes.get(full_code="01-A1")
    for back in (14, 11):
        year = today.year - back
        plan.append((date(year, 6, 18), speeches, f"{year} 年党员大会发言材料", 10))
    for day, klass, text, years in sorted(plan, key=lambda row: (row[0], row[2])):
        draft = CaseDraft(
            archive_class=klass,
            title=text,
            department="党群工作部",
            doc_date=day,
            retention_item=_item_for(klass, years),
            retention_years=years,
            summary=f"{klass.name}：{text}。",
        )
        filed.append(case_file(actor=archivist, draft=draft, intake=IntakeInput()).case)
    return filed


def _lend(
    prop: Property, cases: list[Case], archivist: User, gm: User, rng: random.Random
) -> int:
    today = prop.today()
    recent = [case for case in cases if case.doc_date.year >= today.year - 3]
    lent = rng.sample(recent, k=min(3, len(recent)))
    for index, case in enumerate(lent):
        loan = loan_request(
            actor=archivist,
            case=case,
            borrower=None,
            borrower_name=BORROWERS[index % len(BORROWERS)][0],
            borrower_department=BORROWERS[index % len(BORROWERS)][1],
            due_date=today + timedelta(days=14),
            approved_by=gm,
            purpose="查阅、复印",
        )
        loan = loan_hand_out(actor=archivist, loan=loan_approve(actor=gm, loan=loan))
        if index == 0:
            # One loan has run past its date, so the reminders have work to show.
            month_ago = timezone.now() - timedelta(days=30)
            Loan.objects.filter(pk=loan.pk).update(
                requested_at=month_ago,
                decided_at=month_ago,
                out_at=month_ago,
                due_date=today - timedelta(days=9),
            )
    return len(lent)


def _hold(cases: list[Case], today: date, archivist: User) -> int:
    due = [c for c in cases if c.due_date is not None and c.due_date <= today]
    held = [
        (due[0], "区人民法院", "劳动争议诉讼未结，相关党员档案材料需保全"),
        (cases[-1], "集团审计部", f"{today.year} 年度党费专项审计"),
    ]
    for case, authority, reason in held:
        hold_place(actor=archivist, case=case, authority=authority, reason=reason)
    return len(held)


def _dispose(
    prop: Property, archivist: User, gm: User, report: RecordsDemoReport
) -> None:
    """An executed register of earlier years (one case in part), and one pending."""
    today = prop.today()
    try:
        earlier = register_propose(
            actor=archivist, prop=prop, as_of=date(today.year - 1, 1, 1)
        )
    except RecordsError as error:
        report.notes.append(error.message)
        return
    entry = earlier.entries.filter(excluded_reason="").order_by("pk").first()
    if entry is not None:
        entry_keep_part(
            actor=archivist,
            entry=entry,
            destroyed_part="会议发言草稿、重复的复印件",
            kept_note="会议纪要正本及签到表",
        )
    register_approve(actor=gm, register=earlier, reported_to="区档案馆")
    report.destroyed = register_execute(
        actor=archivist,
        register=earlier,
        confirmation=str(earlier.pk),
        witnesses="孙丽（行政部）",
    )
    try:
        pending = register_propose(actor=archivist, prop=prop, as_of=today)
    except RecordsError as error:
        report.notes.append(error.message)
        return
    report.pending_register = pending.pk


def records_demo(*, prop: Property, sample: Path = SAMPLE) -> RecordsDemoReport:
    """Load the demo archive into ``prop`` once; later calls report what is there."""
    found = SchemeVersion.objects.filter(property=prop, is_current=True).first()
    if found is not None:
        return RecordsDemoReport(
            version=found,
            created=False,
            cases=Case.objects.filter(property=prop).count(),
            pending_register=DestructionRegister.objects.filter(
                property=prop, status="pending"
            )
            .values_list("pk", flat=True)
            .first(),
        )
    rng = random.Random(DEMO_SEED)
    with transaction.atomic():
        archivist = _staff(prop, "archive", ARCHIVE_STAFF["archive"])
        gm = _staff(prop, "management", ARCHIVE_STAFF["management"])
        version = scheme_load_sample(
            actor=archivist, prop=prop, path=sample, name=SCHEME_NAME
        )
        version.classes.filter(children__isnull=True).update(
            folder_capacity=FOLDER_CAPACITY
        )
        _schedules(prop)
        report = RecordsDemoReport(version=version, created=True)
        cases = _file_cases(prop, version, archivist, rng)
        report.cases = len(cases)
        report.loans = _lend(prop, cases, archivist, gm, rng)
        report.holds = _hold(cases, prop.today(), archivist)
        case_trash(actor=archivist, case=cases[len(cases) // 2], reason="重复归档")
        _dispose(prop, archivist, gm, report)
    return report
