"""manage.py backup and restore on SQLite: a demo council comes back row for row."""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
import tarfile
from pathlib import Path

import pytest

from selfdirect.operations import backups
from tests.operations.commands import AUDIT_ROWS, manage, ok, refused, sqlite_counts


def _url(path: Path) -> str:
    return f"sqlite:///{path}"


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A demo council of 50 people in a file database, and its backup at the default path."""
    work = tmp_path_factory.mktemp("backup")
    database = work / "council.sqlite3"
    ok(manage(_url(database), "migrate", "-v", "0"))
    ok(manage(_url(database), "generate_demo", "--people", "50"))
    out = ok(manage(_url(database), "backup", var_dir=work))
    archives = list((work / "backups").glob("selfdirect-*.tar.gz"))
    assert len(archives) == 1
    assert str(archives[0]) in out
    return database, archives[0]


def _audit(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as db:
        return db.execute(AUDIT_ROWS).fetchall()


def _repack(archive: Path, into: Path, change: dict[str, bytes]) -> Path:
    """A copy of the archive with some members' bytes replaced."""
    with tarfile.open(archive) as original, tarfile.open(into, "w:gz") as copy:
        for member in original.getmembers():
            data = original.extractfile(member).read()  # type: ignore[union-attr]
            data = change.get(member.name, data)
            member.size = len(data)
            copy.addfile(member, io.BytesIO(data))
    return into


def _manifest(archive: Path) -> dict[str, object]:
    with tarfile.open(archive) as opened:
        return json.loads(opened.extractfile("manifest.json").read())  # type: ignore[union-attr]


def test_the_manifest_describes_the_backup(source: tuple[Path, Path]) -> None:
    database, archive = source
    manifest = _manifest(archive)
    assert manifest["database_vendor"] == "sqlite"
    assert manifest["table_counts"] == sqlite_counts(database)
    from django.db.migrations.loader import MigrationLoader

    (latest,) = MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes("audit")
    assert manifest["migrations"]["audit"] == latest[1]  # type: ignore[index]
    assert manifest["selfdirect_version"] == "0.1.0"
    with tarfile.open(archive) as opened:
        dump = opened.extractfile("database.sqlite3").read()  # type: ignore[union-attr]
    assert manifest["members"] == {"database.sqlite3": backups.hashlib.sha256(dump).hexdigest()}


@pytest.mark.parametrize("migrated_first", [False, True], ids=["no-tables", "empty-tables"])
def test_a_backup_restores_into_an_empty_database_row_for_row(
    source: tuple[Path, Path], tmp_path: Path, migrated_first: bool
) -> None:
    database, archive = source
    target = tmp_path / "restored.sqlite3"
    if migrated_first:
        ok(manage(_url(target), "migrate", "-v", "0"))
    out = ok(manage(_url(target), "restore", str(archive)))
    assert "every count checked" in out
    counts = sqlite_counts(target)
    assert counts == sqlite_counts(database)
    assert counts["people_person"] >= 50
    assert counts["planning_plandocument"] > 0
    assert _audit(target) == _audit(database)
    assert len(_audit(target)) > 10
    # The restored audit log's hash chain is whole.
    assert '"verified": true' in ok(manage(_url(target), "audit_verify", "--json"))
    with sqlite3.connect(target) as db:
        pdfs = db.execute("SELECT sha256, pdf FROM planning_plandocument").fetchall()
        assert all(backups.hashlib.sha256(pdf).hexdigest() == sha for sha, pdf in pdfs)
        # The audit log's append-only triggers come back with it.
        with pytest.raises(sqlite3.DatabaseError):
            db.execute("DELETE FROM audit_event")


def test_a_corrupt_archive_is_refused_naming_the_member(
    source: tuple[Path, Path], tmp_path: Path
) -> None:
    _, archive = source
    with tarfile.open(archive) as opened:
        dump = bytearray(opened.extractfile("database.sqlite3").read())  # type: ignore[union-attr]
    dump[5000] ^= 0xFF
    corrupt = _repack(archive, tmp_path / "corrupt.tar.gz", {"database.sqlite3": bytes(dump)})
    target = tmp_path / "target.sqlite3"
    message = refused(manage(_url(target), "restore", str(corrupt)))
    assert message == backups.MEMBER_CORRUPT.format(member="database.sqlite3")
    assert sqlite_counts(target) == {}

    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[:2000])
    message = refused(manage(_url(target), "restore", str(truncated)))
    assert message.startswith(f"{truncated} is not a Selfdirect backup archive: ")
    assert sqlite_counts(target) == {}


def test_a_database_with_rows_is_refused_without_yes_and_replaced_with_it(
    source: tuple[Path, Path], tmp_path: Path
) -> None:
    database, archive = source
    target = tmp_path / "busy.sqlite3"
    ok(manage(_url(target), "migrate", "-v", "0"))
    ok(manage(_url(target), "generate_demo", "--people", "3", "--seed", "9"))
    before = sqlite_counts(target)
    message = refused(manage(_url(target), "restore", str(archive)))
    assert message.startswith(f"The database {target} is not empty (")
    assert message.endswith("run again with --yes if that is what you want.")
    assert sqlite_counts(target) == before

    ok(manage(_url(target), "restore", str(archive), "--yes"))
    assert sqlite_counts(target) == sqlite_counts(database)
    assert _audit(target) == _audit(database)


