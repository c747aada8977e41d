"""The replies inbox and the SMS preview page."""

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.utils import timezone

from dossier.messaging.services import reply_handle
from tests.conftest import StaffMaker

pytestmark = pytest.mark.django_db


@pytest.fixture
def marketer(make_staff: StaffMaker) -> User:
    user = make_staff("marketing")
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="messaging",
            codename__in=["view_inboundmessage", "add_message"],
        )
    )
    return User.objects.get(pk=user.pk)


def test_the_inbox_shows_questions_not_opt_outs(client: Client, marketer: User) -> None:
    reply_handle(from_e164="+8613800138020", text="T恤还有吗", provider_id="a")
    reply_handle(from_e164="+8613800138021", text="退订", provider_id="b")
    client.force_login(marketer)

    page = client.get("/messaging/inbox/").content.decode()

    assert "T恤还有吗" in page
    assert "退订" not in page.split("<main", 1)[-1]


def test_the_inbox_needs_the_permission(client: Client, make_staff: StaffMaker) -> None:
    client.force_login(make_staff("fnb"))

    assert client.get("/messaging/inbox/").status_code == 403


def test_the_preview_fragment_shows_parts_and_cost(
    client: Client, marketer: User
) -> None:
    client.force_login(marketer)

    fragment = client.get(
        "/messaging/preview/", {"text": "欧" * 71}, headers={"HX-Request": "true"}
    ).content.decode()

    assert "71 字" in fragment
    assert "分 2 条发送" in fragment
    assert "¥0.10" in fragment


def test_the_inbox_exports_what_it_lists(client: Client, marketer: User) -> None:
    # given a question with a control character and an opt-out
    reply_handle(from_e164="+8613800138020", text="@T恤\x07还有吗", provider_id="a")
    reply_handle(from_e164="+8613800138021", text="退订", provider_id="b")
    client.force_login(marketer)

    # when
    raw = client.get("/messaging/inbox/?export=csv").content

    # then the question is there as text, the bell replaced, the opt-out left out
    assert raw.startswith("\ufeff".encode())
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "收到时间,号码,客人,内容"
    assert len(lines) == 2
    assert lines[1].endswith(",'@T恤 还有吗")
    assert client.get("/messaging/inbox/?export=xlsx").status_code == 200


def test_the_inbox_shows_replies_of_guests_at_ones_own_property(
    client: Client, marketer: User
) -> None:
    from dossier.core.models import Property
    from tests.factories import GuestFactory

    # given a guest of another property who replies, and an unknown number
    other = Property.objects.create(code="branch", name="分店")
    GuestFactory(full_name="分店客人", property=other, phones=["13800138030"])
    reply_handle(from_e164="+8613800138030", text="分店的问题", provider_id="c")
    reply_handle(from_e164="+8613800138031", text="陌生号码的问题", provider_id="d")
    client.force_login(marketer)

    # when
    page = client.get("/messaging/inbox/").content.decode()
    exported = client.get("/messaging/inbox/?export=csv").content.decode("utf-8-sig")

    # then
    assert "陌生号码的问题" in page
    assert "分店的问题" not in page
    assert "分店的问题" not in exported


def test_the_navigation_links_the_replies_with_the_count_not_handled(
    client: Client, marketer: User
) -> None:
    # given two questions and an opt-out
    reply_handle(from_e164="+8613800138020", text="T恤还有吗", provider_id="a")
    reply_handle(from_e164="+8613800138021", text="几点开门", provider_id="b")
    reply_handle(from_e164="+8613800138022", text="退订", provider_id="c")
    client.force_login(marketer)

    # when any page opens
    page = client.get("/").content.decode()

    # then the main navigation leads to the replies and counts the two questions
    nav = page.split('<nav class="mainnav"', 1)[1].split("</nav>", 1)[0]
    assert (
        '<a href="/messaging/inbox/">短信回复 <span class="nav-count" '
        'aria-label="2 条未处理">2</span></a>'
    ) in nav


def test_the_navigation_has_no_replies_link_without_the_permission(
    client: Client, make_staff: StaffMaker
) -> None:
    reply_handle(from_e164="+8613800138020", text="T恤还有吗", provider_id="a")
    client.force_login(make_staff("fnb"))

    page = client.get("/").content.decode()

    assert "/messaging/inbox/" not in page


def test_a_reply_marked_handled_leaves_the_count_and_names_who_handled_it(
    client: Client, marketer: User
) -> None:
    # given two questions
    first = reply_handle(from_e164="+8613800138020", text="T恤还有吗", provider_id="a")
    reply_handle(from_e164="+8613800138021", text="几点开门", provider_id="b")
    marketer.first_name, marketer.last_name = "晓东", "陈"
    marketer.save()
    client.force_login(marketer)

    # when one is marked handled, twice (a second click changes nothing)
    response = client.post(f"/messaging/inbox/{first.pk}/handled/", {"page": "1"})
    first.refresh_from_db()
    handled_at = first.handled_at
    client.post(f"/messaging/inbox/{first.pk}/handled/")
    first.refresh_from_db()

    # then it is recorded once, the inbox says who, and one is left to handle
    assert response.status_code == 302
    assert response["Location"] == "/messaging/inbox/?page=1"
    assert first.handled_by_id == marketer.pk
    assert first.handled_at == handled_at
    page = client.get("/messaging/inbox/").content.decode()
    assert "1 条未处理" in page
    assert f"陈晓东 已于 {timezone.localtime(handled_at):%Y-%m-%d %H:%M} 处理" in page
    assert 'aria-label="1 条未处理">1</span>' in page


def test_a_reply_of_a_guest_one_may_not_see_cannot_be_marked(
    client: Client, marketer: User
) -> None:
    from dossier.core.models import Property
    from tests.factories import GuestFactory

    other = Property.objects.create(code="branch", name="分店")
    GuestFactory(full_name="分店客人", property=other, phones=["13800138030"])
    reply = reply_handle(from_e164="+8613800138030", text="分店的问题", provider_id="c")
    client.force_login(marketer)

    response = client.post(f"/messaging/inbox/{reply.pk}/handled/")

    assert response.status_code == 404
    reply.refresh_from_db()
    assert reply.handled_at is None


def test_the_inbox_with_replies_speaks_english(marketer: User) -> None:
    from tests.web.english import assert_english, english_client

    # given a reply handled and one not
    first = reply_handle(from_e164="+8613800138020", text="T恤还有吗", provider_id="a")
    reply_handle(from_e164="+8613800138021", text="几点开门", provider_id="b")
    client = english_client(marketer)
    client.post(f"/messaging/inbox/{first.pk}/handled/")

    # when / then only the guests' words stay Chinese, beside the English interface
    html = assert_english(client, "/messaging/inbox/", ("T恤还有吗", "几点开门"))
    assert "1 not handled" in html
    assert "Mark handled" in html


def test_the_care_tabs_lead_to_the_replies(client: Client, marketer: User) -> None:
    client.force_login(marketer)

    page = client.get("/care/tasks/").content.decode()

    tabs = page.split('<nav class="tabs"', 1)[1].split("</nav>", 1)[0]
    assert '<a href="/messaging/inbox/">短信回复</a>' in tabs
