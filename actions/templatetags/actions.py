"""Template helpers for the action-plan pages: status and RAG tags (RAG always with its
meaning, never colour alone) and whether "Our actions" belongs in the navigation."""

from django import template
from django.utils.html import format_html

from actions.models import RAG_MEANING, Status

register = template.Library()

STATUS_COLOURS = {
    Status.NOT_STARTED: "govuk-tag--grey",
    Status.IN_PROGRESS: "govuk-tag--blue",
    Status.COMPLETE: "govuk-tag--turquoise",
    Status.CLOSED: "govuk-tag--green",
    Status.HANDED_OVER: "govuk-tag--purple",
}
RAG_COLOURS = {"red": "govuk-tag--red", "amber": "govuk-tag--orange", "green": "govuk-tag--green"}


@register.filter
def status_tag(action):
    """The action's status as a coloured GOV.UK tag."""
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>',
        STATUS_COLOURS.get(action.status, ""),
        action.get_status_display(),
    )


@register.filter
def rag_tag(action):
    """The RAG rating as a tag that says what it means ("Red: will not deliver")."""
    if not action.rag:
        return format_html('<strong class="govuk-tag govuk-tag--grey">{}</strong>', "Not rated")
    return format_html(
        '<strong class="govuk-tag {}">{}: {}</strong>',
        RAG_COLOURS[action.rag],
        action.get_rag_display(),
        RAG_MEANING[action.rag].lower(),
    )


@register.filter
def may_list_agency_actions(user):
    from actions.permissions import may_list_agency_actions

    return may_list_agency_actions(user)
