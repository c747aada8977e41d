"""Fixtures of the transfer tests: the archive's (archivist, scheme, filing) and
the browser of the end-to-end tests."""

from tests.e2e.conftest import browser, page
from tests.records.conftest import archivist, file_case, minor, scheme

__all__ = ["archivist", "browser", "file_case", "minor", "page", "scheme"]
