"""scripts/with-worker.sh: the worker starts beside the web server, beats its heartbeat,
and stops with the server, whether the server stops or the script is interrupted (Ctrl-C
at the terminal reaches the whole foreground process group)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SELFDIRECT_ENV")}
    env.update(
        {
            "SELFDIRECT_VAR_DIR": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "PYTHONPATH": str(ROOT / "src"),
            "DJANGO_SETTINGS_MODULE": "selfdirect.settings",
            "PY": sys.executable,
            "SELFDIRECT_WORKER_STALE_SECONDS": "8",
        }
    )
    return env


def _heartbeats(db: Path) -> int:
    with sqlite3.connect(db) as connection:
        return int(
            connection.execute("SELECT COUNT(*) FROM operations_workerheartbeat").fetchone()[0]
        )


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp_path = tmp_path_factory.mktemp("with-worker")
    done = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return tmp_path


# Started as a terminal starts a foreground job: with Ctrl-C's signal at its default. A
# suite launched in the background (``make test &``, a CI runner) ignores SIGINT, children
# inherit that, and bash cannot trap a signal ignored on entry, so the script would never
# see the Ctrl-C this test sends.
_AS_A_TERMINAL_WOULD = (
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
    "os.execv(sys.argv[1], sys.argv[1:])"
)


def _start(tmp_path: Path, *web: str) -> subprocess.Popen[bytes]:
    script = str(ROOT / "scripts" / "with-worker.sh")
    return subprocess.Popen(
        [sys.executable, "-c", _AS_A_TERMINAL_WOULD, script, *web],
        cwd=ROOT,
        env=_env(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )


def _wait_for_heartbeat(db: Path, script: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while _heartbeats(db) == 0:
        assert script.poll() is None, "the script stopped early"
        assert time.monotonic() < deadline, "no heartbeat in 60 s"
        time.sleep(0.3)


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = (
        Path(f"/proc/{pid}/stat").read_text().split()[2] if Path(f"/proc/{pid}").exists() else "X"
    )
    return state != "Z"


def test_ctrl_c_stops_the_web_server_and_the_worker(migrated: Path) -> None:
    script = _start(migrated, "sleep", "600")
    try:
        _wait_for_heartbeat(migrated / "db.sqlite3", script)
        children = _children(script.pid)
        assert len(children) == 2  # the worker and the "web server"
        os.killpg(script.pid, signal.SIGINT)  # what Ctrl-C does
        assert script.wait(timeout=60) == 130
        time.sleep(0.5)
        assert not [c for c in children if _alive(c)], "a process was left behind"
        assert _heartbeats(migrated / "db.sqlite3") == 0  # the worker said it stopped
    finally:
        if script.poll() is None:
            os.killpg(script.pid, signal.SIGKILL)


def test_when_the_web_server_stops_the_worker_stops_too(migrated: Path) -> None:
    script = _start(migrated, "sleep", "600")
    try:
        _wait_for_heartbeat(migrated / "db.sqlite3", script)
        children = _children(script.pid)
        web = next(
            c for c in children if Path(f"/proc/{c}/cmdline").read_text().startswith("sleep")
        )
        os.kill(web, signal.SIGTERM)
        script.wait(timeout=60)
        time.sleep(0.5)
        assert not [c for c in children if _alive(c)], "the worker was left behind"
    finally:
        if script.poll() is None:
            os.killpg(script.pid, signal.SIGKILL)
