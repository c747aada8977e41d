"""Full-page screenshots of Dossier pages in Debian's headless Chromium.

    .venv/bin/python scripts/screenshots.py http://127.0.0.1:8000 USER PASSWORD \
        OUT_DIR NAME=PATH [NAME=PATH ...]

Logs in once, then saves OUT_DIR/NAME.png for each PATH (e.g.
``analyses-profile-restaurant=/analyses/profile/?start=2016-08-01&end=2016-08-31``),
1280 px wide, in Chinese. Used for the screenshots in docs/screenshots/.
"""

import os
import shutil
import sys
import tempfile
from pathlib import Path

CHROMIUM = os.environ.get("DOSSIER_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]


def main(base: str, user: str, password: str, out: str, shots: list[str]) -> None:
    from playwright.sync_api import sync_playwright

    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    profile = tempfile.mkdtemp(prefix="dossier-shots-")
    try:
        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                profile, executable_path=CHROMIUM, headless=True, args=ARGS,
                locale="zh-CN", viewport={"width": 1280, "height": 900},
            )  # fmt: skip
            page = context.new_page()
            page.goto(f"{base}/accounts/login/")
            page.fill("input[name=username]", user)
            page.fill("input[name=password]", password)
            page.click("button[type=submit], input[type=submit]")
            page.wait_for_load_state("networkidle")
            for shot in shots:
                name, path = shot.split("=", 1)
                page.goto(f"{base}{path}")
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
                print(folder / f"{name}.png")
            context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) < 6:
        sys.exit(__doc__)
    main(*sys.argv[1:5], sys.argv[5:])
