"""The performance benchmark: key pages under load and the key background jobs, on
data made by `manage.py seed_scale`, against a running gunicorn. `make bench` does it all
(database, migrate, seed, gunicorn, this script, stop); by hand:

    BENCHMARK=true ... gunicorn lcspr.wsgi --bind 127.0.0.1:8765 &
    .venv/bin/python bench/run.py --url http://127.0.0.1:8765 --output var/bench/results.json

For each page: the median and 95th-percentile latency at 1 and at 20 concurrent clients, and the
number of queries one request runs (the X-Query-Count header the BENCHMARK setting adds). The
bare page (bench:bare: signed in, one query in its view) is measured in the same run, and
every page's median is also given as a ratio to the bare page's, so results compare across
machines. Then, in this process against the same database, the jobs: a 5,000-row chronology
import beside openpyxl's plain read of the same file and a re-import over its 5,000 entries,
the 2,000-entry merged chronology PDF through the worker's own task, and the Executive action
report PDF. Output: a table on screen and a JSON file.
"""

import argparse
import datetime
import http.client
import json
import os
import platform
import statistics
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lcspr.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402

from lcspr.accounts.models import Role, User  # noqa: E402

# The performance targets (printed beside the figures; the tests assert only query counts).
TARGET_RATIO = 3.0  # key pages at 20 clients: median within 3x of the bare page
TARGET_P95_MS = 500.0  # and p95 under 500 ms
TARGET_IMPORT_RATIO = 2.0  # import within 2x of openpyxl's read
TARGET_REIMPORT_RATIO = 2.0  # re-import over a 5,000-entry draft within 2x a first import
TARGET_PDF_S = 30.0


# --- who and what to measure ---------------------------------------------------------------


def _first(role, **extra):
    users = User.objects.filter(role_assignments__role=role, is_active=True, **extra)
    return users.filter(email__startswith="scale.").order_by("pk").first() or users.first()


def targets() -> dict:
    """The people and reviews of the scaled data the benchmark uses."""
    from chronologies.models import RequestStatus
    from panels.models import MemberRole, Membership
    from reviews.models import Review

    by_entries = Review.objects.annotate(
        entries=Count(
            "chronologies__entries",
            filter=Q(chronologies__status=RequestStatus.ACCEPTED),
        )
    ).order_by("-entries", "pk")
    big = by_entries.first()
    pdf = min(
        by_entries.exclude(pk=big.pk).filter(entries__gt=0)[:20],
        key=lambda r: abs(r.entries - 2000),
    )
    member = (
        Membership.objects.filter(review=big, role=MemberRole.PANEL_MEMBER, ended_at__isnull=True)
        .select_related("user")
        .first()
    )
    return {
        "manager": _first(Role.PARTNERSHIP_MANAGER),
        "subgroup": _first(Role.SUBGROUP_MEMBER),
        "panel_member": member.user,
        "big_review": big,
        "pdf_review": pdf,
    }


def pages(t) -> list[dict]:
    big = t["big_review"].pk
    return [
        {"name": "Bare signed-in page (1 query)", "path": "/bench/bare/", "as": "manager"},
        {"name": "Reviews list", "path": "/reviews/", "as": "manager"},
        {"name": "Home (my reviews)", "path": "/", "as": "panel_member"},
        {"name": "A review page (LCSPR)", "path": f"/reviews/{big}/", "as": "manager"},
        {
            "name": f"Merged chronology ({t['big_review'].entries:,} entries)",
            "path": f"/chronologies/reviews/{big}/merged/",
            "as": "panel_member",
        },
        {"name": "Actions dashboard", "path": "/actions/", "as": "subgroup"},
        {"name": "Notification centre", "path": "/notifications/", "as": "manager"},
        {"name": "People list (50 a page)", "path": "/account/people/", "as": "manager"},
    ]


def session_cookie(user) -> str:
    """A signed-in session for `user`, written as the sign-in page writes it."""
    from importlib import import_module

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


# --- load ----------------------------------------------------------------------------------


class Client:
    """One simulated user: their own session, one request at a time."""

    def __init__(self, url: str, cookie: str):
        parsed = urllib.parse.urlsplit(url)
        self.host, self.port = parsed.hostname, parsed.port or 80
        self.cookie = cookie

    def get(self, path: str) -> tuple[float, int, int]:
        started = time.perf_counter()
        conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
        try:
            conn.request("GET", path, headers={"Cookie": self.cookie, "Host": "127.0.0.1"})
            response = conn.getresponse()
            response.read()
        finally:
            conn.close()
        elapsed = time.perf_counter() - started
        return elapsed, response.status, int(response.getheader("X-Query-Count") or -1)


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def load(url, path, cookies, *, clients: int, requests: int) -> dict:
    """`requests` GETs of `path` by `clients` concurrent clients; latencies in ms."""
    workers = [Client(url, cookies[n % len(cookies)]) for n in range(clients)]
    per_client = max(1, requests // clients)
    results, lock = [], threading.Lock()

    def run(client):
        for _ in range(per_client):
            outcome = client.get(path)
            with lock:
                results.append(outcome)

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(run, workers))
    wall = time.perf_counter() - started
    latencies = [r[0] * 1000 for r in results]
    statuses = sorted({r[1] for r in results})
    queries = sorted({r[2] for r in results})
    return {
        "clients": clients,
        "requests": len(results),
        "median_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
        "throughput_rps": round(len(results) / wall, 1),
        "statuses": statuses,
        "queries": queries,
    }


