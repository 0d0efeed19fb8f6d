"""The fictional demo partnership: agencies and one person per role. Every name is invented."""

from lcspr.accounts import services
from lcspr.accounts.models import Agency, AgencyKind, Role, User

DEMO_PASSWORD = "northbridge-demo-2026"
DEMO_DOMAIN = "northbridge-scp.example"

AGENCIES = [
    (
        "Northbridge Council Children's Services",
        "Children's Services",
        AgencyKind.LOCAL_AUTHORITY,
        True,
    ),
    ("Northbridge and Wendale Integrated Care Board", "ICB", AgencyKind.ICB, True),
    ("Wendale Constabulary", "Police", AgencyKind.POLICE, True),
    ("Northbridge Hospitals NHS Trust", "Hospitals", AgencyKind.NHS_TRUST, False),
    ("Larkfield Medical Practice", "Larkfield GP", AgencyKind.GP_PRACTICE, False),
    ("Riverside Primary School", "Riverside Primary", AgencyKind.SCHOOL, False),
    ("Wendale Probation Delivery Unit", "Probation", AgencyKind.PROBATION, False),
    ("Northern Counties Ambulance Service", "Ambulance", AgencyKind.AMBULANCE, False),
    ("Harbour Family Support (charity)", "Harbour Family Support", AgencyKind.VOLUNTARY, False),
]

# (local part, full name, job title, agency short name or None, roles)
PEOPLE = [
    ("manager", "Morgan Hale", "Partnership manager", None, [Role.PARTNERSHIP_MANAGER]),
    ("chair", "Imogen Vale", "Independent Chair", None, [Role.INDEPENDENT_CHAIR]),
    (
        "la.lead",
        "Priya Castell",
        "Director of Children's Services",
        "Children's Services",
        [Role.STATUTORY_PARTNER_LEAD, Role.EXECUTIVE_MEMBER],
    ),
    ("icb.lead", "Helen Marsh", "Chief Nurse", "ICB", [Role.STATUTORY_PARTNER_LEAD]),
    (
        "police.lead",
        "Tom Brennick",
        "Detective Superintendent",
        "Police",
        [Role.STATUTORY_PARTNER_LEAD],
    ),
    (
        "subgroup",
        "Gareth Lowe",
        "LCSPR sub-group chair",
        "Children's Services",
        [Role.SUBGROUP_MEMBER],
    ),
    ("executive", "Anita Ferris", "Executive Partnership member", "ICB", [Role.EXECUTIVE_MEMBER]),
    (
        "school.rep",
        "Sean Doyle",
        "Designated safeguarding lead",
        "Riverside Primary",
        [Role.AGENCY_REPRESENTATIVE],
    ),
    (
        "health.rep",
        "Nadia Quinn",
        "Named nurse for safeguarding",
        "Hospitals",
        [Role.AGENCY_REPRESENTATIVE],
    ),
    (
        "police.rep",
        "Owen Pryce",
        "Detective Inspector, review team",
        "Police",
        [Role.AGENCY_REPRESENTATIVE],
    ),
    ("author", "Felix Armitage", "Independent reviewer", None, [Role.INDEPENDENT_AUTHOR]),
    ("norole", "Jo Newcombe", "New starter (no role yet)", "Children's Services", []),
]


def two_factor_note() -> str:
    """What the printed demo logins say about the code step."""
    from django.conf import settings

    if settings.TWO_FACTOR_REQUIRED:
        return (
            "Two-factor sign-in is on: each person sets up an authenticator app "
            "the first time they sign in."
        )
    return (
        "Two-factor sign-in is off in the demo (TWO_FACTOR_REQUIRED=false): the password is "
        "enough. In production every person also gives a code from an authenticator app."
    )


def demo_email(local_part: str) -> str:
    return f"{local_part}@{DEMO_DOMAIN}"


def seed(log) -> list[tuple[str, str, str]]:
    """Create the demo agencies and people; return (e-mail, name, roles) for the login list."""
    agencies = {}
    for name, short, kind, statutory in AGENCIES:
        agency = Agency.objects.filter(name=name).first() or services.agency_create(
            name=name, short_name=short, kind=kind, is_statutory_partner=statutory
        )
        agencies[short] = agency
    logins = []
    for local, full_name, title, agency, roles in PEOPLE:
        email = demo_email(local)
        if not User.objects.filter(email=email).exists():
            services.user_create(
                email=email,
                full_name=full_name,
                job_title=title,
                agency=agencies.get(agency),
                roles=roles,
                password=DEMO_PASSWORD,
            )
        labels = ", ".join(Role(r).label for r in roles) or "no role"
        logins.append((email, full_name, labels))
    log(f"Demo partnership: {len(agencies)} agencies, {len(logins)} people.")
    return logins


# The demo map: which review is at which stage, and which login plays which part in it. The
# README and the sign-in page (when the demo is loaded, with DEBUG on) show it;
# tests/accounts/test_demo_map.py checks it against the data `seed_demo` loads.
# (pseudonym, stage as the service names it, what is there to do)
DEMO_REVIEWS = [
    ("Child A", "Referral", "just recorded: check the criteria and notify the National Panel"),
    ("Child B", "Closed", "closed at referral as not notifiable"),
    (
        "Child C",
        "Rapid review",
        "overdue: the school's summary is in, the hospital's is awaited; no recommendation yet",
    ),
    (
        "Child D",
        "Awaiting decision",
        "signed off and sent to the National Panel: the Independent Chair decides",
    ),
    ("Child E", "LCSPR", "decided: the notices to the DfE and Ofsted are overdue"),
    ("Child F", "Closed", "no further action decided"),
    ("Child G", "Other learning review", "a reflective session scoped, not yet held"),
    (
        "Child H",
        "LCSPR",
        "commissioned: panel, author, agreed Terms of Reference, chronologies, action plan",
    ),
]
# (login's local part, review or "" for every review the role reaches, the part played)
DEMO_PARTS = [
    ("manager", "", "runs every review's steps"),
    ("chair", "Child D", "decides whether an LCSPR takes place"),
    ("la.lead", "", "signs off rapid reviews for Children's Services; reads the Executive's view"),
    ("icb.lead", "", "signs off rapid reviews for the ICB"),
    ("police.lead", "", "signs off rapid reviews for the police"),
    ("subgroup", "Child H", "Panel chair"),
    ("executive", "", "reads the LCSPRs' reports, learning and action plans"),
    ("school.rep", "Child C", "Agency summary"),
    ("school.rep", "Child H", "Panel member"),
    ("health.rep", "Child C", "Agency summary"),
    ("health.rep", "Child H", "Panel member"),
    ("police.rep", "Child H", "Panel member"),
    ("author", "Child H", "Independent author"),
    ("norole", "", "nothing yet: what a new starter sees"),
]


def demo_map_rows() -> list[tuple[str, str, str]]:
    """(login, reviews, part) for each demo login, in PEOPLE's order."""
    rows = []
    for local, *_ in PEOPLE:
        parts = [p for p in DEMO_PARTS if p[0] == local]
        for _, review, part in parts:
            rows.append((demo_email(local), review or "every review the role reaches", part))
    return rows


def demo_map_markdown() -> str:
    """The demo map as the README shows it (`manage.py seed_demo --map` prints it)."""
    lines = ["| Review | Stage | What is there |", "|---|---|---|"]
    lines += [f"| {p} | {stage} | {what} |" for p, stage, what in DEMO_REVIEWS]
    lines += ["", "| Login | Review | Part |", "|---|---|---|"]
    lines += [f"| `{login}` | {review} | {part} |" for login, review, part in demo_map_rows()]
    return "\n".join(lines)
