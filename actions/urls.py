"""The action plans, mounted at /actions/. Each views module declares its own
urlpatterns."""

from actions.views import changes, dashboard, plans

app_name = "actions"

urlpatterns = [
    *plans.urlpatterns,
    *dashboard.urlpatterns,
    *changes.urlpatterns,
]
