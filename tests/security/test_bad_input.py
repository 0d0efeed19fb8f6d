"""The bad-input sweep: every form a user can reach is submitted with what a careless paste or a
hostile user sends (very long text, control characters, HTML and script, SQL-looking strings,
impossible dates, absurd numbers, choices that do not exist) and must answer with a message or
store the text safely, never a server error; what anyone typed is shown escaped.

The forms are found the way a user finds them: signed in as each persona, from the home page and
each review's page, following links and reading the forms on every page of the world
(tests/security/world.py), plus a review at referral and one at rapid review (whose forms the
world's decided reviews no longer show). Every submission runs in a savepoint that is rolled
back, so each form meets the world as it was built. The project rule behind it: text fields
refuse control characters and anything longer than their limit, naming the field
(lcspr.core.forms.guard_text_field)."""

import datetime
import importlib
import inspect
import pkgutil
import re
from dataclasses import dataclass, field
from functools import reduce
from html.parser import HTMLParser
from operator import or_
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django import forms as django_forms
from django.apps import apps
from django.db import models, transaction
from django.db.models.functions import Length
from django.test import Client
from django.utils import timezone

from lcspr.accounts.models import Role, User
from lcspr.core.forms import Form
from reviews.models import Trigger
from reviews.rapid_review import services as rapid_review_services
from reviews.referral import services as referral_services
from tests.reviews.conftest import open_referral, to_rapid_review, to_sent, to_signed_off

pytestmark = pytest.mark.django_db

LONG = "Fictional text " * 667  # 10,005 characters
CONTROL = "Fictional\x00note\x01with\x07control\x1bcharacters\x7f"
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
SQL = "'; DROP TABLE reviews_review; --"
TEXTS = {"long": LONG, "control": CONTROL, "html": SCRIPT + IMG, "sql": SQL}
DATES = {
    "31/02/2026": ("31", "2", "2026"),
    "00/00/0000": ("00", "00", "0000"),
    "1/1/1": ("1", "1", "1"),
    "9999-12-31": ("31", "12", "9999"),
    "letters": ("aa", "bb", "cccc"),
}
NUMBERS = ["-1", "99999999999999999999999", "1e309"]
CHOICES = ["abc", "-1", "99999999999999999999"]
# Raw markup a user typed must never come back unescaped.
RAW = (SCRIPT, "<img src=x onerror=alert(1)>")
C0 = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"

# Who looks for forms: every persona whose pages hold forms.
PERSONAS = (
    "manager",
    "independent_chair",
    "panel_chair_a",
    "author_a",
    "panel_member_a",
    "rep_involved",
    "subgroup",
    "partner_lead",
    "executive",
)
# Links not followed: leaving the session, and files (not pages).
SKIP_LINK = re.compile(r"^/(account/sign-out|django-admin|static/)|\.(pdf|csv|xlsx)$|/file$")
SKIP_ACTION = re.compile(r"^/account/(sign-out|session/extend)")
MAX_PAGES = 900


# --- reading the forms on a page ------------------------------------------------------------


@dataclass
class Input:
    tag: str
    name: str
    kind: str = "text"
    value: str = ""
    checked: bool = False
    date_part: bool = False
    numeric: bool = False
    options: list = field(default_factory=list)


@dataclass
class FoundForm:
    action: str
    method: str
    inputs: list = field(default_factory=list)
    page: str = ""
    persona: str = ""
    user: object = None

    @property
    def key(self) -> tuple:
        return (
            self.method,
            re.sub(r"\d+", "N", self.action),
            tuple(sorted({i.name for i in self.inputs})),
        )


class FormReader(HTMLParser):
    """The forms and links of one page."""

    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[FoundForm] = []
        self.links: set[str] = set()
        self._form = self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))
            if "selected" in a:
                self._select.value = a.get("value", "")
        elif tag == "a" and a.get("href", "").startswith("/"):
            self.links.add(a["href"].split("#")[0])
        elif tag == "form":
            action = urljoin(self.page_url, a.get("action") or self.page_url)
            self._form = FoundForm(action, (a.get("method") or "get").lower(), page=self.page_url)
            self.forms.append(self._form)
        elif self._form is None or not a.get("name"):
            return
        elif tag == "input" and a.get("type", "text") not in ("file", "image", "reset"):
            self._form.inputs.append(
                Input(
                    "input",
                    a["name"],
                    a.get("type", "text"),
                    a.get("value", ""),
                    "checked" in a,
                    "govuk-date-input__input" in a.get("class", ""),
                    a.get("inputmode") == "numeric" or a.get("type") == "number",
                )
            )
        elif tag == "textarea":
            self._textarea = Input("textarea", a["name"])
            self._form.inputs.append(self._textarea)
        elif tag == "select":
            self._select = Input("select", a["name"])
            self._form.inputs.append(self._select)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def read_page(url: str, html: str) -> FormReader:
    reader = FormReader(url)
    reader.feed(html)
    return reader


