from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lcspr.access_log.services import client_address, log_access
from lcspr.accounts import (
    demo,
    forms,
    lockout,
    password_reset,
    selectors,
    services,
    two_factor,
)
from lcspr.accounts.models import Role
from lcspr.accounts.reauth import (
    mark_authenticated,
    recent_authentication_required,
    safe_next,
)
from lcspr.core.forms import apply_workflow_error
from lcspr.core.permissions import role_required
from lcspr.core.steps import refuse


def _with_next(url_name: str, next_url: str) -> str:
    url = reverse(url_name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _signed_in(request, user, what="Signed in"):
    """The last step of a sign-in: clear the failure count and record it in the access log
    (one row per request, so a step that does more says so in `what`)."""
    lockout.sign_in_succeeded(user)
    log_access(request, what=what, obj=user)


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = forms.SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The local demo (DEBUG on, demo loaded): who to sign in as, to do what.
        if settings.DEBUG and selectors.demo_loaded():
            context["demo_reviews"] = demo.DEMO_REVIEWS
            context["demo_logins"] = demo.demo_map_rows()
        return context

    def form_valid(self, form):
        user = form.get_user()
        login(self.request, user)
        if settings.TWO_FACTOR_REQUIRED:
            # Signed in, not yet verified: the middleware keeps the user on the two-factor
            # pages until a code from their authenticator app is given.
            return redirect(_with_next(two_factor.page_for(user), self.get_redirect_url()))
        _signed_in(self.request, user)
        return redirect(self.get_success_url())


@require_POST
def sign_out(request):
    timed_out = request.POST.get("timeout") == "1"
    logout(request)
    if timed_out:
        minutes = settings.SESSION_COOKIE_AGE // 60
        messages.info(request, f"You were signed out after {minutes} minutes without activity.")
    else:
        messages.success(request, "You have signed out.")
    return redirect("accounts:login")


def _two_factor_context(request, form, **extra):
    # `two_factor_pending` hides the service navigation: nothing behind it opens yet.
    return {"form": form, "next": request.GET.get("next", ""), "two_factor_pending": True, **extra}


LINK_SESSION_KEY = "two_factor_setup_link"


def _setup_link(request):
    """The live e-mailed set-up link this browser has opened for the signed-in user, or None."""
    link_id = request.session.get(LINK_SESSION_KEY)
    link = selectors.live_setup_link(link_id, request.user) if link_id else None
    if link is None:
        request.session.pop(LINK_SESSION_KEY, None)
    return link


@require_GET
def two_factor_link(request, token):
    """The link e-mailed to a person who is to set up an authenticator app. It opens the set-up
    page for its own account only, after the password; it is spent once an app is set up."""
    link = services.two_factor_link_for(token)
    if link is None:
        return render(request, "accounts/two_factor_link_expired.html", status=410)
    user = request.user
    if user.is_authenticated and user.pk != link.user_id:
        return render(request, "accounts/two_factor_link_other_account.html", status=403)
    request.session[LINK_SESSION_KEY] = link.pk
    if not user.is_authenticated:
        messages.info(request, "Sign in with your password to set up two-factor authentication.")
        return redirect(_with_next("accounts:login", reverse("accounts:two_factor_setup")))
    return redirect("accounts:two_factor_setup")


@login_required
@require_POST
def two_factor_link_request(request):
    """ "Send me a link": a person who has given their password but has no authenticator app
    gets a set-up link by e-mail (never the set-up page itself)."""
    try:
        services.two_factor_link_send(user=request.user, by=None)
    except ValidationError as error:
        refuse(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"We have sent a link to {request.user.email}. Open it on this device to set up "
            "two-factor authentication.",
        )
    return redirect("accounts:two_factor_setup")


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """First sign-in (or after a reset): scan a QR code (or type the key) into an authenticator
    app, then give one code from it. Only with the link e-mailed to the person."""
    user = request.user
    next_url = safe_next(request, request.GET.get("next"))
    if two_factor.has_device(user):
        return redirect(_with_next("accounts:two_factor_verify", request.GET.get("next", "")))
    link = _setup_link(request)
    if link is None:
        return render(
            request,
            "accounts/two_factor_link_needed.html",
            {
                "two_factor_pending": True,
                "email": user.email,
                "hours": settings.ACCOUNT_LINK_HOURS,
            },
        )
    device = services.two_factor_device_for_setup(user=user)
    form = forms.TwoFactorCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.two_factor_confirm_with_link(
                link_id=link.pk, device=device, token=form.cleaned_data["otp_token"], by=user
            )
        except ValidationError as error:
            apply_workflow_error(form, error)
        else:
            request.session.pop(LINK_SESSION_KEY, None)
            django_otp.login(request, device)
            mark_authenticated(request)
            _signed_in(request, user, what="Set up two-factor authentication and signed in")
            messages.success(request, "Two-factor authentication is set up.")
            return redirect(next_url)
    context = _two_factor_context(
        request,
        form,
        qr_code=two_factor.qr_code_svg(device),
        secret=two_factor.secret_in_groups(device),
    )
    return render(request, "accounts/two_factor_setup.html", context)


def _wait_message(device) -> str | None:
    allowed, info = device.verify_is_allowed()
    if allowed:
        return None
    locked_until = (info or {}).get("locked_until")
    seconds = (
        max(1, int((locked_until - timezone.now()).total_seconds()) + 1) if locked_until else 1
    )
    unit = "second" if seconds == 1 else "seconds"
    return f"Wait {seconds} {unit}, then enter the code your authenticator app shows"


def _check_code(request, user, device, form, field="otp_token"):
    """Verify the code on `form`: True when right; otherwise adds the error (or returns the
    lockout response when this was one wrong answer too many)."""
    wait = _wait_message(device)
    if wait:
        form.add_error(field, wait)
        return False
    if device.verify_token(form.cleaned_data[field]):
        return True
    if lockout.record_failure(request, user):
        return lockout.sign_out_locked(request, user)
    form.add_error(field, services.WRONG_CODE)
    return False


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    """Each later sign-in: the code from the user's authenticator app."""
    user = request.user
    next_url = safe_next(request, request.GET.get("next"))
    if user.is_verified():
        return redirect(next_url)
    device = two_factor.confirmed_device(user)
    if device is None:
        return redirect(_with_next("accounts:two_factor_setup", request.GET.get("next", "")))
    form = forms.TwoFactorCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if lockout.is_locked(request, user):
            return lockout.sign_out_locked(request, user)
        result = _check_code(request, user, device, form)
        if isinstance(result, HttpResponse):
            return result
        if result:
            django_otp.login(request, device)
            mark_authenticated(request)
            _signed_in(request, user)
            return redirect(next_url)
    return render(request, "accounts/two_factor_verify.html", _two_factor_context(request, form))


@login_required
@require_http_methods(["GET", "POST"])
def confirm_password(request):
    """ "Confirm it's you" before a sensitive action: the password again, and a code when
    two-factor sign-in is on. Wrong answers count towards the account's lockout."""
    user = request.user
    next_url = safe_next(request, request.GET.get("next"))
    ask_code = settings.TWO_FACTOR_REQUIRED
    if ask_code and not two_factor.has_device(user):
        return redirect(_with_next("accounts:two_factor_setup", next_url))
    form = forms.ConfirmIdentityForm(
        request.POST if request.method == "POST" else None, ask_code=ask_code
    )
    if request.method == "POST" and form.is_valid():
        if lockout.is_locked(request, user):
            return lockout.sign_out_locked(request, user)
        right = authenticate(request, username=user.email, password=form.cleaned_data["password"])
        if right is None or right.pk != user.pk:
            if getattr(request, "axes_locked_out", False) or lockout.is_locked(request, user):
                return lockout.sign_out_locked(request, user)
            form.add_error("password", "Enter your correct password")
        else:
            result = True
            if ask_code:
                result = _check_code(request, user, two_factor.confirmed_device(user), form)
            if isinstance(result, HttpResponse):
                return result
            if result:
                mark_authenticated(request)
                lockout.sign_in_succeeded(user)
                log_access(request, what="Confirmed their identity", obj=user)
                return redirect(next_url)
    return render(
        request,
        "accounts/confirm_password.html",
        {"form": form, "next": request.GET.get("next", ""), "ask_code": ask_code},
    )


@login_required
@require_POST
def session_extend(request):
    """ "Stay signed in" on the idle-timeout warning: any request renews the session, so this
    only has to answer."""
    request.session.modified = True
    return HttpResponse(status=204)


@login_required
@role_required(Role.PARTNERSHIP_MANAGER)
@require_http_methods(["GET", "POST"])
@recent_authentication_required
def two_factor_reset(request, pk):
    """Reset a colleague's two-factor sign-in (a lost or new phone): check, then confirm."""
    person = selectors.person_or_404(pk, active_only=True)
    error = None
    if request.method == "POST":
        try:
            services.two_factor_reset(user=person, by=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            log_access(request, what=f"Reset the two-factor authentication of {person}", obj=person)
            messages.success(
                request,
                f"Two-factor authentication for {person} has been reset. We have e-mailed "
                f"them a link to set up their authenticator app again ({person.email}).",
            )
            return redirect("accounts:people")
    return render(
        request,
        "accounts/two_factor_reset.html",
        {"person": person, "has_two_factor": two_factor.has_device(person), "error": error},
        status=400 if error else 200,
    )


class PasswordResetView(auth_views.FormView):
    template_name = "accounts/password_reset.html"
    form_class = forms.PasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        try:
            password_reset.password_reset_ask(
                email=form.cleaned_data["email"], address=client_address(self.request)
            )
        except ValidationError as error:
            apply_workflow_error(form, error)
            return self.render_to_response(self.get_context_data(form=form), status=429)
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
