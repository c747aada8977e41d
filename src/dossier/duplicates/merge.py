"""Merging a duplicate profile into its master, and undoing a merge exactly.

What a merge does, all in one transaction and sending nothing:

* every row of every table that belongs to a guest (stays, bills, spend lines,
  observations, special dates, preferences, documents, phones, cards, tags, tasks,
  consents, profile changes, and the tables other apps add) moves to the master,
  except a row the master already has the same of (the same phone number, a value for
  the same preference item, the same tag): that row stays on the duplicate, which is
  kept, inactive, as it was;
* the master's empty fields are filled from the duplicate; notes, family and
  personality are joined under a line naming the duplicate; where both profiles hold
  different values (a field, or a preference item) the master's value is kept and the
  duplicate's is written into the master's notes;
* for every channel and purpose that either profile had opted out of, the master is
  opted out, whatever the dates: an opt-out is recorded now if needed;
* the duplicate's candidate is marked merged, a :class:`Merge` keeps the ids of what
  moved and the fields before and after, the change log and the audit log record it,
  and both guests are re-indexed.

A pair that holds one document but disagrees on name or birthday is merged only when
the reviewer confirms it.

Undo moves back exactly the rows that moved and restores the fields, or refuses, saying
why, when a moved row or a filled field changed since.
"""

import enum
import json
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext

from dossier.care.models import Consent
from dossier.care.services import consent_record, consent_state, consent_states
from dossier.core.audit import AuditAction, audit
from dossier.duplicates.models import CandidateStatus, DuplicateCandidate, Merge
from dossier.duplicates.moving import relations, rows_move, rows_of, rows_reassign
from dossier.duplicates.rules import disagreements_shown
from dossier.duplicates.selectors import merge_active, pair_conflicts
from dossier.guests.errors import GuestError, GuestErrorCode
from dossier.guests.models import Guest, GuestPreference, ProfileChange
from dossier.guests.services import EDITABLE_FIELDS
from dossier.search.indexing import guest_reindex

Actor = User | AnonymousUser | None
JOINED_FIELDS = ("notes", "family", "personality")
EITHER_FIELDS = ("blacklisted", "is_company_contact")


class MergeErrorCode(enum.StrEnum):
    SAME_GUEST = "same_guest"
    OTHER_PROPERTY = "other_property"
    ALREADY_MERGED = "already_merged"
    ALREADY_UNDONE = "already_undone"
    CHANGED_SINCE = "changed_since"
    CONFLICT = "conflict"


class MergeError(GuestError):
    """A merge or an undo was refused; ``reason`` says which rule refused it."""

    def __init__(
        self, reason: MergeErrorCode, message: str, *, field: str = ""
    ) -> None:
        super().__init__(GuestErrorCode.INVALID_VALUE, message, field=field)
        self.reason = reason


def _field(name: str) -> "models.Field[Any, Any]":
    field = Guest._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field


def dump(guest: Guest, name: str) -> Any:
    """A field's value as JSON: what a merge keeps and an undo compares."""
    field = _field(name)
    value = field.value_from_object(guest)
    return (
        None if value is None else json.loads(json.dumps(value, cls=DjangoJSONEncoder))
    )


def _load(name: str, value: Any) -> Any:
    field = _field(name)
    return None if value is None else field.to_python(value)


def _empty(value: Any) -> bool:
    return value is None or value == ""


def _shown(guest: Guest, name: str) -> str:
    display = getattr(guest, f"get_{name}_display", None)
    return str(display() if display else getattr(guest, name))


def _fields_fill(
    master: Guest, duplicate: Guest, kept: dict[str, list[int]]
) -> dict[str, list[Any]]:
    """Fill, join and note the fields; returns each changed field's [before, after]."""
    before = {name: dump(master, name) for name in EDITABLE_FIELDS}
    source = f"—— 合并自 #{duplicate.pk} {duplicate.full_name} ——"
    different: list[str] = []
    for name in EDITABLE_FIELDS:
        mine, theirs = getattr(master, name), getattr(duplicate, name)
        if _empty(theirs) or mine == theirs:
            continue
        if name in EITHER_FIELDS:
            setattr(master, name, bool(mine or theirs))
        elif _empty(mine):
            setattr(master, name, theirs)
        elif name in JOINED_FIELDS:
            setattr(master, name, f"{mine}\n{source}\n{theirs}")
        else:
            label = _field(name).verbose_name
            different.append(f"{label}：{_shown(duplicate, name)}")
    different += _preferences_different(master, kept.get("guests.guestpreference", []))
    if different:
        head = [master.notes] if master.notes else []
        if source not in master.notes:
            head.append(source)
        master.notes = "\n".join([*head, *different])
    master.save()
    return {
        name: [before[name], dump(master, name)]
        for name in EDITABLE_FIELDS
        if before[name] != dump(master, name)
    }


