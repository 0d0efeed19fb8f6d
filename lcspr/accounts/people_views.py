"""The partnership manager's people pages: the list, a person's page, invitations, roles,
leavers and bulk onboarding; and the invited person's own page to choose a password."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lcspr.access_log.services import log_access
from lcspr.accounts import forms, onboarding, people, selectors
from lcspr.accounts.models import Role
from lcspr.core.forms import apply_workflow_error
from lcspr.core.permissions import role_required
from lcspr.core.steps import posted

PER_PAGE = 50
ONBOARDING_SESSION_KEY = "people_onboarding"
manager_only = role_required(Role.PARTNERSHIP_MANAGER)


def _query(form) -> str:
    if not form.is_valid():
        return ""
    values = {k: (v.pk if hasattr(v, "pk") else v) for k, v in form.cleaned_data.items() if v}
    return urlencode(values)


@login_required
@manager_only
@require_GET
def people_list(request):
    """Everyone with an account, filtered by agency, role and status, a page at a time."""
    form = forms.PeopleFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    found = selectors.people_list(
        agency=filters.get("agency"), role=filters.get("role", ""), status=filters.get("status", "")
    )
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/people.html",
        {
            "form": form,
            "page": page,
            "query": _query(form),
            "filtered": any(request.GET.get(k) for k in ("agency", "role", "status")),
        },
    )


@login_required
@manager_only
@require_GET
def person_detail(request, pk):
    """One person: their account, roles, invitation and what changed."""
    person = selectors.person_or_404(pk)
    return render(
        request,
        "accounts/person_detail.html",
        {
            "person": person,
            "invited": people.is_invited(person),
            "invitation": selectors.latest_invitation(person),
            "changes": selectors.person_changes(person),
            "role_changes": selectors.role_changes(person),
        },
    )


@login_required
@manager_only
@require_http_methods(["GET", "POST"])
def person_invite(request):
    """Invite a new person by e-mail, with their agency and partnership roles."""
    form = forms.InviteForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            person = people.person_invite(**form.cleaned_data, by=request.user)
        except ValidationError as error:
            apply_workflow_error(form, error)
        else:
            messages.success(
                request,
                f"{person} has been invited. We have e-mailed them a link to choose their "
                f"password ({person.email}); it works once, for {settings.ACCOUNT_LINK_HOURS} "
                "hours.",
            )
            return redirect("accounts:person", pk=person.pk)
    return render(
        request,
        "accounts/person_invite.html",
        {
            "form": form,
            "hours": settings.ACCOUNT_LINK_HOURS,
            "two_factor_required": settings.TWO_FACTOR_REQUIRED,
        },
    )


@login_required
@manager_only
@require_POST
def invitation_resend(request, pk):
    """Send a new invitation link; the older one stops working."""
    person = selectors.person_or_404(pk)
    try:
        people.invitation_send(user=person, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"We have e-mailed {person} a new invitation link ({person.email}). The link sent "
            "before no longer works.",
        )
    return redirect("accounts:person", pk=person.pk)


def _confirm_page(request, person, *, step, template, success, form_class=None):
    """A "check, then confirm" page for a step on a person (with a reason when `form_class`)."""
    form = form_class(posted(request)) if form_class else None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            result = step(form.cleaned_data if form else {})
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
                return redirect("accounts:person", pk=person.pk)
            apply_workflow_error(form, error)
        else:
            messages.success(request, success(result))
            return redirect("accounts:person", pk=person.pk)
    return render(
        request,
        template,
        {"person": person, "form": form, "two_factor_required": settings.TWO_FACTOR_REQUIRED},
    )


@login_required
@manager_only
@require_http_methods(["GET", "POST"])
def invitation_cancel(request, pk):
    """Withdraw an invitation nobody has accepted."""
    person = selectors.person_or_404(pk)
    return _confirm_page(
        request,
        person,
        step=lambda data: people.invitation_cancel(user=person, by=request.user),
        template="accounts/invitation_cancel.html",
        success=lambda _: (
            f"The invitation to {person} has been cancelled: its link no longer works."
        ),
    )


@login_required
@manager_only
@require_http_methods(["GET", "POST"])
def person_deactivate(request, pk):
    """A leaver: their account closes and their sessions and memberships end at once."""
    person = selectors.person_or_404(pk)

    def success(done):
        ended = f" {'; '.join(done)}." if done else " They were on no review."
        return f"{person}'s account has been deactivated and they have been signed out.{ended}"

    def step(data):
        done = people.person_deactivate(user=person, reason=data["reason"], by=request.user)
        log_access(request, what=f"Deactivated the account of {person}", obj=person)
        return done

    return _confirm_page(
        request,
        person,
        step=step,
        template="accounts/person_deactivate.html",
        success=success,
        form_class=forms.ReasonForm,
    )


@login_required
@manager_only
@require_http_methods(["GET", "POST"])
def person_reactivate(request, pk):
    """A person comes back; their old review memberships are not restored."""
    person = selectors.person_or_404(pk)
    return _confirm_page(
        request,
        person,
        step=lambda data: people.person_reactivate(
            user=person, reason=data["reason"], by=request.user
        ),
        template="accounts/person_reactivate.html",
        success=lambda _: (
            f"{person}'s account is active again. Their review memberships were "
            "not restored: add them to each review they should work on."
        ),
        form_class=forms.ReasonForm,
    )


@login_required
@manager_only
@require_http_methods(["GET", "POST"])
def person_roles(request, pk):
    """Give and take away a person's partnership roles."""
    person = selectors.person_or_404(pk)
    current = sorted(person.role_assignments.values_list("role", flat=True))
    form = forms.RolesForm(
        posted(request), initial={"roles": current, "read_roles": ",".join(current)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            people.person_roles_change(
                user=person,
                roles=form.cleaned_data["roles"],
                read_roles=form.cleaned_data["read_roles"],
                by=request.user,
            )
        except ValidationError as error:
            apply_workflow_error(form, error)
        else:
            messages.success(request, f"{person}'s partnership roles have been saved.")
            return redirect("accounts:person", pk=person.pk)
    return render(request, "accounts/person_roles.html", {"person": person, "form": form})


@login_required
@manager_only
@require_http_methods(["GET", "POST"])
def people_upload(request):
    """Bulk onboarding, step 1: upload a file; every row is checked and shown, nothing saved."""
    form = forms.PeopleUploadForm(posted(request), request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = onboarding.read_people_file(form.cleaned_data["file"])
        if result.ok:
            request.session[ONBOARDING_SESSION_KEY] = onboarding.for_session(result)
        else:
            request.session.pop(ONBOARDING_SESSION_KEY, None)
            status = 400
            return render(
                request,
                "accounts/people_upload.html",
                {"form": form, "result": result},
                status=status,
            )
    return render(request, "accounts/people_upload.html", {"form": form, "result": result})


@login_required
@manager_only
@require_POST
def people_upload_confirm(request):
    """Bulk onboarding, step 2: create everyone checked in step 1, or nobody."""
    rows = request.session.get(ONBOARDING_SESSION_KEY)
    if not rows:
        messages.error(request, "There is nobody waiting to be added. Upload the file again.")
        return redirect("accounts:people_upload")
    try:
        created = onboarding.people_onboard(people=rows, by=request.user)
    except ValidationError as error:
        request.session.pop(ONBOARDING_SESSION_KEY, None)
        return render(
            request,
            "accounts/people_upload.html",
            {"form": forms.PeopleUploadForm(), "refused": error.messages},
            status=400,
        )
    request.session.pop(ONBOARDING_SESSION_KEY, None)
    count = len(created)
    messages.success(
        request,
        f"{count} {'person has' if count == 1 else 'people have'} been added and each was "
        "e-mailed an invitation to choose their password.",
    )
    return redirect("accounts:people")


# --- the invited person's own page ------------------------------------------------------------

INVITATION_GONE = {
    "unknown": (
        "This invitation link is not valid",
        "Check that you copied the whole link from the e-mail.",
    ),
    "used": (
        "This invitation has already been used",
        "You have already chosen your password with this link. Sign in with your e-mail "
        "address and password, or reset your password if you have forgotten it.",
    ),
    "voided": (
        "This invitation link has been replaced",
        "A newer invitation was sent to you, or the invitation was withdrawn. Use the link in "
        "the most recent e-mail, or ask your partnership manager.",
    ),
    "expired": (
        "This invitation link has expired",
        "An invitation link works for {hours} hours. Ask your partnership manager to send you a "
        "new one.",
    ),
    "closed": (
        "This invitation is no longer open",
        "The account it was for has been closed. Ask your partnership manager.",
    ),
}


@require_http_methods(["GET", "POST"])
def invitation(request, token):
    """The link in an invitation e-mail: the invited person chooses their password, then signs
    in (and sets up their authenticator app when two-factor sign-in is on)."""
    link, state = people.invitation_state(token)
    if state != "live":
        title, body = INVITATION_GONE[state]
        return render(
            request,
            "accounts/invitation_gone.html",
            {"title": title, "body": body.format(hours=settings.ACCOUNT_LINK_HOURS)},
            status=410,
        )
    if request.user.is_authenticated:
        return render(request, "accounts/invitation_signed_in.html", status=403)
    person = link.user
    form = forms.ChoosePasswordForm(posted(request), user=person)
    if request.method == "POST" and form.is_valid():
        try:
            people.invitation_accept(token=token, password=form.cleaned_data["new_password1"])
        except ValidationError as error:
            apply_workflow_error(form, error)
        else:
            return _after_password_chosen(request, person)
    return render(
        request,
        "accounts/invitation.html",
        {"form": form, "person": person, "two_factor_required": settings.TWO_FACTOR_REQUIRED},
    )


def _after_password_chosen(request, person):
    from lcspr.accounts.views import LINK_SESSION_KEY

    messages.success(request, "Your password has been set. Sign in with it now.")
    if settings.TWO_FACTOR_REQUIRED:
        # Signing in in this browser then opens the authenticator set-up at once.
        link = people.two_factor_setup_link_for_new_person(user=person)
        request.session[LINK_SESSION_KEY] = link.pk
    return redirect("accounts:login")
