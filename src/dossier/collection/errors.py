"""Errors of the collection regime; the API answers them like any refused change."""

from dossier.guests.errors import GuestError, GuestErrorCode


class CollectionError(GuestError):
    """A change was refused; ``field`` names the input at fault."""

    def __init__(
        self,
        message: str,
        *,
        field: str = "",
        code: GuestErrorCode = GuestErrorCode.INVALID_VALUE,
    ) -> None:
        super().__init__(code, message, field=field)


class FieldsInvalid(CollectionError):
    """Several inputs are wrong at once; ``errors`` maps each field to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        first = next(iter(errors))
        super().__init__(errors[first], field=first)
        self.errors = errors
