"""A review's commissioning pages, mounted under /reviews/<pk>/ beside reviews.urls. Each views
module declares its own urlpatterns."""

from panels.views import meetings, members

app_name = "panels"

urlpatterns = [
    *members.urlpatterns,
    *meetings.urlpatterns,
]
