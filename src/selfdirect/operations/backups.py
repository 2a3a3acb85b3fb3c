"""Backups and restoring: one archive holding the database, the app's files and a manifest.

SQLite is copied with its online backup API and PostgreSQL with ``pg_dump --format=custom``,
so both run while the site is serving pages. The manifest records the row count of every
table (taken from the same snapshot as the dump) and the SHA-256 of every member, so a
restore refuses a corrupt archive before touching anything and proves afterwards that
every row came back. See docs/operations.md and decision 0013.
"""

from __future__ import annotations

import errno
import hashlib
import importlib.metadata
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from glob import glob
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder

MANIFEST = "manifest.json"
FORMAT = 1
SQLITE_MEMBER = "database.sqlite3"
POSTGRES_MEMBER = "database.pgdump"
FILES_PREFIX = "files/"
# A freshly migrated database already has rows in these; it still counts as empty. Besides
# Django's own, the shipped configuration data migrations write: the national charging
# rates, the monitoring tier table, the statement matching rules and the PA employer's
# cost rates.
FILLED_BY_MIGRATE = frozenset(
    {
        "django_migrations",
        "django_content_type",
        "auth_permission",
        "charging_chargingrates",
        "employers_employercostrates",
        "monitoring_tiertable",
        "monitoring_matchrule",
        "surveys_instrument",
        "surveys_scale",
        "surveys_item",
        "directory_taxonomy",
        "directory_taxonomyterm",
    }
)

PG_TOOL_MISSING = (
    "{tool} was not found: install the PostgreSQL client programs of the server's version "
    "(Debian: postgresql-client) or put them on PATH."
)
NO_SPACE = (
    "There is not enough disk space to write {path}. Free some space or choose --output elsewhere."
)
NOT_WRITABLE = (
    "Cannot write the backup to {path}: {reason}. Choose a folder you can write to with --output."
)
OUTPUT_EXISTS = "{path} already exists: choose another --output path."
NOT_AN_ARCHIVE = "{path} is not a Selfdirect backup archive: {reason}."
MEMBER_MISSING = "The backup is corrupt: the member {member} listed in its manifest is missing."
MEMBER_CORRUPT = (
    "The backup is corrupt: the member {member} does not match its SHA-256 in the manifest."
)
MEMBER_UNLISTED = "The backup is corrupt: the member {member} is not listed in its manifest."
VENDOR_MISMATCH = (
    "This backup is of a {backup} database and the configured database is {target}. "
    "A backup restores only into the same engine; move between engines with "
    "manage.py dumpdata and loaddata (see docs/operations.md)."
)
TARGET_NOT_EMPTY = (
    "The database {name} is not empty ({tables} tables hold rows). Restoring replaces "
    "everything in it; run again with --yes if that is what you want."
)
COUNTS_DIFFER = "The restore is incomplete: row counts differ from the backup's manifest: {tables}."
NO_MEDIA_ROOT = "The backup holds {files} files and MEDIA_ROOT is not set: set it, then restore."
UNSUPPORTED_VENDOR = "Backups support SQLite and PostgreSQL, not {vendor}."
TOOL_FAILED = "{tool} failed: {detail}"


class BackupError(Exception):
    """A refusal with a message for the operator (the commands turn it into CommandError)."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: dict[str, Any]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _media_root() -> Path | None:
    root = getattr(settings, "MEDIA_ROOT", "")
    return Path(root) if root and Path(root).is_dir() else None


def _table_counts(cursor: Any, tables: list[str], quote: Any) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 -- names from introspection
        counts[table] = int(cursor.fetchone()[0])
    return counts


def table_counts() -> dict[str, int]:
    """The row count of every table in the configured database."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        return _table_counts(cursor, tables, connection.ops.quote_name)


def _sqlite_file_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
        cursor = db.cursor()
        return _table_counts(
            cursor, [r[0] for r in rows], lambda n: '"' + n.replace('"', '""') + '"'
        )


def _migration_state() -> dict[str, str]:
    applied: dict[str, str] = {}
    if not MigrationRecorder(connection).has_table():
        return applied
    for app, name in MigrationRecorder.Migration.objects.values_list("app", "name").order_by("id"):
        applied[app] = name
    return dict(sorted(applied.items()))