# --- the values sent --------------------------------------------------------------------------

BASE_DATE = timezone.localdate() - datetime.timedelta(days=10)


def _is_text(i: Input) -> bool:
    return (
        i.tag == "textarea" or i.kind in ("text", "email", "search", "tel", "url", "password")
    ) and (not i.date_part and not i.numeric)


def baseline(form: FoundForm) -> dict[str, list[str]]:
    """Plausible values for every field, so each fuzzed field is what the form judges."""
    data: dict[str, list[str]] = {}
    groups: dict[str, list[Input]] = {}
    for i in form.inputs:
        groups.setdefault(i.name, []).append(i)
    for name, inputs in groups.items():
        first = inputs[0]
        if first.kind == "submit":
            data[name] = [first.value]
        elif first.kind in ("radio", "checkbox"):
            checked = [i.value or "on" for i in inputs if i.checked]
            data[name] = checked or [first.value or "on"]
        elif first.tag == "select":
            options = [o for o in first.options if o]
            data[name] = [first.value or (options[0] if options else "")]
        elif first.date_part:
            part = name.rsplit("_", 1)[-1]
            data[name] = [str({"0": BASE_DATE.day, "1": BASE_DATE.month}.get(part, BASE_DATE.year))]
        elif first.kind == "hidden" or first.value:
            data[name] = [first.value]
        elif first.numeric:
            data[name] = ["1"]
        elif first.kind == "email":
            data[name] = ["fuzz@northbridge-scp.example"]
        else:
            data[name] = ["Fictional text"]
    return data


def variants(form: FoundForm):
    """(what, data) for each kind of bad input the form has a field for."""
    base = baseline(form)
    texts = [i.name for i in form.inputs if _is_text(i)]
    dates = sorted({i.name.rsplit("_", 1)[0] for i in form.inputs if i.date_part})
    numbers = [i.name for i in form.inputs if i.numeric and not i.date_part]
    choices = [
        i.name
        for i in form.inputs
        if i.tag == "select"
        or i.kind in ("radio", "checkbox")
        or (i.kind == "hidden" and i.value.isdigit())
    ]
    if texts:
        for what, value in TEXTS.items():
            yield f"text:{what}", {**base, **{n: [value] for n in texts}}
    for what, parts in DATES.items():
        if dates:
            yield (
                f"date:{what}",
                {**base, **{f"{d}_{n}": [p] for d in dates for n, p in enumerate(parts)}},
            )
    for value in NUMBERS if numbers else ():
        yield f"number:{value}", {**base, **{n: [value] for n in numbers}}
    for value in CHOICES if choices else ():
        yield f"choice:{value}", {**base, **{n: [value] for n in choices}}


# --- what is stored ---------------------------------------------------------------------------


def _text_columns():
    found = []
    for model in apps.get_models():
        if model._meta.app_label in ("sessions", "contenttypes", "admin", "auth"):
            continue
        columns = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
        ]
        if columns:
            found.append((model, columns))
    return found


def unsafe_rows() -> list[str]:
    """Rows holding control characters, or text longer than its column allows (which
    PostgreSQL refuses with a server error)."""
    problems = []
    for model, columns in _text_columns():
        control = reduce(or_, [models.Q(**{f"{c.attname}__regex": C0}) for c in columns])
        for row in model.objects.filter(control).values("pk", *[c.attname for c in columns]):
            bad = [c.attname for c in columns if re.search(C0, row[c.attname] or "")]
            problems.append(f"{model._meta.label} {row['pk']}: control characters in {bad}")
        limited = [c for c in columns if isinstance(c, models.CharField) and c.max_length]
        if limited:
            qs = model.objects.alias(**{f"_len_{c.attname}": Length(c.attname) for c in limited})
            over = reduce(
                or_, [models.Q(**{f"_len_{c.attname}__gt": c.max_length}) for c in limited]
            )
            for pk in qs.filter(over).values_list("pk", flat=True):
                problems.append(f"{model._meta.label} {pk}: text longer than its column")
    return problems


