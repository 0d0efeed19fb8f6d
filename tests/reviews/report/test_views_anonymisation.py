"""The anonymisation pages: the restricted list (manager, Independent Chair and author only),
the checks of the current versions, running a check, its findings with each name highlighted,
and the Independent Chair's override. Who may reach each page, what a user sees, and that a
planted name blocks publication until the report is fixed."""

import pytest
from django.urls import reverse

from lcspr.access_log.models import AccessLog
from reviews.report import anonymisation as anon
from reviews.report.models import AnonymisationCheck, CheckPurpose, NameCategory, RestrictedName
from tests.core.test_documents import docx, para
from tests.helpers import assert_constant_queries
from tests.reviews.report.test_anonymisation import CLEAN, upload
from tests.reviews.report_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


def url(name, review, *args):
    return reverse(f"reviews:anonymisation_{name}", args=[review.pk, *args])


def as_user(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded files go to a folder of the test's own."""
    default = dict(settings.STORAGES["default"])
    default["OPTIONS"] = {**default.get("OPTIONS", {}), "location": str(tmp_path)}
    settings.STORAGES = {**settings.STORAGES, "default": default}
    return tmp_path


@pytest.fixture
def names(lcspr_review, manager):
    anon.restricted_name_add(
        review=lcspr_review, by=manager, term="Jane Place", category=NameCategory.FAMILY
    )
    return lcspr_review.restricted_names.all()


@pytest.fixture
def version(media, lcspr_review, author, names):
    return upload(lcspr_review, author)


@pytest.fixture
def check(lcspr_review, version, author):
    return anon.anonymisation_check_run(
        review=lcspr_review, version=version, by=author, purpose=CheckPurpose.PUBLICATION
    )


@pytest.fixture
def people(manager, independent_chair, author, panel_chair, panel_member, partner_lead, outsider):
    return {
        "manager": manager,
        "independent chair": independent_chair,
        "author": author,
        "panel chair": panel_chair,
        "panel member": panel_member,
        "partner lead": partner_lead,
        "outsider": outsider,
    }


def statuses(client, people, method, address, data=None, *, others=()):
    """The status of one request by each person (and the people of another review)."""
    result = {}
    for label, user in [*people.items(), *(("elsewhere", u) for u in others)]:
        client.force_login(user)
        response = getattr(client, method)(address, data or {})
        result.setdefault(label, set()).add(response.status_code)
    return {label: codes.pop() if len(codes) == 1 else codes for label, codes in result.items()}


# --- who may reach which page -------------------------------------------------------------------


def test_the_restricted_list_is_for_the_manager_chair_and_author_only(
    client, lcspr_review, names, people, elsewhere
):
    assert statuses(client, people, "get", url("names", lcspr_review), others=elsewhere) == {
        "manager": 200,
        "independent chair": 200,
        "author": 200,
        "panel chair": 403,
        "panel member": 403,
        "partner lead": 403,
        "outsider": 404,
        "elsewhere": 404,
    }


def test_the_checks_and_findings_are_for_those_who_see_names_or_run_checks(
    client, lcspr_review, check, people, elsewhere
):
    expected = {
        "manager": 200,
        "independent chair": 200,
        "author": 200,
        "panel chair": 200,
        "panel member": 403,
        "partner lead": 403,
        "outsider": 404,
        "elsewhere": 404,
    }
    assert statuses(client, people, "get", url("checks", lcspr_review), others=elsewhere) == (
        expected
    )
    findings = url("check", lcspr_review, check.pk)
    assert statuses(client, people, "get", findings, others=elsewhere) == expected


def test_running_a_check_is_for_the_manager_chairs_and_author(
    client, lcspr_review, version, people, elsewhere
):
    address = url("run", lcspr_review, version.pk)
    assert statuses(client, people, "get", address, others=elsewhere) == {
        "manager": 200,
        "independent chair": 200,
        "author": 200,
        "panel chair": 200,
        "panel member": 403,
        "partner lead": 403,
        "outsider": 404,
        "elsewhere": 404,
    }


def test_only_the_independent_chair_reaches_the_override(
    client, lcspr_review, check, people, elsewhere
):
    address = url("override", lcspr_review, check.pk)
    assert statuses(client, people, "get", address, others=elsewhere) == {
        "manager": 403,
        "independent chair": 200,
        "author": 403,
        "panel chair": 403,
        "panel member": 403,
        "partner lead": 403,
        "outsider": 404,
        "elsewhere": 404,
    }


def test_changing_the_list_is_for_the_manager_and_author(
    client, lcspr_review, names, people, elsewhere
):
    term = iter(f"Name {n}" for n in range(100))
    add = url("name_add", lcspr_review)
    codes = {}
    for label, user in [*people.items(), ("elsewhere", elsewhere[0])]:
        client.force_login(user)
        response = client.post(add, {"term": next(term), "category": "other"})
        codes[label] = response.status_code
    assert codes == {
        "manager": 302,
        "independent chair": 403,
        "author": 302,
        "panel chair": 403,
        "panel member": 403,
        "partner lead": 403,
        "outsider": 404,
        "elsewhere": 404,
    }
    name = names.get(term="Jane Place")
    remove = url("name_remove", lcspr_review, name.pk)
    for user, code in [
        (elsewhere[0], 404),
        (people["independent chair"], 403),
        (people["panel chair"], 403),
    ]:
        assert as_user(client, user).post(remove).status_code == code
    assert RestrictedName.objects.filter(pk=name.pk).exists()


@pytest.mark.parametrize(
    ("name", "method", "args"),
    [
        ("names", "post", ()),
        ("name_add", "get", ()),
        ("name_remove", "get", ("name",)),
        ("checks", "post", ()),
        ("run", "put", ("version",)),
        ("check", "post", ("check",)),
        ("override", "delete", ("check",)),
    ],
)
def test_the_wrong_method_is_refused(client, lcspr_review, check, manager, name, method, args):
    objects = {"name": lcspr_review.restricted_names.first(), "version": check.version}
    objects["check"] = check
    address = url(name, lcspr_review, *(objects[a].pk for a in args))
    assert getattr(as_user(client, manager), method)(address).status_code == 405


def test_objects_of_another_review_are_not_found(
    client, lcspr_review, other_review, check, manager, independent_chair
):
    name = lcspr_review.restricted_names.first()
    client = as_user(client, manager)
    assert client.post(url("name_remove", other_review, name.pk)).status_code == 404
    assert client.get(url("run", other_review, check.version.pk)).status_code == 404
    assert client.get(url("check", other_review, check.pk)).status_code == 404
    client.force_login(independent_chair)
    assert client.get(url("override", other_review, check.pk)).status_code == 404


# --- the restricted list ------------------------------------------------------------------------


def test_the_author_adds_and_removes_a_name(client, lcspr_review, author):
    client = as_user(client, author)
    response = client.post(
        url("name_add", lcspr_review), {"term": "Acacia Avenue", "category": "address"}, follow=True
    )
    html = response.content.decode()
    assert "“Acacia Avenue” has been added to the restricted list." in html
    assert "Address or place" in html
    name = lcspr_review.restricted_names.get()
    response = client.post(url("name_remove", lcspr_review, name.pk), follow=True)
    assert "“Acacia Avenue” has been removed from the restricted list." in response.content.decode()
    assert not lcspr_review.restricted_names.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"term": "", "category": "child"}, "Enter the name or detail"),
        ({"term": "Jane Place"}, "Select what kind of name or detail it is"),
        ({"term": "JANE PLACE", "category": "family"}, "already on the list"),
        ({"term": "J", "category": "child"}, "at least 2 characters"),
    ],
)
def test_a_bad_name_shows_the_problem_and_stores_nothing(
    client, lcspr_review, names, manager, data, message
):
    response = as_user(client, manager).post(url("name_add", lcspr_review), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html and message in html
    assert lcspr_review.restricted_names.count() == 1


def test_the_panel_chair_never_sees_the_list_itself(client, lcspr_review, check, panel_chair):
    html = as_user(client, panel_chair).get(url("checks", lcspr_review)).content.decode()
    assert "1 name or detail on the restricted list." in html
    assert url("names", lcspr_review) not in html


def test_the_timeline_never_shows_a_restricted_name(client, lcspr_review, check, manager):
    html = as_user(client, manager).get(reverse("reviews:timeline", args=[lcspr_review.pk]))
    html = html.content.decode()
    assert "A restricted name (family member) was added" in html
    assert "1 restricted name found" in html
    assert "Jane" not in html


def test_the_list_runs_the_same_queries_however_long(client, lcspr_review, names, manager):
    def grow():
        for n in range(10):
            anon.restricted_name_add(
                review=lcspr_review, by=manager, term=f"Person {n}", category="other"
            )

    assert_constant_queries(as_user(client, manager), url("names", lcspr_review), grow)


# --- checks and findings ------------------------------------------------------------------------


def test_the_panel_chair_runs_a_check_and_sees_the_name_highlighted(
    client, lcspr_review, version, panel_chair
):
    client = as_user(client, panel_chair)
    response = client.post(url("run", lcspr_review, version.pk), {"purpose": "approval"})
    check = AnonymisationCheck.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("check", lcspr_review, check.pk)
    html = client.get(response["Location"]).content.decode()
    assert "The check found 1 restricted name in Overview Report version 1." in html
    assert "Paragraph 2" in html
    assert "<mark>Jane Place&#x27;s</mark> son was seen by the health visitor." in html
    assert "ask the Independent Chair to override this check" in html
    assert AccessLog.objects.filter(user=panel_chair, what__contains="findings").exists()


def test_a_run_without_a_purpose_shows_the_problem(client, lcspr_review, version, author):
    response = as_user(client, author).post(url("run", lcspr_review, version.pk), {})
    assert "Select why you are running the check" in response.content.decode()
    assert not AnonymisationCheck.objects.exists()


def test_a_run_the_service_refuses_shows_why(client, lcspr_review, version, author):
    upload(lcspr_review, author, CLEAN)
    response = as_user(client, author).post(
        url("run", lcspr_review, version.pk), {"purpose": "on_request"}
    )
    html = response.content.decode()
    assert "govuk-error-summary" in html and "replaced by a newer version" in html
    assert not AnonymisationCheck.objects.exists()


def test_findings_are_escaped(client, media, lcspr_review, author, names):
    # XML-escaped here, so the document's text holds the markup itself.
    planted = docx(
        para("&lt;b&gt;Jane Place&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;")
    )
    version = upload(lcspr_review, author, planted)
    check = anon.anonymisation_check_run(
        review=lcspr_review, version=version, by=author, purpose="on_request"
    )
    html = as_user(client, author).get(url("check", lcspr_review, check.pk)).content.decode()
    assert "&lt;b&gt;<mark>Jane Place</mark>&lt;/b&gt; &amp; &lt;script&gt;" in html
    assert "<script>alert" not in html


def test_the_checks_page_shows_each_current_version_and_every_check(
    client, lcspr_review, check, manager
):
    html = as_user(client, manager).get(url("checks", lcspr_review)).content.decode()
    assert "Overview Report version 1" in html and "1 found" in html
    assert url("run", lcspr_review, check.version.pk) in html
    assert url("check", lcspr_review, check.pk) in html
    assert AccessLog.objects.filter(user=manager, what="Viewed the anonymisation checks").exists()


def test_the_checks_page_runs_the_same_queries_however_many_checks(
    client, lcspr_review, check, manager
):
    def grow():
        for _ in range(10):
            AnonymisationCheck.objects.create(
                review=lcspr_review,
                version=check.version,
                purpose=CheckPurpose.ON_REQUEST,
                run_by=manager,
                findings=check.findings,
                terms_checked=1,
            )

    assert_constant_queries(as_user(client, manager), url("checks", lcspr_review), grow)


# --- the override -------------------------------------------------------------------------------


def test_the_independent_chair_overrides_with_a_reason(
    client, lcspr_review, check, independent_chair
):
    client = as_user(client, independent_chair)
    page = client.get(url("override", lcspr_review, check.pk)).content.decode()
    assert "Check the findings before you override them" in page
    assert "<mark>Jane Place&#x27;s</mark>" in page
    response = client.post(
        url("override", lcspr_review, check.pk),
        {"reason": "The name is in the published court judgment."},
        follow=True,
    )
    html = response.content.decode()
    assert "The check of Overview Report version 1 has been overridden." in html
    assert "1 found, overridden" in html
    assert "The name is in the published court judgment." in html
    check.refresh_from_db()
    assert check.overridden_by == independent_chair


def test_an_override_without_a_reason_shows_the_problem(
    client, lcspr_review, check, independent_chair
):
    response = as_user(client, independent_chair).post(url("override", lcspr_review, check.pk))
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Enter why the report may be published with these names" in html
    check.refresh_from_db()
    assert check.overridden_at is None


def test_a_check_that_cannot_be_overridden_says_why(
    client, lcspr_review, check, author, independent_chair
):
    anon.anonymisation_check_run(
        review=lcspr_review, version=check.version, by=author, purpose="publication"
    )
    client = as_user(client, independent_chair)
    page = client.get(url("override", lcspr_review, check.pk)).content.decode()
    assert "A newer check of this version has been run: override that one." in page
    assert "Override and allow publication" not in page
    response = client.post(url("override", lcspr_review, check.pk), {"reason": "Public"})
    assert "A newer check of this version has been run" in response.content.decode()
    check.refresh_from_db()
    assert check.overridden_at is None


# --- done when: a planted name blocks publication until fixed -----------------------------------


def test_a_planted_name_blocks_publication_until_the_report_is_fixed(
    client, lcspr_review, version, author
):
    client = as_user(client, author)
    client.post(url("run", lcspr_review, version.pk), {"purpose": "publication"})
    ok, message, _ = anon.publication_check_status(lcspr_review, [version])
    assert not ok and message.startswith("1 restricted name remains in the Overview Report")
    fixed = upload(lcspr_review, author, CLEAN)
    assert not anon.publication_check_status(lcspr_review, [fixed])[0]
    client.post(url("run", lcspr_review, fixed.pk), {"purpose": "publication"})
    assert anon.publication_check_status(lcspr_review, [fixed])[:2] == (True, "")


def test_with_an_empty_list_the_check_page_refuses_and_says_why(
    client, media, lcspr_review, author
):
    version = upload(lcspr_review, author, CLEAN)
    client = as_user(client, author)
    page = client.get(url("run", lcspr_review, version.pk)).content.decode()
    assert "The check cannot run yet: the restricted list is empty" in page
    assert "Run the check" not in page
    response = client.post(url("run", lcspr_review, version.pk), {"purpose": CheckPurpose.APPROVAL})
    assert response.status_code == 200
    assert "The restricted list is empty" in response.content.decode()
    assert not AnonymisationCheck.objects.exists()
