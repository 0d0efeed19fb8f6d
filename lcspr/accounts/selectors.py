"""Reads of people for the partnership's pages."""

from lcspr.accounts.models import User


def active_people():
    """Every active account with its agency, by name."""
    return User.objects.filter(is_active=True).select_related("agency").order_by("full_name")
