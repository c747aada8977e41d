import json
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from dossier.care.services import consent_state
from dossier.collection.errors import FieldsInvalid
from dossier.collection.models import Registration, RegistrationLink
from dossier.collection.registrations import (
    CardInput,
    link_create,
    registration_confirm,
    registration_matches,
    registration_submit,
)
from dossier.core.models import Property
from dossier.duplicates.models import DuplicateCandidate
from dossier.guests.models import Guest, Observation
from tests.collection.conftest import logged_in
from tests.conftest import StaffMaker
from tests.factories import GuestFactory, resident_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(make_staff: StaffMaker) -> User:
    return make_staff("front_office", username="clerk")


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


def card(**values: object) -> CardInput:
    data: dict[str, object] = {
        "full_name": "欧阳娜娜", "mobile": "138 0013 8000", "birth_date": "1990年6月1日",
    }  # fmt: skip
    data.update(values)
    return CardInput(**data)  # type: ignore[arg-type]


def test_a_card_is_kept_pending_with_the_mobile_normalised_and_the_id_sealed(
    prop: Property, clerk: User
) -> None:
    number = resident_id(date(1990, 6, 1), "F", 3)

    found = registration_submit(
        property=prop, kind="vip", data=card(id_number=number), actor=clerk
    )

    assert (found.status, found.mobile, found.birth_date) == (
        "pending", "+8613800138000", date(1990, 6, 1),
    )  # fmt: skip
    assert found.gender == "F"
    assert number not in found.id_number_sealed
    assert found.id_number_masked == "110105********0" + number[-3:]
    assert Guest.objects.count() == 0


