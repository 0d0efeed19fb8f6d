"""Every key page of the benchmark (docs/performance.md) runs the same number of queries on a
small partnership as after seed_scale's builders have made it several times bigger: more
reviews, people, agencies and actions, and the measured review's chronology, action plan and
the user's notifications grown tenfold."""

import pytest
from django.urls import reverse

from actions.scale import add_actions
from chronologies.models import RequestStatus
from chronologies.scale import add_entries
from lcspr.core.management.commands.seed_scale import seed
from lcspr.core.scale import ScalePlan
from lcspr.notifications.scale import add_notifications
from tests.helpers import assert_constant_queries, query_count

SMALL = {"reviews": 4, "chronology_entries": 240, "actions": 24, "users": 30, "agencies": 8}
MORE = {"reviews": 16, "chronology_entries": 800, "actions": 120, "users": 40, "agencies": 10}


def quiet(_line):
    pass


@pytest.fixture
def world(db):
    """A small partnership from the scale builders: its personas and measured reviews."""
    plan = seed(ScalePlan(**SMALL, notifications=20, log=quiet))
    return plan.made


def grow(made):
    """Everything gets bigger: a second, larger build, and the measured review's chronology,
    action plan and the manager's notifications grown."""

    def grow_now():
        plan = seed(ScalePlan(**MORE, notifications=50, seed=7, log=quiet))
        plan.made["by_label"]["manager"] = made["by_label"]["manager"]
        big = made["big_review"]
        for request in big.chronologies.filter(status=RequestStatus.ACCEPTED):
            add_entries(request, 60, plan)
        plan.made.update(
            in_scope={big.pk: made["in_scope"][big.pk]},
            recommendations=made["recommendations"],
            themes=made["themes"],
        )
        add_actions(big, 100, plan)
        add_notifications(made["personas"]["manager"], 300, plan)

    return grow_now


KEY_PAGES = [
    ("reviews list", "manager", lambda m: reverse("reviews:list")),
    ("home", "panel_member", lambda m: reverse("core:home")),
    ("review page", "manager", lambda m: reverse("reviews:detail", args=[m["big_review"].pk])),
    ("review page", "panel_member", lambda m: reverse("reviews:detail", args=[m["big_review"].pk])),
    (
        "merged chronology",
        "panel_member",
        lambda m: reverse("chronologies:merged", args=[m["big_review"].pk]),
    ),
    (
        "merged chronology, second page",
        "manager",
        lambda m: reverse("chronologies:merged", args=[m["big_review"].pk]) + "?page=2",
    ),
    ("actions dashboard", "subgroup", lambda m: reverse("actions:dashboard")),
    ("notification centre", "manager", lambda m: reverse("notifications:list")),
    ("people list", "manager", lambda m: reverse("accounts:people")),
]


@pytest.mark.parametrize(("page", "persona", "url"), KEY_PAGES, ids=[p[0] for p in KEY_PAGES])
def test_each_key_page_runs_the_same_queries_when_the_data_grows(client, world, page, persona, url):
    client.force_login(world["personas"][persona])
    before, after = assert_constant_queries(client, url(world), grow(world))
    assert before == after


def test_the_builders_make_what_the_benchmark_measures(world):
    big = world["big_review"]
    accepted = big.chronologies.filter(status=RequestStatus.ACCEPTED)
    assert sum(r.entries.count() for r in accepted) == 120  # half the entries asked for
    assert world["pdf_review"].chronologies.exclude(status=RequestStatus.ACCEPTED).count() == 0
    assert big.memberships.filter(user=world["personas"]["panel_member"]).exists()
    assert all(u.email.endswith("@northbridge-scp.example") for u in world["users"])


def test_the_builders_write_history_and_guardian_grants_as_the_services_do(world):
    from panels.services import REVIEW_PERMISSIONS
    from reviews.models import Review, ReviewUserObjectPermission

    big = world["big_review"]
    member = world["personas"]["panel_member"]
    assert Review.history.filter(id=big.pk).count() == 1
    granted = ReviewUserObjectPermission.objects.filter(user=member, content_object=big)
    assert {g.permission.codename for g in granted} == set(REVIEW_PERMISSIONS)


def test_the_bare_benchmark_page_is_mounted_only_for_the_benchmark(client, world):
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        reverse("bench:bare")
    client.force_login(world["personas"]["manager"])
    assert client.get("/bench/bare/").status_code == 404


def test_a_page_of_the_merged_chronology_loads_only_that_page(client, world):
    """Paging happens before entries are loaded: the second page shows other entries."""
    client.force_login(world["personas"]["manager"])
    url = reverse("chronologies:merged", args=[world["big_review"].pk])
    first = client.get(url).context["page"].object_list
    second = client.get(url + "?page=2").context["page"].object_list
    assert len(first) == 100 and len(second) == 20
    assert {e.pk for e in first}.isdisjoint(e.pk for e in second)
    assert query_count(client, url) == query_count(client, url + "?page=2")


def test_the_dashboard_lists_reviews_25_a_page(db, client):
    plan = seed(
        ScalePlan(reviews=80, chronology_entries=80, actions=400, users=30, agencies=8, log=quiet)
    )
    subgroup = plan.made["personas"]["subgroup"]
    client.force_login(subgroup)
    html = client.get(reverse("actions:dashboard")).content.decode()
    table = html.split('id="review-table"')[1].split("</table>")[0]
    with_actions = html.split("Reviews 1 to 25 of ")[1].split(",")[0]
    assert table.count('<th scope="row"') == 25
    assert int(with_actions) > 25
    assert "review_page=2" in html
    second = client.get(reverse("actions:dashboard"), {"review_page": 2}).content.decode()
    assert "Reviews 26 to " in second
