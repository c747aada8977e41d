"""Errors of the guest archive, each with a stable code and a message for staff."""

import enum


class GuestErrorCode(enum.StrEnum):
    INVALID_ID_NUMBER = "invalid_id_number"
    INVALID_PHONE = "invalid_phone"
    INVALID_NAME = "invalid_name"
    INVALID_VALUE = "invalid_value"
    NOT_FOUND = "not_found"
    ALREADY_REVIEWED = "already_reviewed"


class GuestError(ValueError):
    """A change to a profile was refused; ``field`` names the input at fault."""

    def __init__(self, code: GuestErrorCode, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
