"""Load the fictional demo partnership once, then print the demo logins.

Each app may add its demo reviews in a `demo.py` module with a `seed(log)` function; they run in
INSTALLED_APPS order after the accounts, so later stages can build on earlier ones."""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from lcspr.accounts import demo
from lcspr.accounts.models import User


class Command(BaseCommand):
    help = "Load the fictional demo partnership (once) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--logins-only", action="store_true", help="Print the demo logins without seeding."
        )
        parser.add_argument(
            "--no-logins",
            action="store_true",
            help="Seed without printing the logins (`make run` prints them once the servers "
            "are up, last, so they stay on screen).",
        )

        parser.add_argument(
            "--map", action="store_true", help="Print the demo map (the README's) and stop."
        )

    def handle(self, *args, logins_only=False, no_logins=False, map=False, **options):
        if map:
            self.stdout.write(demo.demo_map_markdown())
            return
        already = User.objects.filter(email=demo.demo_email("manager")).exists()
        if not logins_only and not already:
            with transaction.atomic():
                logins = demo.seed(self.stdout.write)
                for config in apps.get_app_configs():
                    if config.name == "lcspr.accounts":
                        continue
                    try:
                        module = import_module(f"{config.name}.demo")
                    except ModuleNotFoundError as exc:
                        if exc.name != f"{config.name}.demo":
                            raise
                        continue
                    module.seed(self.stdout.write)
        else:
            if already and not logins_only:
                self.stdout.write("Demo data is already loaded.")
            logins = [
                (demo.demo_email(p[0]), p[1], ", ".join(str(r.label) for r in p[4]) or "no role")
                for p in demo.PEOPLE
            ]
        if no_logins:
            return
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Demo logins (fictional people)"))
        width = max(len(email) for email, _, _ in logins)
        for email, name, roles in logins:
            self.stdout.write(f"  {email.ljust(width)}  {name} – {roles}")
        self.stdout.write(f"  Password for every demo login: {demo.DEMO_PASSWORD}")
        self.stdout.write(f"  {demo.two_factor_note()}")