def test_every_bad_field_gets_its_own_chinese_message(prop: Property) -> None:
    with pytest.raises(FieldsInvalid) as caught:
        registration_submit(
            property=prop,
            kind="card",
            data=CardInput(
                full_name=" ", mobile="12345", birth_date="1990-02-30",
                id_number="110105199006010000", email="not-mail",
                marketing_channels=["fax"],
            ),
        )  # fmt: skip

    errors = caught.value.errors
    assert sorted(errors) == [
        "birth_date", "email", "full_name", "id_number", "marketing_channels", "mobile",
    ]  # fmt: skip
    assert errors["full_name"] == "请填写姓名"
    assert errors["birth_date"] == "生日“1990-02-30”不是真实的日期"
    assert errors["email"] == "电子邮件“not-mail”格式不正确"
    assert errors["marketing_channels"] == "未知的渠道：fax"
    assert Registration.objects.count() == 0


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"mobile": ""}, "mobile", "请填写手机号码"),
        ({"mobile": "010-65128899"}, "mobile", "“010-65128899”是固定电话，请填写手机号码"),
        ({"birth_date": ""}, "birth_date", "请填写生日"),
        ({"birth_date": "3000-01-01"}, "birth_date", "生日“3000-01-01”不在 1900 年到今天之间"),
        ({"birth_date": "六月一日"}, "birth_date", "生日“六月一日”无法识别，请写成 1985-03-14"),
        (
            {"id_number": resident_id(date(1991, 6, 1), "F", 3)},
            "birth_date",
            "生日与身份证号码中的出生日期（1991-06-01）不一致",
        ),
        ({"id_number": resident_id(gender="M"), "birth_date": "1985-03-14", "gender": "F"},
         "gender", "性别与身份证号码不一致"),
    ],
)  # fmt: skip
def test_required_fields_and_consistency(
    prop: Property, values: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(FieldsInvalid) as caught:
        registration_submit(property=prop, kind="vip", data=card(**values))

    assert caught.value.errors[field] == message


def test_confirming_creates_the_profile_with_consents_and_preferences(
    prop: Property, clerk: User
) -> None:
    # given
    pending = registration_submit(
        property=prop, kind="card",
        data=card(marketing_channels=["sms"], preferences="不吃香菜，喜欢高楼层"),
    )  # fmt: skip

    # when
    guest = registration_confirm(actor=clerk, registration=pending)

    # then
    assert (guest.full_name, guest.surname, guest.birth_date) == (
        "欧阳娜娜",
        "欧阳",
        date(1990, 6, 1),
    )
    assert list(guest.phones.values_list("e164", flat=True)) == ["+8613800138000"]
    assert consent_state(guest, "sms", "marketing") is True
    assert consent_state(guest, "email", "marketing") is False
    assert guest.consents.get(channel="sms").source == "登记卡"  # type: ignore[attr-defined]
    assert Observation.objects.get(guest=guest).text == "登记卡：不吃香菜，喜欢高楼层"
    pending.refresh_from_db()
    assert (pending.status, pending.guest, pending.reviewed_by) == (
        "confirmed",
        guest,
        clerk,
    )


def test_a_card_matching_an_existing_guest_is_shown_and_can_be_attached(
    prop: Property, clerk: User
) -> None:
    existing: Guest = GuestFactory(full_name="欧阳娜娜", phones=["13800138000"])
    pending = registration_submit(
        property=prop,
        kind="vip",
        data=card(email="nana@example.com", marketing_channels=["email"]),
    )

    matches = registration_matches(pending)
    guest = registration_confirm(actor=clerk, registration=pending, guest=existing)

    assert matches == [existing]
    assert guest.pk == existing.pk
    assert (guest.email, guest.birth_date) == ("nana@example.com", date(1990, 6, 1))
    assert guest.consents.get(channel="email").source == "VIP 入会表"  # type: ignore[attr-defined]
    assert Guest.objects.count() == 1


def test_creating_a_new_profile_for_a_likely_duplicate_queues_it_for_review(
    prop: Property, clerk: User
) -> None:
    GuestFactory(full_name="欧阳娜娜", phones=["13800138000"])
    pending = registration_submit(property=prop, kind="card", data=card())

    registration_confirm(actor=clerk, registration=pending)

    assert DuplicateCandidate.objects.count() == 1


def test_a_card_is_confirmed_only_once(prop: Property, clerk: User) -> None:
    pending = registration_submit(property=prop, kind="card", data=card())
    registration_confirm(actor=clerk, registration=pending)

    with pytest.raises(Exception, match="该登记已处理过"):
        registration_confirm(actor=clerk, registration=pending)

    assert Guest.objects.count() == 1


def test_the_public_link_needs_no_login_and_only_creates_a_pending_card(
    prop: Property, clerk: User
) -> None:
    link = link_create(actor=clerk, property=prop, kind="vip", label="大堂二维码")
    guest_phone = Client()

    page = guest_phone.get(f"/collection/r/{link.token}/")
    sent = guest_phone.post(
        f"/collection/r/{link.token}/",
        {"full_name": "李雷", "mobile": "13912345678", "birth_date": "1988-08-08",
         "marketing_channels": ["wechat"]},
    )  # fmt: skip

    assert page.status_code == 200
    assert "VIP 入会表" in page.content.decode()
    assert sent.status_code == 200
    assert "工作人员确认后即可生效" in sent.content.decode()
    pending = Registration.objects.get()
    assert (pending.full_name, pending.link, pending.status) == (
        "李雷",
        link,
        "pending",
    )
    assert Guest.objects.count() == 0


def test_the_public_form_names_each_bad_field(prop: Property, clerk: User) -> None:
    link = link_create(actor=clerk, property=prop, kind="card")

    page = Client().post(
        f"/collection/r/{link.token}/",
        {"full_name": "李雷", "mobile": "1391234", "birth_date": "1988-02-30"},
    )

    text = page.content.decode()
    assert page.status_code == 200
    assert "生日“1988-02-30”不是真实的日期" in text
    assert 'id="id_mobile_error"' in text
    assert Registration.objects.count() == 0


def test_the_public_link_is_rate_limited(prop: Property, clerk: User) -> None:
    link = link_create(actor=clerk, property=prop, kind="card")
    client = Client()
    bad = {"full_name": "", "mobile": "", "birth_date": ""}

    codes = [
        client.post(f"/collection/r/{link.token}/", bad).status_code for _ in range(6)
    ]

    assert codes == [200, 200, 200, 200, 200, 429]


def test_an_expired_or_unknown_link_is_closed(prop: Property, clerk: User) -> None:
    link = link_create(actor=clerk, property=prop, kind="card")
    RegistrationLink.objects.filter(pk=link.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    assert Client().get(f"/collection/r/{link.token}/").status_code == 404
    assert Client().get("/collection/r/nope/").status_code == 404


def test_the_desk_form_and_confirm_page(prop: Property, clerk: User) -> None:
    client = logged_in(clerk)

    sent = client.post(
        "/collection/registrations/new/card/",
        {
            "full_name": "韩梅梅",
            "mobile": "+86 139 0000 1111",
            "birth_date": "1992-01-15",
        },
    )
    pending = Registration.objects.get()
    confirmed = client.post(
        f"/collection/registrations/{pending.pk}/", {"action": "create"}
    )

    guest = Guest.objects.get()
    assert sent.status_code == 302
    assert confirmed["Location"] == f"/guests/{guest.pk}/"
    assert guest.full_name == "韩梅梅"


def test_housekeeping_cannot_confirm_cards(
    prop: Property, make_staff: StaffMaker
) -> None:
    pending = registration_submit(property=prop, kind="card", data=card())
    client = logged_in(make_staff("housekeeping"))

    response = client.post(
        f"/collection/registrations/{pending.pk}/", {"action": "create"}
    )

    assert response.status_code == 403
    assert Guest.objects.count() == 0


@pytest.mark.parametrize("size", ["A4", "A5"])
def test_the_blank_card_prints_on_a4_and_a5(clerk: User, size: str) -> None:
    page = logged_in(clerk).get(f"/collection/cards/card/print/?size={size}")

    text = page.content.decode()
    assert page.status_code == 200
    assert f"size: {size};" in text
    assert "客人资料登记卡" in text


def test_api_public_submission_and_confirmation(prop: Property, clerk: User) -> None:
    link = link_create(actor=clerk, property=prop, kind="card")

    refused = Client().post(
        f"/api/v1/collection/public/{link.token}",
        json.dumps({"full_name": "李雷", "mobile": "13912345678"}),
        content_type="application/json",
    )
    sent = Client().post(
        f"/api/v1/collection/public/{link.token}",
        json.dumps(
            {"full_name": "李雷", "mobile": "13912345678", "birth_date": "1988-08-08"}
        ),
        content_type="application/json",
    )
    staff = logged_in(clerk)
    pending = staff.get("/api/v1/collection/registrations").json()
    confirmed = staff.post(
        f"/api/v1/collection/registrations/{pending[0]['id']}/confirm",
        json.dumps({}),
        content_type="application/json",
    )

    assert refused.status_code == 422
    assert refused.json()["errors"] == {"birth_date": "请填写生日"}
    assert sent.status_code == 201
    assert confirmed.json()["status"] == "confirmed"
    assert Guest.objects.get(pk=confirmed.json()["guest_id"]).full_name == "李雷"


def test_the_confirm_page_lists_likely_matches(prop: Property, clerk: User) -> None:
    existing: Guest = GuestFactory(full_name="欧阳娜娜", phones=["13800138000"])
    pending = registration_submit(property=prop, kind="card", data=card())
    client = logged_in(clerk)

    page = client.get(f"/collection/registrations/{pending.pk}/").content.decode()
    attached = client.post(
        f"/collection/registrations/{pending.pk}/",
        {"action": "attach", "guest": existing.pk},
    )

    assert f'name="guest" value="{existing.pk}"' in page
    assert "可能是同一位客人" in page
    assert attached["Location"] == f"/guests/{existing.pk}/"
    assert Guest.objects.count() == 1


def test_the_registration_list_exports_the_status_shown(
    prop: Property, clerk: User
) -> None:
    # given a pending card and a rejected one
    registration_submit(property=prop, kind="card", data=card())
    gone = registration_submit(
        property=prop, kind="vip", data=card(full_name="-李雷", mobile="13900139000")
    )
    Registration.objects.filter(pk=gone.pk).update(status="rejected")
    client = logged_in(clerk)

    # when the pending list is exported
    raw = client.get("/collection/registrations/?export=csv").content

    # then only the pending card is in it
    lines = raw.decode("utf-8-sig").splitlines()
    assert raw.startswith("\ufeff".encode())
    assert lines[0] == "表格,姓名,手机,提交时间,来源"
    assert len(lines) == 2
    assert "欧阳娜娜" in lines[1]
    rejected = client.get("/collection/registrations/?status=rejected&export=csv")
    assert "'-李雷" in rejected.content.decode("utf-8-sig")


def test_the_card_page_names_the_marketing_channels(
    prop: Property, clerk: User
) -> None:
    # given a card agreeing to SMS and WeChat
    pending = registration_submit(
        property=prop, kind="card", data=card(marketing_channels=["sms", "wechat"])
    )

    # when the clerk opens it
    page = logged_in(clerk).get(f"/collection/registrations/{pending.pk}/")

    # then the channels are named, not coded
    assert "<dd>短信、微信</dd>" in page.content.decode()
