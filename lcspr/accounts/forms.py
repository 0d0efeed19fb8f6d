import re

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from lcspr.accounts.models import ReminderDelivery, User
from lcspr.core import emails
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

    def save(self):
        """Queue a reset link for an active account with this address. Says nothing either way,
        so the form cannot be used to find out who has an account."""
        user = User.objects.filter(email__iexact=self.cleaned_data["email"], is_active=True).first()
        if user is None or not user.has_usable_password():
            return
        path = reverse(
            "accounts:password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
        emails.send_password_reset(user=user, reset_path=path)


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
