"""Errors of messaging, each with a stable code and a message for staff."""

import enum


class MessageErrorCode(enum.StrEnum):
    INVALID_VALUE = "invalid_value"
    INVALID_ADDRESS = "invalid_address"
    NO_CONSENT = "no_consent"


class MessageError(ValueError):
    """A message was refused before it was queued; ``field`` names the input at fault."""

    def __init__(
        self, code: MessageErrorCode, message: str, *, field: str = ""
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
