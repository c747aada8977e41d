"""Sending files (T2): a case, an attachment or a guest card to a colleague, a
department or oneself; the inbox; only what the recipient may see; audited."""

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from dossier.core.models import AuditEvent
from dossier.guests.models import Guest
from dossier.records.access import class_access_set
from dossier.records.attachments import attachment_upload
from dossier.records.models import Attachment, Case, SchemeVersion
from dossier.transfer.errors import TransferError, TransferErrorCode
from dossier.transfer.models import Delivery, Transfer
from dossier.transfer.selectors import inbox_of, unread_count
from dossier.transfer.services import SendInput, delivery_open, transfer_send
from tests.conftest import StaffMaker
from tests.factories import GuestFactory
from tests.records.conftest import FileCase
from tests.transfer.files import media, upload

pytestmark = pytest.mark.django_db
__all__ = ["media"]


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def case(file_case: FileCase) -> Case:
    filed: Case = file_case(title="年度洗涤服务合同").case
    return filed


def _send(
    actor: User,
    kind: str,
    item_id: int,
    target_kind: str,
    target: str = "",
    note: str = "",
) -> int:
    result = transfer_send(
        actor=actor,
        data=SendInput(kind, item_id, target_kind, target, note),
    )
    return result.delivered


def test_a_case_sent_to_a_colleague_arrives_unread_with_the_note(
    archivist: User, manager: User, case: Case
) -> None:
    delivered = _send(archivist, "case", case.pk, "user", "manager", "请审阅续签条款")

    deliveries = list(inbox_of(manager))
    assert delivered == 1
    assert [(d.transfer.note, d.read_at) for d in deliveries] == [
        ("请审阅续签条款", None)
    ]
    assert unread_count(manager) == 1
    sent = AuditEvent.objects.get(action="transfer.sent")
    assert (sent.actor, sent.detail["recipients"], sent.detail["left_out"]) == (
        archivist,
        [manager.pk],
        0,
    )


def test_opening_marks_read_and_every_opening_is_audited(
    archivist: User, manager: User, case: Case
) -> None:
    _send(archivist, "case", case.pk, "user", "manager")
    delivery = Delivery.objects.get()

    first = delivery_open(actor=manager, delivery=delivery)
    delivery.refresh_from_db()
    read_at = delivery.read_at
    delivery_open(actor=manager, delivery=delivery)
    delivery.refresh_from_db()

    assert (first.available, first.label) == (
        True,
        f"{case.archive_number} 年度洗涤服务合同",
    )
    assert first.url == reverse("records:case_detail", args=[case.pk])
    assert read_at is not None
    assert delivery.read_at == read_at
    assert unread_count(manager) == 0
    assert (
        AuditEvent.objects.filter(action="transfer.opened", actor=manager).count() == 2
    )


def test_the_inbox_is_newest_first(
    archivist: User, manager: User, case: Case, file_case: FileCase
) -> None:
    other = file_case(title="布草采购合同").case
    _send(archivist, "case", case.pk, "user", "manager", "第一封")
    _send(archivist, "case", other.pk, "user", "manager", "第二封")

    assert [d.transfer.note for d in inbox_of(manager)] == ["第二封", "第一封"]


def test_sending_to_oneself_to_open_on_another_device(
    archivist: User, case: Case
) -> None:
    _send(archivist, "case", case.pk, "self")

    assert [d.recipient for d in Delivery.objects.all()] == [archivist]


def test_a_department_gets_it_only_for_members_who_may_see_it(
    archivist: User, case: Case, make_staff: StaffMaker, waiter: User
) -> None:
    head = make_staff("fnb", username="fnb_head")
    head.groups.add(Group.objects.get(name="管理层"))

    result = transfer_send(
        actor=archivist, data=SendInput("case", case.pk, "department", "fnb")
    )

    assert (result.delivered, result.left_out) == (1, 1)
    assert [d.recipient.username for d in Delivery.objects.all()] == ["fnb_head"]


def test_a_department_where_nobody_may_see_it_is_refused(
    archivist: User, case: Case, waiter: User
) -> None:
    with pytest.raises(TransferError) as raised:
        _send(archivist, "case", case.pk, "department", "fnb")

    assert raised.value.code == TransferErrorCode.NOT_VISIBLE
    assert raised.value.message == "该部门没有人有权查看这份案件，未发送"
    assert Transfer.objects.count() == 0


