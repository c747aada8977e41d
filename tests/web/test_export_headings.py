"""Every export's column headings read as headings in English: capitalised, and
meaning what the column holds."""

import re
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext, pgettext

import dossier

SOURCE = Path(dossier.__file__).parent
HEADING = re.compile(r'Column\(\s*(?:_|gettext)\("([^"]+)"\)')
IN_CONTEXT = re.compile(r'Column\(\s*pgettext\("([^"]+)", "([^"]+)"\)')


def _headings() -> list[tuple[str, str]]:
    found = []
    for path in sorted(SOURCE.glob("*/exports.py")):
        text = path.read_text(encoding="utf-8")
        with translation.override("en"):
            found += [(m, gettext(m)) for m in HEADING.findall(text)]
            found += [(m, pgettext(c, m)) for c, m in IN_CONTEXT.findall(text)]
    return found


def test_every_export_heading_is_translated_and_capitalised() -> None:
    headings = _headings()

    assert len(headings) > 100
    for msgid, english in headings:
        assert english != msgid, msgid
        assert english[:1].isupper(), (msgid, english)


@pytest.mark.parametrize(
    ("msgid", "english"),
    [("应还", "Due back"), ("内容", "Content"), ("建立", "Created")],
)
def test_headings_say_what_the_column_holds(msgid: str, english: str) -> None:
    assert (msgid, english) in _headings()
