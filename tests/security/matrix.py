"""The permission matrix: for every URL pattern of the project, what each persona gets.

Each row names a URL, the world's objects its ids are taken from (tests/security/world.py: the
same names exist for review A and review B), the method tried (GET for pages; POST with an
empty body for POST-only actions) and the outcome per persona:

    OK         the page (200, or any other success), or a redirect that is not to sign in
    LOGIN      a redirect to the sign-in page
    FORBIDDEN  403: the persona may see the object but not do this
    NOT_FOUND  404: the persona may not know the object exists

Rows are built from a few named profiles ("review page", "partnership page"...) so the table
stays reviewable; a URL tried with different objects (a draft and the final report) has a row
per case. test_permission_matrix.py requests every row as every persona; test_idor.py swaps
the ids for another review's and another agency's; test_early_stages.py tries the rows of a
review's own pages (`early_rows()`) on reviews that are not LCSPRs. `render_markdown()` writes
the table in docs/security-matrix.md.
"""

import re
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver

OK, LOGIN, FORBIDDEN, NOT_FOUND = "OK", "LOGIN", "403", "404"

PERSONAS = (
    "anonymous",
    "no_role",
    "manager",
    "independent_chair",
    "partner_lead",
    "subgroup",
    "executive",
    "panel_chair_a",
    "panel_member_a",
    "panel_member_b",
    "author_a",
    "author_b",
    "rep_involved",
    "rep_other",
)
SIGNED_IN = PERSONAS[1:]
# Who the persona is, for the rendered table.
DESCRIPTIONS = {
    "anonymous": "not signed in",
    "no_role": "signed in, no role",
    "manager": "partnership manager",
    "independent_chair": "Independent Chair",
    "partner_lead": "statutory partner lead (police)",
    "subgroup": "LCSPR sub-group member",
    "executive": "Executive Partnership member",
    "panel_chair_a": "panel chair of review A (a sub-group member, as every panel chair is)",
    "panel_member_a": "panel member of review A",
    "panel_member_b": "panel member of review B only",
    "author_a": "independent author of review A",
    "author_b": "independent author of review B only",
    "rep_involved": "representative of an agency involved in review A",
    "rep_other": "representative of an agency not involved in review A (involved in B)",
}

# Who may know review A exists (reviews.permissions.reviews_for_user): the statutory roles, the
# oversight roles (A is an LCSPR) and A's panel and author.
STATUTORY = ("manager", "independent_chair", "partner_lead")
OVERSIGHT = ("subgroup", "executive")
PANEL_A = ("panel_chair_a", "panel_member_a", "author_a")
SEES_REVIEW = (*STATUTORY, *OVERSIGHT, *PANEL_A)
# Who may know agency A1's chronology for review A exists (chronologies.permissions).
SEES_CHRONOLOGY = ("manager", *PANEL_A, "rep_involved")
# Who may know agency A1's action on review A exists (actions.permissions): every oversight
# role, A's panel and author, and the lead agency's representatives.
SEES_ACTION = (*STATUTORY, *OVERSIGHT, *PANEL_A, "rep_involved")
# Who may know agency A1's summary for review A's rapid review exists (reviews.permissions).
SEES_SUMMARY = (*STATUTORY, "rep_involved")
# A's action the sub-group shared with every agency: any agency representative reads it.
SEES_SHARED_ACTION = (*SEES_ACTION, "rep_other")


@dataclass(frozen=True)
class Row:
    name: str  # the URL's name
    profile: str  # the rule, in words
    expect: dict  # persona -> outcome
    ids: dict = field(default_factory=dict)  # URL kwarg -> world object name (review A's)
    args: dict = field(default_factory=dict)  # URL kwargs that are not object ids
    method: str = "GET"
    case: str = ""  # which object, when a URL has more than one row

    @property
    def label(self) -> str:
        return f"{self.name} [{self.case}]" if self.case else self.name

    def kwargs(self, side) -> dict:
        """The URL's kwargs with the ids of `side`'s objects (world.a or world.b)."""
        return {kwarg: getattr(side, obj).pk for kwarg, obj in self.ids.items()} | self.args


def _outcomes(allowed, visible=(), *, anonymous=LOGIN) -> dict:
    """OK for `allowed`, 403 for the rest of `visible`, 404 for every other signed-in persona."""
    unknown = set(allowed) - set(SIGNED_IN)
    assert not unknown, f"Not a persona: {unknown}"
    return {
        "anonymous": anonymous,
        **{p: OK if p in allowed else FORBIDDEN if p in visible else NOT_FOUND for p in SIGNED_IN},
    }


# --- profiles ---------------------------------------------------------------------------------


def public():
    """Anyone, signed in or not."""
    return "public", _outcomes(SIGNED_IN, anonymous=OK)


def signed_in():
    """Anyone signed in; the page shows only what is theirs."""
    return "anyone signed in", _outcomes(SIGNED_IN)


def partnership(*allowed):
    """A page of the partnership's (no review in it): 403 for everyone else signed in."""
    return f"partnership page: {_names(allowed)}", _outcomes(allowed, SIGNED_IN)


