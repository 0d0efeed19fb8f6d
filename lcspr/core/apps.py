from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "lcspr.core"
    label = "core"
    verbose_name = "Platform"

    def ready(self):
        from simple_history.signals import post_create_historical_record

        from lcspr.core import page_cache

        # Every recorded change makes the page cache's kept parts stale once it commits.
        post_create_historical_record.connect(
            page_cache.on_history_written, dispatch_uid="page_cache_on_history"
        )
