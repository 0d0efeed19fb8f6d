import re

from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError

from lcspr.accounts.models import ReminderDelivery
from lcspr.core.forms import GovukFormMixin


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
