"""The partnership's learning themes page: the partnership manager adds, renames, retires,
brings back and reorders the themes reviews, chronology entries and actions are tagged with."""

import pytest
from django.urls import reverse

from lcspr.core import form_tokens
from reviews.learning import services as learning
from reviews.learning.models import LearningTheme
from tests.helpers import assert_constant_queries

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    return client


def theme(name) -> LearningTheme:
    return LearningTheme.objects.get(name=name)


def errors_of(response) -> str:
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html, "the page shows no error summary"
    return html


THEME_GETS = ["learning_themes", "learning_theme_edit"]
THEME_POSTS = ["learning_theme_in_use", "learning_theme_move"]


def theme_url(name, target=None):
    if name == "learning_themes":
        return reverse("reviews:learning_themes")
    return reverse(f"reviews:{name}", args=[(target or theme("Neglect")).pk])


@pytest.mark.parametrize("name", THEME_GETS + THEME_POSTS)
def test_only_the_partnership_manager_manages_the_themes(
    client, name, independent_chair, subgroup_member, independent_author, outsider
):
    for user in (independent_chair, subgroup_member, independent_author, outsider):
        client = signed_in(client, user)
        assert client.get(theme_url(name)).status_code == 403, user
        response = client.post(theme_url(name), {"name": "Renamed", "in_use": "no"})
        assert response.status_code == 403, user
    neglect = theme("Neglect")
    assert neglect.is_active and neglect.position == 1


@pytest.mark.parametrize("name", THEME_GETS + THEME_POSTS)
def test_signed_out_people_are_sent_to_sign_in(client, name, db):
    response = client.get(theme_url(name))
    assert response.status_code == 302 and "sign-in" in response["Location"]


@pytest.mark.parametrize("name", THEME_GETS)
def test_the_theme_pages_refuse_the_wrong_method(client, manager, name):
    assert signed_in(client, manager).put(theme_url(name)).status_code == 405


@pytest.mark.parametrize("name", THEME_POSTS)
def test_retiring_and_moving_need_a_post(client, manager, name):
    assert signed_in(client, manager).get(theme_url(name)).status_code == 405


def test_a_theme_that_does_not_exist_is_not_found(client, manager):
    client = signed_in(client, manager)
    assert client.get(reverse("reviews:learning_theme_edit", args=[99999])).status_code == 404
    assert client.post(reverse("reviews:learning_theme_move", args=[99999])).status_code == 404


def test_the_manager_adds_a_theme(client, manager):
    client = signed_in(client, manager)
    html = client.get(theme_url("learning_themes")).content.decode()
    assert "20 themes" in html and "Escalation and professional challenge" in html
    response = client.post(theme_url("learning_themes"), {"name": "Online harm"}, follow=True)
    assert "Online harm has been added to the learning themes." in response.content.decode()
    assert LearningTheme.objects.order_by("-position").first().name == "Online harm"
    response = client.post(theme_url("learning_themes"), {"name": "online harm"})
    assert "There is already a theme called online harm" in errors_of(response)
    response = client.post(theme_url("learning_themes"), {"name": ""})
    assert "Enter name of the theme" in errors_of(response)


def test_the_manager_renames_retires_restores_and_moves_a_theme(client, manager):
    client = signed_in(client, manager)
    neglect = theme("Neglect")
    response = client.post(
        theme_url("learning_theme_edit", neglect), {"name": "Neglect and poverty"}, follow=True
    )
    assert "Neglect has been renamed Neglect and poverty." in response.content.decode()
    response = client.post(
        theme_url("learning_theme_in_use", neglect), {"in_use": "no"}, follow=True
    )
    assert "Neglect and poverty has been retired" in response.content.decode()
    assert not LearningTheme.objects.get(pk=neglect.pk).is_active
    client.post(theme_url("learning_theme_in_use", neglect), {"in_use": "yes"})
    assert LearningTheme.objects.get(pk=neglect.pk).is_active
    client.post(theme_url("learning_theme_move", neglect), {"direction": "down"})
    assert list(LearningTheme.objects.values_list("name", flat=True)[:2]) == [
        "Domestic abuse",
        "Neglect and poverty",
    ]
    response = client.post(
        theme_url("learning_theme_move", theme("Domestic abuse")), {"direction": "up"}, follow=True
    )
    assert "Domestic abuse is already first in the list." in response.content.decode()


def test_the_themes_page_runs_the_same_queries_however_many_themes(client, manager):
    def grow():
        for n in range(30):
            learning.learning_theme_add(by=manager, name=f"Fictional theme {n}")

    assert_constant_queries(signed_in(client, manager), theme_url("learning_themes"), grow)


def test_a_refused_move_saved_nothing_so_its_form_token_is_free(client, manager):
    top = LearningTheme.objects.order_by("position", "name").first()
    data = {"direction": "up", "form_token": form_tokens.new_token()}
    refused = signed_in(client, manager).post(
        theme_url("learning_theme_move", top), data, follow=True
    )
    assert f"{top.name} is already first in the list." in refused.content.decode()
    data["direction"] = "down"
    moved = client.post(theme_url("learning_theme_move", top), data, follow=True)
    assert form_tokens.ALREADY_SAVED not in moved.content.decode()
    top.refresh_from_db()
    assert top.position == 2
