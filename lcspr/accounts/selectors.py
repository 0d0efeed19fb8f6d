"""Reads of people for the partnership's pages."""

from lcspr.accounts.models import AccountLink, User


def active_people():
    """Every active account with its agency, by name."""
    return User.objects.filter(is_active=True).select_related("agency").order_by("full_name")


def live_setup_link(link_id: int, user) -> AccountLink | None:
    """The e-mailed set-up link `link_id` when it is `user`'s and still usable, else None."""
    link = AccountLink.objects.filter(
        pk=link_id, user=user, purpose=AccountLink.Purpose.TWO_FACTOR_SETUP
    ).first()
    return link if link is not None and link.is_live() else None
