import re

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

from lcspr.accounts.models import Agency, ReminderDelivery, Role
from lcspr.accounts.selectors import PersonStatus
from lcspr.core.forms import Form, GovukFormMixin


class SignInForm(GovukFormMixin, auth_forms.AuthenticationForm):
    username = forms.EmailField(
        label="E-mail address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": "Enter a correct e-mail address and password.",
        "inactive": "This account has been closed. Ask your partnership manager.",
    }

    def clean_username(self):
        # One lockout count per account: "Morgan@..." and "morgan@..." are the same person.
        return self.cleaned_data["username"].strip().lower()


class PasswordResetForm(GovukFormMixin, forms.Form):
    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


class SetPasswordForm(GovukFormMixin, auth_forms.SetPasswordForm):
    pass


class ReminderDeliveryForm(GovukFormMixin, forms.Form):
    reminder_delivery = forms.ChoiceField(
        label="How do you want to get reminders by e-mail?",
        choices=ReminderDelivery.choices,
        widget=forms.RadioSelect,
        help_text="Every reminder is also in your notification centre.",
        error_messages={
            "required": "Select how you want to get reminders by e-mail",
            "invalid_choice": "Select how you want to get reminders by e-mail",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The label is a question, so the mixin's "Select <label>" would not read well.
        self.fields["reminder_delivery"].error_messages["required"] = (
            "Select how you want to get reminders by e-mail"
        )


class TwoFactorCodeForm(GovukFormMixin, forms.Form):
    otp_token = forms.CharField(
        label="Code",
        help_text="The 6-digit code shown in your authenticator app",
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "govuk-input--width-5",
            }
        ),
        error_messages={"required": "Enter the code from your authenticator app"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["otp_token"].error_messages["required"] = (
            "Enter the code from your authenticator app"
        )

    def clean_otp_token(self):
        code = re.sub(r"[\s-]", "", self.cleaned_data["otp_token"])
        if not re.fullmatch(r"\d{6}", code):
            raise ValidationError("The code must be 6 numbers, like 123456", code="invalid")
        return code


class ConfirmIdentityForm(TwoFactorCodeForm):
    """The password again, and a code when two-factor sign-in is on."""

    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["password", "otp_token"]

    def __init__(self, *args, ask_code: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].error_messages["required"] = "Enter your password"
        if not ask_code:
            del self.fields["otp_token"]


# --- the manager's people pages -------------------------------------------------------------


class PeopleFilterForm(Form):
    agency = forms.ModelChoiceField(
        label="Agency", required=False, queryset=Agency.objects.none(), empty_label="All agencies"
    )
    role = forms.ChoiceField(label="Partnership role", required=False)
    status = forms.ChoiceField(label="Status", required=False, choices=PersonStatus.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.order_by("name")
        self.fields["role"].choices = [("", "All roles"), *Role.choices]
        self.fields["agency"].error_messages["invalid_choice"] = "Select an agency from the list"
        self.fields["role"].error_messages["invalid_choice"] = "Select a role from the list"
        self.fields["status"].error_messages["invalid_choice"] = "Select a status from the list"


class RolesField(forms.MultipleChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            label="Partnership roles",
            required=False,
            choices=Role.choices,
            widget=forms.CheckboxSelectMultiple,
            help_text="A statutory partner lead belongs to one of the three statutory partners; "
            "an agency representative to an agency; an independent author to none.",
            **kwargs,
        )
        self.error_messages["invalid_choice"] = "Select roles from the list"


class InviteForm(Form):
    full_name = forms.CharField(label="Full name", max_length=150)
    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text="We will e-mail them a link to choose their password.",
    )
    job_title = forms.CharField(label="Job title (optional)", max_length=150, required=False)
    agency = forms.ModelChoiceField(
        label="Agency", required=False, queryset=Agency.objects.none(), empty_label="No agency"
    )
    roles = RolesField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(is_active=True).order_by("name")
        self.fields["agency"].error_messages["invalid_choice"] = "Select an agency from the list"
        self.fields["email"].error_messages["invalid"] = (
            "Enter an e-mail address in the correct format, like name@example.org"
        )


class RolesForm(Form):
    roles = RolesField()
    # The roles the page showed, so a change over someone else's newer one is refused.
    read_roles = forms.CharField(widget=forms.HiddenInput, required=False, max_length=500)

    def clean_read_roles(self):
        read = [r for r in self.cleaned_data["read_roles"].split(",") if r]
        if any(r not in Role.values for r in read):
            raise ValidationError(
                "This page has been changed since it was opened: open it again and make your "
                "changes"
            )
        return read


class ReasonForm(Form):
    reason = forms.CharField(
        label="Reason",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept in the account's history. 300 characters at most.",
    )


class PeopleUploadForm(Form):
    file = forms.FileField(
        label="The file of people (CSV or Excel .xlsx)",
        help_text="Row 1 has the headings Name, E-mail, Agency and Role; one person a row.",
    )


class ChoosePasswordForm(Form):
    new_password1 = forms.CharField(
        label="New password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 12 characters. Not a common password, and not like your name or "
        "e-mail address.",
    )
    new_password2 = forms.CharField(
        label="Confirm new password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        one, two = cleaned.get("new_password1"), cleaned.get("new_password2")
        if one and two and one != two:
            self.add_error("new_password2", "The two passwords do not match")
        elif one:
            try:
                password_validation.validate_password(one, self.user)
            except ValidationError as error:
                for message in error.messages:
                    self.add_error("new_password1", message)
        return cleaned
