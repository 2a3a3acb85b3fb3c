"""Benchmark: page times with 100,000 people (the demo council) on SQLite, in process.

Times the caseload search (several kinds of query, as practitioner, manager and finance),
a person's summary and history, their budget, support plan and how it is held, the review
queue, and the API lists, against a baseline measured in the same run: the accessibility
statement, a page that reads nothing about people. Then the commissioner's reports (issue
15): the holders' and carers' outcomes reports, the IBSEN outcomes and cost-effectiveness
pages (on the council's answers, and on the synthetic demonstration data, whose analysis is
the heavy part), the ASCOF 3D page, and a survey campaign's "who is asked" draw (everyone
reviewed in a quarter; a sample of 1,000 from everyone with a plan), timed in process as a
function call since making a campaign writes its invitations.

Last line is JSON: {"bench": "pages", "size": N, "seconds": p95 of all pages (the draws,
which are not pages, are in p95_ms only),
"p95_ms": {...}, "ratios": {"p95_vs_static_page": R}}
"""

from __future__ import annotations

import json
import logging
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selfdirect.settings")
SIZE = int(os.environ.get("BENCH_SIZE", "100000"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "20"))


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18] if len(samples) >= 2 else samples[0]


def main() -> None:
    database = (
        os.environ.get("BENCH_DATABASE")
        or f"{tempfile.mkdtemp(prefix='selfdirect-bench-')}/pages.sqlite3"
    )
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from selfdirect.demo.generator import demo_council_build
    from selfdirect.people.models import Person

    # The JSON line per request (selfdirect.observability) would bury the figures.
    logging.getLogger("selfdirect.request").setLevel(logging.WARNING)
    call_command("migrate", verbosity=0)
    if not Person.objects.exists():
        started = time.perf_counter()
        demo_council_build(people=SIZE, seed=1)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as generate_demo does after its bulk load
        print(f"built {SIZE:,} people in {time.perf_counter() - started:.1f} s")
    settings.ALLOWED_HOSTS = ["testserver"]
    from selfdirect.allocation.models import Allocation
    from selfdirect.planning.models import SupportPlan

    holder_id = User.objects.get(username="holder").profile.person_id
    budget_id = Allocation.objects.filter(person_id=holder_id).values_list("pk", flat=True)[0]
    plan_id = (
        SupportPlan.objects.filter(person_id=holder_id, status="approved")
        .values_list("pk", flat=True)
        .first()
    )
    pages = {
        "baseline: accessibility statement": ("practitioner", "/accessibility/"),
        "search: all of the caseload": ("practitioner", "/people/"),
        "search: family name": ("practitioner", "/people/?q=smith"),
        "search: given and family name": ("manager", "/people/?q=jo+smith"),
        "search: postcode district (council-wide)": ("finance", "/people/?q=SD1"),
        "search: date of birth (council-wide)": ("finance", "/people/?q=14/03/1948"),
        "person summary": ("practitioner", f"/people/{holder_id}/"),
        "person history": ("practitioner", f"/people/{holder_id}/history/"),
        "home page": ("practitioner", "/home/"),
        "budget": ("holder", f"/budgets/{budget_id}/"),
        "support plan": ("holder", f"/plans/{plan_id}/"),
        "how the budget is held": ("practitioner", f"/holding/plans/{plan_id}/"),
        "review queue (team)": ("practitioner", "/plans/reviews/"),
        "API list": ("practitioner", "/api/v1/people?q=smith"),
        "API plans list": ("practitioner", "/api/v1/plans"),
        "outcomes report: holders": ("commissioner", "/evaluation/outcomes/"),
        "outcomes report: carers": ("commissioner", "/evaluation/carers/"),
        "IBSEN outcomes by group": ("commissioner", "/evaluation/ibsen/"),
        "IBSEN outcomes by group (synthetic data)": (
            "commissioner",
            "/evaluation/ibsen/?data=synthetic",
        ),
        "cost-effectiveness": ("commissioner", "/evaluation/cost-effectiveness/"),
        "cost-effectiveness (synthetic data)": (
            "commissioner",
            "/evaluation/cost-effectiveness/?data=synthetic",
        ),
        "ASCOF 3D": ("commissioner", "/returns/ascof/"),
    }
    draws = _campaign_draws()
    clients: dict[str, Client] = {}
    p95_ms: dict[str, float] = {}
    everything: list[float] = []
    for label, (username, url) in pages.items():
        client = clients.setdefault(username, Client())
        client.force_login(User.objects.get(username=username))
        client.get(url)  # warm up
        samples = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            response = client.get(url)
            samples.append(time.perf_counter() - started)
            assert response.status_code == 200, (url, response.status_code)
        p95_ms[label] = round(_p95(samples) * 1000, 1)
        if not label.startswith("baseline"):
            everything.extend(samples)
        print(
            f"{label:45} p50 {statistics.median(samples) * 1000:7.1f} ms   p95 {p95_ms[label]:7.1f} ms"
        )
    for label, draw in draws.items():
        draw()  # warm up
        samples = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            draw()
            samples.append(time.perf_counter() - started)
        p95_ms[label] = round(_p95(samples) * 1000, 1)  # not a page: not in "seconds"
        print(
            f"{label:45} p50 {statistics.median(samples) * 1000:7.1f} ms   p95 {p95_ms[label]:7.1f} ms"
        )
    overall = _p95(everything)
    baseline = p95_ms["baseline: accessibility statement"] / 1000
    print(
        json.dumps(
            {
                "bench": "pages",
                "size": Person.objects.filter(client_type="Service User").count(),
                "seconds": round(overall, 4),
                "p95_ms": p95_ms,
                "ratios": {"p95_vs_static_page": round(overall / baseline, 1)},
            }
        )
    )


def _campaign_draws() -> dict[str, Callable[[], object]]:
    """Who a campaign asks, as ``campaign_create`` draws it (without writing anything)."""
    import datetime as dt

    from django.utils import timezone

    from selfdirect.surveys.campaigns import candidates_for, sample_draw
    from selfdirect.surveys.models import Campaign, Instrument

    instrument = Instrument.objects.get(code="poet-holder", status=Instrument.Status.PUBLISHED)
    today = timezone.localdate()

    def reviewed() -> object:
        return candidates_for(
            instrument=instrument,
            selection=Campaign.Selection.REVIEWED,
            period_start=today - dt.timedelta(days=91),
            period_end=today,
        )

    def sample() -> object:
        frame = candidates_for(
            instrument=instrument,
            selection=Campaign.Selection.SAMPLE,
            period_start=today - dt.timedelta(days=365),
            period_end=today,
        )
        return sample_draw(frame, size=1000, seed=2026)

    return {
        "campaign draw: everyone reviewed in a quarter": reviewed,
        "campaign draw: sample of 1,000 (all plans)": sample,
    }


if __name__ == "__main__":
    main()
