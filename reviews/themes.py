"""The learning themes reviews, chronology entries and actions are tagged with (National Panel
annual reports; NSPCC learning). A fixed list for now; the reports issue makes it editable."""

LEARNING_THEMES = (
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