def test_a_colleague_who_may_not_see_the_class_is_refused(
    archivist: User, manager: User, case: Case, scheme: SchemeVersion
) -> None:
    class_access_set(
        actor=manager,
        archive_class=case.archive_class,
        groups=[Group.objects.get(name="档案管理员")],
    )

    with pytest.raises(TransferError) as raised:
        _send(archivist, "case", case.pk, "user", "manager")

    assert raised.value.message == (
        "收件人无权查看这份案件（所属类别或部门不对其开放），未发送"
    )
    assert (Transfer.objects.count(), Delivery.objects.count()) == (0, 0)


def test_a_right_lost_after_sending_shows_the_item_as_unavailable_without_its_title(
    archivist: User, manager: User, case: Case
) -> None:
    _send(manager, "case", case.pk, "user", "archivist", "注意")
    class_access_set(
        actor=manager,
        archive_class=case.archive_class,
        groups=[Group.objects.get(name="管理层")],
    )
    delivery = Delivery.objects.get()

    inbox = _client(archivist).get(reverse("transfer:inbox")).content.decode()
    opened = _client(archivist).get(reverse("transfer:delivery", args=[delivery.pk]))
    api = _client(archivist).get("/api/v1/inbox").json()

    assert "年度洗涤" not in inbox
    assert "（无权查看或已不存在）" in inbox
    assert "年度洗涤" not in opened.content.decode()
    assert "您无权查看该项目，或它已不存在" in opened.content.decode()
    assert api[0]["item"] == {
        "kind": "case",
        "available": False,
        "label": "",
        "url": "",
    }
    assert AuditEvent.objects.get(action="transfer.opened").detail["available"] is False


def test_one_cannot_send_what_one_may_not_see(
    archivist: User, manager: User, case: Case, waiter: User
) -> None:
    with pytest.raises(TransferError) as raised:
        _send(waiter, "case", case.pk, "user", "manager")

    assert raised.value.message == f"找不到要传送的案件（编号 {case.pk}）"


def test_an_attachment_can_be_sent(
    archivist: User, manager: User, case: Case, media: Path
) -> None:
    version = attachment_upload(
        actor=archivist, case=case, upload=upload("合同扫描.txt", "合同正文".encode())
    )
    attachment = Attachment.objects.get(pk=version.attachment_id)

    _send(archivist, "attachment", attachment.pk, "user", "manager")
    view = delivery_open(actor=manager, delivery=Delivery.objects.get())

    assert view.label == f"合同扫描.txt（案件 {case.archive_number}）"
    assert view.url == reverse(
        "records:attachment_preview", args=[case.pk, attachment.pk]
    )


def test_a_guest_card_goes_to_a_waiter_but_never_to_someone_without_guest_rights(
    manager: User, waiter: User, make_staff: StaffMaker
) -> None:
    guest: Guest = GuestFactory(full_name="李雪梅")
    outsider = make_staff("fnb", username="nobody")
    outsider.groups.clear()

    _send(manager, "guest", guest.pk, "user", "waiter", "今晚 8 号包厢")
    with pytest.raises(TransferError) as raised:
        _send(manager, "guest", guest.pk, "user", "nobody")

    view = delivery_open(actor=waiter, delivery=Delivery.objects.get())
    assert (view.label, view.url) == (
        "李雪梅",
        reverse("guests:detail", args=[guest.pk]),
    )
    assert raised.value.code == TransferErrorCode.NOT_VISIBLE


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            SendInput("case", 0, "user", "nosuch"),
            "找不到同事“nosuch”（请填写本店员工的用户名）",
        ),
        (SendInput("case", 0, "department", "spa"), "没有部门“spa”"),
        (
            SendInput("case", 0, "everyone"),
            "发送对象类型“everyone”无效，应为同事、部门或自己",
        ),
        (
            SendInput("memo", 0, "self"),
            "传送类型“memo”无效，应为案件、附件或客史档案卡",
        ),
        (
            SendInput("case", 0, "self", note="字" * 1001),
            "附言最多 1000 字，现有 1001 字",
        ),
    ],
)
def test_bad_input_is_refused_with_what_is_wrong(
    archivist: User, case: Case, data: SendInput, message: str
) -> None:
    data = SendInput(
        data.kind, data.item_id or case.pk, data.target_kind, data.target, data.note
    )

    with pytest.raises(TransferError) as raised:
        transfer_send(actor=archivist, data=data)

    assert raised.value.message == message
    assert Transfer.objects.count() == 0


