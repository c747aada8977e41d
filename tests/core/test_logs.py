"""The console log: refused requests in one line, server errors with their traceback."""

import logging
import sys

from dossier.core.logs import ClientErrorsPlain


def _record(status: int) -> logging.LogRecord:
    try:
        raise PermissionError("refused")
    except PermissionError:
        info = sys.exc_info()
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Forbidden: /x", (), info
    )
    record.status_code = status
    return record


def test_a_refused_request_is_logged_without_its_traceback() -> None:
    # given a 403 logged by Django with the exception
    record = _record(403)

    # when the console filter sees it
    kept = ClientErrorsPlain().filter(record)

    # then the line is kept, the traceback is not
    assert kept is True
    assert record.exc_info is None
    assert "Traceback" not in logging.Formatter().format(record)


def test_a_server_error_keeps_its_traceback() -> None:
    record = _record(500)

    ClientErrorsPlain().filter(record)

    assert record.exc_info is not None
    assert "Traceback" in logging.Formatter().format(record)
