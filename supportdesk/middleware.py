import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers

# The guide pages are the links desk staff send to candidates; everything else
# is for logged-in staff. Listed here so no new view can forget its login check.
PUBLIC_PREFIXES = (
    "/guide/",
    "/accounts/login/",
    "/i18n/",
    "/static/",
    "/api/",
    "/admin/",
    "/healthz",
    "/channels/wecom/callback/",  # WeCom's servers, authenticated by the message signature
)


RENEW_EVERY = 300  # seconds: how stale a session's expiry may get before it is written again


def _mark_renewed(sender, request, user, **kwargs):
    request.session[RENEWED] = int(time.time())


RENEWED = "_renewed_at"
user_logged_in.connect(_mark_renewed, dispatch_uid="supportdesk.session_renewed")


class RenewSessionMiddleware:
    """The idle timeout: a signed-in user's session (and cookie) expiry moves on
    to SESSION_COOKIE_AGE from now once it is RENEW_EVERY seconds stale."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            if now - request.session.get(RENEWED, 0) >= RENEW_EVERY:
                request.session[RENEWED] = now  # modified: saved with a fresh expiry
        return response


class PrivateNoStoreMiddleware:
    """`Cache-Control: private, no-store` on everything a signed-in user gets
    (ticket pages, exports, the API): no shared or browser cache keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


class LoginRequiredExceptPublicMiddleware:
    """Redirects anonymous users to the login page except on public paths.

    The API authenticates with tokens itself and answers 401/403 as JSON, so it
    is left to Django REST framework; the admin has its own login.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        public = path.startswith(PUBLIC_PREFIXES) or path == "/favicon.ico"
        if request.user.is_authenticated or public:
            return self.get_response(request)
        return redirect_to_login(request.get_full_path())


class ChineseFirstLocaleMiddleware:
    """Simplified Chinese unless the user picked another language with the
    switch (the language cookie); the browser's Accept-Language is ignored,
    since the desk's texts and the guide itself are Chinese first."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = frozenset(code for code, _ in settings.LANGUAGES)

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        response.headers.setdefault("Content-Language", language)
        return response
