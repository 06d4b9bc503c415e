"""API rate limits, counted in the shared cache (Redis in production) so every
web process agrees: per token (a signed-in caller), per address (anyone), and
per address for failed authentication -- a bot guessing tokens gets 429 with
Retry-After instead of endless 401s. Rates: settings.REST_FRAMEWORK
["DEFAULT_THROTTLE_RATES"]."""

import logging

from django.core.cache import cache
from django.core.cache.backends.base import BaseCache
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

log = logging.getLogger(__name__)


def _unreachable_errors() -> tuple[type[BaseException], ...]:
    try:
        from redis.exceptions import RedisError
    except ImportError:  # the file cache of a laptop: only OS errors
        return (OSError,)
    return (OSError, RedisError)


UNREACHABLE = _unreachable_errors()


class FailOpenCache(BaseCache):
    """The shared cache for counting, or no counting while it cannot be reached.

    With Redis down every request would otherwise be a 500 at the throttle,
    before the view: the escalations a broker outage must not lose would be
    refused at the door. A limit not counted for the length of an outage is
    the lesser harm; each failure is logged.
    """

    def __init__(self):
        super().__init__({})

    def get(self, key, default=None, version=None):
        try:
            return cache.get(key, default)
        except UNREACHABLE as error:
            log.warning("throttle not counted, cache unreachable: %r", error)
            return default

    def set(self, key, value, timeout=None, version=None):
        try:
            cache.set(key, value, timeout)
        except UNREACHABLE as error:
            log.warning("throttle not counted, cache unreachable: %r", error)


class _Rate(SimpleRateThrottle):
    cache = FailOpenCache()

    def get_rate(self):
        # Read at use, not at import: the rates follow the settings.
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]


class TokenThrottle(_Rate):
    """Requests per signed-in caller (token or session)."""

    scope = "token"

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class AddressThrottle(_Rate):
    """Requests per client address, signed in or not."""

    scope = "address"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class FailedAuthThrottle(_Rate):
    """Failed authentications per address; counted by ThrottledTokenAuthentication."""

    scope = "failed_auth"
    # Set by SimpleRateThrottle.__init__ from the rate; DRF's stubs leave them out.
    num_requests: int
    duration: int

    def get_cache_key(self, request, view=None):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def over_limit(self, request) -> bool:
        self.key = self.get_cache_key(request)
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        return len(self.history) >= self.num_requests

    def record_failure(self) -> None:
        self.history.insert(0, self.now)
        self.cache.set(self.key, self.history, self.duration)


class ThrottledTokenAuthentication(TokenAuthentication):
    """Token authentication that answers 429 once an address failed too often."""

    def authenticate(self, request):
        throttle = FailedAuthThrottle()
        if throttle.over_limit(request):
            raise exceptions.Throttled(wait=throttle.wait())
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            throttle.record_failure()
            raise
