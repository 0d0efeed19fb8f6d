"""The technical administration site (Django admin), behind the service's own sign-in.

It has no sign-in form of its own: its login page sends a visitor to the service's sign-in
(password, lockout and two-factor, the same as everyone), and a signed-in person who may not
use it gets "page not found", so it tells nobody it exists. It opens only to active staff who
have given a code from their authenticator app when two-factor sign-in is on. Every request to
it, read or change, is in the access log. `DJANGO_ADMIN_ENABLED=false` stops serving it."""

from functools import update_wrapper
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from lcspr.access_log.services import log_access


def _verified(user) -> bool:
    return not settings.TWO_FACTOR_REQUIRED or user.is_verified()


class ServiceAdminSite(admin.AdminSite):
    site_header = "Technical administration"
    site_title = "Technical administration"
    index_title = "Technical administration"

    def has_permission(self, request):
        user = request.user
        return user.is_active and user.is_staff and _verified(user)

    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            raise Http404
        next_url = request.GET.get("next") or reverse("admin:index")
        return redirect(f"{reverse('accounts:login')}?{urlencode({'next': next_url})}")

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def logged(request, *args, **kwargs):
            if not self.has_permission(request):
                if request.user.is_authenticated:
                    raise Http404
                return inner(request, *args, **kwargs)
            # Recorded before the page runs, so a refused change is in the log too.
            doing = "read" if request.method in ("GET", "HEAD") else "change"
            name = getattr(request.resolver_match, "url_name", "") or "page"
            log_access(request, what=f"Technical administration ({doing}): {name}")
            return inner(request, *args, **kwargs)

        return update_wrapper(logged, view)
