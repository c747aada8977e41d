"""A refused request (422) explains itself wholly in the session's language: each
detail names the field and says what is wrong, without pydantic's English."""

import json
import re

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from dossier.api.validation import error_message

pytestmark = pytest.mark.django_db


def _client(user: User, language: str) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.mark.parametrize(
    ("language", "params", "message"),
    [
        ("zh-hans", {"limit": 0}, "提交的数据有误：limit 不能小于 1"),
        ("zh-hans", {"limit": 201}, "提交的数据有误：limit 不能大于 200"),
        ("zh-hans", {"limit": "many"}, "提交的数据有误：limit 应为整数"),
        ("en", {"limit": 0}, "The submitted data is invalid: limit must be at least 1"),
        ("en", {"limit": 201}, "The submitted data is invalid: limit must be at most 200"),
        ("en", {"limit": "many"}, "The submitted data is invalid: limit must be a whole number"),
    ],
)  # fmt: skip
def test_a_page_out_of_bounds_is_explained_in_the_sessions_language(
    manager: User, language: str, params: dict[str, object], message: str
) -> None:
    response = _client(manager, language).get(
        "/api/v1/collection/registrations", params
    )

    body = response.json()
    assert response.status_code == 422
    assert body["message"] == message
    assert body["errors"][0]["loc"] == ["query", "limit"]
    assert body["errors"][0]["msg"] == message.split(": ", 1)[-1].split("：", 1)[-1]
    if language == "zh-hans":
        assert not re.search("[A-Za-z]{3,}", body["message"].replace("limit", ""))


@pytest.mark.parametrize(
    ("language", "payload", "detail"),
    [
        ("zh-hans", {}, "缺少字段 full_name"),
        ("en", {}, "full_name is missing"),
        ("zh-hans", {"full_name": "x", "usual_rate": "1.005"}, "usual_rate 最多 2 位小数"),
        ("en", {"full_name": "x", "usual_rate": "1.005"},
         "usual_rate may have at most 2 decimal places"),
        ("zh-hans", {"full_name": "x", "usual_rate": "abc"}, "usual_rate 应为数字"),
        ("en", {"full_name": 5}, "full_name must be text"),
    ],
)  # fmt: skip
def test_a_bad_body_names_the_field_in_the_sessions_language(
    manager: User, language: str, payload: dict[str, object], detail: str
) -> None:
    response = _client(manager, language).post(
        "/api/v1/guests", json.dumps(payload), content_type="application/json"
    )

    assert response.status_code == 422
    assert [e["msg"] for e in response.json()["errors"]] == [detail]


@pytest.mark.parametrize(
    ("language", "error", "detail"),
    [
        ("zh-hans", {"type": "string_too_long", "loc": ["body", "payload", "name"],
                     "ctx": {"max_length": 60}}, "name 最多 60 个字符"),
        ("en", {"type": "string_too_long", "loc": ["body", "payload", "name"],
                "ctx": {"max_length": 60}}, "name may be at most 60 characters long"),
        ("en", {"type": "literal_error", "loc": ["query", "kind"],
                "ctx": {"expected": "'card' or 'stay'"}}, "kind must be one of: card, stay"),
        ("zh-hans", {"type": "literal_error", "loc": ["query", "kind"],
                     "ctx": {"expected": "'card' or 'stay'"}}, "kind 应为以下之一：card、stay"),
        ("en", {"type": "something_new", "loc": ["body", "payload", "lines", 2, "qty"]},
         "lines[2].qty is not valid"),
        ("zh-hans", {"type": "value_error", "loc": ["body", "payload", "birth_date"],
                     "msg": "Value error, 生日不是真实的日期"}, "生日不是真实的日期"),
    ],
)  # fmt: skip
def test_each_kind_of_problem_reads_in_the_language(
    language: str, error: dict[str, object], detail: str
) -> None:
    from django.utils import translation

    with translation.override(language):
        assert error_message(error) == detail
