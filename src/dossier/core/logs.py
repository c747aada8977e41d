"""Logging filters of the ``dossier`` console log."""

import logging


class ClientErrorsPlain(logging.Filter):
    """A refused request (403, 404 …) is logged in one line: its traceback tells the
    operator nothing, since the product refused it on purpose. Server errors keep
    theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