def review(*allowed):
    """A page of review A: 403 for whoever else may know A exists, 404 for everyone else."""
    return f"review page: {_names(allowed)}", _outcomes(allowed, SEES_REVIEW)


def chronology(*allowed):
    """Agency A1's chronology for review A."""
    return f"agency chronology: {_names(allowed)}", _outcomes(allowed, SEES_CHRONOLOGY)


def action(*allowed, shared=False):
    """An action of review A's plan (agency A1's, or one the sub-group shared)."""
    visible = SEES_SHARED_ACTION if shared else SEES_ACTION
    return f"action: {_names(allowed)}", _outcomes(allowed, visible)


def summary(*allowed):
    """Agency A1's summary for review A's rapid review."""
    return f"agency summary: {_names(allowed)}", _outcomes(allowed, SEES_SUMMARY)


def own_report(owner, readers):
    """A dashboard user's own report job: 404 for the dashboard's other users, 403 for whoever
    may not use the dashboard."""
    others = [p for p in SIGNED_IN if p not in readers]
    return f"the requester only: {owner}", _outcomes((owner,), others)


def own_export(owner):
    """A merged-chronology export: its requester's alone. The review's other readers of the
    merged chronology get 404 (it does not exist for them), those who see the review but not the
    merged chronology 403."""
    visible = [p for p in SEES_REVIEW if p not in MERGED_READERS or p == owner]
    return f"the requester only: {owner}", _outcomes((owner,), visible)


def owner(persona):
    """A user's own record: nobody else may know it exists."""
    return "the owner only", _outcomes((persona,))


def _names(personas) -> str:
    groups = {
        SEES_REVIEW: "whoever sees the review",
        SEES_CHRONOLOGY: "whoever sees the chronology",
        SEES_ACTION: "whoever sees the action",
        SEES_SHARED_ACTION: "whoever sees the action",
        SEES_SUMMARY: "whoever sees the summary",
    }
    if tuple(personas) in groups:
        return groups[tuple(personas)]
    return ", ".join(personas) or "nobody"


# --- the table ----------------------------------------------------------------------------------

REVIEW = {"pk": "review"}
CHRONOLOGY = {"pk": "chron_request"}
ACTION = {"pk": "action"}
# Roles' shorthands for the rows below.
SEE_ALL = STATUTORY  # reviews.permissions.SEE_ALL_ROLES
# reviews.permissions.may_browse_reviews: the review roles and every review's panel.
REVIEW_BROWSERS = (*STATUTORY, *OVERSIGHT, *PANEL_A, "panel_member_b", "author_b")
ACTION_READERS = (*STATUTORY, *OVERSIGHT)  # actions.permissions.SEE_ALL_ROLES
MONITOR = ("manager", "subgroup", "panel_chair_a")  # the sub-group (the chair of A is in it)
DRAFT_READERS = ("manager", "independent_chair", *PANEL_A)
MERGED_READERS = ("manager", *PANEL_A)


def _row(name, rule, *, ids=None, args=None, method="GET", case="", expect=None):
    """A row from a profile; `expect` overrides the profile for single personas, and a review
    page's <pk> is review A's unless `ids` says otherwise."""
    profile, outcomes = rule
    if ids is None:
        ids = REVIEW if profile.startswith("review page") else {}
    return Row(
        name=name,
        profile=profile,
        expect={**outcomes, **(expect or {})},
        ids=dict(ids),
        args=dict(args or {}),
        method=method,
        case=case,
    )


def _platform_rows(add):
    """The platform: home, health check, notifications, reminders, access log."""
    add(_row("core:home", signed_in()))
    add(_row("core:healthz", public()))
    add(_row("notifications:list", signed_in()))
    add(_row("notifications:read", owner("author_a"), ids={"pk": "notification"}, method="POST"))
    add(_row("notifications:read_all", signed_in(), method="POST"))
    for name in ("due", "sent", "settings"):
        add(_row(f"reminders:{name}", partnership("manager")))
    for name in ("list", "export_csv", "export_xlsx"):
        add(_row(f"access_log:{name}", partnership("manager")))


