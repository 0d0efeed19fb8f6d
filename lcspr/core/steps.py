"""What every page that takes a step shares: the posted data, and the form → service →
refusal → message → redirect cycle."""

from collections.abc import Callable

from django.contrib import messages
from django.shortcuts import redirect

from lcspr.core import form_tokens
from lcspr.core.exceptions import WorkflowError
from lcspr.core.forms import apply_workflow_error


def posted(request):
    """The form data of a POST (even an empty one, so the form shows what is missing), else
    None (an unbound form)."""
    return request.POST if request.method == "POST" else None


def refuse(request, message: str) -> None:
    """Tell the person why a step was refused, on the page a view redirects to, and mark the
    request as having saved nothing (so its form can be sent again with the same token)."""
    messages.error(request, message)
    form_tokens.not_saved(request)


def take_step(request, form, step: Callable, *, success, then):
    """When the form was posted and is valid, run `step(form.cleaned_data)`: on success show
    `success` (a message, or a function of the step's result) and redirect to `then` (a URL or
    a function of the result); when the service refuses, put its reason on the form. Returns
    the redirect, or None when the page should be shown again."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = step(form.cleaned_data)
    except WorkflowError as e:
        apply_workflow_error(form, e)
        form_tokens.not_saved(request)
        return None
    messages.success(request, success(result) if callable(success) else success)
    return redirect(then(result) if callable(then) else then)
