"""Realistic volumes of fictional data, fast, for the benchmark (`manage.py seed_scale`) and the
query-count tests (tests/perf).

Each app builds its own rows in a `scale.py` module with a `build(plan)` function, run in
INSTALLED_APPS order (a module that sets `AFTER_OTHERS = True`, the notification centre's,
runs last because it describes what the others made). Builders write with simple-history's
bulk helpers, so every row has its history as if a service had written it, and grant guardian
permissions exactly as the membership services do. Builders are additive: running them again
adds more of everything under new names, which is how the tests grow the data between two
measurements.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from lcspr.core import page_cache

BATCH = 2000
SCALE_PASSWORD = "northbridge-scale-2026"
SCALE_DOMAIN = "northbridge-scp.example"


@dataclass
class ScalePlan:
    """How much to make, and what each builder made (for the builders after it)."""

    reviews: int = 1000
    chronology_entries: int = 200_000
    actions: int = 20_000
    users: int = 300
    agencies: int = 60
    # The merged chronology and the PDF the benchmark measures: one review each.
    big_chronology: int = 5000
    pdf_chronology: int = 2000
    # Notifications of the benchmark's notification-centre user (everyone else gets a few).
    notifications: int = 2000
    seed: int = 2026
    log: object = print
    made: dict = field(default_factory=dict)

    def __post_init__(self):
        self.rng = random.Random(self.seed)
        self.now = timezone.now()
        self.today = timezone.localdate()
        # Small plans keep the two named chronologies within the entries asked for.
        self.big_chronology = min(self.big_chronology, self.chronology_entries // 2)
        self.pdf_chronology = min(
            self.pdf_chronology, (self.chronology_entries - self.big_chronology) // 2
        )

    def days_ago(self, days: int) -> datetime.date:
        return self.today - datetime.timedelta(days=days)

    def moment(self, day: datetime.date, hour: int = 10) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def bulk(model, objects, plan: ScalePlan, *, history: bool = True) -> list:
    """Insert `objects` in batches, with their history rows when the model keeps history."""
    objects = list(objects)
    if not objects:
        return []
    page_cache.changed()  # no signal for a bulk write
    if history and hasattr(model, "history"):
        return bulk_create_with_history(
            objects, model, batch_size=BATCH, default_user=plan.made.get("system_user")
        )
    return model.objects.bulk_create(objects, batch_size=BATCH)
