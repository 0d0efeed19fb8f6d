"""An agency's chronology in the home page's "Waiting for you": the representative's while it
is theirs to write, the manager's and the panel chair's once submitted; never the other
agency's representative's, nor a panel member's, who only read it."""

import pytest
from django.urls import reverse

from chronologies import services
from lcspr.accounts.models import User
from reviews.queue import waiting_for_you
from tests.chronologies.test_services import ROW

pytestmark = pytest.mark.django_db


def whats(user) -> list[str]:
    return [item.what for item in waiting_for_you(User.objects.get(pk=user.pk))]


def test_the_chronology_waits_for_its_agency_then_for_whoever_accepts_it(
    school_request, school_author, other_agency_author, subgroup_member, manager, panel_member
):
    name = f"{school_request.agency} chronology"
    [item] = [i for i in waiting_for_you(User.objects.get(pk=school_author.pk)) if i.what == name]
    assert item.url == reverse("chronologies:request", args=[school_request.pk])
    assert item.due_date == school_request.due_date and item.countdown > 0
    assert name not in whats(other_agency_author)
    assert name not in whats(subgroup_member), "the panel chair waits for the submission"

    services.entry_save(request=school_request, by=school_author, **ROW)
    services.submit(request=school_request, by=school_author, declaration_confirmed=True)
    assert name not in whats(school_author)
    assert name in whats(subgroup_member) and name in whats(manager)
    assert name not in whats(panel_member)