def _accounts_rows(add):
    """Accounts: signing in and out, two-factor, people."""
    add(_row("accounts:login", public()))
    # Signing out lands on the sign-in page, whoever asks.
    add(_row("accounts:logout", ("signs out", dict.fromkeys(PERSONAS, LOGIN)), method="POST"))
    for name in ("two_factor_verify", "two_factor_setup", "confirm_password"):
        add(_row(f"accounts:{name}", signed_in()))
    add(_row("accounts:two_factor_link_request", signed_in(), method="POST"))
    # An e-mailed set-up link: an unknown (or used, or expired) one is gone for everybody.
    add(
        _row(
            "accounts:two_factor_link",
            public(),
            args={"token": "not-a-real-token"},
            expect=dict.fromkeys(PERSONAS, "410"),
        )
    )
    add(_row("accounts:session_extend", signed_in(), method="POST"))
    add(_row("accounts:people", partnership("manager")))
    add(_row("accounts:two_factor_reset", partnership("manager"), ids={"pk": "person"}))
    for name in ("person_invite", "people_upload"):
        add(_row(f"accounts:{name}", partnership("manager")))
    add(_row("accounts:people_upload_confirm", partnership("manager"), method="POST"))
    for name in (
        "person",
        "person_roles",
        "invitation_cancel",
        "person_deactivate",
        "person_reactivate",
    ):
        add(_row(f"accounts:{name}", partnership("manager"), ids={"pk": "person"}))
    add(
        _row(
            "accounts:invitation_resend",
            partnership("manager"),
            ids={"pk": "person"},
            method="POST",
        )
    )
    # An e-mailed invitation: an unknown (or used, or expired) one is gone for everybody.
    add(
        _row(
            "accounts:invitation",
            public(),
            args={"token": "not-a-real-token"},
            expect=dict.fromkeys(PERSONAS, "410"),
        )
    )
    add(_row("accounts:notification_preferences", signed_in()))
    for name in ("password_reset", "password_reset_done", "password_reset_complete"):
        add(_row(f"accounts:{name}", public()))
    add(
        _row(
            "accounts:password_reset_confirm",
            public(),
            args={"uidb64": "MQ", "token": "not-a-real-token"},
        )
    )


def _referral_to_decision_rows(add):
    """Reviews: referral, rapid review, decision (the statutory partners' business)."""
    # Everyone whose work is reviews, each seeing the reviews they may know exist.
    add(_row("reviews:list", partnership(*REVIEW_BROWSERS)))
    add(_row("reviews:new", partnership("manager")))
    add(_row("reviews:detail", review(*SEES_REVIEW)))
    add(_row("reviews:timeline", review(*SEES_REVIEW)))
    for name in (
        "edit",
        "child_add",
        "criteria",
        "close",
        "learning_review_start",
        "notification",
        "notification_answers",
        "looked_after_death",
        "partners_informed",
        "rapid_review",
        "meeting_add",
        "immediate_action_add",
        "summary_request_add",
        "recommendation",
        "send",
        "panel_response",
        "other_learning",
        "other_learning_close",
    ):
        add(_row(f"reviews:{name}", review("manager")))
    add(_row("reviews:child_remove", review("manager"), ids={**REVIEW, "child_pk": "child"}))
    add(_row("reviews:adult_add", review("manager")))
    for name in ("adult_edit", "adult_remove"):
        add(_row(f"reviews:{name}", review("manager"), ids={**REVIEW, "adult_pk": "adult"}))
    # Whoever sees the review; the other reviews it lists are only those they see too.
    add(_row("reviews:other_reviews", review(*SEES_REVIEW)))
    add(_row("reviews:sign_off", review("partner_lead")))
    # The rapid review record carries every agency's summary: the statutory roles only.
    add(_row("reviews:rapid_review_pdf", review(*SEE_ALL)))
    add(_row("reviews:rapid_review_docx", review(*SEE_ALL)))
    add(_row("reviews:summary_list", partnership("manager", "rep_involved", "rep_other")))
    add(_row("reviews:summary_detail", summary(*SEES_SUMMARY), ids={"pk": "summary_request"}))
    # Submitting a summary (the same page, POST): the agency's own, or the manager for them.
    add(
        _row(
            "reviews:summary_detail",
            summary("manager", "rep_involved"),
            ids={"pk": "summary_request"},
            method="POST",
            case="submit",
        )
    )
    add(_row("reviews:summary_file", summary(*SEES_SUMMARY), ids={"pk": "summary_request"}))
    # The home page's reminder to those late on what the user leads ("Waiting for others"): the
    # manager for agency summaries and actions; the manager or the panel chair for chronologies.
    for kind, rule, ids in (
        ("summary", summary("manager"), {"pk": "summary_request"}),
        ("chronology", chronology("manager", "panel_chair_a"), CHRONOLOGY),
        ("action", action("manager"), ACTION),
    ):
        add(_row("reviews:remind", rule, ids=ids, args={"kind": kind}, method="POST", case=kind))
    add(_row("reviews:decision", review("independent_chair")))
    add(_row("reviews:decision_change", review("independent_chair")))
    # A statutory partner agrees (or not) to a decision that differs from their recommendation.
    add(_row("reviews:decision_agreement", review("partner_lead")))
    add(_row("reviews:notice", review("manager"), args={"recipient": "national_panel"}))
    add(_row("reviews:clock_settings", partnership("manager")))
    # Correcting the statutory record's dates: the manager's.
    add(_row("reviews:dates", review("manager")))
    add(_row("reviews:date_correct", review("manager"), args={"key": "incident"}))
    # Why a clock was met late or is overdue (review A has not told the DfE): the manager's.
    add(_row("reviews:late_reason", review("manager"), args={"kind": "notice_dfe"}))
    # Retention and legal hold (docs/security.md section 7).
    add(_row("reviews:retention_settings", partnership("manager")))
    add(_row("reviews:retention_removals", partnership("manager")))
    add(_row("reviews:legal_hold", review("manager", "independent_chair")))
    add(_row("reviews:legal_hold_lift", review("manager", "independent_chair"), method="POST"))


