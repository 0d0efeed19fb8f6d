from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"

    def ready(self):
        # Registers the review policies with lcspr.core.permissions.
        from reviews import permissions  # noqa: F401
