"""`tracklite import http://…`: a live reference server (SQLite behind it), read over MLflow's REST API."""

from __future__ import annotations

import pytest
from import_cases import (  # noqa: F401 (the shared checks, collected in this module)
    Source,
    test_import_then_every_read_is_the_same,
    test_import_twice_changes_nothing,
    test_killed_half_way_then_resumed,
)


@pytest.fixture(scope="module")
def source(seeded_sqlite_reference) -> Source:
    server, _, seeded = seeded_sqlite_reference
    return Source(server.url, server.url, seeded)
