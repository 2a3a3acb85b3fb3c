"""Benchmark: import 10,000 people from CSV (check + save), against a baseline of a bare
bulk insert of the same rows, both measured in this run on a fresh SQLite database.

Last line is JSON: {"bench": "import_people", "size": N, "seconds": S, "ratios": {"vs_bulk_insert": R}}
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "selfdirect.settings")
SIZE = int(os.environ.get("BENCH_SIZE", "10000"))


def main() -> None:
    workdir = tempfile.mkdtemp(prefix="selfdirect-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from tests.factories import nhs_number_for

    from selfdirect.people.imports import people_check, people_import, rows_read
    from selfdirect.people.models import Person

    header = [
        "given_name",
        "family_name",
        "date_of_birth",
        "nhs_number",
        "postcode",
        "gender",
        "user_group",
    ]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for n in range(SIZE):
        writer.writerow(
            [
                "Sam",
                f"Family{n}",
                "1950-03-27",
                nhs_number_for(n),
                "SW1A 1AA",
                "Female",
                "Older people",
            ]
        )
    data = out.getvalue().encode()

    started = time.perf_counter()
    head, rows = rows_read(io.BytesIO(data), "bench.csv")
    people = people_check(head, rows)
    people_import(actor=None, people=people, source="bench.csv")
    seconds = time.perf_counter() - started
    assert Person.objects.count() == SIZE

    baseline_people = [
        Person(
            la_person_id=f"B{p.pk:07d}",
            given_name=p.given_name,
            family_name=p.family_name,
            search_name=p.search_name,
            date_of_birth=p.date_of_birth,
            postcode=p.postcode,
        )
        for p in Person.objects.all()
    ]
    started = time.perf_counter()
    Person.objects.bulk_create(baseline_people, batch_size=2000)
    baseline = time.perf_counter() - started
    print(f"imported {SIZE:,} rows in {seconds:.2f} s; bare bulk insert {baseline:.2f} s")
    print(
        json.dumps(
            {
                "bench": "import_people",
                "size": SIZE,
                "seconds": round(seconds, 3),
                "ratios": {"vs_bulk_insert": round(seconds / baseline, 2)},
            }
        )
    )


if __name__ == "__main__":
    main()
