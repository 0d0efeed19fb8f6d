from django.apps import AppConfig
from django.db.models.signals import post_migrate


def seed_learning_themes(sender, using="default", **kwargs):
    """Put the first list of learning themes back when the table is empty: after a database
    flush (tests that run a live server empty every table) as after the first migrate. A list
    the partnership has edited is never touched."""
    from reviews.learning.themes import seed_default_themes

    seed_default_themes(using=using)


class ReviewsConfig(AppConfig):
    name = "reviews"

    def ready(self):
        # Registers reviews' permission rules with lcspr.core.permissions, the stages' sections of
        # the review page's task list (referral and notification, rapid review, decision, report
        # and publication), the statutory deadlines and agency summaries as reminder clocks,
        # the review as the access log's case root, the legal-hold rule, and the clocks'
        # listener for calendar changes.
        from reviews import access_log, permissions, reminders  # noqa: F401
        from reviews.clocks import services as clock_services  # noqa: F401
        from reviews.decision import tasks as decision_tasks  # noqa: F401
        from reviews.rapid_review import tasks as rapid_review_tasks  # noqa: F401
        from reviews.referral import tasks as referral_tasks  # noqa: F401
        from reviews.report import tasks as report_tasks  # noqa: F401
        from reviews.retention import services  # noqa: F401

        post_migrate.connect(seed_learning_themes, sender=self)
