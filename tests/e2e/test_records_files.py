"""On a 390 px phone, with the keyboard: attach a file to a case, send it to a
colleague, and open it from their inbox."""

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from tests.records.conftest import FileCase, archivist, file_case, minor, scheme
from tests.transfer.files import media, pdf_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
__all__ = ["archivist", "file_case", "media", "minor", "scheme"]


def _login(page: Any, url: str, username: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-Dossier-1")
    page.press("input[name=password]", "Enter")
    page.wait_for_url(f"{url}/")


def _fits(page: Any) -> bool:
    width: int = page.evaluate("document.documentElement.scrollWidth")
    return width <= 390


def test_attach_send_and_open_on_a_phone(
    live_server: Any,
    page: Any,
    archivist: User,
    manager: User,
    file_case: FileCase,
    media: Path,
    tmp_path: Path,
) -> None:
    # given a filed case and a scanned contract on the archivist's phone
    case = file_case(title="年度布草洗涤合同").case
    scan = tmp_path / "洗涤合同.pdf"
    scan.write_bytes(pdf_bytes("布草洗涤服务合同", "发票按月开具"))
    page.set_viewport_size({"width": 390, "height": 844})
    _login(page, live_server.url, "archivist")

    # when the archivist attaches it and previews it
    page.goto(f"{live_server.url}/records/cases/{case.pk}/files/")
    assert _fits(page)
    page.set_input_files("input[name=file]", str(scan))
    page.focus("input[name=note]")
    page.keyboard.type("扫描件")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/records/cases/{case.pk}/files/")
    page.get_by_role("link", name="洗涤合同.pdf").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/preview/")
    assert "布草洗涤服务合同" in page.locator("main").inner_text()
    assert _fits(page)

    # and sends it to the manager with the keyboard
    page.get_by_role("link", name="传送").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/inbox/send/**")
    assert _fits(page)
    page.focus("input[name=user]")
    page.keyboard.type("manager")
    page.focus("textarea[name=note]")
    page.keyboard.type("请核对发票条款")
    page.locator("button[type=submit]", has_text="发送").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/inbox/")

    # then the manager finds it unread in the inbox and opens it
    page.context.clear_cookies()
    _login(page, live_server.url, "manager")
    page.goto(f"{live_server.url}/inbox/")
    assert "1 件未读" in page.locator("main").inner_text()
    assert _fits(page)
    page.get_by_role("link", name="洗涤合同.pdf").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/inbox/*/")
    assert "请核对发票条款" in page.locator("main").inner_text()
    page.screenshot(path=str(tmp_path / "delivery.png"))
