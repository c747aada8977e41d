"""Errors of saved searches, with a code each door can map to its own form."""

from enum import Enum


class SearchErrorCode(Enum):
    NAME_TAKEN = "name_taken"
    NAME_EMPTY = "name_empty"
    NOT_OWNER = "not_owner"
    INVALID_FILTER = "invalid_filter"

    def __str__(self) -> str:
        return self.value


class SearchError(Exception):
    def __init__(self, code: SearchErrorCode, message: str, field: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
