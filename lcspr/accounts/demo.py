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