def _report_rows(add):
    """Reviews: the report (drafts are the panel's; the final report is everyone's)."""
    add(_row("reviews:report_detail", review(*SEES_REVIEW)))
    add(_row("reviews:report_upload", review("manager", "author_a")))
    add(_row("reviews:report_approve", review("panel_chair_a")))
    add(_row("reviews:report_sign_off", review("independent_chair")))
    for name in ("report_version", "report_download", "report_view_online"):
        for case, version, readers in (
            ("draft", "version_draft", DRAFT_READERS),
            ("final", "version_final", SEES_REVIEW),
        ):
            ids = {**REVIEW, "version_pk": version}
            add(_row(f"reviews:{name}", review(*readers), ids=ids, case=case))
    add(
        _row(
            "reviews:report_comment",
            review("panel_chair_a", "panel_member_a"),
            ids={**REVIEW, "version_pk": "version_draft"},
        )
    )
    add(_row("reviews:report_respond", review("author_a"), ids={**REVIEW, "comment_pk": "comment"}))


def _anonymisation_rows(add):
    """Reviews: anonymisation (the restricted names: manager, Chair and author only)."""
    checkers = ("manager", "independent_chair", "panel_chair_a", "author_a")
    add(_row("reviews:anonymisation_checks", review(*checkers)))
    add(_row("reviews:anonymisation_names", review("manager", "independent_chair", "author_a")))
    add(_row("reviews:anonymisation_name_add", review("manager", "author_a"), method="POST"))
    add(
        _row(
            "reviews:anonymisation_name_remove",
            review("manager", "author_a"),
            ids={**REVIEW, "name_pk": "name"},
            method="POST",
        )
    )
    add(
        _row(
            "reviews:anonymisation_run",
            review(*checkers),
            ids={**REVIEW, "version_pk": "version_final"},
        )
    )
    check = {**REVIEW, "check_pk": "check"}
    add(_row("reviews:anonymisation_check", review(*checkers), ids=check))
    add(_row("reviews:anonymisation_override", review("independent_chair"), ids=check))


def _publication_rows(add):
    """Reviews: publication (the manager's; the Chair reads)."""
    add(_row("reviews:publication", review("manager", "independent_chair")))
    for name in (
        "publication_plan",
        "publication_family",
        "publication_improvements",
        "publication_proceeding_add",
        "publication_publish",
        "publication_removed",
        "publication_covering",
        "publication_covering_docx",
    ):
        add(_row(f"reviews:{name}", review("manager")))
    add(_row("reviews:publication_sent", review("manager"), args={"recipient": "national_panel"}))
    add(
        _row(
            "reviews:publication_proceeding_edit",
            review("manager"),
            ids={**REVIEW, "proceeding_pk": "proceeding"},
        )
    )


def _learning_rows(add):
    """Reviews: learning (read by everyone who sees the review; written by the author)."""
    add(_row("reviews:learning", review(*SEES_REVIEW)))
    add(_row("reviews:learning_briefing", review(*SEES_REVIEW)))
    add(_row("reviews:learning_edit", review("manager", "author_a")))
    add(_row("reviews:learning_recommendation_add", review("manager", "author_a")))
    rec = {**REVIEW, "rec_pk": "recommendation"}
    add(_row("reviews:learning_recommendation_edit", review("manager", "author_a"), ids=rec))
    add(_row("reviews:learning_recommendation_remove", review("manager", "author_a"), ids=rec))
    theme = {"theme_pk": "theme"}
    add(_row("reviews:learning_themes", partnership("manager")))
    add(_row("reviews:learning_theme_edit", partnership("manager"), ids=theme))
    add(_row("reviews:learning_theme_in_use", partnership("manager"), ids=theme, method="POST"))
    add(_row("reviews:learning_theme_move", partnership("manager"), ids=theme, method="POST"))


