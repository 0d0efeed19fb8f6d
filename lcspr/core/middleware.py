"""Response headers Django has no setting for, and the one-time form tokens."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme

from lcspr.core import form_tokens


class PermissionsPolicyMiddleware:
    """Switches off browser features the service never uses (camera, microphone, location...)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class NoStoreWhenSignedInMiddleware:
    """Nothing a signed-in person is shown is kept by the browser or a proxy: every response to
    a signed-in request (pages, files, exports) says `no-store`, so the back button on a shared
    computer shows nothing of a case after sign-out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and "no-store" not in response.get("Cache-Control", "")
        ):
            patch_cache_control(response, no_store=True)
        return response


def _back(request) -> str:
    """The page the form was sent from, when it is on this site; else the home page."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return reverse("core:home")


class FormTokenMiddleware:
    """A form sent twice is saved once (lcspr/core/form_tokens.py). The token is claimed in
    process_view, after the CSRF check and the two-factor door, just before the view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            response = self.get_response(request)
        except BaseException:
            self._finish(request, None)
            raise
        self._finish(request, response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        token = form_tokens.posted_token(request)
        if token is None:
            return None
        claimed, row = form_tokens.claim(user=request.user, token=token, path=request.path)
        if claimed:
            request._form_token_row = row
            return None
        if row.status == row.Status.DONE:
            messages.info(request, form_tokens.ALREADY_SAVED)
            return redirect(row.redirect_to)
        return render(request, "core/form_being_saved.html", {"back": _back(request)}, status=409)

    @staticmethod
    def _finish(request, response):
        row = getattr(request, "_form_token_row", None)
        if row is not None:
            form_tokens.finish(request, response, row)