def test_a_backup_of_another_engine_is_refused(source: tuple[Path, Path], tmp_path: Path) -> None:
    _, archive = source
    manifest = _manifest(archive)
    manifest["database_vendor"] = "postgresql"
    other = _repack(
        archive, tmp_path / "pg.tar.gz", {"manifest.json": json.dumps(manifest).encode()}
    )
    target = tmp_path / "target.sqlite3"
    message = refused(manage(_url(target), "restore", str(other)))
    assert message == backups.VENDOR_MISMATCH.format(backup="postgresql", target="sqlite")
    assert "dumpdata and loaddata" in message
    assert sqlite_counts(target) == {}


def test_a_restore_whose_counts_differ_from_the_manifest_fails_loudly(
    source: tuple[Path, Path], tmp_path: Path
) -> None:
    _, archive = source
    manifest = _manifest(archive)
    counts = manifest["table_counts"]
    assert isinstance(counts, dict)
    people = counts["people_person"]
    counts["people_person"] = people + 1
    short = _repack(
        archive, tmp_path / "short.tar.gz", {"manifest.json": json.dumps(manifest).encode()}
    )
    message = refused(manage(_url(tmp_path / "t.sqlite3"), "restore", str(short)))
    assert message == backups.COUNTS_DIFFER.format(
        tables=f"people_person (backup {people + 1}, restored {people})"
    )


def test_an_unwritable_output_or_existing_file_is_refused_without_a_traceback(
    source: tuple[Path, Path], tmp_path: Path
) -> None:
    database, archive = source
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    message = refused(manage(_url(database), "backup", "--output", str(blocker / "b.tar.gz")))
    assert message.startswith(f"Cannot write the backup to {blocker / 'b.tar.gz'}: ")
    message = refused(manage(_url(database), "backup", "--output", str(archive)))
    assert message == backups.OUTPUT_EXISTS.format(path=archive)
    assert list(tmp_path.iterdir()) == [blocker]


def test_missing_postgresql_programs_are_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backups, "glob", lambda _pattern: [])
    monkeypatch.setattr(backups.shutil, "which", lambda _tool: None)
    with pytest.raises(backups.BackupError) as refusal:
        backups.pg_tool("pg_dump")
    assert str(refusal.value) == backups.PG_TOOL_MISSING.format(tool="pg_dump")
    monkeypatch.setattr(
        backups,
        "glob",
        lambda _p: [
            "/usr/lib/postgresql/9/bin/pg_dump",
            "/usr/lib/postgresql/15/bin/pg_dump",
        ],
    )
    assert backups.pg_tool("pg_dump") == "/usr/lib/postgresql/15/bin/pg_dump"


def test_no_space_is_reported_plainly(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(backups.errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backups, "_dump_database", full)
    with pytest.raises(backups.BackupError) as refusal:
        backups.backup_make(output=tmp_path / "x.tar.gz")
    assert str(refusal.value) == backups.NO_SPACE.format(path=tmp_path / "x.tar.gz")
    assert list(tmp_path.iterdir()) == []


def test_files_under_media_root_are_backed_up_checked_and_restored(tmp_path: Path) -> None:
    database = tmp_path / "council.sqlite3"
    ok(manage(_url(database), "migrate", "-v", "0"))
    media = tmp_path / "media"
    (media / "letters").mkdir(parents=True)
    (media / "letters" / "a.pdf").write_bytes(b"%PDF-1.7 first letter")
    (media / "b.txt").write_text("second")
    archive = tmp_path / "with-files.tar.gz"
    out = ok(manage(_url(database), "backup", "--output", str(archive), media_root=media))
    assert "and 2 files" in out
    members = _manifest(archive)["members"]
    assert isinstance(members, dict)
    assert (
        members["files/letters/a.pdf"]
        == backups.hashlib.sha256(b"%PDF-1.7 first letter").hexdigest()
    )
    assert set(members) == {"database.sqlite3", "files/letters/a.pdf", "files/b.txt"}

    elsewhere = tmp_path / "new-media"
    target = tmp_path / "target.sqlite3"
    ok(manage(_url(target), "restore", str(archive), media_root=elsewhere))
    assert (elsewhere / "letters" / "a.pdf").read_bytes() == b"%PDF-1.7 first letter"
    assert (elsewhere / "b.txt").read_text() == "second"

    corrupt = _repack(archive, tmp_path / "corrupt.tar.gz", {"files/b.txt": b"changed"})
    again = tmp_path / "again.sqlite3"
    message = refused(manage(_url(again), "restore", str(corrupt), media_root=tmp_path / "m3"))
    assert message == backups.MEMBER_CORRUPT.format(member="files/b.txt")
    assert not (tmp_path / "m3").exists()


def test_a_backup_runs_while_the_site_writes_and_holds_only_committed_rows(
    source: tuple[Path, Path], tmp_path: Path
) -> None:
    database, _ = source
    live = tmp_path / "live.sqlite3"
    shutil.copy(database, live)
    before = sqlite_counts(live)
    writer = sqlite3.connect(live, isolation_level=None)
    try:
        writer.execute("PRAGMA journal_mode=WAL")
        writer.execute("BEGIN IMMEDIATE")  # the site is half-way through a change
        writer.execute(
            "INSERT INTO access_team (name, code, area) VALUES ('Half-made', 'half-made', '')"
        )
        archive = tmp_path / "live.tar.gz"
        ok(manage(_url(live), "backup", "--output", str(archive)))
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert _manifest(archive)["table_counts"] == before
    target = tmp_path / "restored.sqlite3"
    ok(manage(_url(target), "restore", str(archive)))
    assert sqlite_counts(target) == before