def _commissioning_rows(add):
    """Commissioning: the panel, meetings, events, family (panels); ToR, monitoring (reviews)."""
    add(_row("panels:panel", review("manager", "subgroup", *PANEL_A)))
    add(_row("panels:member_add", review("manager")))
    membership = {**REVIEW, "membership_pk": "membership"}
    add(_row("panels:member_remove", review("manager"), ids=membership))
    author_membership = {**REVIEW, "membership_pk": "author_membership"}
    add(_row("panels:author_edit", review("manager"), ids=author_membership))
    tor_readers = ("manager", "subgroup", *PANEL_A)
    add(_row("reviews:terms", review(*tor_readers)))
    add(_row("reviews:terms_start", review("manager", "author_a"), method="POST"))
    for name in ("terms_new_version", "terms_edit", "terms_kloes", "terms_process_add"):
        add(_row(f"reviews:{name}", review("manager", "author_a")))
    add(_row("reviews:terms_share", review("manager", "author_a")))
    add(
        _row(
            "reviews:terms_process_edit",
            review("manager", "author_a"),
            ids={**REVIEW, "process_pk": "process"},
        )
    )
    add(
        _row(
            "reviews:terms_process_remove",
            review("manager", "author_a"),
            ids={**REVIEW, "process_pk": "process"},
            method="POST",
        )
    )
    add(_row("reviews:terms_comment", review("manager", "panel_chair_a", "panel_member_a")))
    add(_row("reviews:terms_agree", review("manager", "panel_chair_a")))
    add(_row("reviews:terms_version", review(*tor_readers), args={"version": 1}))
    add(_row("reviews:terms_pdf", review(*tor_readers), args={"version": 1}))
    meeting = {**REVIEW, "meeting_pk": "panel_meeting"}
    add(_row("panels:meetings", review("manager", *PANEL_A)))
    add(_row("panels:meeting_add", review("manager", "panel_chair_a")))
    add(_row("panels:meeting_detail", review("manager", *PANEL_A), ids=meeting))
    add(_row("panels:meeting_edit", review("manager", "panel_chair_a"), ids=meeting))
    add(_row("panels:minutes_file", review("manager", *PANEL_A), ids=meeting))
    # Panel members receive the information about practitioner events (not the family log).
    add(_row("panels:events", review("manager", "panel_chair_a", "panel_member_a", "author_a")))
    add(_row("panels:event_add", review("manager", "panel_chair_a", "author_a")))
    event = {**REVIEW, "event_pk": "event"}
    add(
        _row(
            "panels:event_detail",
            review("manager", "panel_chair_a", "panel_member_a", "author_a"),
            ids=event,
        )
    )
    # The event's page records attendance and learning too (POST: record_events).
    add(
        _row(
            "panels:event_detail",
            review("manager", "panel_chair_a", "author_a"),
            ids=event,
            method="POST",
            case="record",
        )
    )
    add(_row("panels:family", review("manager", "panel_chair_a", "author_a")))
    add(_row("panels:family_add", review("manager", "author_a")))
    for name in ("monitoring", "checkpoint_add", "request_add"):
        add(_row(f"reviews:{name}", review("manager", "subgroup", "panel_chair_a")))
    add(
        _row(
            "reviews:request_answer",
            review("manager", "subgroup", "panel_chair_a"),
            ids={**REVIEW, "request_pk": "request"},
        )
    )


def _chronologies_rows(add):
    """Chronologies: an agency's own; the merged chronology is the panel's."""
    add(_row("chronologies:review_requests", review("manager")))
    add(_row("chronologies:my_requests", signed_in()))
    add(_row("chronologies:template", signed_in()))
    add(_row("chronologies:request", chronology(*SEES_CHRONOLOGY), ids=CHRONOLOGY))
    add(
        _row(
            "chronologies:version",
            chronology(*SEES_CHRONOLOGY),
            ids=CHRONOLOGY,
            args={"version": 1},
        )
    )
    for name in ("entry_add", "authors", "submit", "import"):
        add(_row(f"chronologies:{name}", chronology("rep_involved"), ids=CHRONOLOGY))
    entry = {**CHRONOLOGY, "entry_pk": "entry"}
    add(_row("chronologies:entry_edit", chronology("rep_involved"), ids=entry))
    add(_row("chronologies:entry_delete", chronology("rep_involved"), ids=entry))
    add(_row("chronologies:decide", chronology("manager", "panel_chair_a"), ids=CHRONOLOGY))
    for name in ("merged", "merged_csv", "merged_xlsx"):
        add(_row(f"chronologies:{name}", review(*MERGED_READERS)))
    add(_row("chronologies:merged_pdf", review(*MERGED_READERS), method="POST"))
    # An entry's page takes the panel's comments too (POST: comment_entries).
    for method in ("GET", "POST"):
        add(
            _row(
                "chronologies:merged_entry",
                review(*MERGED_READERS),
                ids={**REVIEW, "entry_pk": "entry"},
                method=method,
                case="comment" if method == "POST" else "",
            )
        )
    job = {**REVIEW, "job_pk": "export_job"}
    add(_row("chronologies:export_job", own_export("manager"), ids=job))
    add(_row("chronologies:export_job_file", own_export("manager"), ids=job))


