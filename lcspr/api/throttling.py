"""Rate limits: each token has its own allowance (settings.API_RATE_LIMIT, e.g. "1000/hour"),
counted in the cache (Redis when configured); past it the answer is 429 with Retry-After."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle


class TokenRateThrottle(SimpleRateThrottle):
    scope = "token"

    def get_rate(self):
        return settings.API_RATE_LIMIT

    def get_cache_key(self, request, view):
        token = request.auth
        if token is None:
            return None
        # The random prefix as well as the id: a database restored or rebuilt reuses ids.
        return self.cache_format % {"scope": self.scope, "ident": f"{token.pk}-{token.prefix}"}


class UnauthenticatedRateThrottle(AnonRateThrottle):
    def get_rate(self):
        return settings.API_UNAUTHENTICATED_RATE_LIMIT
