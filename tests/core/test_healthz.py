"""/healthz: what load balancers and docker-compose ask before sending traffic."""

import os

import pytest
from django.urls import reverse

# The suite's Redis when it has one; otherwise the local server's spare database.
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
CLOSED_PORT_REDIS_URL = "redis://127.0.0.1:1/0"

pytestmark = pytest.mark.django_db


@pytest.fixture
def embedded_broker(settings, tmp_path):
    """The embedded default: no Redis, kombu's filesystem queue in a folder of its own."""
    queue = tmp_path / "queue"
    settings.REDIS_URL = ""
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(queue),
        "data_folder_out": str(queue),
        "processed_folder": str(tmp_path / "processed"),
        "store_processed": False,
    }
    return queue


def test_it_is_ok_on_the_embedded_default_when_the_queue_folder_exists(client, embedded_broker):
    embedded_broker.mkdir()

    response = client.get(reverse("core:healthz"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_it_is_unavailable_when_the_queue_folder_is_missing(client, embedded_broker):
    response = client.get(reverse("core:healthz"))

    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["broker"] == "queue folder missing"
    assert response.json()["database"] == "ok"


def test_it_is_ok_when_redis_answers(client, settings):
    settings.REDIS_URL = REDIS_URL

    response = client.get(reverse("core:healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_it_is_unavailable_when_redis_does_not_answer(client, settings):
    settings.REDIS_URL = CLOSED_PORT_REDIS_URL

    response = client.get(reverse("core:healthz"))

    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["broker"] != "ok"
    assert response.json()["database"] == "ok"


def test_it_answers_an_anonymous_visitor_at_the_path_docker_compose_probes(client, embedded_broker):
    embedded_broker.mkdir()

    # No sign-in and no login redirect: the probe has no account.
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_it_refuses_a_post(client, embedded_broker):
    embedded_broker.mkdir()

    response = client.post(reverse("core:healthz"))

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_it_answers_a_head_request_from_a_load_balancer(client, embedded_broker):
    embedded_broker.mkdir()

    assert client.head(reverse("core:healthz")).status_code == 200


def test_it_is_never_cached(client, embedded_broker):
    embedded_broker.mkdir()

    response = client.get(reverse("core:healthz"))

    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-cache", "no-store", "must-revalidate", "max-age=0"} <= cache_control
