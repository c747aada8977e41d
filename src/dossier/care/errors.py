"""Errors of care, each with a stable code and a message for staff."""

import enum


class CareErrorCode(enum.StrEnum):
    INVALID_VALUE = "invalid_value"
    NOT_ALLOWED = "not_allowed"
    NOT_OPEN = "not_open"
    NOT_FOUND = "not_found"


class CareError(ValueError):
    """A change of care was refused; ``field`` names the input at fault."""

    def __init__(self, code: CareErrorCode, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