def pg_tool(tool: str) -> str:
    """The path of a PostgreSQL program: the newest under /usr/lib/postgresql, else on PATH."""
    found = sorted(
        glob(f"/usr/lib/postgresql/*/bin/{tool}"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if found:
        return found[-1]
    on_path = shutil.which(tool)
    if on_path:
        return on_path
    raise BackupError(PG_TOOL_MISSING.format(tool=tool))


def pg_environment() -> dict[str, str]:
    """Connection details from settings.DATABASES, as libpq's variables (never on argv).

    A DATABASE_URL such as ``postgres://u@/db?host=/run/sock&port=5433`` puts host and port
    in OPTIONS, so those are read too, with libpq's TLS and service options.
    """
    db = connection.settings_dict
    options = db.get("OPTIONS", {})
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        value = db.get(key) or options.get(key.lower())
        if value:
            env[variable] = str(value)
        else:
            env.pop(variable, None)
    for option in ("sslmode", "sslrootcert", "sslcert", "sslkey", "passfile", "service"):
        if options.get(option):
            env[f"PG{option.upper()}"] = str(options[option])
    return env


def _run(tool: str, arguments: list[str]) -> None:
    program = pg_tool(tool)
    try:
        done = subprocess.run(  # noqa: S603 -- fixed arguments, no shell
            [program, *arguments], env=pg_environment(), capture_output=True, text=True, check=False
        )
    except OSError as error:
        raise BackupError(TOOL_FAILED.format(tool=tool, detail=error.strerror)) from error
    if done.returncode != 0:
        detail = done.stderr.strip() or f"exit status {done.returncode}"
        if "No space left on device" in detail:
            raise BackupError(NO_SPACE.format(path=arguments[-1]))
        raise BackupError(TOOL_FAILED.format(tool=tool, detail=detail))


def default_output() -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return Path(settings.VAR_DIR) / "backups" / f"selfdirect-{stamp}.tar.gz"


@contextmanager
def _os_errors(path: Path) -> Iterator[None]:
    try:
        yield
    except OSError as error:
        if error.errno == errno.ENOSPC:
            raise BackupError(NO_SPACE.format(path=path)) from error
        raise BackupError(NOT_WRITABLE.format(path=path, reason=error.strerror or error)) from error


def _dump_database(staging: Path) -> tuple[str, dict[str, int]]:
    """Write the dump into staging; the member's name and the row counts of the same snapshot."""
    vendor = connection.vendor
    if vendor == "sqlite":
        target = staging / SQLITE_MEMBER
        connection.ensure_connection()
        source = connection.connection
        with sqlite3.connect(target) as copy:
            source.backup(copy)
        copy.close()
        return SQLITE_MEMBER, _sqlite_file_counts(target)
    if vendor == "postgresql":
        target = staging / POSTGRES_MEMBER
        # Counts and dump from one snapshot: the transaction exports it and pg_dump joins it.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = _table_counts(
                cursor, connection.introspection.table_names(cursor), connection.ops.quote_name
            )
            _run("pg_dump", ["--format=custom", f"--snapshot={snapshot}", f"--file={target}"])
        return POSTGRES_MEMBER, counts
    raise BackupError(UNSUPPORTED_VENDOR.format(vendor=vendor))


def backup_make(*, output: Path | None = None) -> BackupResult:
    """Write one .tar.gz archive: the database dump, the app's files and manifest.json."""
    path = (output or default_output()).expanduser().resolve()
    if path.exists():
        raise BackupError(OUTPUT_EXISTS.format(path=path))
    with _os_errors(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".selfdirect-backup-", dir=path.parent))
    try:
        with _os_errors(path):
            member, counts = _dump_database(staging)
            members = {member: _sha256(staging / member)}
            media = _media_root()
            if media is not None:
                for file in sorted(p for p in media.rglob("*") if p.is_file()):
                    members[FILES_PREFIX + file.relative_to(media).as_posix()] = _sha256(file)
            manifest = {
                "format": FORMAT,
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "selfdirect_version": importlib.metadata.version("selfdirect"),
                "database_vendor": connection.vendor,
                "migrations": _migration_state(),
                "table_counts": counts,
                "members": members,
            }
            (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
            partial = staging / "archive.tar.gz"
            with tarfile.open(partial, "w:gz") as archive:
                archive.add(staging / MANIFEST, arcname=MANIFEST)
                archive.add(staging / member, arcname=member)
                if media is not None:
                    for name in members:
                        if name.startswith(FILES_PREFIX):
                            archive.add(media / name.removeprefix(FILES_PREFIX), arcname=name)
            os.replace(partial, path)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return BackupResult(path=path, manifest=manifest)


def _unpack(path: Path, into: Path) -> dict[str, Any]:
    """Extract and check every member against the manifest; the manifest."""
    try:
        with tarfile.open(path, "r:*") as archive:
            archive.extractall(into, filter="data")
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(NOT_AN_ARCHIVE.format(path=path, reason=error)) from error
    try:
        manifest: dict[str, Any] = json.loads((into / MANIFEST).read_text())
        members: dict[str, str] = manifest["members"]
        if not isinstance(manifest["database_vendor"], str) or not isinstance(
            manifest["table_counts"], dict
        ):
            raise TypeError("manifest fields")
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise BackupError(
            NOT_AN_ARCHIVE.format(path=path, reason="no readable manifest")
        ) from error
    present = {p.relative_to(into).as_posix() for p in into.rglob("*") if p.is_file()}
    unlisted = sorted(present - set(members) - {MANIFEST})
    if unlisted:
        raise BackupError(MEMBER_UNLISTED.format(member=unlisted[0]))
    for name, digest in members.items():
        if name not in present:
            raise BackupError(MEMBER_MISSING.format(member=name))
        if _sha256(into / name) != digest:
            raise BackupError(MEMBER_CORRUPT.format(member=name))
    return manifest


def backup_restore(*, path: Path, replace: bool = False) -> dict[str, Any]:
    """Restore an archive into the configured database and MEDIA_ROOT; the manifest."""
    path = path.expanduser().resolve()
    if not path.is_file():
        raise BackupError(NOT_AN_ARCHIVE.format(path=path, reason="no such file"))
    with tempfile.TemporaryDirectory(prefix="selfdirect-restore-") as work:
        unpacked = Path(work)
        manifest = _unpack(path, unpacked)
        vendor = connection.vendor
        if manifest["database_vendor"] != vendor:
            raise BackupError(
                VENDOR_MISMATCH.format(backup=manifest["database_vendor"], target=vendor)
            )
        counts = table_counts()
        full = [t for t, count in counts.items() if count and t not in FILLED_BY_MIGRATE]
        if full and not replace:
            raise BackupError(
                TARGET_NOT_EMPTY.format(name=connection.settings_dict["NAME"], tables=len(full))
            )
        media = getattr(settings, "MEDIA_ROOT", "")
        files = [name for name in manifest["members"] if name.startswith(FILES_PREFIX)]
        if files and not media:
            raise BackupError(NO_MEDIA_ROOT.format(files=len(files)))
        if vendor == "sqlite":
            connection.close()
            with (
                sqlite3.connect(unpacked / SQLITE_MEMBER) as source,
                sqlite3.connect(connection.settings_dict["NAME"]) as target,
            ):
                source.backup(target)
            source.close()
            target.close()
        elif vendor == "postgresql":
            connection.close()
            options = ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
            if counts:  # tables already there, empty or not, are replaced
                options += ["--clean", "--if-exists"]
            _run(
                "pg_restore",
                [
                    *options,
                    f"--dbname={connection.settings_dict['NAME']}",
                    str(unpacked / POSTGRES_MEMBER),
                ],
            )
        else:
            raise BackupError(UNSUPPORTED_VENDOR.format(vendor=vendor))
        if files:
            for name in files:
                destination = Path(media) / name.removeprefix(FILES_PREFIX)
                with _os_errors(destination):
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(unpacked / name, destination)
    connection.close()
    restored = table_counts()
    expected: dict[str, int] = manifest["table_counts"]
    differing = [
        f"{table} (backup {count}, restored {restored.get(table, 'missing')})"
        for table, count in sorted(expected.items())
        if restored.get(table) != count
    ]
    if differing:
        raise BackupError(COUNTS_DIFFER.format(tables="; ".join(differing)))
    return manifest
