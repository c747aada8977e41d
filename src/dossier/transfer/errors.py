"""Errors of sending files, each with a stable code and a message for staff."""

import enum


class TransferErrorCode(enum.StrEnum):
    NOT_FOUND = "not_found"
    NO_RECIPIENT = "no_recipient"
    NOT_VISIBLE = "not_visible"
    INVALID_VALUE = "invalid_value"


class TransferError(ValueError):
    """A send was refused; ``field`` names the input at fault."""

    def __init__(
        self, code: TransferErrorCode, message: str, *, field: str = ""
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
