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
import subprocess
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

# The performance targets of issue 21 (and issue 18 section 4), printed beside the figures; the
# tests assert only query counts.
TARGET_RATIO = 3.0  # a key page at 20 clients: median within 3x of the bare page
TARGET_LIST_RATIO = 2.5  # the reviews list: within 2.5x
TARGET_P95_MS = 500.0  # the actions dashboard at 20 clients: p95 under 500 ms
TARGET_IMPORT_RATIO = 1.5  # a 5,000-row import, parse and store, within 1.5x openpyxl's read
TARGET_REIMPORT_RATIO = 2.0  # re-import over a 5,000-entry draft within 2x a first import
TARGET_CHRONOLOGY_PDF_RATIO = 1.2  # merged chronology PDF within 1.2x WeasyPrint's bare table
TARGET_PEAK_MB = 1024  # the Executive report PDF's worker: peak memory under 1 GB
TARGET_SOAK_ERRORS = 0  # 50 concurrent clients for 60 s: no error
SOAK_CLIENTS, SOAK_SECONDS = 50, 60


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
    # target: the ratio to the bare page at 20 clients (None: no target), and a p95 in ms.
    return [
        {"name": "Bare signed-in page (1 query)", "path": "/bench/bare/", "as": "manager"},
        {
            "name": "Reviews list",
            "path": "/reviews/",
            "as": "manager",
            "target": TARGET_LIST_RATIO,
        },
        {
            "name": "Home page (Waiting for you), a panel member",
            "path": "/",
            "as": "panel_member",
            "target": TARGET_RATIO,
        },
        {
            # The longest queue: every open review's steps and everyone late on them.
            "name": "Home page (Waiting for you), the partnership manager",
            "path": "/",
            "as": "manager",
            "target": TARGET_RATIO,
        },
        {
            "name": "A review page (LCSPR)",
            "path": f"/reviews/{big}/",
            "as": "manager",
            "target": TARGET_RATIO,
        },
        {
            "name": f"Merged chronology ({t['big_review'].entries:,} entries)",
            "path": f"/chronologies/reviews/{big}/merged/",
            "as": "panel_member",
            "target": TARGET_RATIO,
        },
        {
            "name": "Actions dashboard (sub-group)",
            "path": "/actions/",
            "as": "subgroup",
            "target": TARGET_RATIO,
            "p95": TARGET_P95_MS,
        },
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
            row.get("target") is None or row["c20"]["ratio_to_bare"] <= row["target"]
        ) and (row.get("p95") is None or row["c20"]["p95_ms"] < row["p95"])
    return rows


def soak(url, t, *, clients: int, seconds: int) -> dict:
    """`clients` concurrent clients, each with its own session, going round the key pages for
    `seconds`: every answer but a 200 (and every failed connection) is an error."""
    key_pages = pages(t)[1:]
    cookies = {
        p: [session_cookie(t[p]) for _ in range(clients)] for p in {x["as"] for x in key_pages}
    }
    connection.close()
    deadline = time.perf_counter() + seconds
    results, errors, lock = [], [], threading.Lock()

    def run(n):
        index = n
        while time.perf_counter() < deadline:
            page = key_pages[index % len(key_pages)]
            index += 1
            client = Client(url, cookies[page["as"]][n])
            try:
                elapsed, status, _queries = client.get(page["path"])
            except OSError as e:
                with lock:
                    errors.append(f"{page['path']}: {e.__class__.__name__}")
                continue
            with lock:
                results.append(elapsed * 1000)
                if status != 200:
                    errors.append(f"{page['path']}: {status}")

    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(run, range(clients)))
    return {
        "name": f"{clients} concurrent clients for {seconds} s, round the key pages",
        "requests": len(results) + sum(1 for e in errors if not e[-3:].isdigit()),
        "errors": len(errors),
        "error_kinds": sorted(set(errors))[:10],
        "median_ms": round(statistics.median(results), 1) if results else None,
        "p95_ms": round(percentile(results, 0.95), 1) if results else None,
        "meets_target": len(errors) <= TARGET_SOAK_ERRORS,
    }


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
        "meets_target": min(stored) / floor <= TARGET_IMPORT_RATIO
        and min(replaced) / min(stored) <= TARGET_REIMPORT_RATIO,
    }


