"""Every API error is JSON with a stable code and a message in the user's language."""

import enum


class ApiErrorCode(enum.StrEnum):
    NOT_AUTHENTICATED = "not_authenticated"
    FORBIDDEN = "forbidden"
    CSRF_FAILED = "csrf_failed"
    NOT_FOUND = "not_found"
    INVALID = "invalid"
    THROTTLED = "throttled"
    SERVER_ERROR = "server_error"
