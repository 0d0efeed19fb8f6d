"""Fill the database with fictional data at realistic volumes, fast, for the benchmark.

    manage.py seed_scale --reviews 1000 --chronology-entries 200000 --actions 20000

Each app's `scale.py` builds its own rows (see lcspr.core.scale); this command runs them in
INSTALLED_APPS order (the notification centre's last), in one transaction, then prints the
people the benchmark signs in as."""

import time
from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from lcspr.core import scale


def builders():
    """Each app's scale.build, in INSTALLED_APPS order; those that describe the others' rows
    (`AFTER_OTHERS = True` in their module: the notification centre) after the rest."""
    found, after_others = [], []
    for config in apps.get_app_configs():
        if config.name == "lcspr.core":
            continue  # the builders' kit, not a builder
        try:
            module = import_module(f"{config.name}.scale")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.scale":
                raise
            continue
        later = getattr(module, "AFTER_OTHERS", False)
        (after_others if later else found).append((config.label, module.build))
    return [*found, *after_others]


def seed(plan: scale.ScalePlan) -> scale.ScalePlan:
    """Run every builder for `plan` in one transaction; returns the plan with what was made."""
    with transaction.atomic():
        for label, build in builders():
            started = time.perf_counter()
            plan.log(f"{label}:")
            build(plan)
            plan.log(f"  ({time.perf_counter() - started:.1f} s)")
    return plan


class Command(BaseCommand):
    help = "Fill the database with fictional data at realistic volumes (for the benchmark)."

    def add_arguments(self, parser):
        defaults = scale.ScalePlan.__dataclass_fields__
        for name in ("reviews", "chronology_entries", "actions", "users", "agencies"):
            parser.add_argument(
                f"--{name.replace('_', '-')}", type=int, default=defaults[name].default
            )
        parser.add_argument(
            "--notifications",
            type=int,
            default=defaults["notifications"].default,
            help="Notifications of the benchmark's notification-centre user.",
        )
        parser.add_argument("--seed", type=int, default=defaults["seed"].default)

    def handle(self, *args, **options):
        plan = scale.ScalePlan(
            reviews=options["reviews"],
            chronology_entries=options["chronology_entries"],
            actions=options["actions"],
            users=options["users"],
            agencies=options["agencies"],
            notifications=options["notifications"],
            seed=options["seed"],
            log=self.stdout.write,
        )
        if plan.reviews < 2 or plan.users < 20 or plan.agencies < 6:
            self.stderr.write("Ask for at least 2 reviews, 20 users and 6 agencies.")
            raise SystemExit(2)
        started = time.perf_counter()
        seed(plan)
        if connection.vendor == "postgresql":
            # What autovacuum does within minutes of a bulk load in production: without the
            # planner's statistics, a freshly written database is measured with plans made
            # for empty tables (a 200,000-row table taken for 47,000 and scanned whole).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            self.stdout.write("Statistics gathered (ANALYZE).")
        made = plan.made
        self.stdout.write(self.style.SUCCESS(f"Done in {time.perf_counter() - started:.0f} s."))
        self.stdout.write(f"Password for every scale login: {scale.SCALE_PASSWORD}")
        for role, user in made["personas"].items():
            self.stdout.write(f"  {role:14} {user.email}")
        for key in ("big_review", "pdf_review"):
            if made.get(key):
                self.stdout.write(f"  {key:14} {made[key].reference} (pk {made[key].pk})")
