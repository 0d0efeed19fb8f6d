"""The review page's task list: every step of the process, its status, its clock and (when the
user may take it now) its link. Each stage declares its steps as data (`declare`) beside its own
code and registers its Section from an AppConfig.ready(), so this package imports no stage; one
renderer (`render`) walks them for the page, and tells which steps are a user's to take now."""

from reviews.tasklist.declare import (
    CANNOT_START,
    COMPLETED,
    IN_PROGRESS,
    NONE_RECORDED,
    NOT_NEEDED,
    NOT_STARTED,
    Section,
    Step,
    Task,
    pages_where,
    per_review,
    register_section,
    registered_sections,
)
from reviews.tasklist.render import Enabled, build, render_section, steps_for, waiting_for

__all__ = [
    "CANNOT_START",
    "COMPLETED",
    "Enabled",
    "IN_PROGRESS",
    "NONE_RECORDED",
    "NOT_NEEDED",
    "NOT_STARTED",
    "Section",
    "Step",
    "Task",
    "build",
    "pages_where",
    "per_review",
    "register_section",
    "registered_sections",
    "render_section",
    "steps_for",
    "waiting_for",
]
