"""A fresh Python process for what a test cannot see from inside its own: a web process's
start-up, or a build on another database. It runs a snippet with the project's source on
the path and answers with the JSON its last line of output prints."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def python_json(
    code: str, *args: str, env: dict[str, str] | None = None, timeout: int = 120
) -> Any:
    """``python -c code args`` from the project's root, in ``env`` (this process's own by
    default) with ``src`` on the path; the last line it prints, read as JSON."""
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        env={**(os.environ if env is None else env), "PYTHONPATH": str(ROOT / "src")},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])
