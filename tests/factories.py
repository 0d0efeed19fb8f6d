"""factory_boy factories. Every name here is fictional."""

import functools

import factory
from django.conf import settings
from django.contrib.auth.hashers import make_password

from lcspr.accounts.models import Agency, AgencyKind, Role, RoleAssignment, User

PASSWORD = "correct-horse-battery-staple"


@functools.cache
def _hashed(password: str, hashers: tuple) -> str:
    return make_password(password)


def hashed_password(password: str = PASSWORD) -> str:
    """`password` hashed by the configured hasher (Argon2) once per process and hasher list:
    hashing it afresh for every persona was most of the suite's fixture time (docs/performance.md).
    Every persona still signs in with PASSWORD."""
    return _hashed(password, tuple(settings.PASSWORD_HASHERS))


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Fictional Agency {n}")
    kind = AgencyKind.OTHER


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Test Person {n}")
    password = factory.LazyFunction(hashed_password)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        self.save()
        for role in extracted or ():
            RoleAssignment.objects.create(user=self, role=role)
        self.__dict__.pop("roles", None)


def user_with_role(role: str | None, **kwargs) -> User:
    return UserFactory(roles=[role] if role else [], **kwargs)


__all__ = ["AgencyFactory", "UserFactory", "Role", "PASSWORD", "user_with_role"]