def measure_pages(url, t, *, requests_1: int, requests_20: int) -> list[dict]:
    cookies = {}
    for persona in ("manager", "subgroup", "panel_member"):
        cookies[persona] = [session_cookie(t[persona]) for _ in range(20)]
    connection.close()  # the server's requests must not wait on this process's transaction
    rows = []
    for page in pages(t):
        mine = cookies[page["as"]]
        warm = Client(url, mine[0])
        for _ in range(3):
            _elapsed, status, _queries = warm.get(page["path"])
        if status != 200:
            raise SystemExit(f"{page['path']} answered {status} for {page['as']}")
        one = load(url, page["path"], mine, clients=1, requests=requests_1)
        twenty = load(url, page["path"], mine, clients=20, requests=requests_20)
        rows.append({**page, "c1": one, "c20": twenty})
        print(f"  {page['name']}: {one['median_ms']} / {twenty['median_ms']} ms", flush=True)
    bare = rows[0]
    for row in rows:
        for key in ("c1", "c20"):
            row[key]["ratio_to_bare"] = round(row[key]["median_ms"] / bare[key]["median_ms"], 2)
        row["meets_targets"] = (
            row["c20"]["ratio_to_bare"] <= TARGET_RATIO and row["c20"]["p95_ms"] < TARGET_P95_MS
        )
    return rows


# --- jobs ----------------------------------------------------------------------------------


class Rollback(Exception):
    pass


def job_import(t) -> dict:
    """A 5,000-row XLSX: openpyxl's plain read (the floor), our parse, parse + store into an
    agency's emptied draft through the service (a first import), and the same again into the
    draft now holding those 5,000 entries (a re-import, which replaces them); rolled back
    afterwards."""
    import chronology_import
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction

    from chronologies import importer, services
    from chronologies.models import ChronologyRequest, RequestStatus, ReviewerComment
    from lcspr.core.services import bulk_delete_with_history

    data = chronology_import.build_workbook(chronology_import.ROWS)
    floor = chronology_import.best_of(3, lambda: chronology_import.openpyxl_read(data))
    parse = chronology_import.best_of(3, lambda: chronology_import.our_parse(data))
    draft = ChronologyRequest.objects.filter(status=RequestStatus.DRAFT).first()
    author = draft.authors.first() or t["manager"]

    def import_once():
        started = time.perf_counter()
        result = importer.parse(SimpleUploadedFile("bench.xlsx", data), kloe_numbers={1, 2})
        services.entries_replace(request=draft, by=author, rows=result.rows)
        return time.perf_counter() - started

    stored, replaced = [], []
    for _ in range(3):
        try:
            with transaction.atomic():
                bulk_delete_with_history(
                    ReviewerComment.objects.filter(entry__request=draft), author
                )
                bulk_delete_with_history(draft.entries.all(), author)
                stored.append(import_once())
                replaced.append(import_once())
                raise Rollback
        except Rollback:
            pass
    return {
        "name": f"Chronology import ({chronology_import.ROWS:,} rows)",
        "openpyxl_read_s": round(floor, 3),
        "parse_s": round(parse, 3),
        "parse_and_store_s": round(min(stored), 3),
        "reimport_s": round(min(replaced), 3),
        "parse_ratio": round(parse / floor, 2),
        "parse_and_store_ratio": round(min(stored) / floor, 2),
        "reimport_ratio_to_first_import": round(min(replaced) / min(stored), 2),
        "meets_target": parse / floor <= TARGET_IMPORT_RATIO
        and min(replaced) / min(stored) <= TARGET_REIMPORT_RATIO,
    }


def job_chronology_pdf(t) -> dict:
    """The merged chronology PDF of the ~2,000-entry review, through the worker's own task."""
    from django.core.files.storage import default_storage

    from chronologies.jobs import MERGED_PDF
    from lcspr.core.jobs.models import Job
    from lcspr.core.tasks import run_job

    review = t["pdf_review"]
    # Created directly: exports.pdf_export_request would queue it for a worker instead.
    job = Job.objects.create(kind=MERGED_PDF, about=review, requested_by=t["manager"])
    started = time.perf_counter()
    run_job(job.pk)
    elapsed = time.perf_counter() - started
    job = Job.objects.get(pk=job.pk)
    size = default_storage.size(job.file.name) if job.file else 0
    if job.file:
        default_storage.delete(job.file.name)
    job.delete()
    return {
        "name": f"Merged chronology PDF ({review.entries:,} entries, background task)",
        "seconds": round(elapsed, 2),
        "status": job.status,
        "pdf_kb": round(size / 1024),
        "meets_target": job.status == Job.Status.DONE and elapsed < TARGET_PDF_S,
    }


