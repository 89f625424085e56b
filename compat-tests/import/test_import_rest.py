"""`tracklite import http://…`: a live reference server (SQLite behind it), read over MLflow's REST API."""

from __future__ import annotations

import pytest
from import_cases import *  # noqa: F403 (Source, `imported` and the shared checks, collected here)


@pytest.fixture(scope="module")
def source(seeded_sqlite_reference) -> Source:
    server, _, seeded = seeded_sqlite_reference
    return Source(server.url, server.url, seeded)