def _actions_rows(add):
    """Actions: the plan, an agency's own actions, the sub-group's monitoring."""
    plan_readers = (*ACTION_READERS, *PANEL_A)
    add(_row("actions:review_plan", review(*plan_readers)))
    add(_row("actions:review_report_pdf", review(*plan_readers)))
    add(_row("actions:review_report_xlsx", review(*plan_readers)))
    for name in ("action_add", "from_recommendations"):
        add(_row(f"actions:{name}", review(*MONITOR)))
    add(_row("actions:review_close", review(*MONITOR), method="POST"))
    add(
        _row(
            "actions:from_immediate",
            review(*MONITOR),
            ids={**REVIEW, "immediate_pk": "immediate"},
        )
    )
    add(_row("actions:agency_list", partnership("rep_involved", "rep_other")))
    add(_row("actions:dashboard", partnership(*ACTION_READERS, "panel_chair_a")))
    for name in ("executive_report_pdf", "executive_report_xlsx"):
        add(_row(f"actions:{name}", partnership(*ACTION_READERS, "panel_chair_a")))
    # A report too large for the request, rendered by a worker: the requester's alone.
    dashboard = (*ACTION_READERS, "panel_chair_a")
    add(_row("actions:executive_report_job_new", partnership(*dashboard), method="POST"))
    job = {"job_pk": "report_job"}
    for name in ("executive_report_job", "executive_report_job_file"):
        add(_row(f"actions:{name}", own_report("executive", dashboard), ids=job))
    add(_row("actions:detail", action(*SEES_ACTION), ids=ACTION))
    add(_row("actions:evidence", action(*SEES_ACTION), ids={"pk": "evidence"}))
    updaters = ("manager", "rep_involved")
    for name in ("progress", "completion", "impact"):
        add(_row(f"actions:{name}", action(*updaters), ids=ACTION))
    for name in ("edit", "due_date", "rate", "request_impact", "close", "reopen", "hand_over"):
        add(_row(f"actions:{name}", action(*MONITOR), ids=ACTION))
    add(_row("actions:share", action(*MONITOR), ids=ACTION, method="POST"))
    # Another agency's action the sub-group shared: every agency reads it, none but its own
    # updates it.
    shared = {"pk": "action_shared"}
    add(
        _row(
            "actions:detail",
            action(*SEES_SHARED_ACTION, shared=True),
            ids=shared,
            case="shared by the sub-group",
        )
    )
    add(
        _row(
            "actions:progress",
            action("manager", shared=True),
            ids=shared,
            case="shared by the sub-group",
        )
    )


def token_only():
    """The reporting API: a token, never a signed-in session (401 to every browser)."""
    return "API: a token only", dict.fromkeys(PERSONAS, "401")


def _api_rows(add):
    """The reporting API (lcspr/api): the manager's token pages, its documentation and
    description, and the API itself, which answers tokens only (tests/api try every persona's
    token)."""
    add(_row("api:tokens", partnership("manager")))
    add(_row("api:token_issue", partnership("manager")))
    add(_row("api:token_revoke", partnership("manager"), ids={"pk": "api_token"}))
    add(_row("api:documentation", signed_in()))
    add(_row("api:schema", public()))
    for resource in ("review", "clock", "decision", "action", "theme"):
        add(_row(f"api:{resource}-list", token_only()))
    add(_row("api:review-detail", token_only(), args={"reference": "CSPR-2026-001"}))
    # A session is refused before any object is looked up: any id will do (a theme's, which is
    # the partnership's, so the sweep of another review's ids passes these rows by).
    for resource in ("clock", "decision", "action", "theme"):
        add(_row(f"api:{resource}-detail", token_only(), ids={"pk": "theme"}))


def _partnership_running_rows(add):
    """Running the partnership (issue 20): agencies and the calendar are the manager's; "What
    changed" of a review's records is for whoever may see the record."""
    add(_row("accounts:agencies", partnership("manager")))
    add(_row("accounts:agency_add", partnership("manager")))
    agency = {"pk": "agency"}
    for name in ("detail", "rename", "statutory", "retire", "changes"):
        add(_row(f"accounts:agency_{name}", partnership("manager"), ids=agency))
    add(_row("accounts:agency_reinstate", partnership("manager"), ids=agency, method="POST"))
    add(_row("reviews:calendar", partnership("manager")))
    add(_row("reviews:closure_day_add", partnership("manager")))
    add(_row("reviews:closure_day_remove", partnership("manager"), ids={"pk": "closure_day"}))
    add(_row("reviews:review_changes", review(*SEES_REVIEW)))
    decision = {**REVIEW, "decision_pk": "decision"}
    add(_row("reviews:decision_changes", review(*SEES_REVIEW), ids=decision))
    tor_readers = ("manager", "subgroup", *PANEL_A)
    add(_row("reviews:terms_changes", review(*tor_readers), args={"version": 1}))
    # A chronology entry's changes: whoever sees the agency's working entries.
    entry = {**CHRONOLOGY, "entry_pk": "entry"}
    add(_row("chronologies:entry_changes", chronology("manager", "rep_involved"), ids=entry))
    add(_row("actions:changes", action(*SEES_ACTION), ids=ACTION))
    add(_row("accounts:person_changes", partnership("manager"), ids={"pk": "person"}))


def _yearly_report_rows(add):
    """The yearly report on reviews (issue 22): for those who run and oversee the reviews, as the
    action-plan dashboard (reviews.permissions.YEARLY_REPORT_ROLES; the chair of A is in the
    sub-group); its figures count only the reviews each of them sees."""
    readers = (*ACTION_READERS, "panel_chair_a")
    for name in ("yearly_report", "yearly_report_pdf", "yearly_report_xlsx"):
        add(_row(f"reviews:{name}", partnership(*readers)))


def _rows():
    r = []
    _platform_rows(r.append)
    _accounts_rows(r.append)
    _referral_to_decision_rows(r.append)
    _report_rows(r.append)
    _anonymisation_rows(r.append)
    _publication_rows(r.append)
    _learning_rows(r.append)
    _commissioning_rows(r.append)
    _chronologies_rows(r.append)
    _actions_rows(r.append)
    _api_rows(r.append)
    _partnership_running_rows(r.append)
    _yearly_report_rows(r.append)
    return r


