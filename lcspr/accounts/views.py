from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_http_methods, require_POST

from lcspr.accounts import forms, services
from lcspr.core.forms import apply_workflow_error


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = forms.SignInForm
    redirect_authenticated_user = True


@require_POST
def sign_out(request):
    logout(request)
    messages.success(request, "You have signed out.")
    return redirect("accounts:login")


class PasswordResetView(auth_views.FormView):
    template_name = "accounts/password_reset.html"
    form_class = forms.PasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        with transaction.atomic():
            form.save()
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = forms.SetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request):
    """How the signed-in user gets reminders by e-mail (their own account only)."""
    form = forms.ReminderDeliveryForm(
        request.POST if request.method == "POST" else None,
        initial={"reminder_delivery": request.user.reminder_delivery},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.reminder_delivery_set(
                user=request.user, delivery=form.cleaned_data["reminder_delivery"], by=request.user
            )
        except ValidationError as error:
            apply_workflow_error(form, error)
        else:
            messages.success(request, "How you get reminders by e-mail has been saved.")
            return redirect("accounts:notification_preferences")
    return render(request, "accounts/notification_preferences.html", {"form": form})