def child_render(kind: str, rows: int) -> dict:
    """One render in a process of its own (bench/render_child.py): its time, and its peak
    resident memory as the child itself reads it (getrusage RUSAGE_SELF ru_maxrss at its end)."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "render_child.py"), kind, str(rows)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        return {"kind": kind, "error": done.stderr.strip().splitlines()[-1:], "rows": rows}
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return {"kind": kind, **result, "process_s": round(time.perf_counter() - started, 2)}


def job_chronology_pdf(sizes) -> dict:
    """The merged chronology PDF as its worker renders it, at each size, beside WeasyPrint's
    render of a bare table of the same rows (issue 18: within 1.2x)."""
    rows = []
    for size in sizes:
        ours, bare = child_render("chronology", size), child_render("bare-table", size)
        ratio = (
            round(ours["render_s"] / bare["render_s"], 2)
            if "render_s" in ours and "render_s" in bare
            else None
        )
        rows.append({"rows": size, "ours": ours, "bare_table": bare, "ratio": ratio})
    return {
        "name": "Merged chronology PDF (" + " / ".join(f"{s:,}" for s in sizes) + " rows)",
        "sizes": rows,
        "meets_target": all(
            r["ratio"] is not None and r["ratio"] <= TARGET_CHRONOLOGY_PDF_RATIO for r in rows
        ),
    }


def job_executive_pdf(sizes) -> dict:
    """The Executive report PDF as its worker renders it (actions.reports.executive_report_pdf),
    in full over about each number of actions (those due first; 0 means every action), and as a
    summary over every action."""
    rows = [child_render("executive-full", size) for size in sizes]
    summary = child_render("executive-summary", 0)
    per_action = [r["seconds"] / r["rows"] for r in rows if r.get("rows") and "seconds" in r]
    return {
        "name": "Executive report PDF (full: "
        + " / ".join(f"{r.get('rows', s):,}" for r, s in zip(rows, sizes, strict=True))
        + " actions; summary: every action)",
        "full": rows,
        "summary": summary,
        "seconds_per_action": [round(x, 4) for x in per_action],
        "meets_target": all(r.get("peak_mb", TARGET_PEAK_MB + 1) < TARGET_PEAK_MB for r in rows)
        and "error" not in summary,
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


def _mark(met) -> str:
    return "met" if met else "MISSED"


def issue_rows(results: dict) -> list[tuple[str, str, str, str, str]]:
    """Issue 21's table (and issue 18's speed targets): what, measured, ratio, target, met."""
    rows = []
    for page in results["pages"][1:]:
        if page.get("target") is None:
            continue
        c20 = page["c20"]
        target = f"<= {page['target']:g}x" + (
            f", p95 < {page['p95']:g} ms" if page.get("p95") else ""
        )
        rows.append(
            (
                page["name"] + " (20 clients)",
                f"{c20['median_ms']:,.1f} ms median, p95 {c20['p95_ms']:,.1f} ms, "
                f"{','.join(map(str, c20['queries']))} queries",
                f"{c20['ratio_to_bare']:.2f}x",
                target,
                _mark(page["meets_targets"]),
            )
        )
    jobs = {job["name"].split(" (")[0]: job for job in results["jobs"]}
    executive = jobs.get("Executive report PDF")
    if executive:
        for run in executive["full"]:
            rows.append(
                (
                    f"Executive report PDF, full, {run.get('rows', 0):,} actions",
                    f"{run.get('seconds', '?')} s, peak {run.get('peak_mb', '?')} MB"
                    + (f" ({run['error']})" if "error" in run else ""),
                    f"{run['seconds'] / run['rows'] * 1000:.0f} ms an action"
                    if run.get("rows") and "seconds" in run
                    else "",
                    f"finishes; < {TARGET_PEAK_MB} MB; linear",
                    _mark(
                        "error" not in run and run.get("peak_mb", TARGET_PEAK_MB) < TARGET_PEAK_MB
                    ),
                )
            )
        summary = executive["summary"]
        rows.append(
            (
                f"Executive report PDF, summary, {summary.get('rows', 0):,} actions",
                f"{summary.get('seconds', '?')} s, peak {summary.get('peak_mb', '?')} MB",
                "",
                "finishes",
                _mark("error" not in summary),
            )
        )
    chronology = jobs.get("Merged chronology PDF")
    if chronology:
        for size in chronology["sizes"]:
            ours, bare = size["ours"], size["bare_table"]
            rows.append(
                (
                    f"Merged chronology PDF, {size['rows']:,} rows",
                    f"{ours.get('render_s', '?')} s (peak {ours.get('peak_mb', '?')} MB); "
                    f"bare table {bare.get('render_s', '?')} s "
                    f"(peak {bare.get('peak_mb', '?')} MB)",
                    f"{size['ratio']}x" if size["ratio"] is not None else "",
                    f"<= {TARGET_CHRONOLOGY_PDF_RATIO:g}x the bare table",
                    _mark(
                        size["ratio"] is not None and size["ratio"] <= TARGET_CHRONOLOGY_PDF_RATIO
                    ),
                )
            )
    imported = jobs.get("Chronology import")
    if imported:
        rows.append(
            (
                "5,000-row chronology import, parse and store",
                f"{imported['parse_and_store_s']} s (openpyxl's read "
                f"{imported['openpyxl_read_s']} s, our parse {imported['parse_s']} s)",
                f"{imported['parse_and_store_ratio']}x",
                f"<= {TARGET_IMPORT_RATIO:g}x openpyxl's read",
                _mark(imported["parse_and_store_ratio"] <= TARGET_IMPORT_RATIO),
            )
        )
        rows.append(
            (
                "Re-import over a 5,000-entry draft",
                f"{imported['reimport_s']} s",
                f"{imported['reimport_ratio_to_first_import']}x",
                f"<= {TARGET_REIMPORT_RATIO:g}x a first import",
                _mark(imported["reimport_ratio_to_first_import"] <= TARGET_REIMPORT_RATIO),
            )
        )
    if results.get("soak"):
        soak_result = results["soak"]
        rows.append(
            (
                soak_result["name"],
                f"{soak_result['requests']:,} requests, {soak_result['errors']} errors, "
                f"median {soak_result['median_ms']} ms, p95 {soak_result['p95_ms']} ms",
                "",
                f"{TARGET_SOAK_ERRORS} errors",
                _mark(soak_result["meets_target"]),
            )
        )
    return rows


def print_table(results: dict) -> None:
    print()
    print(f"Data: {results['data']}")
    print(f"Machine: {results['machine']}")
    header = (
        f"{'Page':42} {'queries':>7} | {'1 client: median':>16} {'p95':>7} {'x bare':>6} | "
        f"{'20 clients: median':>18} {'p95':>7} {'x bare':>6} {'req/s':>6} | target"
    )
    print(header)
    print("-" * len(header))
    for row in results["pages"]:
        one, twenty = row["c1"], row["c20"]
        queries = ",".join(str(q) for q in twenty["queries"])
        mark = "" if row.get("target") is None else _mark(row["meets_targets"])
        print(
            f"{row['name'][:42]:42} {queries:>7} | "
            f"{one['median_ms']:>13.1f} ms {one['p95_ms']:>7.1f} {one['ratio_to_bare']:>6.2f} | "
            f"{twenty['median_ms']:>15.1f} ms {twenty['p95_ms']:>7.1f} "
            f"{twenty['ratio_to_bare']:>6.2f} {twenty['throughput_rps']:>6.1f} | {mark}"
        )
    print()
    print("Issue 21's targets (and issue 18's speed targets):")
    print("| Page or job | Measured | Ratio | Target | |")
    print("|---|---|---|---|---|")
    for row in issue_rows(results):
        print("| " + " | ".join(row) + " |")
    print()
    for job in results["jobs"]:
        details = ", ".join(f"{k}={v}" for k, v in job.items() if k != "name")
        print(f"{job['name']}: {details}")


def _sizes(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8765")
    parser.add_argument("--output", default=str(ROOT / "var" / "bench" / "results.json"))
    parser.add_argument("--requests-1", type=int, default=30, help="requests at 1 client")
    parser.add_argument("--requests-20", type=int, default=200, help="requests at 20 clients")
    parser.add_argument(
        "--chronology-pdf-rows",
        default=os.environ.get("BENCH_CHRONOLOGY_PDF_ROWS", "2000,4000,8000"),
        help="merged chronology PDF sizes (rows), comma-separated",
    )
    parser.add_argument(
        "--executive-actions",
        default=os.environ.get("BENCH_EXECUTIVE_ACTIONS", "10000,0"),
        help="Executive report sizes (actions; 0 = every action), comma-separated",
    )
    parser.add_argument("--soak-seconds", type=int, default=SOAK_SECONDS)
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument("--skip-jobs", action="store_true")
    parser.add_argument("--skip-soak", action="store_true")
    args = parser.parse_args()

    t = targets()
    results = {
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "data": data_sizes(),
        "pages": [],
        "jobs": [],
        "soak": None,
    }
    if not args.skip_pages:
        print("Pages (median at 1 / 20 clients):", flush=True)
        results["pages"] = measure_pages(
            args.url, t, requests_1=args.requests_1, requests_20=args.requests_20
        )
    if not args.skip_soak:
        print(f"{SOAK_CLIENTS} clients for {args.soak_seconds} s:", flush=True)
        results["soak"] = soak(args.url, t, clients=SOAK_CLIENTS, seconds=args.soak_seconds)
        print(f"  {results['soak']['requests']} requests, {results['soak']['errors']} errors")
    if not args.skip_jobs:
        print("Jobs:", flush=True)
        for job in (
            lambda: job_import(t),
            lambda: job_chronology_pdf(_sizes(args.chronology_pdf_rows)),
            lambda: job_executive_pdf(_sizes(args.executive_actions)),
        ):
            results["jobs"].append(job())
            print(f"  {results['jobs'][-1]['name']}", flush=True)
    results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()[:2]]
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2, default=str))
    print_table(results)
    print(f"\nResults written to {output}")


if __name__ == "__main__":
    main()
