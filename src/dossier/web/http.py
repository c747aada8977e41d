"""The request type of the web views: Django's request with django-htmx's details."""

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def request_actor(request: HttpRequest) -> User:
    """The logged-in user acting in ``request``; anonymous requests are refused."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user
