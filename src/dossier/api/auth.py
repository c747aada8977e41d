"""API authentication: the browser's session, or a bearer token of an integration."""

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer

from dossier.core.models import ApiToken

TOKEN_TOUCH_EVERY = timedelta(minutes=1)


class CsrfRefused(Exception):
    """A write of the browser session without the page's CSRF token."""


def token_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user``; the clear key is returned once and never stored."""
    key = "dsr_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        name=name, user=user, key_hash=token_hash(key), prefix=key[:8]
    )
    return token, key


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = (
            ApiToken.objects.select_related("user", "user__staff__property")
            .filter(key_hash=token_hash(token), revoked_at__isnull=True)
            .first()
        )
        if found is None or not found.user.is_active:
            return None
        now = timezone.now()
        # A write per request would queue every API read behind a long import on
        # SQLite; once a minute is enough to tell a token is in use.
        if found.last_used_at is None or now - found.last_used_at > TOKEN_TOUCH_EVERY:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user


class SessionAuth(APIKeyCookie):
    """The logged-in browser session, with Django's CSRF check on writes."""

    param_name = "sessionid"

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest) -> str | None:
        # Without a logged-in session there is nothing to protect from CSRF; the
        # request is simply not authenticated (401), not forbidden.
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        try:
            return super()._get_key(request)
        except HttpError:
            raise CsrfRefused from None

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None