# --- the sweep --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def early_reviews(world, django_db_blocker):
    """Reviews at referral, rapid review and awaiting decision, and a looked-after child's
    death, beside the world's decided ones."""
    with django_db_blocker.unblock():
        manager, la = world.users["manager"], world.agencies["la"]
        leads = list(
            User.objects.filter(role_assignments__role=Role.STATUTORY_PARTNER_LEAD).distinct()
        )
        referral = open_referral(manager, la, pseudonym="Child R")
        notifying = open_referral(manager, la, pseudonym="Child N")
        referral_services.criteria_record(
            review=notifying, by=manager, abuse_or_neglect="yes", died_or_seriously_harmed="yes"
        )
        rapid = to_rapid_review(open_referral(manager, la, pseudonym="Child S"), manager)
        rapid_review_services.agency_summary_request(
            review=rapid, by=manager, agency=world.agencies["a1"], due_date=timezone.localdate()
        )
        signed = to_signed_off(
            to_rapid_review(open_referral(manager, la, pseudonym="Child V"), manager),
            manager,
            leads,
        )
        sent = to_sent(
            to_signed_off(
                to_rapid_review(open_referral(manager, la, pseudonym="Child W"), manager),
                manager,
                leads,
            ),
            manager,
        )
        # A looked-after child's death: its notice to the DfE and Ofsted has a form of its own.
        death = open_referral(manager, la, pseudonym="Child D", trigger=Trigger.LOOKED_AFTER_DEATH)
        return [referral, notifying, rapid, signed, sent, death]


def _client(user) -> Client:
    client = Client(raise_request_exception=True)
    if user is not None:
        client.force_login(user)
    return client


def _get(client, url, **kwargs):
    with transaction.atomic():
        response = client.get(url, **kwargs)
        transaction.set_rollback(True)
    return response


def _crawlers(world, early_reviews):
    """(who, user, seeds): each persona from the pages everyone starts from, the
    representative of the agency whose chronology is still a draft, and an anonymous visitor."""
    seeds = ["/", "/reviews/", "/actions/", "/chronologies/", "/notifications/"]
    seeds += ["/account/notifications/", "/account/confirm-it-is-you/"]
    seeds += [f"/reviews/{r.pk}/" for r in (world.a.review, *early_reviews)]
    # The reason asked when a person leaves (the manager's page alone), which the crawl's page
    # limit does not reach from the people list.
    seeds += [f"/account/people/{world.users['rep_involved'].pk}/deactivate/"]
    crawlers = [(persona, world.users[persona], seeds) for persona in PERSONAS]
    draft = world.a.chron_request_other_agency
    drafting_rep = draft.agency.users.get(role_assignments__role=Role.AGENCY_REPRESENTATIVE)
    crawlers.append(("drafting_rep", drafting_rep, [*seeds, f"/chronologies/requests/{draft.pk}/"]))
    crawlers.append(("anonymous", None, ["/account/sign-in/", "/account/password-reset/"]))
    return crawlers


@pytest.fixture(scope="module")
def found_forms(world, early_reviews, django_db_blocker) -> list[FoundForm]:
    """Every distinct form the personas reach, with the first persona who reached it."""
    forms: dict[tuple, FoundForm] = {}
    with django_db_blocker.unblock():
        for who, user, seeds in _crawlers(world, early_reviews):
            client = _client(user)
            queue, seen = list(seeds), set()
            while queue and len(seen) < MAX_PAGES:
                url = queue.pop(0)
                if url in seen or SKIP_LINK.search(urlsplit(url).path):
                    continue
                seen.add(url)
                response = _get(client, url)
                if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                    continue
                page = read_page(url, response.content.decode())
                for form in page.forms:
                    if form.action.startswith("/") and not SKIP_ACTION.search(form.action):
                        form.persona, form.user = who, user
                        forms.setdefault(form.key, form)
                queue += [link for link in page.links if link not in seen]
    return list(forms.values())


