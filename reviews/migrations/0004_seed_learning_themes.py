from django.db import migrations

# The list as it stood when the partnership first set it up; the partnership edits it since.
THEMES = (
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


def seed(apps, schema_editor):
    LearningTheme = apps.get_model("reviews", "LearningTheme")
    for position, name in enumerate(THEMES, start=1):
        LearningTheme.objects.get_or_create(name=name, defaults={"position": position})


class Migration(migrations.Migration):
    dependencies = [("reviews", "0003_reports_and_publication")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
