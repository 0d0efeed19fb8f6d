"""An action is named one way on every page: its reference (review reference / A number) with
its title, "CSPR-2026-001/A1: Riverside Primary School audits…"."""

import pytest
from django.urls import reverse

from actions import reminders
from actions.models import Action

pytestmark = pytest.mark.django_db


def test_every_page_names_the_action_the_same_way(client, manager, school_action):
    action = Action.objects.select_related("review").get(pk=school_action.pk)
    name = action.name
    assert name.startswith(f"{action.review.reference}/A{action.number}: ")
    assert action.text[:30] in name
    client.force_login(manager)
    pages = {
        "action page": reverse("actions:detail", args=[action.pk]),
        "close page": reverse("actions:close", args=[action.pk]),
        "plan page": reverse("actions:review_plan", args=[action.review_id]),
        "dashboard": reverse("actions:dashboard"),
    }
    for page, url in pages.items():
        html = client.get(url).content.decode().replace("&#x27;", "'")
        assert name in html, page
        assert f"Action {action.number}<" not in html, page
    titles = [item.title for item in reminders.action_items(action.due_date)]
    assert f"Complete {name}" in titles
