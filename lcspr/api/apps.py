from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The read-only reporting API (ADR 0016): reviews, clocks, decisions, actions and themes
    for the partnership's own reporting, behind per-person tokens and the pages' own policy."""

    name = "lcspr.api"
    label = "api"
    verbose_name = "Reporting API"
