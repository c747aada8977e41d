"""Sending an item to colleagues and opening it from the inbox; both are audited.

Decision on rights: an item is delivered only to recipients who may see it when it
is sent. A send to one colleague (or oneself) who may not see it is refused with a
message; a send to a department reaches those of its members who may, and the
sender is told how many were left out. Should a recipient lose the right later,
the inbox shows the item as unavailable, without its title.
"""

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dossier.core.audit import AuditAction, audit
from dossier.core.models import Department
from dossier.records.models import Attachment, Case
from dossier.transfer.errors import TransferError, TransferErrorCode
from dossier.transfer.items import ItemView, item_find, item_view
from dossier.transfer.models import Delivery, ItemKind, TargetKind, Transfer
from dossier.web.selectors import viewer_property

MAX_NOTE = 1000
KIND_WORDS = {
    ItemKind.CASE: gettext_lazy("案件"),
    ItemKind.ATTACHMENT: gettext_lazy("附件"),
    ItemKind.GUEST: gettext_lazy("客史档案卡"),
}


@dataclass(frozen=True)
class SendInput:
    kind: str
    item_id: int
    target_kind: str
    target: str = ""
    note: str = ""


@dataclass(frozen=True)
class SendResult:
    transfer: Transfer
    delivered: int
    left_out: int


def _recipients(actor: User, data: SendInput) -> list[User]:
    prop = viewer_property(actor)
    target = data.target.strip()
    if data.target_kind == TargetKind.SELF:
        return [actor]
    if data.target_kind == TargetKind.USER:
        found = User.objects.filter(
            username=target, is_active=True, staff__property=prop
        ).first()
        if found is None:
            raise TransferError(
                TransferErrorCode.NO_RECIPIENT,
                _("找不到同事“%(target)s”（请填写本店员工的用户名）")
                % {"target": target},
                field="target",
            )
        return [found]
    if data.target_kind == TargetKind.DEPARTMENT:
        if target not in Department.values:
            raise TransferError(
                TransferErrorCode.NO_RECIPIENT,
                _("没有部门“%(target)s”") % {"target": target},
                field="target",
            )
        members = User.objects.filter(
            is_active=True, staff__department=target, staff__property=prop
        ).exclude(pk=actor.pk)
        return list(members.order_by("pk"))
    raise TransferError(
        TransferErrorCode.INVALID_VALUE,
        _("发送对象类型“%(target_kind)s”无效，应为同事、部门或自己")
        % {"target_kind": data.target_kind},
        field="target_kind",
    )


def _item(actor: User, data: SendInput) -> Case | Attachment | object:
    if data.kind not in ItemKind.values:
        raise TransferError(
            TransferErrorCode.INVALID_VALUE,
            _("传送类型“%(kind)s”无效，应为案件、附件或客史档案卡")
            % {"kind": data.kind},
            field="kind",
        )
    item = item_find(actor, data.kind, data.item_id)
    if item is None:
        raise TransferError(
            TransferErrorCode.NOT_FOUND,
            _("找不到要传送的%(kind_words)s（编号 %(item_id)s）")
            % {"kind_words": KIND_WORDS[ItemKind(data.kind)], "item_id": data.item_id},
            field="id",
        )
    return item


def transfer_send(*, actor: User, data: SendInput) -> SendResult:
    """Send one item with a note; only recipients who may see it receive it."""
    item = _item(actor, data)
    if len(data.note) > MAX_NOTE:
        raise TransferError(
            TransferErrorCode.INVALID_VALUE,
            _("附言最多 %(max_note)s 字，现有 %(count)s 字")
            % {"max_note": MAX_NOTE, "count": len(data.note)},
            field="note",
        )
    candidates = _recipients(actor, data)
    allowed = [user for user in candidates if item_find(user, data.kind, data.item_id)]
    if not allowed:
        raise TransferError(
            TransferErrorCode.NOT_VISIBLE,
            _refusal(data, candidates),
            field="target",
        )

    with transaction.atomic():
        transfer = Transfer.objects.create(
            property=viewer_property(actor),
            sender=actor,
            kind=data.kind,
            target_kind=data.target_kind,
            target=data.target.strip(),
            note=data.note.strip(),
            **{data.kind: item},
        )
        Delivery.objects.bulk_create(
            Delivery(transfer=transfer, recipient=user) for user in allowed
        )
        audit(
            actor=actor,
            action=AuditAction.TRANSFER_SENT,
            obj=transfer,
            kind=data.kind,
            item_id=data.item_id,
            recipients=[user.pk for user in allowed],
            left_out=len(candidates) - len(allowed),
        )
    return SendResult(transfer, len(allowed), len(candidates) - len(allowed))


def _refusal(data: SendInput, candidates: list[User]) -> str:
    what = KIND_WORDS[ItemKind(data.kind)]
    if data.target_kind == TargetKind.DEPARTMENT:
        if not candidates:
            return _("该部门没有其他同事，未发送")
        return _("该部门没有人有权查看这份%(what)s，未发送") % {"what": what}
    if data.target_kind == TargetKind.SELF:
        return _("您无权查看这份%(what)s，未发送") % {"what": what}
    return _("收件人无权查看这份%(what)s（所属类别或部门不对其开放），未发送") % {
        "what": what
    }


def delivery_open(*, actor: User, delivery: Delivery) -> ItemView:
    """Open a delivery of ``actor``'s inbox: mark it read and record the opening."""
    if delivery.recipient_id != actor.pk:
        raise TransferError(TransferErrorCode.NOT_FOUND, _("找不到该收件"))
    view = item_view(actor, delivery.transfer)
    with transaction.atomic():
        if delivery.read_at is None:
            delivery.read_at = timezone.now()
            delivery.save(update_fields=["read_at"])
        audit(
            actor=actor,
            action=AuditAction.TRANSFER_OPENED,
            obj=delivery.transfer,
            delivery_id=delivery.pk,
            available=view.available,
        )
    return view
