from django.urls import path

from lcspr.access_log import views

app_name = "access_log"

urlpatterns = [
    path("", views.access_log, name="list"),
    path("export.csv", views.access_log_csv, name="export_csv"),
    path("export.xlsx", views.access_log_xlsx, name="export_xlsx"),
]
