"""Run manage.py in a child process against a database given by URL, as an operator would."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def manage(
    database_url: str,
    *arguments: str,
    var_dir: Path | None = None,
    media_root: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.update(
        {
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
            "DJANGO_SETTINGS_MODULE": "selfdirect.settings",
            "DATABASE_URL": database_url,
        }
    )
    if media_root is not None:
        env["DJANGO_SETTINGS_MODULE"] = "tests.operations.media_settings"
        env["TEST_MEDIA_ROOT"] = str(media_root)
    if var_dir is not None:
        env["SELFDIRECT_VAR_DIR"] = str(var_dir)
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *arguments],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )


def ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, done.stderr
    return done.stdout


def refused(done: subprocess.CompletedProcess[str]) -> str:
    """The CommandError's message: exit status 1 and no traceback."""
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("CommandError: ")
    return done.stderr.removeprefix("CommandError: ").strip()


def sqlite_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        names = [
            row[0]
            for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        count = 'SELECT COUNT(*) FROM "{}"'
        return {n: db.execute(count.format(n)).fetchone()[0] for n in sorted(names)}


AUDIT_ROWS = (
    "SELECT id, at, actor_username, action, object_type, object_id, summary "
    "FROM audit_event ORDER BY id"
)
