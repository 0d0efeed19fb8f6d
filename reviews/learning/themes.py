"""The partnership's list of learning themes and its first defaults."""

from django.db import connections

from reviews.learning.models import LearningTheme

DEFAULT_THEMES = (
    "Neglect",
    "Domestic abuse",
    "Parental mental health",
    "Parental substance misuse",
    "Vulnerability of babies",
    "Risks outside the family / exploitation",
    "Children's mental health",
    "Disabled children",
    "Children not in school / elective home education",
    "Young carers",
    "Racial, ethnic and cultural identity",
    "Invisible men / fathers",
    "Whole-family approach",
    "Professional curiosity",
    "Disguised compliance",
    "Voice and lived experience of the child",
    "Information sharing",
    "Recording quality",
    "Management oversight / drift",
    "Escalation and professional challenge",
)


def theme_names() -> list[str]:
    """The names of the themes in use, in the partnership's order (one query)."""
    return list(LearningTheme.objects.filter(is_active=True).values_list("name", flat=True))


def seed_default_themes(using: str = "default") -> int:
    """Create the default themes if there are none at all; the number created."""
    # Not yet there while migrating backwards or part of the way.
    if LearningTheme._meta.db_table not in connections[using].introspection.table_names():
        return 0
    themes = LearningTheme.objects.using(using)
    if themes.exists():
        return 0
    themes.bulk_create(
        LearningTheme(name=name, position=position)
        for position, name in enumerate(DEFAULT_THEMES, start=1)
    )
    return len(DEFAULT_THEMES)
