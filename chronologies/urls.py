"""Chronology pages. Each views module declares its own urlpatterns."""

from chronologies.views import agency, changes, importing, merged

app_name = "chronologies"

urlpatterns = [
    *agency.urlpatterns,
    *importing.urlpatterns,
    *merged.urlpatterns,
    *changes.urlpatterns,
]
