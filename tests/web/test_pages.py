"""The shell of the web interface: login, dashboard, lookup box and language."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client

from dossier.core.models import Property
from dossier.guests.models import Guest, SpecialDate
from dossier.history.services import stay_record
from tests.factories import GuestFactory

pytestmark = pytest.mark.django_db


def test_pages_require_a_login() -> None:
    # given a visitor who has not logged in
    client = Client()

    # when they open the dashboard
    response = client.get("/")

    # then they are sent to the login page, coming back afterwards
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_dashboard_shows_an_arrival_with_its_allergy(
    nana: Guest, prop: Property, waiter_client: Client
) -> None:
    # given 欧阳娜娜 is expected today in room 1808
    today = prop.today()
    stay_record(
        property=prop,
        guest=nana,
        values={
            "room": "1808",
            "arrival": today,
            "departure": today + timedelta(days=2),
            "status": "reserved",
        },
    )

    # when a waiter opens the dashboard
    response = waiter_client.get("/")

    # then the arrival shows her room, honorific and allergy
    page = response.content.decode()
    arrivals = page[page.index('id="arrivals"') : page.index('id="birthdays"')]
    assert response.status_code == 200
    assert '<span class="room">1808</span>' in arrivals
    assert '<strong class="honorific">欧阳女士</strong>' in arrivals
    assert "过敏：花生" in arrivals


def test_dashboard_lists_birthdays_of_the_coming_week(
    nana: Guest, prop: Property, waiter_client: Client
) -> None:
    # given 欧阳娜娜's birthday is in three days, and another guest's in ten
    soon = prop.today() + timedelta(days=3)
    later = prop.today() + timedelta(days=10)
    SpecialDate.objects.create(
        guest=nana, kind="birthday", month=soon.month, day=soon.day
    )
    other = Guest.objects.create(property=prop, full_name="李静", surname="李")
    SpecialDate.objects.create(
        guest=other, kind="birthday", month=later.month, day=later.day
    )

    # when the dashboard is opened
    response = waiter_client.get("/")

    # then only her birthday is listed, with its date
    page = response.content.decode()
    birthdays = page[page.index('id="birthdays"') :]
    assert f"{soon.month}月{soon.day}日" in birthdays
    assert "欧阳女士" in birthdays
    assert "李静" not in birthdays


def test_lookup_fragment_by_mobile_tail_shows_the_honorific(
    nana: Guest, waiter_client: Client
) -> None:
    # given 欧阳娜娜 with mobile 13800004444

    # when the lookup box asks for "4444" through htmx
    response = waiter_client.get("/lookup/?q=4444", headers={"HX-Request": "true"})

    # then the fragment (not a whole page) shows her card row
    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert '<strong class="honorific">欧阳女士</strong>' in content
    assert "138****4444" in content
    assert f'href="/guests/{nana.pk}/"' in content


def test_lookup_page_without_htmx_is_a_whole_page(
    nana: Guest, waiter_client: Client
) -> None:
    # when the lookup page is opened directly
    response = waiter_client.get("/lookup/?q=欧阳")

    # then it is the full layout with the result
    content = response.content.decode()
    assert "<html" in content
    assert "欧阳女士" in content


def test_lookup_fragment_says_when_nothing_matches(waiter_client: Client) -> None:
    # when nobody matches
    response = waiter_client.get("/lookup/?q=9999", headers={"HX-Request": "true"})

    # then the fragment says so
    assert "没有找到与“9999”匹配的客人" in response.content.decode()


def test_english_interface_on_request() -> None:
    # given a visitor who chose English
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    # when they open the login page
    response = client.get("/accounts/login/")

    # then it speaks English
    content = response.content.decode()
    assert '<html lang="en">' in content
    assert "Log in" in content
    assert "登录" not in content


def test_chinese_interface_by_default() -> None:
    # when a visitor opens the login page without choosing a language
    response = Client().get("/accounts/login/")

    # then it is in Simplified Chinese
    content = response.content.decode()
    assert '<html lang="zh-Hans">' in content
    assert "<h1>登录</h1>" in content


def test_language_switch_sets_english(waiter_client: Client) -> None:
    # when the user picks English in the header
    response = waiter_client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    # then the next page is in English
    assert response.status_code == 302
    page = waiter_client.get("/").content.decode()
    assert "Dashboard" in page
    assert "Arrivals today" in page


def test_dashboard_queries_do_not_grow_with_arrivals(
    prop: Property,
    manager_client: Client,
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    # given twelve arrivals today, each with a birthday this week
    today = prop.today()
    for n in range(12):
        guest = GuestFactory(full_name=f"张{n}", phones=[f"1380000{n:04d}"])
        stay_record(
            property=prop,
            guest=guest,
            values={
                "room": f"{800 + n}",
                "arrival": today,
                "departure": today + timedelta(days=1),
                "status": "reserved",
            },
        )
        SpecialDate.objects.create(
            guest=guest, kind="birthday", month=today.month, day=today.day
        )

    # when a manager opens the dashboard, then it stays within a fixed budget
    with django_assert_max_num_queries(15):
        response = manager_client.get("/")
    assert response.content.decode().count('<span class="room">') == 12


def test_chinese_even_when_the_browser_asks_for_english(client):
    response = client.get("/accounts/login/", headers={"Accept-Language": "en-US,en"})

    assert response.headers["Content-Language"] == "zh-hans"


def test_english_once_the_user_chooses_it(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})

    response = client.get("/accounts/login/")

    assert response.headers["Content-Language"] == "en"


def test_after_an_english_request_the_thread_speaks_the_house_language(client):
    from django.utils import translation

    # given a request served in English
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    client.get("/accounts/login/")

    # then what runs next in the thread (a job, a command, a test) is in Chinese
    assert translation.get_language() == "zh-hans"
    assert translation.gettext("登录") == "登录"


def test_the_arrival_count_is_all_of_today_not_the_list(
    client, make_staff, monkeypatch
):
    from datetime import timedelta

    from django.utils import timezone

    from dossier.web import selectors
    from tests.factories import GuestFactory, add_stay

    # given three reserved arrivals and one cancelled one today, and a list of two
    monkeypatch.setattr(selectors, "ARRIVALS_LIMIT", 2)
    for n in range(4):
        add_stay(
            GuestFactory(full_name=f"到店{n}"),
            days_ago=0,
            room="",
            status="cancelled" if n == 3 else "reserved",
            external_ref=f"A{n}",
            arrival=timezone.localdate(),
            departure=timezone.localdate() + timedelta(days=1),
        )
    client.force_login(make_staff("front_office"))

    page = client.get("/").content.decode()

    assert '<span class="stat-value">3</span>' in page
    assert "显示 3 位中的前 2 位" in page
    assert "待分房" in page


def test_a_refusal_is_a_page_in_the_house_language(client, waiter):
    from dossier.guests.models import IdentityDocument
    from tests.factories import GuestFactory, resident_id

    GuestFactory(full_name="张三", id_numbers=[resident_id()])
    document = IdentityDocument.objects.get()
    client.force_login(waiter)

    response = client.post(f"/guests/documents/{document.pk}/reveal/")

    assert response.status_code == 403
    assert "您的岗位不能查看或执行这项内容" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "told"),
    [
        ("zh-hans", "页面已过期，未保存任何内容"),
        ("en", "This page has expired; nothing was saved"),
    ],
)
def test_a_form_sent_with_an_expired_token_is_a_house_page_saying_what_to_do(
    manager, language, told
):
    # given a guest form left open while its security token went stale
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    client.cookies["django_language"] = language
    client.get("/guests/new/")

    # when it is sent with a token that no longer matches
    response = client.post(
        "/guests/new/",
        {"full_name": "张三", "csrfmiddlewaretoken": "x" * 64},
        headers={"accept-language": language},
    )

    # then the house's page says nothing was saved and how to go on, in the
    # user's language, and never asks staff to turn on debugging
    page = response.content.decode()
    assert response.status_code == 403
    assert told in page
    assert "DEBUG" not in page
    assert Guest.objects.count() == 0


def test_a_field_over_its_limits_says_so_in_plain_chinese(manager) -> None:
    # given a clerk filing a name of 101 characters and a negative room rate
    client = Client()
    client.force_login(manager)
    data = {"full_name": "张" * 101, "guest_class": "C", "id_type": "resident_id"}

    # when the form is sent
    response = client.post("/guests/new/", {**data, "usual_rate": "-1"})

    # then each limit is said as staff say it, not as a programmer would
    page = response.content.decode()
    assert "过长：最多 100 个字，现有 101 个字。" in page
    assert "不能小于 0。" in page
    assert "变量" not in page


def test_the_icon_is_found_without_a_login() -> None:
    # given a browser that asks for /favicon.ico before anyone logs in
    client = Client()

    # when it asks
    response = client.get("/favicon.ico")

    # then it is sent to the icon the pages link
    assert response.status_code == 302
    assert response["Location"] == "/static/web/favicon.svg"


def test_the_navigation_offers_import_only_to_those_who_may_import(
    waiter_client: Client, manager_client: Client
) -> None:
    # when a waiter and a manager open the dashboard
    waiter_page = waiter_client.get("/").content.decode()
    manager_page = manager_client.get("/").content.decode()

    # then only the manager, who may import, is offered the import page
    assert 'href="/imports/"' not in waiter_page
    assert 'href="/imports/"' in manager_page


def test_the_language_list_names_each_language_in_itself(
    waiter_client: Client,
) -> None:
    page = waiter_client.get("/").content.decode()

    assert ">简体中文</option>" in page
    assert ">English</option>" in page


@pytest.mark.parametrize(
    ("language", "chip", "written"),
    [("zh-hans", "{m}月{d}日", "1969年{m}月{d}日"), ("en", "{m:02}-{d:02}", "1969-{m:02}-{d:02}")],
)  # fmt: skip
def test_a_birthday_on_the_dashboard_is_written_one_way_per_language(
    prop: Property, waiter_client: Client, language: str, chip: str, written: str
) -> None:
    # given a guest born in 1969 whose birthday is two days ahead
    ahead = prop.today() + timedelta(days=2)
    guest = GuestFactory(full_name="欧阳娜娜")
    SpecialDate.objects.create(
        guest=guest, kind="birthday", year=1969, month=ahead.month, day=ahead.day
    )
    waiter_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    # when the dashboard opens in the language
    page = waiter_client.get("/").content.decode()
    birthdays = page[page.index('id="birthdays"') :]

    # then this year's day and the date itself are written the same way
    day = {"m": ahead.month, "d": ahead.day}
    assert f">{chip.format(**day)}</span>" in birthdays
    assert f">{written.format(**day)}</span>" in birthdays
