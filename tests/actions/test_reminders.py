"""Actions as reminder items: an action being delivered is due on its due date; an
open action with no progress update for the set weeks is due an update from the day it became
stale (the dashboard's own rule). The owner acts, else the lead agency's representatives, else
the partnership managers."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions import selectors
from actions import services as action_services
from actions.models import Action, ActionSettings, Status
from actions.reminders import action_items, stale_action_items
from lcspr.accounts.models import Role
from lcspr.reminders.clocks import providers
from tests.actions.conftest import DASH_NOW, DASH_TODAY, DUE, add_action, dash_action, dash_grow
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def _keyed(items):
    return {item.key: item for item in items}


def test_the_providers_are_registered():
    assert providers()["actions"] is action_items
    assert providers()["stale_actions"] is stale_action_items


# --- due dates ------------------------------------------------------------------------------


def test_actions_being_delivered_are_due_on_their_due_date(
    dash_data, agency_author, other_agency_author
):
    a = dash_data.actions
    items = _keyed(action_items(DASH_TODAY))

    # Complete, closed and handed-over actions are not due: a3, a4, a6.
    assert set(items) == {f"action:{a[k].pk}" for k in ("a1", "a2", "a5")}
    a1 = items[f"action:{a['a1'].pk}"]
    assert a1.title == f"Complete {a['a1'].name}"
    assert a1.title.startswith(f"Complete {dash_data.reviews[0].reference}/A1: ")
    assert a1.due_date == D(2026, 4, 2)
    assert a1.url == f"/actions/{a['a1'].pk}/"
    assert a1.review_label == f"{dash_data.reviews[0].reference} (Child A)"
    assert a1.review_id == dash_data.reviews[0].pk
    assert a1.kind == "Action"
    assert a1.escalates is True
    # No named owner: the lead agency's representatives.
    assert a1.responsible == (agency_author.pk,)
    assert items[f"action:{a['a2'].pk}"].responsible == (other_agency_author.pk,)
    assert items[f"action:{a['a5'].pk}"].due_date == D(2026, 6, 30)


def test_the_named_owner_is_responsible_while_they_can_sign_in(
    school_action, manager, agency_author
):
    owner = UserFactory(
        full_name="Olu Owner", agency=school_action.lead_agency, roles=[Role.AGENCY_REPRESENTATIVE]
    )
    school_action.owner = owner
    school_action.save()
    [item] = action_items(DASH_TODAY)
    assert item.responsible == (owner.pk,)
    assert item.due_date == DUE

    owner.is_active = False
    owner.save()
    [item] = action_items(DASH_TODAY)
    assert item.responsible == (agency_author.pk,)  # not the owner who left


def test_an_agency_without_representatives_leaves_it_to_the_managers(
    lcspr_review, manager, recommendations
):
    agency = AgencyFactory(name="Northbridge Leisure Centre")
    action = add_action(lcspr_review, manager, agency, due_date=D(2026, 12, 1))
    [item] = action_items(DASH_TODAY)
    assert item.key == f"action:{action.pk}"
    assert item.responsible == (manager.pk,)


def test_a_closed_action_is_no_longer_due(dash_data):
    a1 = dash_data.actions["a1"]
    Action.objects.filter(pk=a1.pk).update(status=Status.CLOSED)
    assert f"action:{a1.pk}" not in _keyed(action_items(DASH_TODAY))


# --- stale actions ---------------------------------------------------------------------------


def test_open_actions_without_an_update_for_six_weeks_are_due_an_update(
    dash_data, agency_author, other_agency_author
):
    a = dash_data.actions
    items = _keyed(stale_action_items(DASH_TODAY))

    # The dashboard's stale actions: a1 (agreed 10 weeks ago, never updated) and a3 (complete,
    # last updated 8 weeks ago). Closed or handed-over actions are never stale.
    assert set(items) == {f"action-stale:{a[k].pk}" for k in ("a1", "a3")}
    assert selectors.dashboard(UserFactory(roles=[Role.PARTNERSHIP_MANAGER])).totals["stale"] == 2
    a1 = items[f"action-stale:{a['a1'].pk}"]
    assert a1.title == f"Give a progress update on {a['a1'].name}"
    # Agreed on Tuesday 27 January: six weeks later is 10 March, stale from the day after.
    assert a1.due_date == D(2026, 3, 11)
    assert a1.url == f"/actions/{a['a1'].pk}/progress/"
    assert a1.kind == "Action update"
    assert a1.responsible == (agency_author.pk,)
    a3 = items[f"action-stale:{a['a3'].pk}"]
    assert a3.due_date == D(2026, 3, 25)  # last updated on Tuesday 10 February
    assert a3.responsible == (other_agency_author.pk,)


def test_an_action_becomes_stale_the_day_after_six_weeks(dash_data, manager, school):
    updated = DASH_NOW - datetime.timedelta(weeks=6)  # Tuesday 24 February
    action = dash_action(
        dash_data.reviews[1], school, manager, number=9, due=D(2026, 9, 1), last_update_at=updated
    )
    key = f"action-stale:{action.pk}"
    assert key not in _keyed(stale_action_items(DASH_TODAY))
    item = _keyed(stale_action_items(D(2026, 4, 8)))[key]
    assert item.due_date == D(2026, 4, 8)


def test_a_progress_update_ends_the_staleness(dash_data, agency_author):
    a1 = dash_data.actions["a1"]
    action_services.progress_update_add(
        action=a1, by=agency_author, text="Audit planned for May.", status=Status.IN_PROGRESS
    )
    assert f"action-stale:{a1.pk}" not in _keyed(stale_action_items(DASH_TODAY))


def test_the_partnership_sets_the_weeks(dash_data):
    settings = ActionSettings.load()
    settings.stale_update_weeks = 9
    settings.save()
    a = dash_data.actions
    items = _keyed(stale_action_items(DASH_TODAY))
    assert set(items) == {f"action-stale:{a['a1'].pk}"}  # a3 was updated 8 weeks ago
    assert items[f"action-stale:{a['a1'].pk}"].due_date == D(2026, 4, 1)


# --- a constant number of queries ----------------------------------------------------------------


def _queries(provider):
    with CaptureQueriesContext(connection) as captured:
        items = provider(DASH_TODAY)
    return len(captured), items


def test_the_same_queries_for_a_few_actions_or_many(
    dash_clock,
    dash_themes,
    manager,
    school,
    police,
    local_authority,
    agency_author,
    other_agency_author,
):
    agencies = [school, police, local_authority]  # the local authority has no representative
    dash_grow(manager, agencies, dash_themes, reviews=1, per_review=12)
    ActionSettings.load()
    small = {p: _queries(p) for p in (action_items, stale_action_items)}
    assert len(small[action_items][1]) == 6
    assert len(small[stale_action_items][1]) == 3

    actions = dash_grow(manager, agencies, dash_themes, reviews=6, per_review=20)
    Action.objects.filter(pk__in=[x.pk for x in actions[::7]]).update(owner=agency_author)
    large = {p: _queries(p) for p in (action_items, stale_action_items)}
    assert len(large[action_items][1]) > 40
    assert len(large[stale_action_items][1]) > 20
    assert small[action_items][0] == large[action_items][0] == 3
    assert small[stale_action_items][0] == large[stale_action_items][0] == 4


def test_a_handed_over_action_stops_reminding_and_is_due_again_once_reopened(
    school_action, subgroup_member, agency_author
):
    key = f"action:{school_action.pk}"
    assert key in _keyed(action_items(DASH_TODAY))
    action_services.action_hand_over(
        action=school_action, by=subgroup_member, handed_to="The school's own plan"
    )
    assert key not in _keyed(action_items(DASH_TODAY))
    assert f"action-stale:{school_action.pk}" not in _keyed(stale_action_items(D(2027, 1, 1)))
    action_services.action_reopen(
        action=school_action, by=subgroup_member, reason="The school's plan was dropped."
    )
    item = _keyed(action_items(DASH_TODAY))[key]
    assert (item.due_date, item.responsible) == (DUE, (agency_author.pk,))


def test_a_complete_action_waits_for_impact_without_a_delivery_reminder(
    school_action, agency_author
):
    action_services.completion_evidence_record(
        action=school_action, by=agency_author, completion_evidence="Training delivered."
    )
    assert f"action:{school_action.pk}" not in _keyed(action_items(DASH_TODAY))
    # Six weeks and a day after its last update it is due an update again, until it closes.
    recorded = Action.objects.get(pk=school_action.pk).last_update_at.date()
    later = recorded + datetime.timedelta(weeks=6, days=1)
    item = _keyed(stale_action_items(later))[f"action-stale:{school_action.pk}"]
    assert item.due_date == later