def test_the_send_page_sends_and_shows_errors(
    archivist: User, manager: User, case: Case
) -> None:
    client = _client(archivist)
    url = reverse("transfer:send")
    form = client.get(url, {"kind": "case", "id": case.pk}).content.decode()
    sent = client.post(
        url,
        {
            "kind": "case",
            "item_id": case.pk,
            "target_kind": "user",
            "user": "manager",
            "note": "请看",
        },
    )
    refused = client.post(
        url,
        {"kind": "case", "item_id": case.pk, "target_kind": "user", "user": "ghost"},
    )

    assert "年度洗涤服务合同" in form
    assert sent.status_code == 302
    assert refused.status_code == 422
    assert "找不到同事“ghost”" in refused.content.decode()
    assert Delivery.objects.get().recipient == manager


def test_the_send_page_says_once_that_the_recipient_may_not_see_it(
    archivist: User, manager: User, case: Case, scheme: SchemeVersion
) -> None:
    # given a class the manager may not read
    class_access_set(
        actor=manager,
        archive_class=case.archive_class,
        groups=[Group.objects.get(name="档案管理员")],
    )

    # when the archivist sends a case of it to the manager on the page
    refused = _client(archivist).post(
        reverse("transfer:send"),
        {"kind": "case", "item_id": case.pk, "target_kind": "user", "user": "manager"},
    )

    # then the refusal is shown once, and nothing was sent
    page = refused.content.decode()
    assert refused.status_code == 422
    assert page.count("收件人无权查看这份案件（所属类别或部门不对其开放），未发送") == 1
    assert Transfer.objects.count() == 0


def test_the_inbox_pages_belong_to_their_owner(
    archivist: User, manager: User, case: Case
) -> None:
    _send(archivist, "case", case.pk, "user", "manager", "只给经理")
    delivery = Delivery.objects.get()

    own = _client(manager).get(reverse("transfer:inbox")).content.decode()
    stranger = _client(archivist).get(reverse("transfer:delivery", args=[delivery.pk]))

    assert "年度洗涤服务合同" in own
    assert "只给经理" in own
    assert stranger.status_code == 404
    assert delivery.read_at is None


def test_the_api_sends_lists_and_opens(
    archivist: User, manager: User, case: Case
) -> None:
    sent = _client(archivist).post(
        "/api/v1/inbox/send",
        {
            "kind": "case",
            "item_id": case.pk,
            "target_kind": "user",
            "target": "manager",
        },
        content_type="application/json",
    )
    refused = _client(archivist).post(
        "/api/v1/inbox/send",
        {
            "kind": "case",
            "item_id": case.pk,
            "target_kind": "department",
            "target": "spa",
        },
        content_type="application/json",
    )
    listed = _client(manager).get("/api/v1/inbox", {"unread": "true"}).json()
    opened = _client(manager).post(f"/api/v1/inbox/{listed[0]['id']}/open").json()
    unread_after = _client(manager).get("/api/v1/inbox", {"unread": "true"}).json()
    other = _client(archivist).post(f"/api/v1/inbox/{listed[0]['id']}/open")

    assert (sent.status_code, sent.json()["delivered"]) == (201, 1)
    assert (refused.status_code, refused.json()["message"]) == (422, "没有部门“spa”")
    assert listed[0]["item"]["label"] == f"{case.archive_number} 年度洗涤服务合同"
    assert opened["read_at"] is not None
    assert unread_after == []
    assert other.status_code == 404


def test_the_guest_page_offers_to_send_its_card(manager: User, waiter: User) -> None:
    guest: Guest = GuestFactory(full_name="周晓芸")

    detail = _client(manager).get(reverse("guests:detail", args=[guest.pk]))
    form = _client(manager).get(
        reverse("transfer:send"), {"kind": "guest", "id": guest.pk}
    )
    sent = _client(manager).post(
        reverse("transfer:send"),
        {"kind": "guest", "item_id": guest.pk, "target_kind": "user", "user": "waiter"},
    )

    assert f"/inbox/send/?kind=guest&amp;id={guest.pk}" in detail.content.decode()
    assert "周晓芸" in form.content.decode()
    assert sent.status_code == 302
    assert [d.recipient for d in Delivery.objects.all()] == [waiter]


def test_the_inbox_costs_the_same_queries_for_one_or_many_items(
    archivist: User,
    manager: User,
    file_case: FileCase,
    django_assert_max_num_queries: Any,
) -> None:
    for n in range(12):
        filed = file_case(title=f"合同{n}").case
        _send(archivist, "case", filed.pk, "user", "manager")
    guest: Guest = GuestFactory(full_name="赵敏")
    _send(archivist, "guest", guest.pk, "user", "manager")
    client = _client(manager)

    with django_assert_max_num_queries(20):
        page = client.get(reverse("transfer:inbox"))

    assert page.content.decode().count("合同") >= 12
    assert "赵敏" in page.content.decode()