ROWS = _rows()
# Objects every review's pages share (the partnership's themes, accounts, agencies and closure
# days, the Executive's report job, an API token): not a review's, so never swapped for another
# review's in the IDOR sweep.
GLOBAL_OBJECTS = {"theme", "person", "report_job", "agency", "closure_day", "api_token"}
# An agency's own objects: the world has each for review A's second agency too, named
# "<object>_other_agency", which the first agency's representative may not know exists.
AGENCY_OBJECTS = {"chron_request", "entry", "summary_request", "action", "evidence"}
# Objects the sub-group shared with every agency's representatives.
SHARED_OBJECTS = {"action_shared"}


# --- reviews that are not (yet) LCSPRs ------------------------------------------------------------

# The world's reviews before (or instead of) an LCSPR (world.early, by these names), and what
# each has behind its ids.
EARLY_STAGES = {
    "referral": "a referral (a child)",
    "rapid_review": "at rapid review (a child, a meeting, agency A1's summary and immediate action, "
    "tracked in the plan)",
    "awaiting_decision": "sent to the National Panel, awaiting the decision (a child, a meeting, an immediate action)",
    "closed_not_notifiable": "closed at referral as not notifiable (a child, no report)",
}
# Whose access to a review depends on its stage (reviews.permissions): the statutory roles see
# every review; the oversight roles (and so every panel chair) only LCSPRs and closed reviews
# with a report. Everyone else's comes from a panel appointment or their agency, whatever the
# stage: they are tried on the referral and the rapid review, the stage-dependent roles on all
# four (which keeps the walk quick).
STAGE_PERSONAS = (*STATUTORY, *OVERSIGHT, "panel_chair_a")
EARLY_PERSONAS = {
    "referral": SIGNED_IN,
    "rapid_review": SIGNED_IN,
    "awaiting_decision": STAGE_PERSONAS,
    "closed_not_notifiable": STAGE_PERSONAS,
}
# The early reviews' own objects that a URL takes as its first id besides the review itself: the
# summary an agency was asked for, and an immediate action tracked in the plan at once, which
# the agency's representatives reach as on an LCSPR.
EARLY_ROOTS = {"review", "summary_request", "action"}
# Who follows an immediate safety action before its review is decided (actions.permissions): the
# oversight roles, and so every panel chair.
IMMEDIATE_ACTION_FOLLOWERS = (*OVERSIGHT, "panel_chair_a")


def early_rows() -> list[Row]:
    """The rows tried on the early reviews: every URL whose first id is the review (or its
    agency summary or tracked immediate action)."""
    return [row for row in ROWS if row.ids.get("pk") in EARLY_ROOTS]


def early_expect(row: Row, stage: str) -> dict:
    """What each persona gets on `row` for the review at `stage`: the statutory roles get what
    they get on review A (a stage changes what a page offers, never who may act), and so does
    the representative of agency A1 (its agency's summary and action, nothing of the review);
    everyone else 404."""
    keep = (*STATUTORY, "rep_involved")
    if row.ids.get("pk") == "action":
        # An immediate safety action tracked at once: the oversight roles follow it too.
        keep = (*keep, *IMMEDIATE_ACTION_FOLLOWERS)
    expect = {p: row.expect[p] if p in keep else NOT_FOUND for p in EARLY_PERSONAS[stage]}
    answer = EARLY_ANSWERS.get((row.name, stage))
    return {p: answer if answer and got == OK else got for p, got in expect.items()}


# What a page that may be opened answers at a stage where there is nothing for it yet: the Word
# rapid review of a review that never had a rapid review is refused as "nothing to send" (409),
# and so is the final report's covering information (page and Word) before there is a signed-off
# final report.
EARLY_ANSWERS = {
    ("reviews:rapid_review_docx", "referral"): "409",
    ("reviews:rapid_review_docx", "closed_not_notifiable"): "409",
    **{
        (f"reviews:{name}", stage): "409"
        for name in ("publication_covering", "publication_covering_docx")
        for stage in EARLY_STAGES
    },
}


def rows_by_name() -> dict[str, list[Row]]:
    by_name = {}
    for row in ROWS:
        by_name.setdefault(row.name, []).append(row)
    return by_name


# --- the URL patterns ---------------------------------------------------------------------------


# URLs that are never part of the product, and why they have no row.
NOT_IN_PRODUCT = {
    "bench:bare": "the benchmark's yardstick page (lcspr/bench.py), mounted only when "
    "the BENCHMARK setting is on for `make bench`, never in production or under pytest; it needs "
    "signing in and shows the user's own unread-notification count "
    "(tests/security/test_permission_matrix.py checks both)",
}


