import pytest
from django.test import RequestFactory

from lcspr.core import views


@pytest.fixture
def request_(db, manager):
    request = RequestFactory().get("/somewhere/")
    request.user = manager
    return request


def test_the_403_page_says_the_role_does_not_allow_it(request_):
    response = views.permission_denied(request_)
    assert response.status_code == 403
    assert "Your role does not allow this action" in response.content.decode()


def test_the_404_page_explains_how_to_check_the_address(client, manager):
    client.force_login(manager)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_the_500_page_reassures_that_nothing_saved_was_lost(request_):
    response = views.server_error(request_)
    assert response.status_code == 500
    assert "Nothing you saved has been lost" in response.content.decode()
