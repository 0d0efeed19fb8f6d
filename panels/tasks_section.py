"""The "Commissioning" section of a review's task list (filled in by the commissioning pages)."""

from reviews import tasklist


def commissioning_section(user, page):
    """Placeholder until the commissioning pages land: nothing to show."""
    return None


tasklist.register_section(commissioning_section)
