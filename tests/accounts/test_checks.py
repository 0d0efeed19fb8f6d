from django.core.management import call_command

from lcspr.accounts.checks import two_factor_required_check


def test_deploy_check_warns_when_two_factor_is_off_in_production(settings):
    settings.DEBUG = False
    settings.TWO_FACTOR_REQUIRED = False
    warnings = two_factor_required_check(None)
    assert [w.id for w in warnings] == ["accounts.W001"]
    assert "TWO_FACTOR_REQUIRED" in warnings[0].msg


def test_deploy_check_is_quiet_when_two_factor_is_on_or_in_local_development(settings):
    settings.DEBUG = False
    settings.TWO_FACTOR_REQUIRED = True
    assert two_factor_required_check(None) == []
    settings.DEBUG = True
    settings.TWO_FACTOR_REQUIRED = False
    assert two_factor_required_check(None) == []


def test_the_check_is_registered_with_the_deploy_checks(settings, capsys):
    import pytest
    from django.core.management.base import SystemCheckError

    settings.DEBUG = False
    settings.TWO_FACTOR_REQUIRED = False
    with pytest.raises(SystemCheckError, match="accounts.W001"):
        call_command("check", "--deploy", "--fail-level", "WARNING", "--tag", "security")
