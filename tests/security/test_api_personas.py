"""The permission matrix, extended to the reporting API: every persona's token sees exactly the
reviews, clocks, decisions and actions the pages' own access helpers give that person (one
policy, not a second one), and nothing of a review they may not know exists."""

import pytest
from django.test import Client

from actions.permissions import actions_for_user
from lcspr.api import services as api_services
from reviews.permissions import reviews_for_user
from tests.security.matrix import SIGNED_IN


def _all(client, url, headers) -> list[dict]:
    """Every result of a paged list, following `next`."""
    found = []
    while url:
        response = client.get(url, headers=headers)
        assert response.status_code == 200, (url, response.status_code)
        body = response.json()
        found += body["results"]
        url = body["next"]
    return found


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_a_personas_token_sees_what_the_pages_let_them_see(world, db, persona):
    user = world.users[persona]
    _token, raw = api_services.token_issue(user=user, name="Matrix", by=world.users["manager"])
    client = Client()
    headers = {"Authorization": f"Bearer {raw}"}

    reviews = {r["reference"] for r in _all(client, "/api/v1/reviews/", headers)}
    assert reviews == set(reviews_for_user(user).values_list("reference", flat=True))
    clocks = {c["review"] for c in _all(client, "/api/v1/clocks/", headers)}
    assert clocks <= reviews
    decisions = {d["review"] for d in _all(client, "/api/v1/decisions/", headers)}
    assert decisions <= reviews
    actions = {a["id"] for a in _all(client, "/api/v1/actions/", headers)}
    assert actions == set(actions_for_user(user).values_list("pk", flat=True))

    for side in (world.a, world.b):
        detail = client.get(f"/api/v1/reviews/{side.review.reference}/", headers=headers)
        assert detail.status_code == (200 if side.review.reference in reviews else 404)
        action = client.get(f"/api/v1/actions/{side.action.pk}/", headers=headers)
        assert action.status_code == (200 if side.action.pk in actions else 404)
