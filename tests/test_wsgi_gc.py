"""Each web process freezes what it made while loading and collects young objects less
often (decision 0061); SELFDIRECT_GC_THRESHOLD sets how often, "off" keeps Python's way."""

from __future__ import annotations

import os

import pytest

from tests.processes import python_json

PROBE = (
    "import gc, json, selfdirect.wsgi; "
    "print(json.dumps([list(gc.get_threshold()), gc.get_freeze_count()]))"
)


def _web_process_gc(threshold: str | None) -> tuple[list[int], int]:
    env = {k: v for k, v in os.environ.items() if k != "SELFDIRECT_GC_THRESHOLD"}
    if threshold is not None:
        env["SELFDIRECT_GC_THRESHOLD"] = threshold
    limits, frozen = python_json(PROBE, env=env)
    return limits, frozen


@pytest.mark.parametrize(("setting", "gen0"), [(None, 50000), ("20000", 20000)])
def test_the_web_process_freezes_its_start_and_collects_less_often(
    setting: str | None, gen0: int
) -> None:
    limits, frozen = _web_process_gc(setting)
    assert limits == [gen0, 50, 100]
    assert frozen > 10000  # the app's modules, settings and URL patterns


def test_off_keeps_python_s_own_collection() -> None:
    limits, frozen = _web_process_gc("off")
    assert (limits, frozen) == ([700, 10, 10], 0)  # Python 3.11's defaults, nothing frozen
