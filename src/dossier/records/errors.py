"""Errors of the document archive, each with a stable code and a message for staff."""

import enum


class RecordsErrorCode(enum.StrEnum):
    NOT_FOUND = "not_found"
    INVALID_VALUE = "invalid_value"
    NOT_A_LEAF = "not_a_leaf"
    NUMBER_TAKEN = "number_taken"
    NUMBERS_EXHAUSTED = "numbers_exhausted"
    BAD_TEMPLATE = "bad_template"
    CODE_REUSED = "code_reused"
    WRONG_STATUS = "wrong_status"
    NOT_APPROVED = "not_approved"
    ON_LOAN = "on_loan"
    ON_HOLD = "on_hold"
    NOT_PERMITTED = "not_permitted"
    NOTHING_DUE = "nothing_due"
    FILE_TOO_LARGE = "file_too_large"
    FILE_EMPTY = "file_empty"
    FILE_DAMAGED = "file_damaged"


class RecordsError(ValueError):
    """A change to the archive was refused; ``field`` names the input at fault."""

    def __init__(
        self, code: RecordsErrorCode, message: str, *, field: str = ""
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
