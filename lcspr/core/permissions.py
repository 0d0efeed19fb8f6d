"""Access helpers, the registry of permission rules and the only module that talks to guardian.

The rule every view follows: reach an object through its app's access helper, which calls
`get_object_for`. A user who may not know the object exists gets 404 (never a hint that it
exists); a user who can see it but may not do this gets 403.

Object permissions are granted at the root (a review, an agency's chronology) by membership
services only, and stored in guardian's direct foreign-key permission models declared next to
those models (see docs/adr/0003-object-permissions.md).

Each model has one policy: a rule per action name, registered by the app that owns the action
(see docs/adr/0010-one-policy-per-model.md).
"""

from collections.abc import Callable, Mapping
from functools import wraps

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from guardian.core import ObjectPermissionChecker
from guardian.shortcuts import (
    assign_perm,
    get_objects_for_user,
    get_perms,
    get_users_with_perms,
    remove_perm,
)

from lcspr.core import page_cache

Rule = Callable[[object, Model], bool]
_rules: dict[type[Model], dict[str, Rule]] = {}
_reached_listeners: list[Callable[[Model], None]] = []


def register_rule(model: type[Model], action: str, rule: Rule) -> None:
    """Make `rule(user, obj)` the one answer to `action` on `model`. An action has one owner:
    registering it twice is refused, so no app can widen another's check by accident. Where two
    apps have a say, one owns the action and its rule calls the other's check explicitly."""
    rules = _rules.setdefault(model, {})
    if action in rules:
        raise ImproperlyConfigured(
            f"{model.__name__}.{action} already has a permission rule: {rules[action]!r}."
        )
    rules[action] = rule


def register_rules(model: type[Model], rules: Mapping[str, Rule]) -> None:
    """`register_rule` for each action -> rule of `rules`."""
    for action, rule in rules.items():
        register_rule(model, action, rule)


def can(user, action: str, obj: Model) -> bool:
    """Whether `user` may do `action` to `obj`, as the one rule registered for it answers.
    An action nobody registered is an error (a typo must not read as a quiet no)."""
    model = type(obj)._meta.concrete_model
    try:
        rule = _rules[model][action]
    except KeyError:
        raise LookupError(
            f"No permission rule is registered for {model.__name__}.{action}."
        ) from None
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return rule(user, obj)


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
    page_cache.changed()  # object permissions keep no history


def revoke(user, perm: str, obj: Model) -> None:
    """Take the object permission `perm` on `obj` away from `user`."""
    remove_perm(perm, user, obj)
    page_cache.changed()


def has_object_perm(user, perm: str, obj: Model) -> bool:
    """Whether `user` holds `perm` on `obj` itself (global permissions do not count): from the
    facts `load_facts` loaded for this request if it did, else asked of the database."""
    if not user.is_active:
        return False
    loaded = user.__dict__.get("_object_perms", {}).get(_key(obj))
    if loaded is not None:
        return perm in loaded
    return perm in object_perms(user, obj)


def _key(obj: Model) -> tuple[str, object]:
    return obj._meta.concrete_model._meta.label, obj.pk


def load_object_perms(user, objects: list[Model]) -> None:
    """Every object permission of `user` on `objects` (all of one model), in one query (none
    when already loaded), for has_object_perm: an app's `register_facts` loader calls it."""
    from guardian.utils import get_user_obj_perms_model

    loaded = user.__dict__.setdefault("_object_perms", {})
    objects = [obj for obj in objects if _key(obj) not in loaded]
    if not objects:
        return
    model = get_user_obj_perms_model(objects[0])
    for obj in objects:
        loaded[_key(obj)] = set()
    rows = model.objects.filter(user=user, content_object__in=[o.pk for o in objects])
    label = objects[0]._meta.concrete_model._meta.label
    for pk, codename in rows.values_list("content_object_id", "permission__codename"):
        loaded[(label, pk)].add(codename)


# --- permission facts, loaded once per request ------------------------------------------------

_fact_loaders: dict[type[Model], list[Callable]] = {}


def register_facts(model: type[Model], loader: Callable[[object, list], None]) -> None:
    """`loader(user, objects)` loads, in a fixed number of queries, what an app's rules on
    `model` read about `user` and `objects` (their memberships), and keeps it for the rest of
    the request (on the user object), so that asking `can` for many steps of many objects runs
    no further query. A loader skips what is already loaded."""
    loaders = _fact_loaders.setdefault(model, [])
    if loader not in loaders:
        loaders.append(loader)


def load_facts(user, objects) -> None:
    """Load every app's permission facts about `user` and `objects` (all of one model) at once:
    call it before asking `can` across a list (the task lists of a person's reviews)."""
    objects = list(objects)
    if not objects or user is None or not user.is_authenticated or not user.is_active:
        return
    model = type(objects[0])._meta.concrete_model
    for loader in _fact_loaders.get(model, ()):
        loader(user, objects)


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


def users_with_object_perm(perm: str, obj: Model) -> list:
    """The active users holding the object permission `perm` (codename) on `obj` itself."""
    users = get_users_with_perms(obj, only_with_perms_in=[perm], with_group_users=False)
    return [user for user in users if user.is_active]


def objects_with_perm(user, perm: str, queryset: QuerySet) -> QuerySet:
    """The objects of `queryset` on which `user` holds `perm` as an object permission."""
    return get_objects_for_user(
        user, perm, klass=queryset, accept_global_perms=False, with_superuser=False
    )
