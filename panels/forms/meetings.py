"""Forms for panel meetings, practitioner events and contact with the family. They only clean
input: every change goes through panels.meetings."""

from django import forms
from django.db.models import Case, IntegerField, Q, When

from lcspr.accounts.models import Agency
from lcspr.core.forms import Form, GovukDateField, VersionedFormMixin, carry_version, textarea
from lcspr.core.uploads import check_document
from panels.models import FamilyContact, MemberRole, Membership, PractitionerEvent

ROLE_ORDER = [MemberRole.PANEL_CHAIR, MemberRole.PANEL_MEMBER, MemberRole.AUTHOR]
# "Not asked" is stored as None.
ANSWERS = {"yes": True, "no": False, "not_asked": None}
ANSWER_CHOICES = [("yes", "Yes"), ("no", "No"), ("not_asked", "Not asked")]


def member_label(membership: Membership) -> str:
    """ "Name – role, agency", as the panel knows each other."""
    label = f"{membership.user} – {membership.get_role_display()}"
    return f"{label}, {membership.agency}" if membership.agency else label


class MembersField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return member_label(obj)


def meeting_members(review, meeting=None):
    """The people who can be marked present or absent: the review's active members, and
    anyone already recorded on this meeting who has since left."""
    recorded = Q()
    if meeting is not None:
        recorded = Q(meetings_attended=meeting) | Q(meetings_apologised=meeting)
    order = Case(
        *(When(role=role, then=n) for n, role in enumerate(ROLE_ORDER)),
        default=len(ROLE_ORDER),
        output_field=IntegerField(),
    )
    return (
        Membership.objects.filter(Q(ended_at__isnull=True) | recorded, review=review)
        .select_related("user", "agency")
        .distinct()
        .order_by(order, "user__full_name", "pk")
    )


class MeetingForm(Form):
    held_on = GovukDateField(label="Date of the meeting", help_text="For example, 27 3 2026.")
    agenda = textarea("Agenda")
    present = MembersField(
        label="Members present",
        queryset=Membership.objects.none(),
        required=False,
        help_text="Select everyone on the panel who attended.",
    )
    apologies = MembersField(
        label="Apologies",
        queryset=Membership.objects.none(),
        required=False,
        help_text="Select anyone on the panel who sent apologies.",
    )
    others_present = textarea(
        "Others present",
        help_text="People who are not panel members, with their role and agency.",
        rows=3,
    )
    minutes = textarea(
        "Minutes", help_text="Type the minutes, upload them as a file below, or both.", rows=10
    )
    minutes_file = forms.FileField(
        label="Minutes file",
        required=False,
        help_text="A PDF or Word (DOCX) document, up to 10 MB.",
        widget=forms.FileInput(attrs={"accept": ".pdf,.docx"}),
    )
    decisions = textarea("Decisions made")
    actions_arising = textarea("Actions arising")
    next_meeting_on = GovukDateField(
        label="Date of the next meeting",
        required=False,
        help_text="Optional. For example, 27 4 2026.",
    )

    def __init__(self, *args, review, meeting=None, **kwargs):
        if meeting is not None:
            kwargs.setdefault("initial", self.initial_from(meeting))
        super().__init__(*args, **kwargs)
        members = meeting_members(review, meeting)
        for name in ("present", "apologies"):
            self.fields[name].queryset = members
        if meeting is not None:
            carry_version(self, meeting)
        if meeting is not None and meeting.minutes_file:
            self.fields["minutes_file"].help_text = (
                f"Choose a file only to replace {meeting.minutes_file_name}. "
                "A PDF or Word (DOCX) document, up to 10 MB."
            )

    @staticmethod
    def initial_from(meeting) -> dict:
        initial = {
            name: getattr(meeting, name)
            for name in (
                "held_on",
                "agenda",
                "others_present",
                "minutes",
                "decisions",
                "actions_arising",
                "next_meeting_on",
            )
        }
        initial["present"] = [m.pk for m in meeting.present.all()]
        initial["apologies"] = [m.pk for m in meeting.apologies.all()]
        return initial

    def clean_minutes_file(self):
        file = self.cleaned_data.get("minutes_file")
        if not file:
            return file
        return check_document(file, label="minutes file")