def url_patterns():
    """(name, route, kwarg names) of every named URL pattern outside django-admin and
    NOT_IN_PRODUCT."""
    found = []

    def walk(resolver, prefix, namespace):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace
                inner = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
                walk(pattern, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                route = prefix + str(pattern.pattern)
                found.append((name, route, re.findall(r"<(?:\w+:)?(\w+)>", route)))

    walk(get_resolver(), "", "")
    return [
        p for p in found if not (p[0] or "").startswith("admin:") and p[0] not in NOT_IN_PRODUCT
    ]


def is_object_id(kwarg: str) -> bool:
    """URL kwargs naming a database object (version numbers and recipients are not)."""
    return kwarg == "pk" or kwarg.endswith("_pk")


def classify(response, login_path: str) -> str:
    """The outcome a user would notice: the page (or a redirect onwards), the sign-in page,
    refused, or not found. Anything else is returned as its status code."""
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        return LOGIN if response["Location"].split("?")[0].endswith(login_path) else OK
    if 200 <= status < 300:
        return OK
    if status == 403:
        return FORBIDDEN
    if status == 404:
        return NOT_FOUND
    return str(status)


# --- docs/security-matrix.md ----------------------------------------------------------------

SYMBOLS = {
    OK: "✓",
    LOGIN: "sign in",
    FORBIDDEN: "403",
    NOT_FOUND: "404",
    "410": "410 gone",
    "401": "401 token only",
}
SHORT = {
    "anonymous": "anon",
    "no_role": "none",
    "manager": "mgr",
    "independent_chair": "IC",
    "partner_lead": "lead",
    "subgroup": "sub",
    "executive": "exec",
    "panel_chair_a": "chair A",
    "panel_member_a": "member A",
    "panel_member_b": "member B",
    "author_a": "author A",
    "author_b": "author B",
    "rep_involved": "rep A1",
    "rep_other": "rep B1",
}


def render_markdown() -> str:
    """The matrix as a Markdown page (docs/security-matrix.md)."""
    lines = [
        "# Permission matrix",
        "",
        "Generated from `tests/security/matrix.py` by `render_markdown()`; "
        "`tests/security/test_permission_matrix.py` checks every row against the running "
        "application and that this file is up to date. Do not edit it by hand: change the "
        "matrix, then run",
        "`.venv/bin/python -m tests.security.matrix > docs/security-matrix.md`.",
        "",
        "Every page is tried as each persona below on review A, an LCSPR with a panel, an "
        "author, two agencies in scope and an object behind every address; review B has the "
        "same shape with other people and agencies. ✓ the page (or the redirect after an "
        "action), *sign in* a redirect to the sign-in page, 403 refused (the persona may know "
        "the review exists), 404 not found (they may not). A second test tries every address "
        "that takes an id with review B's ids, another agency's ids and a child id of another "
        "review, which must answer 404 (`tests/security/test_idor.py`).",
        "",
        "| Persona | Who |",
        "|---|---|",
        *(f"| {SHORT[p]} | {DESCRIPTIONS[p]} |" for p in PERSONAS),
        "",
        "| Page | Method | Rule | " + " | ".join(SHORT[p] for p in PERSONAS) + " |",
        "|---|---|---|" + "---|" * len(PERSONAS),
    ]
    for row in ROWS:
        cells = " | ".join(SYMBOLS[row.expect[p]] for p in PERSONAS)
        lines.append(f"| `{row.label}` | {row.method} | {row.profile} | {cells} |")
    lines.append(
        "| `django-admin` (every page) | GET | staff only | sign in | "
        + " | ".join("admin sign-in" for _ in SIGNED_IN)
        + " |"
    )
    lines += [
        "",
        "## Reviews that are not (yet) LCSPRs",
        "",
        "Referrals, rapid reviews and reviews awaiting the decision are the statutory partners' "
        "business, and a referral closed as not notifiable never becomes anyone else's "
        "(`tests/security/test_early_stages.py`). The world has one review of each kind. On every "
        "address that takes such a review's id (with its own child ids where it has them, an id "
        "that matches nothing where it does not), the statutory roles (mgr, IC, lead) get what "
        "the table above gives them on review A: the stage changes what a page offers, never who "
        "may act. Everyone else gets 404, the sub-group, the Executive and every panel chair "
        "included. The only exception is the representative of agency A1, which was asked for a "
        "summary and leads an immediate action tracked in the plan at once: they reach that "
        "summary request (`reviews:summary_detail`, `reviews:summary_file`) and that action "
        "(`actions:detail`, `actions:progress`...) as on review A, and nothing of the review "
        "itself; and the immediate safety action, which the sub-group, the Executive and every "
        "panel chair follow from the day it is recorded, as on review A. The same test checks "
        "that no page without an id (home, lists, dashboards) names such a review to anyone but "
        "the statutory roles, bar the representative's own summaries and actions pages and the "
        "oversight roles' action dashboards.",
        "",
        "| Review | Tried as |",
        "|---|---|",
        *(
            f"| {what} | {', '.join(SHORT[p] for p in EARLY_PERSONAS[stage])} |"
            for stage, what in EARLY_STAGES.items()
        ),
        "",
        "The personas whose access comes from a panel appointment or their agency get the same "
        "answer at every stage, so they are tried on the referral and the rapid review only.",
        "",
        "## Not in the table",
        "",
        *(f"- `{name}`: {why}." for name, why in NOT_IN_PRODUCT.items()),
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(render_markdown(), end="")