class Sweep:
    def __init__(self, world):
        self.world = world
        self.clients = {}
        self.failures: list[str] = []
        self.outcomes: dict[str, int] = {}
        self.refused_control = 0

    def client(self, form):
        if form.persona not in self.clients:
            self.clients[form.persona] = _client(form.user)
        return self.clients[form.persona]

    def submit(self, form: FoundForm, what: str, data: dict, *, scan: bool):
        where = f"{form.persona} {form.method.upper()} {form.action} [{what}]"
        client = self.client(form)
        try:
            with transaction.atomic():
                if form.method == "post":
                    response = client.post(form.action, data, follow=True)
                else:
                    query = urlencode(data, doseq=True)
                    response = client.get(f"{urlsplit(form.action).path}?{query}", follow=True)
                problems = unsafe_rows() if scan else []
                transaction.set_rollback(True)
        except Exception as e:  # noqa: BLE001 - every server error is reported, with where
            self.failures.append(f"{where}: {type(e).__name__}: {str(e)[:300]}")
            return
        self.outcomes[response.status_code] = self.outcomes.get(response.status_code, 0) + 1
        if "must not contain control characters" in response.content.decode(errors="replace"):
            self.refused_control += 1
        if response.status_code >= 500:
            self.failures.append(f"{where}: status {response.status_code}")
        body = response.content.decode(errors="replace")
        for raw in RAW:
            if raw in body:
                self.failures.append(f"{where}: {raw} shown unescaped")
        self.failures += [f"{where}: {p}" for p in problems]


def test_the_sweep_reaches_the_forms_of_every_app(found_forms):
    actions = {f.action for f in found_forms}
    for prefix in ("/reviews/", "/chronologies/", "/actions/", "/account/", "/reminders/"):
        assert any(a.startswith(prefix) for a in actions), prefix
    assert len(found_forms) > 60


# POST forms without a one-time token, and why: no one is signed in yet to hold a token (signing
# in twice is being signed in; a reset asked for twice does the same work, rate-limited; a reset
# link works once). Signing out and staying signed in are not crawled (SKIP_ACTION): both do
# the same thing however often they are sent.
WITHOUT_FORM_TOKEN = re.compile(r"^/account/(sign-in|password-reset)/")


def test_every_form_that_changes_something_is_saved_once(found_forms):
    """A form sent twice is saved once (lcspr/core/form_tokens.py): every POST form carries
    its one-time token."""
    posts = [f for f in found_forms if f.method == "post"]
    without = [
        f"{f.persona} on {f.page}: {f.action}"
        for f in posts
        if "form_token" not in {i.name for i in f.inputs}
        and not WITHOUT_FORM_TOKEN.search(urlsplit(f.action).path)
    ]
    assert not without, "\n".join(without)
    assert len(posts) > 60


def test_no_form_answers_bad_input_with_a_server_error_or_stores_it_unsafely(
    world, found_forms, django_db_blocker
):
    sweep = Sweep(world)
    exercised = set()
    original = django_forms.BaseForm.full_clean

    def recording(self):
        exercised.add(type(self))
        return original(self)

    django_forms.BaseForm.full_clean = recording
    try:
        with django_db_blocker.unblock():
            for form in found_forms:
                for what, data in variants(form):
                    sweep.submit(form, what, data, scan=what in ("text:control", "text:long"))
    finally:
        django_forms.BaseForm.full_clean = original
    assert not sweep.failures, "\n".join(sweep.failures)
    # The project rule answered the pasted control characters on most forms with text.
    assert sweep.refused_control > 40
    # The sweep really reached the forms: every form of the project judged the bad input,
    # except those whose pages need a state the world does not hold (each has view tests of
    # its own in tests/<app>/).
    missing = {f"{c.__module__}.{c.__name__}" for c in project_forms() - exercised}
    assert missing <= NOT_REACHED, sorted(missing - NOT_REACHED)


