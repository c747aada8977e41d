"""The main pages, opened by a user who chose English, speak English throughout;
only the house's own data (names, rule texts, occasions) stays as it was typed."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client

from dossier.banquets.services import MenuInput, menu_create, menu_dish_add
from dossier.care.models import ReminderRule
from dossier.care.rules import rules_ensure
from dossier.collection.quotas import DEFAULT_CONTACT_TOUCHPOINTS
from dossier.collection.registrations import CardInput, link_create, registration_submit
from dossier.core.models import Property
from dossier.guests.models import Guest
from dossier.transfer.services import SendInput, transfer_send
from tests.conftest import StaffMaker
from tests.web.english import assert_english, english_client

# The placeholders a message template is written with; they are typed as shown.
PLACEHOLDERS = ("{称呼}", "{姓名}", "{日期}", "{纪念日}", "{节日}", "{礼品}", "{门店}")
# The example of a preference value in the campaign form is a value as it is kept.
PREFERENCE_EXAMPLE = ("“枕头: 荞麦”", "“荞麦”")


@pytest.fixture
def admin(make_staff: StaffMaker) -> User:
    return make_staff("admin", username="sysadmin")


@pytest.fixture
def admin_en(admin: User) -> Client:
    return english_client(admin)


PAGES = [
    "/care/tasks/",
    "/care/runs/",
    "/care/campaigns/",
    "/classes/",
    "/classes/key-guests/",
    "/analyses/",
    "/analyses/cost-rates/",
    "/analyses/profile/",
    "/analyses/loyalty/",
    "/analyses/profit/",
    "/analyses/future/",
    "/analyses/promotion/",
    "/analyses/consumption/",
    "/collection/quick/",
    "/collection/checklists/",
    "/collection/cards/card/print/",
    "/collection/cards/vip/print/",
    "/collection/registrations/",
    "/personnel/",
    "/personnel/files/new/",
    "/personnel/register/",
    "/personnel/receipts/",
    "/inbox/",
    "/inbox/send/",
    "/inbox/sent/",
    "/messaging/inbox/",
    "/records/",
    "/records/cases/",
    "/records/trash/",
    "/records/holds/",
    "/records/scheme/",
    "/records/loans/",
    "/records/disposal/",
    "/records/folders/",
    "/duplicates/",
]


@pytest.mark.parametrize("url", PAGES)
def test_page_speaks_english(admin_en: Client, url: str) -> None:
    assert_english(admin_en, url)


def _rule_texts(prop: Property) -> tuple[str, ...]:
    rules_ensure(prop)
    texts: list[str] = list(PLACEHOLDERS)
    for rule in ReminderRule.objects.filter(property=prop):
        texts += [rule.name, rule.template, rule.gift_text, rule.subject]
    return tuple(t for t in texts if t)


def test_the_rule_pages_speak_english_around_the_rules_texts(
    admin_en: Client, prop: Property
) -> None:
    data = _rule_texts(prop)
    assert_english(admin_en, "/care/rules/", data)
    assert_english(admin_en, "/care/rules/new/", data)
    rule = ReminderRule.objects.filter(property=prop).first()
    assert rule is not None
    assert_english(admin_en, f"/care/rules/{rule.pk}/", data)


def test_the_campaign_form_speaks_english(admin_en: Client) -> None:
    assert_english(admin_en, "/care/campaigns/new/", PLACEHOLDERS + PREFERENCE_EXAMPLE)


def test_the_quota_pages_speak_english_around_the_occasions(admin_en: Client) -> None:
    data = tuple(DEFAULT_CONTACT_TOUCHPOINTS)
    page = assert_english(admin_en, "/collection/quotas/", data)
    assert "Guest information quotas" in page
    assert_english(admin_en, "/collection/quotas/settings/", data)


@pytest.fixture
def guest(prop: Property) -> Guest:
    from tests.factories import GuestFactory

    made: Guest = GuestFactory(full_name="欧阳娜娜", phones=["13800004444"])
    return made


def test_a_guest_class_page_and_quick_observation_speak_english(
    admin_en: Client, guest: Guest
) -> None:
    assert_english(admin_en, f"/classes/guests/{guest.pk}/", ("欧阳娜娜", "欧阳女士"))
    occasions = (*DEFAULT_CONTACT_TOUCHPOINTS, "日常服务")
    page = assert_english(
        admin_en, f"/collection/quick/{guest.pk}/", ("欧阳娜娜", "欧阳女士", *occasions)
    )
    assert "Save (for review)" in page
    assert_english(
        admin_en, "/collection/quick/?q=欧阳", ("欧阳娜娜", "欧阳女士", "欧阳")
    )


def test_the_banquet_menu_pages_speak_english(
    admin_en: Client, admin: User, guest: Guest
) -> None:
    menu = menu_create(
        actor=admin,
        guest=guest,
        data=MenuInput(
            event_date=date.today() - timedelta(days=3),
            occasion="寿宴",
            tables=2,
            covers=20,
        ),
    )
    menu_dish_add(actor=admin, menu=menu, name="清蒸石斑鱼")
    data = ("欧阳娜娜", "欧阳女士", "寿宴", "清蒸石斑鱼")

    assert_english(admin_en, f"/banquets/guest/{guest.pk}/", data)
    page = assert_english(admin_en, f"/banquets/menus/{menu.pk}/", data)
    assert "Rating of 清蒸石斑鱼" in page
    assert_english(admin_en, f"/banquets/menus/{menu.pk}/edit/", data)
    assert_english(admin_en, f"/banquets/menus/{menu.pk}/print/", data)


def test_the_registrations_queue_speaks_english(
    admin_en: Client, admin: User, prop: Property
) -> None:
    link_create(actor=admin, property=prop, kind="card", label="大堂二维码")
    registration_submit(
        property=prop,
        kind="card",
        data=CardInput(
            full_name="欧阳娜娜", mobile="13800138000", birth_date="1990-06-01"
        ),
    )

    page = assert_english(
        admin_en, "/collection/registrations/", ("欧阳娜娜", "欧阳女士", "大堂二维码")
    )
    assert "Self-service registration links" in page
    assert_english(admin_en, "/collection/registrations/new/card/")


def test_the_inbox_speaks_english_with_an_item(
    admin: User, make_staff: StaffMaker, guest: Guest
) -> None:
    colleague = make_staff("management", username="colleague")
    transfer_send(
        actor=admin,
        data=SendInput(kind="guest", item_id=guest.pk, target_kind="user",
                       target="colleague", note="请关照"),
    )  # fmt: skip

    page = assert_english(
        english_client(colleague), "/inbox/", ("欧阳娜娜", "欧阳女士", "请关照")
    )
    assert "Inbox" in page
    sent = assert_english(
        english_client(admin), "/inbox/sent/", ("欧阳娜娜", "欧阳女士", "请关照")
    )
    assert "to colleague" in sent


def test_a_refused_transfer_is_explained_in_english(admin_en: Client) -> None:
    response = admin_en.post(
        "/inbox/send/",
        {"kind": "guest", "item_id": "999999", "target_kind": "user", "user": "nobody"},
    )

    page = response.content.decode()
    assert "No colleague “nobody”" in page or "was not found" in page
    assert "找不到" not in page


def test_the_class_list_export_has_english_headings(
    admin_en: Client, guest: Guest
) -> None:
    response = admin_en.get("/classes/export/?format=csv")

    assert response.status_code == 200
    header = b"".join(response).decode("utf-8-sig").splitlines()[0]
    assert header.startswith("Profile no.,Name,")
    assert "档案号" not in header


def test_the_guest_page_speaks_english_around_consent(
    admin_en: Client, guest: Guest
) -> None:
    from dossier.care.services import consent_record

    consent_record(actor=None, guest=guest, channel="sms", purpose="marketing",
                   granted=False, source="退订")  # fmt: skip
    data = ("欧阳娜娜", "欧阳女士", "退订", "欧")
    page = assert_english(admin_en, f"/guests/{guest.pk}/", data)
    assert "Contact consent" in page
    assert "Opted out" in page
