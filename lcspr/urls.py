from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("lcspr.core.urls")),
    path("account/", include("lcspr.accounts.urls")),
    path("reviews/", include("reviews.urls")),
    path("reviews/", include("panels.urls")),
    path("chronologies/", include("chronologies.urls")),
    path("actions/", include("actions.urls")),
    path("django-admin/", admin.site.urls),
]

handler403 = "lcspr.core.views.permission_denied"
handler404 = "lcspr.core.views.page_not_found"
handler500 = "lcspr.core.views.server_error"
