"""`tracklite import sqlite:///…/mlflow.db`: a database file the 3.17.2 reference server wrote, read directly."""

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
    server, tmp, seeded = seeded_sqlite_reference
    return Source(f"sqlite:///{tmp}/mlflow.db", server.url, seeded,
                  args=["--source-artifacts-destination", str(tmp / "artifacts")])
