from django.urls import include, path
from django.views.decorators.cache import never_cache
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from lcspr.api import token_views, views

app_name = "api"

router = SimpleRouter(trailing_slash=True)
router.register("reviews", views.ReviewViewSet, basename="review")
router.register("clocks", views.ClockViewSet, basename="clock")
router.register("decisions", views.DecisionViewSet, basename="decision")
router.register("actions", views.ActionViewSet, basename="action")
router.register("themes", views.ThemeViewSet, basename="theme")

urlpatterns = [
    *token_views.urlpatterns,
    # Public (it holds no data), and never cached like every answer to a signed-in person.
    path("v1/schema/", never_cache(SpectacularAPIView.as_view(api_version="1")), name="schema"),
    path("v1/", include(router.urls)),
]
