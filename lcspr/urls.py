from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("lcspr.core.urls")),
    path("notifications/", include("lcspr.notifications.urls")),
    path("reminders/", include("lcspr.reminders.urls")),
    path("access-log/", include("lcspr.access_log.urls")),
    path("account/", include("lcspr.accounts.urls")),
    path("reviews/", include("reviews.urls")),
    path("reviews/", include("panels.urls")),
    path("chronologies/", include("chronologies.urls")),
    path("actions/", include("actions.urls")),
    path("api/", include("lcspr.api.urls")),
]

if settings.DJANGO_ADMIN_ENABLED:  # the technical administration site (accounts/admin_site.py)
    urlpatterns.append(path("django-admin/", admin.site.urls))

if settings.BENCHMARK:  # the benchmark's yardstick page, never part of the product
    from lcspr import bench

    urlpatterns.append(path("bench/", include(([path("bare/", bench.bare, name="bare")], "bench"))))

handler403 = "lcspr.core.views.permission_denied"
handler404 = "lcspr.core.views.page_not_found"
handler500 = "lcspr.core.views.server_error"
