"""`Authorization: Bearer lcspr_…`: the person the manager issued the token to, with exactly
the access they have in the pages."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from lcspr.api.services import token_user


class BearerToken(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0] != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "Send the token as: Authorization: Bearer <token>."
            )
        token = token_user(header[1])
        if token is None:
            raise exceptions.AuthenticationFailed("This token is not valid or has been revoked.")
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI description names the token scheme."""

    target_class = "lcspr.api.authentication.BearerToken"
    name = "bearerToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "A token from your manager."}
