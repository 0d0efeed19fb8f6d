"""Access helpers, the policy registry and the only module that talks to django-guardian.

The rule every view follows: reach an object through its app's access helper, which calls
`get_object_for`. A user who may not know the object exists gets 404 (never a hint that it
exists); a user who can see it but may not do this gets 403.

Object permissions are granted at the root (a review, an agency's chronology) by membership
services only, and stored in guardian's direct foreign-key permission models declared next to
those models (see docs/adr/0003-object-permissions.md).
"""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from guardian.core import ObjectPermissionChecker
from guardian.shortcuts import assign_perm, get_objects_for_user, get_perms, remove_perm

Policy = Callable[[object, str, Model], bool]
_policies: dict[type[Model], list[Policy]] = {}
_reached_listeners: list[Callable[[Model], None]] = []


def register_policy(model: type[Model], policy: Policy) -> None:
    """Declare a `can(user, action, obj)` function for a model: one per app. The app that owns
    the model registers first; an app that adds steps to it (panels on a review) registers its
    own, which answers only its own actions and False to the rest."""
    policies = _policies.setdefault(model, [])
    if policy not in policies:
        policies.append(policy)


def can(user, action: str, obj: Model) -> bool:
    """Ask the model's registered policies whether `user` may do `action` to `obj`."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    policies = _policies.get(type(obj)._meta.concrete_model)
    if not policies:
        raise LookupError(f"No permission policy is registered for {type(obj).__name__}.")
    return any(policy(user, action, obj) for policy in policies)


def get_object_for(user, *, visible: QuerySet, pk, allowed: Callable[[Model], bool]) -> Model:
    """Return the object with `pk` from `visible` if `allowed(obj)`; 404 if it is not visible,
    403 if it is visible but not allowed."""
    try:
        obj = visible.get(pk=pk)
    except (visible.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not allowed(obj):
        raise PermissionDenied
    for listener in _reached_listeners:
        listener(obj)
    return obj


def on_object_reached(listener: Callable[[Model], None]) -> None:
    """Call `listener(obj)` with every object an access helper lets a user reach (the access
    log registers one, to know what a page showed)."""
    if listener not in _reached_listeners:
        _reached_listeners.append(listener)


def role_required(*roles: str):
    """View decorator: signed-in users without any of `roles` get 403 (the page exists for
    everyone; only its contents are restricted)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_role(*roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# --- guardian: only membership services call grant/revoke -------------------------------------


def grant(user, perm: str, obj: Model) -> None:
    """Give `user` the object permission `perm` (codename) on `obj`."""
    assign_perm(perm, user, obj)


def revoke(user, perm: str, obj: Model) -> None:
    """Take the object permission `perm` on `obj` away from `user`."""
    remove_perm(perm, user, obj)


def has_object_perm(user, perm: str, obj: Model) -> bool:
    """Whether `user` holds `perm` on `obj` itself (global permissions do not count)."""
    if not user.is_active:
        return False
    return perm in object_perms(user, obj)


def object_perms(user, obj: Model) -> set[str]:
    """The codenames `user` holds on `obj`."""
    return set(get_perms(user, obj))


def prefetch_object_perms(user, objects) -> ObjectPermissionChecker:
    """A checker with every permission of `user` on `objects` loaded in one query, for lists."""
    checker = ObjectPermissionChecker(user)
    objects = list(objects)
    if objects:
        checker.prefetch_perms(objects)
    return checker


def objects_with_perm(user, perm: str, queryset: QuerySet) -> QuerySet:
    """The objects of `queryset` on which `user` holds `perm` as an object permission."""
    return get_objects_for_user(
        user, perm, klass=queryset, accept_global_perms=False, with_superuser=False
    )
