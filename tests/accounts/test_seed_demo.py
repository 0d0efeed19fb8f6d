import pytest
from django.core.management import call_command

from lcspr.accounts.demo import DEMO_PASSWORD, PEOPLE
from lcspr.accounts.models import Agency, Role, User

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_one_person_per_role_and_prints_the_logins(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "manager@northbridge-scp.example" in out
    assert f"Password for every demo login: {DEMO_PASSWORD}" in out
    assert User.objects.count() == len(PEOPLE)
    held = set().union(*(u.roles for u in User.objects.all()))
    assert held == set(Role.values)
    assert Agency.objects.filter(is_statutory_partner=True).count() == 3
    assert User.objects.get(email="manager@northbridge-scp.example").check_password(DEMO_PASSWORD)


def test_seed_demo_runs_once(capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    assert "already loaded" in capsys.readouterr().out
    assert User.objects.count() == len(PEOPLE)


def test_the_demo_logins_say_two_factor_sign_in_is_off(capsys, settings):
    settings.TWO_FACTOR_REQUIRED = False
    call_command("seed_demo", "--logins-only")
    assert "Two-factor sign-in is off in the demo" in capsys.readouterr().out
