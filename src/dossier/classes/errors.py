"""Errors of customer classes, each with a stable code and a message for staff."""

import enum


class ClassErrorCode(enum.StrEnum):
    INVALID_POLICY = "invalid_policy"
    INVALID_CLASS = "invalid_class"
    REASON_REQUIRED = "reason_required"
    NOT_PINNED = "not_pinned"
    INVALID_RATE = "invalid_rate"
    INVALID_MONTH = "invalid_month"
    INVALID_GUEST = "invalid_guest"


class ClassError(ValueError):
    """A change to classes was refused; ``field`` names the input at fault."""

    def __init__(self, code: ClassErrorCode, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
