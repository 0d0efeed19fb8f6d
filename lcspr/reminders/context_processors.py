from django.utils.functional import SimpleLazyObject

from lcspr.reminders.rules import MANAGER_ROLE


def reminders(request):
    """Whether the header links the manager's pages (reminders and the access log)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"show_reminders_link": SimpleLazyObject(lambda: user.has_role(MANAGER_ROLE))}
