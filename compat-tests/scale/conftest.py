"""The scale-out tests (issue 16): they run only when asked for with `-m soak` (their own `npm test` stage), never in
the normal compat run, which collects the whole compat-tests folder."""

from __future__ import annotations

from pathlib import Path

import pytest

SCALE_DIR = Path(__file__).resolve().parent


def pytest_configure(config):
    config.addinivalue_line("markers", "soak: replicas behind HAProxy under a long load (compat-tests/scale)")


def pytest_collection_modifyitems(config, items):
    if "soak" in (config.option.markexpr or ""):
        return
    # deselected (not skipped): the normal run does not count them at all
    kept, dropped = [], []
    for item in items:
        (dropped if SCALE_DIR in Path(str(item.fspath)).resolve().parents else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
