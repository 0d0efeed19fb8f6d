"""The partnership manager's pages for API tokens (issue, list, revoke) and the API's
documentation page for everyone signed in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods
from drf_spectacular.generators import SchemaGenerator

from lcspr.accounts.models import Role
from lcspr.accounts.reauth import recent_authentication_required
from lcspr.api import selectors, services
from lcspr.api.forms import TokenIssueForm
from lcspr.core.exceptions import WorkflowError
from lcspr.core.forms import apply_workflow_error
from lcspr.core.permissions import role_required
from lcspr.core.steps import posted


@login_required
@role_required(Role.PARTNERSHIP_MANAGER)
@require_GET
def tokens(request):
    return render(request, "api/tokens.html", {"tokens": selectors.tokens()})


@login_required
@role_required(Role.PARTNERSHIP_MANAGER)
@require_http_methods(["GET", "POST"])
@recent_authentication_required
def token_issue(request):
    form = TokenIssueForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = services.token_issue(by=request.user, **form.cleaned_data)
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            # Shown once, in the answer to the POST: never stored, never shown again.
            return render(request, "api/token_issued.html", {"token": token, "raw": raw})
    return render(request, "api/token_issue.html", {"form": form})


@login_required
@role_required(Role.PARTNERSHIP_MANAGER)
@require_http_methods(["GET", "POST"])
def token_revoke(request, pk):
    token = get_object_or_404(selectors.tokens(), pk=pk)
    error = ""
    if request.method == "POST":
        try:
            services.token_revoke(token=token, by=request.user)
        except WorkflowError as e:
            error = " ".join(e.messages)
        else:
            messages.success(request, f"The token “{token.name}” no longer works.")
            return redirect("api:tokens")
    return render(request, "api/token_revoke.html", {"token": token, "error": error})


def _operations(schema: dict) -> list[dict]:
    """The schema's operations, in words, for the documentation page."""
    found = []
    for url, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            found.append(
                {
                    "method": method.upper(),
                    "url": url,
                    "summary": operation.get("summary", ""),
                    "parameters": [
                        {
                            "name": p["name"],
                            "where": p["in"],
                            "description": p.get("description", ""),
                            "values": ", ".join(map(str, p.get("schema", {}).get("enum", []))),
                        }
                        for p in operation.get("parameters", [])
                    ],
                }
            )
    return found


@login_required
@require_GET
def documentation(request):
    schema = SchemaGenerator(patterns=None).get_schema(request=None, public=True)
    return render(request, "api/documentation.html", {"operations": _operations(schema)})


urlpatterns = [
    path("tokens/", tokens, name="tokens"),
    path("tokens/new/", token_issue, name="token_issue"),
    path("tokens/<int:pk>/revoke/", token_revoke, name="token_revoke"),
    path("v1/docs/", documentation, name="documentation"),
]
