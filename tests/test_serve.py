"""scripts/serve.sh, the production way of serving: gunicorn with the production settings
(over plain http, SELFDIRECT_HTTPS=0) against a migrated temporary SQLite database."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (local)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_serve_script_runs_gunicorn_with_health_check_pages_static_and_json_logs(
    tmp_path: Path,
) -> None:
    port = _free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "SELFDIRECT_ENV")
    }
    env.update(
        {
            "SELFDIRECT_ENV": "production",
            "SECRET_KEY": "s" * 50,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SELFDIRECT_HTTPS": "0",
            "SELFDIRECT_VAR_DIR": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "PYTHONPATH": str(ROOT / "src"),
            "DJANGO_SETTINGS_MODULE": "selfdirect.settings",
            "PY": sys.executable,
            "WEB_CONCURRENCY": "1",
            "BIND": f"127.0.0.1:{port}",
        }
    )
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert migrate.returncode == 0, migrate.stderr
    log = (tmp_path / "server.log").open("w+")
    server = subprocess.Popen(
        [str(ROOT / "scripts" / "serve.sh")],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, "the server stopped: " + Path(log.name).read_text()
            try:
                status, headers, body = _get(f"{base}/healthz", {"X-Request-ID": "probe-1"})
                break
            except OSError:
                assert time.monotonic() < deadline, "no answer in 120 s"
                time.sleep(0.5)
        assert status == 200
        assert json.loads(body)["database"] == "ok"
        # The worker started beside gunicorn beats its heartbeat (scripts/with-worker.sh).
        while json.loads(body)["worker"] != "ok":
            assert time.monotonic() < deadline, "the worker did not beat in 120 s"
            time.sleep(0.5)
            status, headers, body = _get(f"{base}/healthz", {"X-Request-ID": "probe-1"})
        assert json.loads(body) == {"status": "ok", "database": "ok", "worker": "ok"}
        assert headers["X-Request-ID"] == "probe-1"
        assert headers["Server"].startswith("gunicorn")

        status, headers, body = _get(f"{base}/accessibility/")
        assert status == 200 and b"Accessibility statement" in body
        # Production cookies without HTTPS: SELFDIRECT_HTTPS=0 lets the page work over http.
        assert "Strict-Transport-Security" not in headers
        # Static files were collected into the var directory and are served from there.
        assert (tmp_path / "static" / "selfdirect.css").exists()
        status, headers, _ = _get(f"{base}/static/selfdirect.css")
        assert status == 200 and headers["Content-Type"].startswith("text/css")

        status, _, body = _get(f"{base}/people/?q=Searched+Surname")
        assert status == 200 and b'name="password"' in body  # followed on to sign in
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
        log.close()
    # Every line is JSON, gunicorn's own included (scripts/gunicorn-logging.json).
    lines = [
        json.loads(line)
        for line in (tmp_path / "server.log").read_text().splitlines()
        if line.strip()
    ]
    assert any(r.get("logger") == "gunicorn.error" for r in lines)
    requests = {r["request_id"]: r for r in lines if r.get("logger") == "selfdirect.request"}
    assert requests["probe-1"]["path"] == "/healthz"
    assert requests["probe-1"]["status"] == 200
    assert any(r["path"] == "/people/" and r["status"] == 302 for r in requests.values())
    assert "Searched" not in (tmp_path / "server.log").read_text()