def job_executive_pdf(t) -> dict:
    """The Executive Partnership's action report PDF through the worker's own task
    (actions.jobs), for the busiest lead agency's actions: a partnership-sized report (a
    partnership has a few hundred actions; the seeded 20,000 stand for many partnerships). The
    report's data for every action is timed too (`context_s`). Rendering all 20,000 as one PDF
    ran for over 17 minutes and 6 GB before it was stopped (docs/performance.md)."""
    from django.core.files.storage import default_storage
    from django.db.models import Count

    from actions import reports
    from actions.jobs import EXECUTIVE_REPORT
    from actions.models import Action
    from lcspr.core.jobs.models import Job
    from lcspr.core.tasks import run_job

    started = time.perf_counter()
    reports.executive_report_for_query(t["subgroup"], "")
    built = time.perf_counter() - started
    busiest = (
        Action.objects.values("lead_agency_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()["lead_agency_id"]
    )
    query = f"agency={busiest}"
    count = Action.objects.filter(lead_agency_id=busiest).count()
    job = Job.objects.create(
        kind=EXECUTIVE_REPORT, requested_by=t["subgroup"], parameters={"query": query}
    )
    started = time.perf_counter()
    run_job(job.pk)
    elapsed = time.perf_counter() - started
    job = Job.objects.get(pk=job.pk)
    size = default_storage.size(job.file.name) if job.file else 0
    if job.file:
        default_storage.delete(job.file.name)
    job.delete()
    return {
        "name": f"Executive action report PDF ({count:,} actions of one agency, background task)",
        "context_s": round(built, 2),
        "seconds": round(elapsed, 2),
        "status": job.status,
        "pdf_kb": round(size / 1024),
    }


# --- output --------------------------------------------------------------------------------


def machine() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()" if connection.vendor == "postgresql" else "SELECT 1")
        database = cursor.fetchone()[0]
    load1, load5, _ = os.getloadavg()
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average_at_start": [round(load1, 2), round(load5, 2)],
        "database": str(database).split(" on ")[0] if connection.vendor == "postgresql" else "",
    }


def data_sizes() -> dict:
    from actions.models import Action
    from chronologies.models import Entry
    from lcspr.accounts.models import Agency
    from lcspr.notifications.models import InAppNotification
    from reviews.models import Review

    return {
        "reviews": Review.objects.count(),
        "chronology_entries": Entry.objects.count(),
        "actions": Action.objects.count(),
        "users": User.objects.count(),
        "agencies": Agency.objects.count(),
        "notifications": InAppNotification.objects.count(),
    }


def print_table(results: dict) -> None:
    print()
    print(f"Data: {results['data']}")
    header = (
        f"{'Page':42} {'queries':>7} | {'1 client: median':>16} {'p95':>7} {'x bare':>6} | "
        f"{'20 clients: median':>18} {'p95':>7} {'x bare':>6} {'req/s':>6} | target"
    )
    print(header)
    print("-" * len(header))
    for row in results["pages"]:
        one, twenty = row["c1"], row["c20"]
        queries = ",".join(str(q) for q in twenty["queries"])
        mark = "" if row is results["pages"][0] else ("met" if row["meets_targets"] else "MISSED")
        print(
            f"{row['name'][:42]:42} {queries:>7} | "
            f"{one['median_ms']:>13.1f} ms {one['p95_ms']:>7.1f} {one['ratio_to_bare']:>6.2f} | "
            f"{twenty['median_ms']:>15.1f} ms {twenty['p95_ms']:>7.1f} "
            f"{twenty['ratio_to_bare']:>6.2f} {twenty['throughput_rps']:>6.1f} | {mark}"
        )
    print(
        f"Targets at 20 clients: median within {TARGET_RATIO:g}x of the bare page, "
        f"p95 under {TARGET_P95_MS:g} ms."
    )
    print()
    for job in results["jobs"]:
        details = ", ".join(f"{k}={v}" for k, v in job.items() if k != "name")
        print(f"{job['name']}: {details}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8765")
    parser.add_argument("--output", default=str(ROOT / "var" / "bench" / "results.json"))
    parser.add_argument("--requests-1", type=int, default=30, help="requests at 1 client")
    parser.add_argument("--requests-20", type=int, default=200, help="requests at 20 clients")
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument("--skip-jobs", action="store_true")
    args = parser.parse_args()

    t = targets()
    results = {
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "data": data_sizes(),
        "pages": [],
        "jobs": [],
    }
    if not args.skip_pages:
        print("Pages (median at 1 / 20 clients):", flush=True)
        results["pages"] = measure_pages(
            args.url, t, requests_1=args.requests_1, requests_20=args.requests_20
        )
    if not args.skip_jobs:
        print("Jobs:", flush=True)
        for job in (job_import, job_chronology_pdf, job_executive_pdf):
            results["jobs"].append(job(t))
            print(f"  {results['jobs'][-1]['name']}", flush=True)
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2, default=str))
    print_table(results)
    print(f"\nResults written to {output}")


if __name__ == "__main__":
    main()
