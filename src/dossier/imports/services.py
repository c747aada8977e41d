"""Importing a file: create the job, preview it (a dry run), commit it all or nothing.

Every door (the upload page, ``dossier import``) calls these three functions. The
preview reads the whole file, checks every row and matches every guest without
writing anything; the commit runs the same checks again against the archive as it
is then and writes everything in one transaction, or nothing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.contrib.auth.models import User
from django.core.files.base import ContentFile, File
from django.db import DatabaseError, transaction
from django.utils import timezone

from dossier.core.audit import AuditAction, audit
from dossier.core.collector import fewer_collections
from dossier.core.dbsetup import statistics_refresh
from dossier.core.models import Property
from dossier.duplicates.bulk import duplicates_check_many
from dossier.guests.errors import GuestError
from dossier.guests.models import Guest, GuestPhone, IdentityDocument, MemberCard
from dossier.guests.services import Actor
from dossier.history.models import Bill, SpendLine, Stay
from dossier.imports import kinds
from dossier.imports.kinds import (
    Context,
    Prepared,
    Timings,
    guests_stream,
    prepare_bills,
    prepare_guests,
    prepare_stays,
    write,
)
from dossier.imports.mapping import (
    RESTAURANT_LINES,
    MappingError,
    column_keys,
    field_labels,
    ignored_columns,
    mapping_guess,
    mapping_resolve,
)
from dossier.imports.models import ImportJob, ImportKind, ImportStatus
from dossier.imports.progress import Listener, Ticker
from dossier.imports.readers import Table, UnreadableFile, UnreadableReason, read_table
from dossier.imports.report import Report
from dossier.imports.restaurant import prepare_restaurant
from dossier.imports.validation import columns_of
from dossier.search.models import SearchKey

logger = logging.getLogger(__name__)

PREPARERS: dict[str, Callable[[Context], Prepared]] = {
    ImportKind.GUESTS: prepare_guests,
    ImportKind.STAYS: prepare_stays,
    ImportKind.BILLS: prepare_bills,
    ImportKind.RESTAURANT: prepare_restaurant,
}
# Without one of these columns no row can say whose it is.
_NEEDED: dict[str, tuple[tuple[str, ...], str]] = {
    ImportKind.GUESTS: (("full_name",), "姓名"),
    ImportKind.STAYS: (("full_name", "id_number", "mobile", "card_number"), "姓名、身份证号或手机"),
    ImportKind.BILLS: (("full_name", "id_number", "mobile", "card_number"), "姓名、身份证号或手机"),
    ImportKind.RESTAURANT: (("customer",), "顾客编号（emp_id）"),
    RESTAURANT_LINES: (("external_ref", "dish", "unit_price"), "单号、菜名和单价（order_id、dishes_name、amounts）"),
}  # fmt: skip


class ImportFailed(ValueError):
    """The file cannot be imported at all; ``message`` says which file and why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def job_create(
    *,
    actor: Actor,
    property: Property,
    kind: str,
    file: File[bytes],
    name: str,
    lines: File[bytes] | None = None,
    lines_name: str = "",
    mapping: dict[str, str] | None = None,
) -> ImportJob:
    """Keep the uploaded file (and a restaurant's lines file) as a new import job."""
    job = ImportJob(
        property=property,
        kind=kind,
        created_by=actor if isinstance(actor, User) else None,
        original_name=name,
        mapping=mapping or {},
    )
    job.file.save(name, file, save=False)
    if lines is not None:
        job.lines_file.save(lines_name or "lines.csv", lines, save=False)
        job.lines_name = lines_name
    job.save()
    return job


def job_create_from_bytes(
    *,
    actor: Actor,
    property: Property,
    kind: str,
    data: bytes,
    name: str,
    **extra: object,
) -> ImportJob:
    return job_create(
        actor=actor, property=property, kind=kind, file=ContentFile(data), name=name,
        **extra,  # type: ignore[arg-type]
    )  # fmt: skip


def _read(job: ImportJob, which: str = "file") -> Table:
    field = job.file if which == "file" else job.lines_file
    name = job.original_name if which == "file" else job.lines_name
    if not field:
        raise UnreadableFile(UnreadableReason.EMPTY, name or "明细文件", "没有上传")
    with field.open("rb") as handle:
        data = handle.read()
    return read_table(data, name=name or field.name)


def _context(job: ImportJob, ticker: Ticker) -> Context:
    ticker.start("reading", 0)
    table = _read(job)
    mapping = mapping_resolve(job.kind, table.header, job.mapping)
    _require(job.kind, mapping, table.name)
    report = Report(
        kind=job.kind,
        file=job.original_name,
        total_rows=len(table),
        mapping=mapping,
        ignored_columns=ignored_columns(mapping),
    )
    ctx = Context(
        prop=job.property,
        table=table,
        columns=columns_of(column_keys(table.header), mapping),
        report=report,
        ticker=ticker,
    )
    if job.kind == ImportKind.RESTAURANT:
        lines = _read(job, "lines")
        lines_mapping = mapping_guess(RESTAURANT_LINES, lines.header)
        _require(RESTAURANT_LINES, lines_mapping, lines.name)
        ctx.lines = lines
        ctx.lines_columns = columns_of(column_keys(lines.header), lines_mapping)
        report.counts["line_rows"] = len(lines)
    return ctx


