"""The learning summary, the report's recommendations and the learning themes."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from lcspr.core.exceptions import WorkflowError
from lcspr.core.services import (
    delete_with_history,
    lock_row,
    save_with_history,
    timeline_event,
)
from lcspr.core.text import in_sentence
from lcspr.core.versions import require_version
from reviews.learning.models import LearningSummary, LearningTheme, ReportRecommendation
from reviews.models import Review, Stage

MAX_PRIMARY_THEMES = LearningSummary.MAX_PRIMARY_THEMES


SUMMARY_FIELDS = (
    "background",
    "why_it_matters",
    "findings",
    "reflective_questions",
    "further_reading",
)


def _require_lcspr(review: Review, doing: str) -> None:
    if review.stage != Stage.LCSPR:
        raise WorkflowError(
            f"You cannot {doing} now: the review is at the "
            f"{in_sentence(review.get_stage_display())} stage, and the learning is recorded "
            "while it is an LCSPR."
        )


def learning_summary_for(review: Review) -> LearningSummary | None:
    """The review's learning summary, or None before anyone has written it."""
    try:
        return review.learning_summary
    except LearningSummary.DoesNotExist:
        return None


def _names(themes) -> str:
    return ", ".join(t.name for t in themes)


@transaction.atomic
def learning_summary_update(
    *,
    review: Review,
    by,
    primary_themes,
    other_themes,
    background: str,
    why_it_matters: str,
    findings: str,
    reflective_questions: str,
    further_reading: str,
    version: int | None = None,
) -> LearningSummary:
    """Write the learning summary: up to three primary themes, any others, and the briefing's
    fields. A theme retired since it was chosen may stay; a retired one cannot be added.
    Refused when read at an older `version` (0: before it was written) and changed since."""
    review = lock_row(review)
    _require_lcspr(review, "change the learning summary")
    summary = learning_summary_for(review)
    if summary is not None:
        require_version(
            summary, version, fields=("primary_themes", "other_themes", *SUMMARY_FIELDS)
        )
    primary, other = list(primary_themes), list(other_themes)
    if len(primary) > MAX_PRIMARY_THEMES:
        raise WorkflowError(
            {"primary_themes": f"Choose up to {MAX_PRIMARY_THEMES} primary learning themes"}
        )
    both = [t for t in primary if t in other]
    if both:
        raise WorkflowError(
            {
                "other_themes": f"{_names(both)} cannot be both a primary and another theme: "
                "untick it in one of the lists"
            }
        )
    kept = set()
    if summary is not None:
        kept = {t.pk for t in summary.primary_themes.all()} | {
            t.pk for t in summary.other_themes.all()
        }
    retired = [t for t in primary + other if not t.is_active and t.pk not in kept]
    if retired:
        field = "primary_themes" if retired[0] in primary else "other_themes"
        raise WorkflowError({field: f"{_names(retired)} is no longer in use: choose another theme"})

    created = summary is None
    if created:
        summary = LearningSummary(review=review)
    summary.background = background
    summary.why_it_matters = why_it_matters
    summary.findings = findings
    summary.reflective_questions = reflective_questions
    summary.further_reading = further_reading
    summary.updated_by = by
    summary.updated_at = timezone.now()
    save_with_history(summary, by)
    summary.primary_themes.set(primary)
    summary.other_themes.set(other)
    themes = f"; primary themes: {_names(primary)}" if primary else "; no primary theme chosen"
    timeline_event(
        review,
        by,
        "learning_summary_written" if created else "learning_summary_updated",
        ("Learning summary written" if created else "Learning summary updated") + themes,
    )
    return summary


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise WorkflowError({"text": "Enter the recommendation"})
    return text


@transaction.atomic
def recommendation_add(*, review: Review, by, text: str, finding: str = "") -> ReportRecommendation:
    """Add the final report's next recommendation (numbered after the highest so far)."""
    review = lock_row(review)
    _require_lcspr(review, "add a recommendation")
    text = _clean_text(text)
    last = review.recommendations.aggregate(last=Max("number"))["last"] or 0
    recommendation = save_with_history(
        ReportRecommendation(
            review=review, number=last + 1, text=text, finding=finding.strip(), created_by=by
        ),
        by,
    )
    timeline_event(
        review,
        by,
        "recommendation_added",
        f"Recommendation {recommendation.number} added: {text}",
    )
    return recommendation


