"""Helpers of the English-interface tests: a client that chose English and a check
that a page has no Chinese left, characters or punctuation, beyond the data it shows."""

import re

from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
# Full-width punctuation that has an English form: ：（），；、。！？
CHINESE_PUNCTUATION = re.compile(
    r"[\uff1a\uff08\uff09\uff0c\uff1b\u3001\u3002\uff01\uff1f]+"
)
_HIDDEN = re.compile(r"<(script|style)\b.*?</\1>", re.S)

# Shown in every language: the name of the language itself and the default property.
ALWAYS = ("简体中文", "本店")


def english_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def han_left(html: str, data: tuple[str, ...] = ()) -> list[str]:
    """Each run of Chinese characters or punctuation left once the given data strings
    are removed."""
    text = _HIDDEN.sub("", html)
    for known in sorted(ALWAYS + data, key=len, reverse=True):
        text = text.replace(known, "")
    found = []
    for match in (*HAN.finditer(text), *CHINESE_PUNCTUATION.finditer(text)):
        start, end = match.span()
        found.append(text[max(0, start - 40) : end + 20].replace("\n", " "))
    return found


def assert_english(client: Client, url: str, data: tuple[str, ...] = ()) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    html = response.content.decode()
    assert '<html lang="en">' in html
    left = han_left(html, data)
    assert not left, f"{url}: Chinese left: {left[:15]}"
    return html
