from django.urls import path

from lcspr.reminders import views

app_name = "reminders"

urlpatterns = [
    path("", views.reminder_due_list, name="due"),
    path("sent/", views.reminder_sent_list, name="sent"),
    path("settings/", views.reminder_settings, name="settings"),
]
