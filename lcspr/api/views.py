"""The reporting API, version 1: read-only, token-authenticated, paged and filtered, every call
in the access log. The documentation page and the OpenAPI schema describe it."""

import datetime
import re

from django.utils.cache import patch_cache_control
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError

from actions.models import Rag, Status
from lcspr.access_log.services import log_access
from lcspr.api import selectors
from lcspr.api.serializers import (
    ActionSerializer,
    ClockSerializer,
    DecisionSerializer,
    ReviewSerializer,
    ThemeSerializer,
)
from reviews.clocks.models import DeadlineKind
from reviews.decision.models import Outcome
from reviews.models import Stage

YES_NO = ["true", "false"]


def _choice(request, name: str, allowed) -> str | None:
    """A filter's value, refused with the accepted values when it is not one of them."""
    value = request.query_params.get(name)
    if value is None or value == "":
        return None
    allowed = [str(a) for a in allowed]
    if value not in allowed:
        raise ValidationError({name: [f"{value!r} is not one of: {', '.join(allowed)}."]})
    return value


def _date(request, name: str) -> datetime.date | None:
    value = request.query_params.get(name)
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValidationError(
            {name: [f"{value!r} is not a date: write it as 2026-04-30."]}
        ) from None


REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9/_.-]{0,39}")


def _reference(request) -> str | None:
    """The `review` filter: a review's reference, refused by name when it cannot be one (a
    control character would otherwise reach the database)."""
    value = request.query_params.get("review")
    if not value:
        return None
    if not REFERENCE.fullmatch(value):
        raise ValidationError({"review": ["Give a review's reference, e.g. CSPR-2026-008."]})
    return value


def _param(name, description, enum=None, kind=OpenApiTypes.STR):
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY, description=description, enum=enum)


REVIEW_PARAM = _param("review", 'A review\'s reference, e.g. "CSPR-2026-008".')


class _Logged(viewsets.ReadOnlyModelViewSet):
    """Every call, answered or refused, is a row of the access log; nothing is cached."""

    described_as = ""
    lookup_value_regex = r"\d{1,9}"  # an id; anything else is "not found", never an error

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        what = f"API: {self.described_as}"
        if self.kwargs.get(self.lookup_url_kwarg or self.lookup_field):
            what += f" {self.kwargs[self.lookup_url_kwarg or self.lookup_field]}"
        log_access(request._request, what=f"{what} ({response.status_code})", kind="view")
        patch_cache_control(response, no_store=True)
        return response


@extend_schema_view(
    list=extend_schema(
        summary="Reviews you may see",
        parameters=[
            _param("stage", "Only reviews at this stage.", enum=Stage.values),
            _param("open", "true: reviews not closed; false: closed ones.", enum=YES_NO),
        ],
    ),
    retrieve=extend_schema(summary="One review, with its clocks and decisions"),
)
class ReviewViewSet(_Logged):
    serializer_class = ReviewSerializer
    lookup_field = "reference"
    lookup_value_regex = "[^/]+"
    described_as = "reviews"

    def get_queryset(self):
        reviews = selectors.reviews(self.request.user)
        if stage := _choice(self.request, "stage", Stage.values):
            reviews = reviews.filter(stage=stage)
        if (still_open := _choice(self.request, "open", YES_NO)) is not None:
            reviews = reviews.filter(closed_on__isnull=still_open == "true")
        return reviews


@extend_schema_view(
    list=extend_schema(
        summary="Statutory clocks of the reviews you may see",
        parameters=[
            REVIEW_PARAM,
            _param("kind", "Only clocks of this kind.", enum=DeadlineKind.values),
            _param("state", "Open clocks, or met ones.", enum=["open", "met"]),
        ],
    ),
    retrieve=extend_schema(summary="One clock"),
)
class ClockViewSet(_Logged):
    serializer_class = ClockSerializer
    described_as = "clocks"

    def get_queryset(self):
        clocks = selectors.clocks(self.request.user)
        if review := _reference(self.request):
            clocks = clocks.filter(review__reference=review)
        if kind := _choice(self.request, "kind", DeadlineKind.values):
            clocks = clocks.filter(kind=kind)
        if state := _choice(self.request, "state", ["open", "met"]):
            clocks = clocks.filter(met_on__isnull=state == "open")
        return clocks


@extend_schema_view(
    list=extend_schema(
        summary="Decisions on the reviews you may see",
        parameters=[REVIEW_PARAM, _param("outcome", "Only this outcome.", enum=Outcome.values)],
    ),
    retrieve=extend_schema(summary="One decision"),
)
class DecisionViewSet(_Logged):
    serializer_class = DecisionSerializer
    described_as = "decisions"

    def get_queryset(self):
        decisions = selectors.decisions(self.request.user)
        if review := _reference(self.request):
            decisions = decisions.filter(review__reference=review)
        if outcome := _choice(self.request, "outcome", Outcome.values):
            decisions = decisions.filter(outcome=outcome)
        return decisions


@extend_schema_view(
    list=extend_schema(
        summary="Actions you may see",
        parameters=[
            REVIEW_PARAM,
            _param("status", "Only this status.", enum=Status.values),
            _param("rag", "Only this RAG rating.", enum=Rag.values),
            _param("overdue", "true: only overdue actions.", enum=YES_NO),
            _param("due_from", "Due on or after (YYYY-MM-DD).", kind=OpenApiTypes.DATE),
            _param("due_to", "Due on or before (YYYY-MM-DD).", kind=OpenApiTypes.DATE),
        ],
    ),
    retrieve=extend_schema(summary="One action"),
)
class ActionViewSet(_Logged):
    serializer_class = ActionSerializer
    described_as = "actions"

    def get_queryset(self):
        request = self.request
        filters = {
            "status": _choice(request, "status", Status.values),
            "rag": _choice(request, "rag", Rag.values),
            "overdue": _choice(request, "overdue", YES_NO) == "true",
            "due_from": _date(request, "due_from"),
            "due_to": _date(request, "due_to"),
        }
        actions = selectors.actions(request.user, {k: v for k, v in filters.items() if v})
        if review := _reference(request):
            actions = actions.filter(review__reference=review)
        return actions


@extend_schema_view(
    list=extend_schema(summary="The partnership's learning themes"),
    retrieve=extend_schema(summary="One learning theme"),
)
class ThemeViewSet(_Logged):
    serializer_class = ThemeSerializer
    described_as = "themes"

    def get_queryset(self):
        return selectors.themes(self.request.user)