def _require(kind: str, mapping: dict[str, str], name: str) -> None:
    codes, label = _NEEDED[kind]
    mapped = set(mapping.values())
    missing = (
        not (mapped & set(codes)) if kind != RESTAURANT_LINES else set(codes) - mapped
    )
    if missing:
        raise UnreadableFile(
            UnreadableReason.NO_NAME_COLUMN, name, f"找不到{label}列（请检查表头）"
        )


def _context_of(job: ImportJob, ticker: Ticker) -> Context:
    try:
        return _context(job, ticker)
    except (UnreadableFile, MappingError) as error:
        raise ImportFailed(error.message) from None


def _prepare(job: ImportJob, ticker: Ticker) -> Prepared:
    return PREPARERS[job.kind](_context_of(job, ticker))


def _preview_streamed(job: ImportJob, ctx: Context, started: float) -> Report:
    """The preview of a long guest file: the commit's parts, written and matched
    against the archive as the parts before left it, all rolled back at the end.

    Checked in memory, a million rows took gigabytes (every row's guest kept until
    the end); this way memory stays as flat as the commit's, the report is the one
    the commit would give, and it takes as long as a commit without its duplicate
    check. While it runs, other writes on SQLite wait for it as for a commit.
    """
    report = ctx.report
    try:
        with transaction.atomic():
            kinds.guests_stream(
                ctx,
                actor=None,
                source_note=job.original_name,
                timings=kinds.Timings(),
                phase="checking",
            )
            transaction.set_rollback(True)
    except (GuestError, DatabaseError, ValueError) as error:
        return _rolled_back(job, report, error)
    _previewed(job, report, started)
    return report


def _fail(job: ImportJob, report: Report, message: str) -> Report:
    report.error = message
    job.status = ImportStatus.FAILED
    job.report = report.as_json()
    job.save(update_fields=["status", "report"])
    return report


def import_preview(*, job: ImportJob, progress: Listener | None = None) -> Report:
    """Check the whole file and say what a commit would do; writes nothing but the job.

    A guest file of more than ``PREVIEW_IN_MEMORY_ROWS`` rows is checked as the
    commit checks it, a part at a time, each part written inside one transaction
    that is rolled back at the end (see :func:`_preview_streamed`); a shorter file,
    and every other kind, is checked and matched in memory.

    Raises :class:`ImportFailed` when the file cannot be read at all.
    """
    started = time.monotonic()
    ticker = Ticker(job.pk, progress)
    try:
        if job.kind == ImportKind.GUESTS:
            ctx = _context_of(job, ticker)
            if len(ctx.table) > kinds.PREVIEW_IN_MEMORY_ROWS:
                return _preview_streamed(job, ctx, started)
            prepared = PREPARERS[job.kind](ctx)
        else:
            prepared = _prepare(job, ticker)
    except ImportFailed as error:
        _fail(job, Report(kind=job.kind, file=job.original_name), error.message)
        raise
    finally:
        ticker.finish()
    _previewed(job, prepared.report, started)
    return prepared.report


def _previewed(job: ImportJob, report: Report, started: float) -> None:
    job.status = ImportStatus.PREVIEWED
    job.total_rows = job.done_rows = report.total_rows
    job.mapping, job.report = report.mapping, report.as_json()
    job.save(update_fields=["status", "total_rows", "done_rows", "mapping", "report"])
    logger.info(
        "import preview of %s: %s rows in %.2fs",
        job.original_name,
        report.total_rows,
        time.monotonic() - started,
        extra={"import_job": job.pk},
    )


def import_commit(
    *,
    job: ImportJob,
    actor: Actor,
    skip_rejected: bool = False,
    progress: Listener | None = None,
) -> Report:
    """Check the file again and write all of it in one transaction, or nothing.

    Rejected rows stop the commit unless ``skip_rejected`` says to write the others;
    either way every rejected row is in the report. A failure while writing rolls
    everything back and leaves the job failed with the reason.
    """
    with fewer_collections():
        return _commit(job, actor, skip_rejected, progress)