def _preferences_different(master: Guest, kept_ids: list[int]) -> list[str]:
    theirs = GuestPreference.objects.filter(pk__in=kept_ids).select_related("item")
    mine = {p.item_id: p for p in GuestPreference.objects.filter(guest=master)}
    lines = []
    for preference in theirs:
        value = preference.display_value()
        if value != mine[preference.item_id].display_value() or preference.note:
            note = f"（{preference.note}）" if preference.note else ""
            lines.append(f"偏好·{preference.item.name}：{value}{note}")
    return lines


def _opt_outs_keep(
    actor: Actor, master: Guest, duplicate: Guest, states: dict[tuple[str, str], bool]
) -> list[int]:
    """Record an opt-out on the master wherever either profile had opted out."""
    added = []
    for (channel, purpose), granted in sorted(states.items()):
        if granted or consent_state(master, channel, purpose) is False:
            continue
        consent = consent_record(
            actor=actor,
            guest=master,
            channel=channel,
            purpose=purpose,
            granted=False,
            source=f"合并 #{duplicate.pk} 入 #{master.pk}：任一档案退订即保留退订",
        )
        added.append(consent.pk)
    return added


def _opted_out(master: Guest, duplicate: Guest) -> dict[tuple[str, str], bool]:
    states = consent_states(master)
    for key, granted in consent_states(duplicate).items():
        states[key] = states.get(key, True) and granted
    return states


def _refuse_merge(master: Guest, duplicate: Guest) -> None:
    if master.pk == duplicate.pk:
        raise MergeError(
            MergeErrorCode.SAME_GUEST, gettext("不能把一份档案合并到它自己")
        )
    if master.property_id != duplicate.property_id:
        raise MergeError(
            MergeErrorCode.OTHER_PROPERTY, gettext("两份档案不属于同一门店，不能合并")
        )
    for guest in (master, duplicate):
        if (done := merge_active(guest.pk)) is not None:
            raise MergeError(
                MergeErrorCode.ALREADY_MERGED,
                gettext("档案 #%(guest)s 已合并入 #%(master)s，请先撤销那次合并")
                % {"guest": guest.pk, "master": done.master_id},
            )


def _refuse_conflict(master: Guest, duplicate: Guest) -> None:
    """Two profiles holding one document but disagreeing on name or birthday are
    merged only when the reviewer confirms, having checked the document."""
    conflicts = pair_conflicts(master.pk, duplicate.pk)
    if conflicts:
        fields = disagreements_shown(conflicts)
        raise MergeError(
            MergeErrorCode.CONFLICT,
            gettext(
                "两份档案证件号码相同，但%(fields)s不符；请核对证件原件，"
                "确认是同一人后再合并"
            )
            % {"fields": fields},
            field="confirm",
        )


def _candidate_close(
    actor: Actor, master: Guest, duplicate: Guest
) -> DuplicateCandidate | None:
    a, b = sorted((master.pk, duplicate.pk))
    candidate = DuplicateCandidate.objects.filter(guest_a_id=a, guest_b_id=b).first()
    if candidate is not None:
        candidate.status = CandidateStatus.MERGED
        candidate.reviewed_by = actor if isinstance(actor, User) else None
        candidate.reviewed_at = timezone.now()
        candidate.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    return candidate


def _log(
    actor: Actor, guest: Guest, source: str, changes: list[tuple[str, Any, Any]]
) -> None:
    user = actor if isinstance(actor, User) else None
    now = timezone.now()
    ProfileChange.objects.bulk_create(
        ProfileChange(
            guest=guest,
            actor=user,
            at=now,
            source=source,
            field=name,
            before="" if b is None else str(b),
            after="" if a is None else str(a),
        )
        for name, b, a in changes
    )


