"""Everything needs a login, except the login page, static files, the icon, the API, the
registration card a guest fills in on their own phone (``/collection/r/<token>/``) and
the SMS gateway's callback.

The API authenticates on its own (session or token) and answers in JSON; the callback
checks the gateway's signature.
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils import translation

_OPEN_PREFIXES = (
    "/accounts/login/",
    "/static/",
    "/api/",
    "/i18n/",
    "/healthz",
    "/collection/r/",
    "/messaging/sms/callback/",
    "/favicon.ico",
)


class LoginRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated or request.path.startswith(_OPEN_PREFIXES):
            return self.get_response(request)
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)


class ChosenLanguageMiddleware:
    """Simplified Chinese unless the user chose another language in Dossier.

    Unlike Django's ``LocaleMiddleware`` the browser's Accept-Language is not consulted:
    a desk terminal with an English system still shows the house's language.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            # The thread's next request, job or command speaks the house's language
            # again, not the language of the last user it served.
            translation.deactivate()
        response.headers.setdefault("Content-Language", language)
        return response