@transaction.atomic
def recommendation_update(
    *,
    recommendation: ReportRecommendation,
    by,
    text: str,
    finding: str = "",
    number: int | None = None,
    version: int | None = None,
) -> ReportRecommendation:
    """Correct a recommendation's wording, the finding it answers or its number in the report
    (refused when read at an older `version` and someone has changed it since)."""
    review = lock_row(recommendation.review)
    _require_lcspr(review, "change a recommendation")
    recommendation = ReportRecommendation.objects.select_for_update().get(pk=recommendation.pk)
    require_version(recommendation, version, fields=("number", "text", "finding"))
    was = recommendation.number
    if number is not None and number != was:
        if number < 1:
            raise WorkflowError({"number": "The number must be 1 or more"})
        if review.recommendations.filter(number=number).exists():
            raise WorkflowError(
                {"number": f"Recommendation {number} already exists: choose another number"}
            )
        recommendation.number = number
    recommendation.text = _clean_text(text)
    recommendation.finding = finding.strip()
    save_with_history(recommendation, by)
    renumbered = f" (was {was})" if recommendation.number != was else ""
    timeline_event(
        review,
        by,
        "recommendation_updated",
        f"Recommendation {recommendation.number}{renumbered} changed",
    )
    return recommendation


@transaction.atomic
def recommendation_remove(*, recommendation: ReportRecommendation, by) -> None:
    """Remove a recommendation entered by mistake. Refused once actions answer it; the others
    keep their numbers, which are the report's."""
    review = lock_row(recommendation.review)
    _require_lcspr(review, "remove a recommendation")
    actions = recommendation.actions.count()
    if actions:
        raise WorkflowError(
            f"Recommendation {recommendation.number} cannot be removed: {actions} "
            f"action{'s' if actions != 1 else ''} in the action plan answer"
            f"{'s' if actions == 1 else ''} it. Change or move those actions first."
        )
    number = recommendation.number
    delete_with_history(recommendation, by)
    timeline_event(review, by, "recommendation_removed", f"Recommendation {number} removed")


def _clean_theme_name(name: str, *, exclude=None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise WorkflowError({"name": "Enter the name of the theme"})
    if len(name) > LearningTheme._meta.get_field("name").max_length:
        raise WorkflowError({"name": "The name must be 100 characters or fewer"})
    clash = LearningTheme.objects.filter(name__iexact=name)
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    if clash.exists():
        raise WorkflowError({"name": f"There is already a theme called {name}"})
    return name


@transaction.atomic
def learning_theme_add(*, by, name: str) -> LearningTheme:
    """Add a theme at the end of the partnership's list."""
    name = _clean_theme_name(name)
    last = LearningTheme.objects.aggregate(last=Max("position"))["last"] or 0
    return save_with_history(LearningTheme(name=name, position=last + 1), by)


@transaction.atomic
def learning_theme_update(
    *,
    theme: LearningTheme,
    by,
    name: str | None = None,
    is_active: bool | None = None,
    version: int | None = None,
) -> LearningTheme:
    """Rename a theme, or retire it (it stays on what was tagged with it) or bring it back
    (a rename read at an older `version` is refused when someone has renamed it since)."""
    theme = LearningTheme.objects.select_for_update().get(pk=theme.pk)
    require_version(theme, version, fields=("name",))
    if name is not None:
        theme.name = _clean_theme_name(name, exclude=theme)
    if is_active is not None:
        theme.is_active = is_active
    return save_with_history(theme, by)


@transaction.atomic
def learning_theme_move(*, theme: LearningTheme, by, up: bool) -> LearningTheme:
    """Move a theme one place up or down the list (the order forms and filters show)."""
    themes = list(LearningTheme.objects.select_for_update().order_by("position", "name"))
    index = next(i for i, t in enumerate(themes) if t.pk == theme.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(themes):
        raise WorkflowError(f"{theme.name} is already {'first' if up else 'last'} in the list.")
    themes[index], themes[other] = themes[other], themes[index]
    # Renumber the whole list so equal or missing positions never make the order ambiguous.
    for position, item in enumerate(themes, start=1):
        if item.position != position:
            item.position = position
            save_with_history(item, by, validate=False)
    return themes[other]