def _commit(
    job: ImportJob, actor: Actor, skip_rejected: bool, progress: Listener | None
) -> Report:
    started = time.monotonic()
    ticker = Ticker(job.pk, progress)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, done_rows=0)
    if job.kind == ImportKind.GUESTS:
        return _commit_guests(job, actor, skip_rejected, ticker, started)
    try:
        prepared = _prepare(job, ticker)
    except ImportFailed as error:
        ticker.finish()
        return _fail(job, Report(kind=job.kind, file=job.original_name), error.message)
    report = prepared.report
    if report.rejected and not skip_rejected:
        ticker.finish()
        message = f"有 {report.rejected_rows} 行被拒绝，未写入任何数据"
        return _fail(job, report, message)
    checked = time.monotonic()
    try:
        with transaction.atomic():
            write(
                prepared,
                prop=job.property,
                actor=actor,
                source_note=job.original_name,
                ticker=ticker,
            )
            _audit(job, actor, report)
    except (GuestError, DatabaseError, ValueError) as error:
        return _rolled_back(job, report, error)
    except Exception:
        # Not a fault of the file: the job must not stay "running"; the error goes on
        # to the caller and the log.
        _fail(job, report, "写入时出现意外错误，已全部撤销，未写入任何数据")
        raise
    finally:
        ticker.finish()
    written = time.monotonic()
    _committed(job, report)
    # New guests, and guests the file changed: a new phone, card or spelling may
    # make a pair that was not there before.
    touched = [*prepared.plan.created, *prepared.plan.matched]
    duplicates_check_many(
        property_id=job.property_id,
        guest_ids=[t.guest_id for t in touched if t.guest_id and not t.unchanged],
    )
    logger.info(
        "import commit of %s: %s rows in %.2fs (checking %.2fs, writing %.2fs, "
        "duplicates %.2fs)",
        job.original_name,
        report.total_rows,
        time.monotonic() - started,
        checked - started,
        written - checked,
        time.monotonic() - written,
        extra={"import_job": job.pk},
    )
    return report


class _Rejected(Exception):
    """Rows were rejected and the commit may not skip them: undo what was written."""


def _commit_guests(
    job: ImportJob, actor: Actor, skip_rejected: bool, ticker: Ticker, started: float
) -> Report:
    """A guest file, checked and written a part at a time in one transaction (see
    :func:`guests_stream`); rejected rows it may not skip undo all of it."""
    try:
        ctx = _context(job, ticker)
    except (UnreadableFile, MappingError) as error:
        ticker.finish()
        return _fail(job, Report(kind=job.kind, file=job.original_name), error.message)
    report = ctx.report
    timings = Timings()
    try:
        with transaction.atomic():
            written = guests_stream(
                ctx,
                actor=actor,
                source_note=job.original_name,
                timings=timings,
                writer=write,
            )
            if report.rejected and not skip_rejected:
                raise _Rejected
            _audit(job, actor, report)
    except _Rejected:
        return _fail(job, report, f"有 {report.rejected_rows} 行被拒绝，未写入任何数据")
    except (GuestError, DatabaseError, ValueError) as error:
        return _rolled_back(job, report, error)
    except Exception:
        _fail(job, report, "写入时出现意外错误，已全部撤销，未写入任何数据")
        raise
    finally:
        ticker.finish()
    done = time.monotonic()
    _committed(job, report)
    # New guests, and guests the file changed: a new phone, card or spelling may
    # make a pair that was not there before.
    duplicates_check_many(property_id=job.property_id, guest_ids=written.touched_ids())
    logger.info(
        "import commit of %s: %s rows in %.2fs (reading %.2fs, checking %.2fs, "
        "writing %.2fs, duplicates %.2fs)",
        job.original_name,
        report.total_rows,
        time.monotonic() - started,
        done - started - timings.checking - timings.writing,
        timings.checking,
        timings.writing,
        time.monotonic() - done,
        extra={"import_job": job.pk},
    )
    return report


def _rolled_back(job: ImportJob, report: Report, error: Exception) -> Report:
    logger.warning(
        "import %s rolled back: %s", job.pk, error, extra={"import_job": job.pk}
    )
    return _fail(job, report, f"写入时出错，已全部撤销，未写入任何数据：{error}")


# The tables a large import fills, whose statistics the planner needs afterwards.
_WRITTEN = (
    Guest,
    GuestPhone,
    IdentityDocument,
    MemberCard,
    SearchKey,
    Stay,
    Bill,
    SpendLine,
)


def _committed(job: ImportJob, report: Report) -> None:
    report.committed = True
    job.status = ImportStatus.COMMITTED
    job.total_rows = job.done_rows = report.total_rows
    job.mapping, job.report = report.mapping, report.as_json()
    job.save(update_fields=["status", "total_rows", "done_rows", "mapping", "report"])
    statistics_refresh(*_WRITTEN, rows=report.total_rows)


def _audit(job: ImportJob, actor: Actor, report: Report) -> None:
    audit(
        actor=actor,
        action=AuditAction.IMPORT_COMMITTED,
        obj=job,
        kind=job.kind,
        file=job.original_name,
        rows=report.total_rows,
        created=report.created,
        updated=report.updated,
        rejected_rows=report.rejected_rows,
        guests=report.guests,
        at=timezone.now().isoformat(),
    )


def field_choices(kind: str) -> list[tuple[str, str]]:
    """The fields a column of this kind can feed, for the mapping form."""
    return [("", "（不导入）"), *field_labels(kind).items()]
