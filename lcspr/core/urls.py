from django.urls import path

from lcspr.core import notifications, reminder_views, views

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
]
