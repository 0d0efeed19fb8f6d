"""What each resource carries: facts and dates for reporting, never a child's or a family's
name, a chronology entry, a draft report or free text about people."""

import datetime

from django.utils import timezone
from rest_framework import serializers

from actions.models import Action
from reviews.clocks.models import Deadline
from reviews.decision.models import Decision
from reviews.learning.models import LearningTheme
from reviews.models import Review


class Label(serializers.CharField):
    """A choice's label, in words, beside its code."""

    def __init__(self, field: str, **kwargs):
        super().__init__(source=f"get_{field}_display", read_only=True, **kwargs)


class ClockSerializer(serializers.ModelSerializer):
    review = serializers.CharField(source="review.reference", read_only=True)
    kind_label = Label("kind")
    state = serializers.SerializerMethodField(
        help_text='"open", "met on time" or "met late": a met clock is history, never recomputed.'
    )

    class Meta:
        model = Deadline
        fields = ["review", "kind", "kind_label", "counted_from", "due_date", "met_on", "state"]

    def get_state(self, deadline) -> str:
        if deadline.met_on is None:
            return "open"
        return "met on time" if deadline.met_on <= deadline.due_date else "met late"


class DecisionSerializer(serializers.ModelSerializer):
    review = serializers.CharField(source="review.reference", read_only=True)
    outcome_label = Label("outcome")
    status_label = Label("status")
    supersedes = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The decision this one replaced, if any."
    )

    class Meta:
        model = Decision
        fields = [
            "id",
            "review",
            "outcome",
            "outcome_label",
            "decided_on",
            "status",
            "status_label",
            "supersedes",
        ]


class _ReviewClockSerializer(ClockSerializer):
    class Meta(ClockSerializer.Meta):
        fields = [f for f in ClockSerializer.Meta.fields if f != "review"]


class _ReviewDecisionSerializer(DecisionSerializer):
    class Meta(DecisionSerializer.Meta):
        fields = [f for f in DecisionSerializer.Meta.fields if f != "review"]


class ReviewSerializer(serializers.ModelSerializer):
    stage_label = Label("stage")
    trigger_label = Label("trigger")
    referring_agency = serializers.CharField(source="referring_agency.name", read_only=True)
    opened_on = serializers.SerializerMethodField(help_text="The day the referral was recorded.")
    clocks = _ReviewClockSerializer(source="deadlines", many=True, read_only=True)
    decisions = _ReviewDecisionSerializer(many=True, read_only=True)

    class Meta:
        model = Review
        fields = [
            "reference",
            "pseudonym",
            "stage",
            "stage_label",
            "trigger",
            "trigger_label",
            "incident_date",
            "la_aware_date",
            "referring_agency",
            "opened_on",
            "closed_on",
            "clocks",
            "decisions",
        ]

    def get_opened_on(self, review) -> datetime.date:
        return timezone.localtime(review.created_at).date()


class ActionSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True, help_text='For example "CSPR-2026-008/A2".')
    review = serializers.CharField(source="review.reference", read_only=True)
    source_label = Label("source")
    status_label = Label("status")
    rag_label = Label("rag")
    lead_agency = serializers.CharField(source="lead_agency.name", read_only=True)
    themes = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)

    class Meta:
        model = Action
        fields = [
            "id",
            "reference",
            "review",
            "source",
            "source_label",
            "text",
            "lead_agency",
            "due_date",
            "status",
            "status_label",
            "rag",
            "rag_label",
            "overdue",
            "themes",
            "closed_at",
        ]


class ThemeSerializer(serializers.ModelSerializer):
    in_use = serializers.BooleanField(source="is_active", read_only=True)
    actions_tagged = serializers.IntegerField(
        read_only=True, help_text="Actions you may see that carry the theme."
    )

    class Meta:
        model = LearningTheme
        fields = ["id", "name", "in_use", "actions_tagged"]
