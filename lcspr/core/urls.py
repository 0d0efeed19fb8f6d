from django.conf import settings
from django.urls import path

from lcspr.core import access_views, notifications, reminder_views, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path(
        "notifications/<int:pk>/read/",
        notifications.notification_read,
        name="notification_read",
    ),
    path(
        "notifications/read-all/",
        notifications.notifications_read_all,
        name="notifications_read_all",
    ),
    path("reminders/", reminder_views.reminder_due_list, name="reminders"),
    path("reminders/sent/", reminder_views.reminder_sent_list, name="reminders_sent"),
    path("reminders/settings/", reminder_views.reminder_settings, name="reminder_settings"),
    path("access-log/", access_views.access_log, name="access_log"),
    path("access-log/export.csv", access_views.access_log_csv, name="access_log_csv"),
    path("access-log/export.xlsx", access_views.access_log_xlsx, name="access_log_xlsx"),
]

if settings.BENCHMARK:  # the benchmark's yardstick page, never part of the product
    from lcspr.core import bench

    urlpatterns.append(path("bench/bare/", bench.bare, name="bench_bare"))
