"""The API object and its routers."""

import logging
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.types import DictStrAny

from dossier.api.auth import CsrfRefused, SessionAuth, TokenAuth
from dossier.api.errors import ApiErrorCode
from dossier.api.validation import translated_errors
from dossier.core.punctuation import punctuation
from dossier.guests.errors import GuestError
from dossier.search.errors import SearchError

logger = logging.getLogger(__name__)


def _has_null(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_null(k) or _has_null(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_null(item) for item in value)
    return False


class _Parser(Parser):
    """Refuses text holding a null character, as the forms of the pages do: no
    database keeps one (PostgreSQL refuses it), so it is an input error, not a 500."""

    def parse_body(self, request: HttpRequest) -> DictStrAny:
        data = super().parse_body(request)
        if _has_null(data):
            raise ValueError("null character")  # answered as a malformed body, 400
        return data

    def parse_querydict(
        self,
        data: MultiValueDict[str, Any],
        list_fields: list[str],
        request: HttpRequest,
    ) -> DictStrAny:
        parsed = super().parse_querydict(data, list_fields, request)
        bad = sorted(key for key, value in parsed.items() if _has_null(value))
        if bad:
            raise ValidationError(
                [
                    {"loc": ["query", key], "msg": _("不能包含空字符"), "type": "null"}
                    for key in bad
                ]
            )
        return parsed


api = NinjaAPI(
    title="Dossier API",
    version="1",
    description="客史档案与文书档案接口。会话（浏览器）或 Bearer 令牌（集成）认证。",
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
    docs_url="/docs",
    # The schema names every field of a guest: for staff, not for any visitor.
    docs_decorator=login_required,
    parser=_Parser(),
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


@api.exception_handler(CsrfRefused)
def _csrf_refused(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(
        api,
        request,
        403,
        ApiErrorCode.CSRF_FAILED,
        _(
            "缺少或无效的 CSRF 令牌：浏览器会话的写请求须带 X-CSRFToken 请求头；"
            "系统集成请使用 Bearer 令牌"
        ),
    )


@api.exception_handler(PermissionError)
def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(api, request, 403, ApiErrorCode.FORBIDDEN, _("没有权限"))


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = translated_errors(exc.errors)
    message = _("提交的数据有误") + punctuation("：")
    message += punctuation("；").join(error["msg"] for error in errors)
    return _error(api, request, 422, ApiErrorCode.INVALID, message, errors=errors)


_HTTP_CODES = {
    400: (ApiErrorCode.INVALID, gettext_noop("请求格式有误（例如 JSON 无法解析）")),
    401: (ApiErrorCode.NOT_AUTHENTICATED, gettext_noop("请先登录或提供有效的令牌")),
    403: (ApiErrorCode.FORBIDDEN, gettext_noop("没有权限")),
    404: (ApiErrorCode.NOT_FOUND, gettext_noop("找不到该记录")),
    405: (ApiErrorCode.INVALID, gettext_noop("不支持该请求方法")),
    429: (ApiErrorCode.THROTTLED, gettext_noop("请求过于频繁，请稍后再试")),
}


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code, message = _HTTP_CODES.get(
        exc.status_code, (ApiErrorCode.INVALID, gettext_noop("请求有误"))
    )
    return _error(api, request, exc.status_code, code, _(message))


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.error(
        "API error on %s", request.path, exc_info=exc, extra={"path": request.path}
    )
    return _error(
        api, request, 500, ApiErrorCode.SERVER_ERROR, _("服务器内部错误，已记录")
    )


@api.exception_handler(SearchError)
def _search_error(request: HttpRequest, exc: SearchError) -> HttpResponse:
    return _error(
        api,
        request,
        422,
        ApiErrorCode.INVALID,
        exc.message,
        field=exc.field,
        reason=str(exc.code),
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


from dossier.analyses.api import router as analyses_router  # noqa: E402
from dossier.banquets.api import router as banquets_router  # noqa: E402
from dossier.care.api import router as care_router  # noqa: E402
from dossier.classes.api import router as classes_router  # noqa: E402
from dossier.collection.api import router as collection_router  # noqa: E402
from dossier.duplicates.api import router as duplicates_router  # noqa: E402
from dossier.guests.api import router as guests_router  # noqa: E402
from dossier.history.api import router as history_router  # noqa: E402
from dossier.personnel.api import router as personnel_router  # noqa: E402
from dossier.records.api import router as records_router  # noqa: E402
from dossier.search.api import router as search_router  # noqa: E402
from dossier.transfer.api import router as transfer_router  # noqa: E402

api.add_router("/guests", guests_router)
api.add_router("/search", search_router)
api.add_router("/duplicates", duplicates_router)
api.add_router("/records", records_router)
api.add_router("/care", care_router)
api.add_router("/classes", classes_router)
api.add_router("/analyses", analyses_router)
api.add_router("/banquets", banquets_router)
api.add_router("/collection", collection_router)
api.add_router("/personnel", personnel_router)
api.add_router("/inbox", transfer_router)
api.add_router("/", history_router)
