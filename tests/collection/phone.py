"""A phone-sized Chromium page for one test module.

The browser of ``tests/e2e`` lives for the whole session; this one is started and
stopped within a module, so the two never run at once in a process.
"""

import os
import shutil
import tempfile
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import ARGS, CHROMIUM

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def phone_browser() -> Iterator[Any]:
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        profile = tempfile.mkdtemp(prefix="dossier-phone-")
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            headless=True,
            args=ARGS,
            locale="zh-CN",
            viewport=PHONE,
        )
        yield context
        context.close()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def phone(phone_browser: Any) -> Iterator[Any]:
    page = phone_browser.new_page()
    yield page
    page.close()
    phone_browser.clear_cookies()


def fits_phone(page: Any) -> bool:
    """Whether the page, once loaded, is no wider than the phone's screen."""
    page.wait_for_load_state("load")
    page.wait_for_function("document.documentElement !== null")
    width: int = page.evaluate("document.documentElement.scrollWidth")
    return width <= PHONE["width"]