@transaction.atomic
def guest_merge(
    *, actor: Actor, master: Guest, duplicate: Guest, confirmed: bool = False
) -> Merge:
    """Merge ``duplicate`` into ``master``, keeping every value of both; see above.
    Two profiles that share a document but not their name or birthday are merged
    only when ``confirmed`` (see ``rules.disagreements``)."""
    locked = Guest.objects.select_for_update().in_bulk([master.pk, duplicate.pk])
    master, duplicate = locked[master.pk], locked[duplicate.pk]
    _refuse_merge(master, duplicate)
    if not confirmed:
        _refuse_conflict(master, duplicate)

    states = _opted_out(master, duplicate)
    moved, kept = rows_move(master, duplicate)
    fields = _fields_fill(master, duplicate, kept)
    consents = _opt_outs_keep(actor, master, duplicate, states)
    candidate = _candidate_close(actor, master, duplicate)

    snapshot = {
        "moved": moved,
        "kept": kept,
        "fields": fields,
        "consents_added": consents,
    }
    merge = Merge.objects.create(
        property_id=master.property_id,
        master=master,
        duplicate=duplicate,
        candidate=candidate,
        snapshot=snapshot,
        merged_by=actor if isinstance(actor, User) else None,
    )
    changes = [(name, *values) for name, values in fields.items()]
    _log(actor, master, "merge", [("merged", "", f"#{duplicate.pk}"), *changes])
    _log(actor, duplicate, "merge", [("merged_into", "", f"#{master.pk}")])
    counts = {label: len(ids) for label, ids in moved.items()}
    audit(
        actor=actor,
        action=AuditAction.GUEST_MERGED,
        obj=merge,
        master=master.pk,
        duplicate=duplicate.pk,
        moved=counts,
        fields=sorted(fields),
    )
    guest_reindex([master.pk, duplicate.pk])
    return merge


def _refuse_undo(merge: Merge, master: Guest) -> None:
    if merge.undone_at is not None:
        raise MergeError(MergeErrorCode.ALREADY_UNDONE, gettext("这次合并已经撤销过了"))
    if (later := merge_active(master.pk)) is not None:
        raise MergeError(
            MergeErrorCode.CHANGED_SINCE,
            gettext("档案 #%(guest)s 之后又合并入 #%(master)s，请先撤销那次合并")
            % {"guest": master.pk, "master": later.master_id},
        )
    by_label = {r.label: r for r in relations()}
    for label, ids in merge.snapshot["moved"].items():
        relation = by_label[label]
        still = rows_of(relation, master.pk).filter(pk__in=ids).count()
        if still != len(ids):
            name = relation.model._meta.verbose_name
            raise MergeError(
                MergeErrorCode.CHANGED_SINCE,
                gettext(
                    "合并移入的 %(count)d 条%(name)s已被删除或转给其他档案，无法撤销"
                )
                % {"count": len(ids) - still, "name": name},
            )
    for name, (_, after) in merge.snapshot["fields"].items():
        if dump(master, name) != after:
            label = _field(name).verbose_name
            raise MergeError(
                MergeErrorCode.CHANGED_SINCE,
                gettext(
                    "合并后主档案的“%(label)s”又被修改过，无法自动撤销；"
                    "请先改回或手工处理"
                )
                % {"label": label},
            )


@transaction.atomic
def guest_merge_undo(*, actor: Actor, merge: Merge) -> Merge:
    """Give the duplicate back exactly what moved and restore the master's fields."""
    merge = Merge.objects.select_for_update().get(pk=merge.pk)
    master = Guest.objects.select_for_update().get(pk=merge.master_id)
    _refuse_undo(merge, master)

    by_label = {r.label: r for r in relations()}
    try:
        with transaction.atomic():
            for label, ids in merge.snapshot["moved"].items():
                rows_reassign(by_label[label], ids, merge.duplicate_id)
    except IntegrityError:
        raise MergeError(
            MergeErrorCode.CHANGED_SINCE,
            gettext("副档案在合并后新增了相同的资料（如同一电话），无法撤销"),
        ) from None
    fields = merge.snapshot["fields"]
    for name, (before, _) in fields.items():
        setattr(master, _field(name).attname, _load(name, before))
    master.save()
    Consent.objects.filter(pk__in=merge.snapshot["consents_added"]).delete()
    if merge.candidate_id is not None:
        DuplicateCandidate.objects.filter(pk=merge.candidate_id).update(
            status=CandidateStatus.OPEN, reviewed_by=None, reviewed_at=None
        )

    merge.undone_by = actor if isinstance(actor, User) else None
    merge.undone_at = timezone.now()
    merge.save(update_fields=["undone_by", "undone_at"])
    changes = [(name, after, before) for name, (before, after) in fields.items()]
    _log(
        actor,
        master,
        "merge_undo",
        [("merge_undone", f"#{merge.duplicate_id}", ""), *changes],
    )
    _log(actor, merge.duplicate, "merge_undo", [("merged_into", f"#{master.pk}", "")])
    audit(
        actor=actor,
        action=AuditAction.GUEST_MERGE_UNDONE,
        obj=merge,
        master=master.pk,
        duplicate=merge.duplicate_id,
    )
    guest_reindex([master.pk, merge.duplicate_id])
    return merge
