"""A range whose end comes before its start is refused, saying which range and how."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from dossier.search.models import SavedSearch

pytestmark = pytest.mark.django_db

RANGES = [
    ("birth_from", "birth_to", "出生日期"),
    ("visit_from", "visit_to", "最近到访日期"),
    ("created_from", "created_to", "建档日期"),
]


def _message(label):
    return f"{label}范围颠倒：结束日期 2020-01-01 早于开始日期 2021-06-30"


@pytest.mark.parametrize(("start", "end", "label"), RANGES)
def test_saving_an_inverted_range_on_the_page(searcher, start, end, label):
    # when a clerk saves a search whose range runs backwards
    response = searcher.post(
        "/search/saved/",
        {"name": "倒序", "q": "王", start: "2021-06-30", end: "2020-01-01"},
    )

    # then nothing is saved, the message names the range, and the filters come back
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert response.status_code == 302
    assert shown == ["检索未保存：" + _message(label)]
    assert f"{start}=2021-06-30" in response["Location"]
    assert SavedSearch.objects.count() == 0


@pytest.mark.parametrize(("start", "end", "label"), RANGES)
def test_saving_an_inverted_range_through_the_api(searcher, start, end, label):
    response = searcher.post(
        "/api/v1/search/saved",
        {"name": "倒序", start: "2021-06-30", end: "2020-01-01"},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert response.json()["message"] == _message(label)
    assert SavedSearch.objects.count() == 0


@pytest.mark.parametrize(("start", "end", "label"), RANGES)
def test_searching_an_inverted_range_on_the_page(searcher, start, end, label):
    response = searcher.get(
        "/search/", {"q": "王", start: "2021-06-30", end: "2020-01-01"}
    )

    assert _message(label) in response.content.decode()


def test_a_bad_date_names_its_field(searcher):
    response = searcher.post(
        "/search/saved/", {"name": "坏日期", "birth_to": "2020-13-01"}
    )

    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert shown == ["检索未保存：出生日期截止：输入一个有效的日期。"]


def test_a_search_without_a_name_asks_for_one(searcher):
    response = searcher.post("/search/saved/", {"q": "王"})

    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert shown == ["请填写检索名称"]


@pytest.fixture
def searcher(manager):
    client = Client()
    client.force_login(manager)
    return client
