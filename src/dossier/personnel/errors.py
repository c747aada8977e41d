"""Errors of the personnel archive, each with a stable code and a message for staff."""

import enum


class PersonnelErrorCode(enum.StrEnum):
    INVALID_VALUE = "invalid_value"
    INVALID_ID_NUMBER = "invalid_id_number"
    NUMBER_TAKEN = "number_taken"
    DOCUMENTS_MISSING = "documents_missing"
    WRONG_STATUS = "wrong_status"
    NOT_ALLOWED = "not_allowed"
    IDENTITY_MISMATCH = "identity_mismatch"
    SEAL_BROKEN = "seal_broken"


class PersonnelError(ValueError):
    """A change to the personnel archive was refused; ``field`` names the input at fault.

    ``missing`` lists, for a refused document check, each requirement not met.
    """

    def __init__(
        self,
        code: PersonnelErrorCode,
        message: str,
        *,
        field: str = "",
        missing: list[str] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.missing = missing or []