# Base classes, file-only forms (tests/security/test_uploads.py), and forms of states the
# world's reviews are past (ToR drafting, report drafting, anonymisation findings,
# publication, action closure, a decision awaiting the partners' agreement) or of one-off links (password reset, two-factor set-up).
NOT_REACHED = {
    "lcspr.core.forms.Form",
    "lcspr.core.forms.ModelForm",
    "actions.forms.plans.Form",
    # Reached as their adding and editing forms (ActionAddForm and ActionEditForm, MemberAddForm
    # and AppointmentEditForm).
    "actions.forms.plans.ActionFields",
    "panels.forms.members.AppointmentForm",
    "reviews.report.forms.QuestionForm",
    "chronologies.forms.importing.ImportConfirmForm",
    "chronologies.forms.importing.ImportUploadForm",
    "actions.forms.plans.CloseForm",
    "actions.forms.plans.ReopenForm",
    "chronologies.forms.agency.DecideForm",
    "lcspr.accounts.forms.SetPasswordForm",
    # The people pages: a file-only form and the invitation's one-off link
    # (tests/accounts/test_people_views.py).
    "lcspr.accounts.forms.PeopleUploadForm",
    "lcspr.accounts.forms.ChoosePasswordForm",
    # Removing a closure day: a reason on the day's own page, reached from the calendar's list
    # (tests/reviews/clocks/test_calendar.py posts bad input to it).
    "reviews.clocks.forms.ClosureDayRemoveForm",
    "lcspr.accounts.forms.TwoFactorCodeForm",
    "reviews.terms.forms.CommentForm",
    "reviews.terms.forms.ConfirmForm",
    "reviews.terms.forms.KloesForm",
    "reviews.terms.forms.TermsForm",
    "reviews.report.forms.OverrideForm",
    "reviews.decision.forms.ConfirmForm",
    "reviews.decision.forms.AgreementForm",
    "reviews.other_learning.forms.OtherLearningForm",
    "reviews.other_learning.forms.LearningReviewStartForm",
    "reviews.publication.forms.PublishForm",
    "reviews.publication.forms.RemovedForm",
    "reviews.referral.forms.CloseForm",
    "reviews.report.forms.ApproveForm",
    "reviews.report.forms.CommentForm",
    "reviews.report.forms.RespondForm",
    "reviews.report.forms.SignOffForm",
    # The choice between the full Executive report and its summary shows only above 1,000
    # actions, more than the crawl's world has; tests/actions/test_report_jobs.py posts a form
    # that does not exist to it.
    "actions.forms.dashboard.ExecutiveReportForm",
}


def project_forms() -> set[type]:
    """Every form class defined in the project's forms and views modules."""
    found = set()
    packages = ("reviews", "panels", "chronologies", "actions", "lcspr.accounts", "lcspr.core")
    platform_apps = ("lcspr.access_log", "lcspr.notifications", "lcspr.reminders")
    for package in packages + platform_apps:
        root = importlib.import_module(package)
        for module in pkgutil.walk_packages(root.__path__, package + "."):
            if not re.search(r"\.(forms|views|\w+_views)(\.|$)", module.name):
                continue
            loaded = importlib.import_module(module.name)
            for _name, cls in inspect.getmembers(loaded, inspect.isclass):
                if issubclass(cls, django_forms.BaseForm) and cls.__module__ == module.name:
                    found.add(cls)
    return found


# --- the project rule for text, field by field --------------------------------------------------


class ExampleForm(Form):
    name = django_forms.CharField(label="Practitioner's role")
    notes = django_forms.CharField(label="What happened", widget=django_forms.Textarea)
    reference = django_forms.CharField(label="Reference", max_length=20)


def _example(**values):
    return ExampleForm(
        data={"name": "Health visitor", "notes": "Seen.", "reference": "R1", **values}
    )


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x08", "\x0b", "\x1b", "\x7f"])
def test_control_characters_are_refused_with_a_message_naming_the_field(char):
    form = _example(notes=f"Seen at home{char} on Monday")
    assert not form.is_valid()
    assert form.errors["notes"] == ["What happened must not contain control characters"]


def test_tabs_and_line_breaks_are_ordinary_text():
    form = _example(notes="Seen at home.\r\n\tThen at school.\n")
    assert form.is_valid(), form.errors


def test_a_long_paste_is_refused_with_the_limit_never_cut_short():
    form = _example(name="x" * 10_000, reference="y" * 21, notes="z" * 50_001)
    assert not form.is_valid()
    assert form.errors["name"] == ["Practitioner's role must be 500 characters or fewer"]
    assert form.errors["reference"] == ["Reference must be 20 characters or fewer"]
    assert form.errors["notes"] == ["What happened must be 50,000 characters or fewer"]
    assert _example(notes="z" * 10_000).is_valid()


def test_what_a_user_typed_is_shown_back_escaped():
    html = str(_example(name=SCRIPT + IMG, reference="x" * 21))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert not any(raw in html for raw in RAW)
