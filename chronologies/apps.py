from django.apps import AppConfig


class ChronologiesConfig(AppConfig):
    name = "chronologies"

    def ready(self):
        # Registers the chronologies policy on Review.
        from chronologies import permissions  # noqa: F401
