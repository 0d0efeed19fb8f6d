from django.apps import AppConfig


class AccessLogConfig(AppConfig):
    name = "lcspr.access_log"
    label = "access_log"
    verbose_name = "Access log"

    def ready(self):
        from lcspr.access_log.services import note_loaded
        from lcspr.core.permissions import on_object_reached

        on_object_reached(note_loaded)
