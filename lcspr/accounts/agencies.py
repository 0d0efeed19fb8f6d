"""The partnership's agencies, changed by the partnership manager: add, rename, mark or unmark a
statutory partner, retire and reinstate. Every change is kept in the agency's history; a retired
agency stays on the records that name it and is no longer offered where an agency is chosen."""

from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404

from lcspr.accounts.models import Agency, Role, User
from lcspr.core.exceptions import WorkflowError
from lcspr.core.services import lock_row, save_with_history
from lcspr.core.versions import require_version

# How many people a refusal names before it says "and N more".
NAMED = 3
# The change history keeps a reason of up to 100 characters.
REASON_CHARS = 100


def _save(agency: Agency, by, reason: str) -> Agency:
    agency._change_reason = reason[:REASON_CHARS]
    return save_with_history(agency, by)


def _require_manager(by) -> None:
    if not by.has_role(Role.PARTNERSHIP_MANAGER):
        raise WorkflowError("Only a partnership manager can change the partnership's agencies.")


def _clean_name(name: str, *, agency: Agency | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise WorkflowError({"name": "Enter the agency's name"})
    same = Agency.objects.filter(name__iexact=name)
    if agency is not None:
        same = same.exclude(pk=agency.pk)
    existing = same.first()
    if existing is not None:
        retired = "" if existing.is_active else " (retired)"
        raise WorkflowError({"name": f"There is already an agency called {existing}{retired}"})
    return name


def _people_list(people) -> str:
    names = [str(p) for p in people[:NAMED]]
    more = len(people) - NAMED
    return ", ".join(names) + (f" and {more} more" if more > 0 else "")


# --- reads (the manager's pages) ---------------------------------------------------------------


def agency_list():
    """Every agency, active first then retired, by name, with how many active people belong to
    each (one query)."""
    return Agency.objects.annotate(people=Count("users", filter=Q(users__is_active=True))).order_by(
        "-is_active", "name"
    )


def get_agency_for(user, pk) -> Agency:
    """The agency `pk` for a partnership manager's page (the views check the role first)."""
    if not user.has_role(Role.PARTNERSHIP_MANAGER):
        raise Http404
    agency = Agency.objects.filter(pk=pk).first()
    if agency is None:
        raise Http404
    return agency


def statutory_leads(agency: Agency) -> list[User]:
    """The active statutory partner leads who belong to `agency`."""
    return list(
        User.objects.filter(
            agency=agency, is_active=True, role_assignments__role=Role.STATUTORY_PARTNER_LEAD
        ).order_by("full_name")
    )


# --- changes ------------------------------------------------------------------------------------


@transaction.atomic
def agency_add(
    *, by, name: str, kind: str, short_name: str = "", is_statutory_partner: bool = False
) -> Agency:
    """Add an agency to the partnership."""
    _require_manager(by)
    agency = Agency(
        name=_clean_name(name),
        short_name=" ".join((short_name or "").split()),
        kind=kind,
        is_statutory_partner=is_statutory_partner,
    )
    return _save(agency, by, "Agency added")


@transaction.atomic
def agency_rename(*, agency: Agency, by, name: str, short_name: str = "", version=None) -> Agency:
    """Give an agency a new name (its old names stay in its history and on old documents'
    history pages)."""
    _require_manager(by)
    agency = lock_row(agency)
    require_version(agency, version, fields=["name", "short_name"])
    name = _clean_name(name, agency=agency)
    short_name = " ".join((short_name or "").split())
    if (agency.name, agency.short_name) == (name, short_name):
        raise WorkflowError({"name": "The name is the same as now: change it, or go back"})
    old = agency.name
    agency.name, agency.short_name = name, short_name
    return _save(agency, by, f"Renamed from {old}")


@transaction.atomic
def agency_statutory_set(*, agency: Agency, by, is_statutory_partner: bool) -> Agency:
    """Mark an agency as one of the statutory safeguarding partners, or no longer. Refused while
    a statutory partner lead belongs to it: a lead must belong to a statutory partner."""
    _require_manager(by)
    agency = lock_row(agency)
    if agency.is_statutory_partner == is_statutory_partner:
        state = "already" if is_statutory_partner else "not"
        raise WorkflowError(f"{agency} is {state} a statutory safeguarding partner.")
    if is_statutory_partner and not agency.is_active:
        raise WorkflowError(f"{agency} is retired: reinstate it first.")
    leads = statutory_leads(agency)
    if not is_statutory_partner and leads:
        raise WorkflowError(
            f"{agency} cannot stop being a statutory partner while {_people_list(leads)} "
            f"{'is its' if len(leads) == 1 else 'are its'} statutory partner "
            f"{'lead' if len(leads) == 1 else 'leads'}. Take the role away from them first."
        )
    agency.is_statutory_partner = is_statutory_partner
    return _save(
        agency,
        by,
        (
            "Marked as a statutory safeguarding partner"
            if is_statutory_partner
            else "No longer a statutory safeguarding partner"
        ),
    )


@transaction.atomic
def agency_retire(*, agency: Agency, by, reason: str) -> Agency:
    """Retire an agency: it stays on every record that names it, and is no longer offered
    where an agency is chosen. Refused while active people belong to it."""
    _require_manager(by)
    agency = lock_row(agency)
    reason = " ".join((reason or "").split())
    if not reason:
        raise WorkflowError({"reason": "Enter why the agency is being retired"})
    if not agency.is_active:
        raise WorkflowError(f"{agency} is already retired.")
    if agency.is_statutory_partner:
        raise WorkflowError(
            f"{agency} is a statutory safeguarding partner: mark it as no longer a statutory "
            "partner before retiring it."
        )
    people = list(User.objects.filter(agency=agency, is_active=True).order_by("full_name"))
    if people:
        raise WorkflowError(
            f"{agency} cannot be retired while {_people_list(people)} "
            f"{'belongs' if len(people) == 1 else 'belong'} to it. Move them to another agency "
            "or deactivate their accounts first."
        )
    agency.is_active = False
    return _save(agency, by, f"Retired: {reason}")


@transaction.atomic
def agency_reinstate(*, agency: Agency, by) -> Agency:
    """Offer a retired agency again where an agency is chosen."""
    _require_manager(by)
    agency = lock_row(agency)
    if agency.is_active:
        raise WorkflowError(f"{agency} is not retired.")
    agency.is_active = True
    return _save(agency, by, "Reinstated")
