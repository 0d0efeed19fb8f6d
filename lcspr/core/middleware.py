"""Response headers Django has no setting for."""

from django.conf import settings
from django.utils.cache import patch_cache_control


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
