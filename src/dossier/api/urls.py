"""The API object and its routers."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from dossier.api.auth import SessionAuth, TokenAuth
from dossier.api.errors import ApiErrorCode
from dossier.guests.errors import GuestError

api = NinjaAPI(
    title="Dossier API",
    version="1",
    description="客史档案与文书档案接口。会话（浏览器）或 Bearer 令牌（集成）认证。",
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
    docs_url="/docs",
)


def _error(
    api: NinjaAPI,
    request: HttpRequest,
    status: int,
    code: ApiErrorCode,
    message: str,
    **extra: Any,
) -> HttpResponse:
    return api.create_response(
        request, {"code": str(code), "message": message, **extra}, status=status
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(
        api, request, 401, ApiErrorCode.NOT_AUTHENTICATED, _("请先登录或提供有效的令牌")
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(api, request, 404, ApiErrorCode.NOT_FOUND, _("找不到该记录"))


@api.exception_handler(PermissionError)
def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(api, request, 403, ApiErrorCode.FORBIDDEN, _("没有权限"))


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return _error(
        api, request, 422, ApiErrorCode.INVALID, _("提交的数据有误"), errors=exc.errors
    )


@api.exception_handler(GuestError)
def _guest_error(request: HttpRequest, exc: GuestError) -> HttpResponse:
    return _error(
        api,
        request,
        422,
        ApiErrorCode.INVALID,
        exc.message,
        field=exc.field,
        reason=str(exc.code),
    )


from dossier.guests.api import router as guests_router  # noqa: E402
from dossier.history.api import router as history_router  # noqa: E402

api.add_router("/guests", guests_router)
api.add_router("/", history_router)
