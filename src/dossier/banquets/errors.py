"""Errors of banquet menus; the API answers them like any refused change to a profile."""

from dossier.guests.errors import GuestError, GuestErrorCode


class BanquetError(GuestError):
    """A change to a banquet menu was refused; ``field`` names the input at fault."""

    def __init__(
        self,
        message: str,
        *,
        field: str = "",
        code: GuestErrorCode = GuestErrorCode.INVALID_VALUE,
    ) -> None:
        super().__init__(code, message, field=field)
