"""`tracklite import sqlite:///…/mlflow.db`: a database file the 3.17.2 reference server wrote, read directly."""

from __future__ import annotations

import pytest
from import_cases import *  # noqa: F403 (Source, `imported` and the shared checks, collected here)


@pytest.fixture(scope="module")
def source(seeded_sqlite_reference) -> Source:
    server, tmp, seeded = seeded_sqlite_reference
    return Source(f"sqlite:///{tmp}/mlflow.db", server.url, seeded,
                  reads=("runs", "logged_models", "traces", "registry", "datasets", "webhooks"))
