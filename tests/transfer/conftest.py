"""The archive fixtures (archivist, scheme, a minor class, filing) for transfer tests."""

from tests.records.conftest import archivist, file_case, minor, scheme

__all__ = ["archivist", "file_case", "minor", "scheme"]
