"""manage.py backup and restore on PostgreSQL: pg_dump and pg_restore into a second database."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from selfdirect.operations import backups
from tests.operations.commands import AUDIT_ROWS, manage, ok, refused

pytestmark = pytest.mark.postgres


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _conninfo(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


@pytest.fixture
def databases() -> Iterator[tuple[str, str]]:
    """Two new databases in the test cluster: a source and an empty target."""
    base = os.environ["DATABASE_URL"]
    assert base.startswith("postgres"), "run with scripts/with-postgres.sh"
    suffix = uuid.uuid4().hex[:8]
    names = [f"backup_source_{suffix}", f"backup_target_{suffix}"]
    admin = _conninfo(_with_database(base, "postgres"))
    with psycopg.connect(admin, autocommit=True) as db:
        for name in names:
            db.execute(f'CREATE DATABASE "{name}"')
    yield _with_database(base, names[0]), _with_database(base, names[1])
    with psycopg.connect(admin, autocommit=True) as db:
        for name in names:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _counts(url: str) -> dict[str, int]:
    with psycopg.connect(_conninfo(url)) as db:
        tables = [
            row[0]
            for row in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        count = 'SELECT COUNT(*) FROM "{}"'
        return {t: db.execute(count.format(t)).fetchone()[0] for t in tables}  # type: ignore[index]


def _audit(url: str) -> list[tuple[object, ...]]:
    with psycopg.connect(_conninfo(url)) as db:
        return db.execute(AUDIT_ROWS).fetchall()


def test_a_backup_restores_into_an_empty_database_row_for_row(
    databases: tuple[str, str], tmp_path: Path
) -> None:
    source, target = databases
    ok(manage(source, "migrate", "-v", "0"))
    ok(manage(source, "generate_demo", "--people", "50"))
    archive = tmp_path / "council.tar.gz"
    ok(manage(source, "backup", "--output", str(archive)))

    out = ok(manage(target, "restore", str(archive)))
    assert "every count checked" in out
    counts = _counts(target)
    assert counts == _counts(source)
    assert counts["people_person"] >= 50
    assert counts["planning_plandocument"] > 0
    assert _audit(target) == _audit(source)
    assert len(_audit(target)) > 10
    with (
        psycopg.connect(_conninfo(target)) as db,
        pytest.raises(psycopg.errors.IntegrityConstraintViolation, match="append-only"),
    ):
        db.execute("DELETE FROM audit_event")  # the append-only trigger came back too

    # Now the target holds rows: refused without --yes, replaced with it.
    message = refused(manage(target, "restore", str(archive)))
    assert message.startswith(f"The database {urlsplit(target).path[1:]} is not empty")
    ok(manage(target, "restore", str(archive), "--yes"))
    assert _counts(target) == _counts(source)
    assert _audit(target) == _audit(source)


def test_a_sqlite_backup_is_refused_by_postgresql(
    databases: tuple[str, str], tmp_path: Path
) -> None:
    _, target = databases
    sqlite = tmp_path / "council.sqlite3"
    ok(manage(f"sqlite:///{sqlite}", "migrate", "-v", "0"))
    archive = tmp_path / "sqlite.tar.gz"
    ok(manage(f"sqlite:///{sqlite}", "backup", "--output", str(archive)))
    message = refused(manage(target, "restore", str(archive)))
    assert message == backups.VENDOR_MISMATCH.format(backup="sqlite", target="postgresql")
    assert _counts(target) == {}
