"""The close-action page shows every evidence file the owner attached, whichever step they were
attached at, so the sub-group does not read "None" when evidence exists."""

import pytest
from django.urls import reverse

from actions import services as action_services
from actions.models import Assurance
from tests.actions.conftest import upload

pytestmark = pytest.mark.django_db


def test_the_close_page_lists_the_evidence_the_owner_attached(
    client, school_action, manager, subgroup_member
):
    action_services.progress_update_add(
        action=school_action,
        by=manager,
        text="Half the teams trained.",
        status="in_progress",
        files=[upload("training-register.pdf")],
    )
    action_services.completion_evidence_record(
        action=school_action,
        by=manager,
        completion_evidence="Training delivered to every fictional team.",
        files=[upload("completion-certificates.pdf")],
    )
    action_services.impact_evidence_record(
        action=school_action,
        by=manager,
        impact_evidence="An audit of 20 fictional cases found every concern shared.",
        assurance_method=Assurance.AUDIT,
    )
    client.force_login(subgroup_member)
    page = client.get(reverse("actions:close", args=[school_action.pk])).content.decode()
    files_row = page.split("Evidence files", 1)[1].split("</div>", 1)[0]
    assert "completion-certificates.pdf" in files_row
    assert "training-register.pdf" in files_row
    assert "None" not in files_row
