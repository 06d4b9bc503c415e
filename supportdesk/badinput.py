"""Input that must answer 4xx, never 500: NUL characters in the query string
or a form post (PostgreSQL cannot compare text holding one: a DataError), and
the API's own 404s, which answer JSON like the rest of the API."""

from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found

NUL = "\x00"
API_PREFIX = "/api/"


def _has_nul(query) -> bool:
    return any(NUL in key or any(NUL in value for value in query.getlist(key)) for key in query)


def _bad_request(request, message):
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse({"detail": message}, status=400)
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


class RejectNulCharactersMiddleware:
    """400 for a NUL in any query parameter or form field, before a view sees it."""

    FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request.GET) or (
            request.method == "POST"
            and request.content_type in self.FORM_TYPES
            and _has_nul(request.POST)
        ):
            return _bad_request(request, _("请求中含有非法字符（NUL）。"))
        return self.get_response(request)


def not_found(request, exception=None):
    """handler404: JSON under /api/ (a non-numeric id, an unknown path), the page elsewhere."""
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse({"detail": _("未找到。")}, status=404)
    return page_not_found(request, exception)
