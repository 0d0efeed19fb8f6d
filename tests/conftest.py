"""Personas and shared fixtures. Per-review personas (panel chair, panel member, review author)
are added by the apps that create reviews."""

import pytest

from lcspr.accounts.models import AgencyKind, Role
from tests.factories import PASSWORD, AgencyFactory, UserFactory


@pytest.fixture(autouse=True)
def _no_kept_merged_chronologies():
    """The merged chronology page keeps each review's overview in process memory (keyed on
    its accepted entries); every test starts without, whatever earlier tests kept."""
    from chronologies.selectors import forget_overviews

    forget_overviews()


@pytest.fixture(autouse=True)
def _flushable_access_log_on_sqlite(request):
    """On SQLite (the README's default), Django empties the database after a test that commits
    (browser journeys, the live server) with DELETE, which the access log's append-only trigger
    refuses (lcspr/access_log/guard.py): the trigger is lifted for that flush only and put back
    before the next test. PostgreSQL empties with TRUNCATE, which the trigger does not see."""
    if not {"transactional_db", "live_server"} & set(request.fixturenames):
        yield
        return
    request.getfixturevalue("transactional_db")  # set up first, so torn down (flushed) after
    from django.db import connection

    from lcspr.access_log import guard

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for sql in guard.SQLITE_INSTALL:
                cursor.execute(sql)
    yield
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for sql in guard.SQLITE_REMOVE:
                cursor.execute(sql)


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def local_authority(db):
    return AgencyFactory(
        name="Northbridge Council Children's Services",
        kind=AgencyKind.LOCAL_AUTHORITY,
        is_statutory_partner=True,
    )


@pytest.fixture
def police(db):
    return AgencyFactory(
        name="Northbridge Constabulary", kind=AgencyKind.POLICE, is_statutory_partner=True
    )


@pytest.fixture
def icb(db):
    return AgencyFactory(
        name="Northbridge Integrated Care Board", kind=AgencyKind.ICB, is_statutory_partner=True
    )


@pytest.fixture
def school(db):
    return AgencyFactory(name="Riverside Primary School", kind=AgencyKind.SCHOOL)


@pytest.fixture
def manager(db):
    return UserFactory(full_name="Morgan Manager", roles=[Role.PARTNERSHIP_MANAGER])


@pytest.fixture
def independent_chair(db):
    return UserFactory(full_name="Indira Chair", roles=[Role.INDEPENDENT_CHAIR])


@pytest.fixture
def partner_lead(db, police):
    return UserFactory(full_name="Pat Partner", agency=police, roles=[Role.STATUTORY_PARTNER_LEAD])


@pytest.fixture
def subgroup_member(db):
    return UserFactory(full_name="Sam Subgroup", roles=[Role.SUBGROUP_MEMBER])


@pytest.fixture
def executive_member(db):
    return UserFactory(full_name="Evan Executive", roles=[Role.EXECUTIVE_MEMBER])


@pytest.fixture
def agency_author(db, school):
    return UserFactory(full_name="Alex Agency", agency=school, roles=[Role.AGENCY_REPRESENTATIVE])


@pytest.fixture
def other_agency_author(db, police):
    return UserFactory(
        full_name="Olly Otheragency", agency=police, roles=[Role.AGENCY_REPRESENTATIVE]
    )


@pytest.fixture
def independent_author(db):
    return UserFactory(full_name="Ivy Author", roles=[Role.INDEPENDENT_AUTHOR])


@pytest.fixture
def outsider(db):
    return UserFactory(full_name="Oscar Outsider", roles=[])
