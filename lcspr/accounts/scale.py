"""Fictional agencies and people at scale (see lcspr.core.scale): the three statutory partners,
then schools, GP practices, trusts and charities named "Northbridge Primary School 12"; people
holding every partnership role, most of them agency representatives spread over the agencies.
Everyone shares one password (hashed once)."""

from itertools import cycle

from django.contrib.auth.hashers import make_password

from lcspr.accounts.models import Agency, AgencyKind, Role, RoleAssignment, User
from lcspr.core.scale import SCALE_DOMAIN, SCALE_PASSWORD, ScalePlan, bulk

STATUTORY = (
    ("Northbridge Council Children's Services", "Children's Services", AgencyKind.LOCAL_AUTHORITY),
    ("Northbridge Integrated Care Board", "ICB", AgencyKind.ICB),
    ("Northbridge Constabulary", "Police", AgencyKind.POLICE),
)
OTHER_KINDS = (
    ("Northbridge Primary School", AgencyKind.SCHOOL),
    ("Northbridge GP Practice", AgencyKind.GP_PRACTICE),
    ("Northbridge Academy", AgencyKind.SCHOOL),
    ("Northbridge Hospitals NHS Trust Site", AgencyKind.NHS_TRUST),
    ("Northbridge Family Support Project", AgencyKind.VOLUNTARY),
    ("Northbridge Probation Unit", AgencyKind.PROBATION),
    ("Northbridge Ambulance Station", AgencyKind.AMBULANCE),
    ("Northbridge Housing Association", AgencyKind.OTHER),
)
FIRST = ("Alex", "Bea", "Cal", "Dana", "Eli", "Fay", "Gus", "Hana", "Ira", "Jo", "Kit", "Lea")
LAST = ("Ashdown", "Brook", "Carrow", "Dunmore", "Elsby", "Fenwick", "Garside", "Holt", "Ives")


def _roles_for(count: int) -> list[tuple[str, tuple]]:
    """(label, roles) for `count` people: a few of each oversight role, the rest agency
    representatives."""
    fixed = [
        *[("manager", (Role.PARTNERSHIP_MANAGER,))] * 3,
        ("chair", (Role.INDEPENDENT_CHAIR,)),
        *[("lead", (Role.STATUTORY_PARTNER_LEAD, Role.EXECUTIVE_MEMBER))] * 3,
        *[("subgroup", (Role.SUBGROUP_MEMBER,))] * max(2, count // 25),
        *[("executive", (Role.EXECUTIVE_MEMBER,))] * max(1, count // 30),
        *[("author", (Role.INDEPENDENT_AUTHOR,))] * max(2, count // 15),
    ]
    reps = max(count - len(fixed), 4)
    return fixed + [("rep", (Role.AGENCY_REPRESENTATIVE,))] * reps


def build(plan: ScalePlan) -> None:
    offset = Agency.objects.count()
    statutory = list(Agency.objects.filter(is_statutory_partner=True).order_by("pk"))
    new = []
    if not statutory:
        new += [
            Agency(name=name, short_name=short, kind=kind, is_statutory_partner=True)
            for name, short, kind in STATUTORY
        ]
    kinds = cycle(OTHER_KINDS)
    for n in range(offset + 1, offset + plan.agencies - len(new) + 1):
        prefix, kind = next(kinds)
        new.append(Agency(name=f"{prefix} {n}", short_name=f"{prefix.split()[-1]} {n}", kind=kind))
    made = bulk(Agency, new, plan)
    statutory = statutory or made[:3]
    others = [a for a in made if not a.is_statutory_partner]

    password = make_password(SCALE_PASSWORD)
    first_user = User.objects.count()
    people, roles = [], []
    labels = _roles_for(plan.users)
    rep_agencies = cycle(others or statutory)
    lead_agencies = cycle(statutory)
    for n, (label, held) in enumerate(labels, start=first_user + 1):
        if label == "rep":
            agency = next(rep_agencies)
        elif label == "lead":
            agency = next(lead_agencies)
        else:
            agency = None
        people.append(
            User(
                email=f"scale.{label}.{n}@{SCALE_DOMAIN}",
                full_name=f"{FIRST[n % len(FIRST)]} {LAST[(n // len(FIRST)) % len(LAST)]} {n}",
                job_title=label.title(),
                agency=agency,
                password=password,
            )
        )
        roles.append(held)
    people = bulk(User, people, plan)
    plan.made.setdefault("system_user", people[0])
    bulk(
        RoleAssignment,
        (
            RoleAssignment(user=u, role=r)
            for u, held in zip(people, roles, strict=True)
            for r in held
        ),
        plan,
    )
    by_label = {}
    for user, (label, _held) in zip(people, labels, strict=True):
        by_label.setdefault(label, []).append(user)
    plan.made.update(
        agencies=made,
        statutory=statutory,
        other_agencies=others,
        users=people,
        by_label=by_label,
        password=SCALE_PASSWORD,
    )
    plan.made.setdefault(
        "personas",
        {
            "manager": by_label["manager"][0],
            "subgroup": by_label["subgroup"][0],
            "executive": by_label["executive"][0],
            "rep": by_label["rep"][0],
        },
    )
    plan.log(f"  {len(made)} agencies, {len(people)} people")