class PractitionerEventForm(Form):
    format = forms.ChoiceField(
        label="Format", choices=PractitionerEvent.Format.choices, widget=forms.RadioSelect
    )
    held_on = GovukDateField(label="Date of the event", help_text="For example, 27 3 2026.")
    scope = textarea(
        "Scope sent to the practitioners",
        help_text="What the practitioners are told before the event: its purpose and the "
        "questions it will consider. It is e-mailed to each practitioner you invite with an "
        "address. Use the review's pseudonym, never the family's names.",
        rows=5,
    )
    learning = textarea(
        "Learning captured",
        help_text="Optional. You can add it later from the event's page.",
        rows=8,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["format"].error_messages["required"] = "Select the format of the event"


class PractitionerForm(Form):
    name = forms.CharField(label="Name", max_length=150)
    role = forms.CharField(label="Role", max_length=150, help_text="For example, health visitor.")
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.filter(is_active=True),
        empty_label="Select an agency",
    )
    email = forms.EmailField(
        label="E-mail address",
        required=False,
        help_text="Optional. If given, the practitioner is e-mailed the event's date and scope.",
    )


class AttendanceForm(Form):
    attended = forms.ModelMultipleChoiceField(
        label="Who attended",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select everyone who took part. Invited practitioners you do not select are "
        "recorded as not attending.",
    )

    def __init__(self, *args, event, **kwargs):
        practitioners = list(event.practitioners.select_related("agency"))
        kwargs.setdefault("initial", {"attended": [p.pk for p in practitioners if p.attended]})
        super().__init__(*args, **kwargs)
        field = self.fields["attended"]
        field.queryset = event.practitioners.all()
        # Labels from the list already loaded, not a query per practitioner.
        field.choices = [(p.pk, f"{p.name} – {p.role}, {p.agency}") for p in practitioners]

    def attended_ids(self) -> list[int]:
        return [p.pk for p in self.cleaned_data["attended"]]


class ScopeForm(VersionedFormMixin, Form):
    scope = textarea(
        "Scope sent to the practitioners",
        required=True,
        help_text="Its purpose and the questions it will consider, e-mailed to each practitioner "
        "invited with an address. Use the review's pseudonym, never the family's names.",
        rows=5,
    )


class LearningForm(VersionedFormMixin, Form):
    learning = textarea("Learning captured", required=True, rows=8)


class FamilyContactForm(Form):
    family_member = forms.CharField(
        label="Who was contacted",
        max_length=150,
        help_text="Their relationship to the child, for example mother.",
    )
    contacted_on = GovukDateField(label="Date of contact", help_text="For example, 27 3 2026.")
    method = forms.ChoiceField(
        label="How were they contacted?",
        choices=FamilyContact.Method.choices,
        widget=forms.RadioSelect,
    )
    advocate_offered = forms.BooleanField(label="An advocate was offered", required=False)
    views_shared = textarea("Views they shared", rows=8)
    wants_to_see_draft = forms.TypedChoiceField(
        label="Do they want to see the draft report?",
        choices=ANSWER_CHOICES,
        coerce=ANSWERS.get,
        widget=forms.RadioSelect,
    )
    wants_to_meet_panel = forms.TypedChoiceField(
        label="Do they want to meet the panel?",
        choices=ANSWER_CHOICES,
        coerce=ANSWERS.get,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        required = {
            "method": "Select how they were contacted",
            "wants_to_see_draft": "Select whether they want to see the draft report",
            "wants_to_meet_panel": "Select whether they want to meet the panel",
        }
        for name, message in required.items():
            self.fields[name].error_messages["required"] = message
