"""A backup carries the slim rows of list looks (decision 0056) and restores them with
their append-only triggers, and the restored log, rows included, verifies. SQLite, run
as an operator would (tests/operations runs the same commands on a demo council)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.operations.commands import manage, ok, sqlite_counts

# Two people, then a list look of both, through the service the pages call.
MAKE_A_LIST_LOOK = """
import datetime as dt
from selfdirect.audit.services import looks_record
from selfdirect.people.models import Person
people = [
    Person.objects.create(la_person_id=f"B{n}", given_name="B", family_name=f"P{n}",
                          search_name=f"b p{n}", date_of_birth=dt.date(1950, 1, 1))
    for n in (1, 2)
]
looks_record(actor=None, people=people, summary="Appeared in the review queue")
"""


def _url(path: Path) -> str:
    return f"sqlite:///{path}"


def test_list_looks_are_backed_up_restored_append_only_and_verified(tmp_path: Path) -> None:
    source, target = tmp_path / "source.sqlite3", tmp_path / "target.sqlite3"
    ok(manage(_url(source), "migrate", "-v", "0"))
    ok(manage(_url(source), "shell", "-c", MAKE_A_LIST_LOOK))
    archive = tmp_path / "council.tar.gz"
    ok(manage(_url(source), "backup", "--output", str(archive)))
    assert "every count checked" in ok(manage(_url(target), "restore", str(archive)))
    counts = sqlite_counts(target)
    assert counts == sqlite_counts(source)
    assert counts["audit_listed"] == 2
    verdict = json.loads(ok(manage(_url(target), "audit_verify", "--json")).splitlines()[-1])
    assert (verdict["verified"], verdict["listed"]) == (True, 2)
    with sqlite3.connect(target) as db:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            db.execute("DELETE FROM audit_listed")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            db.execute("UPDATE audit_listed SET person_id = person_id")
