"""`tracklite import postgresql://…`: a PostgreSQL database (Debian's postgresql 15, started by the test) that the
3.17.2 reference server wrote, read directly."""

from __future__ import annotations

import pytest
from import_cases import *  # noqa: F403 (Source, `imported` and the shared checks, collected here)
from import_harness import Postgres, reference_server, rmtree, seed, tmp_dir


@pytest.fixture(scope="module")
def source():
    tmp = tmp_dir("postgres-source")
    pg = Postgres(tmp / "pg")
    try:
        uri = pg.create_database("mlflow")
        # SQLAlchemy 2.1 reads a bare postgresql:// with psycopg 3; the reference's venv has psycopg2
        server = reference_server(tmp, uri.replace("postgresql://", "postgresql+psycopg2://"), str(tmp / "artifacts"))
        try:
            yield Source(uri, server.url, seed(server.url),
                         reads=("runs", "logged_models", "traces", "registry", "datasets", "webhooks"))
        finally:
            server.stop()
    finally:
        pg.stop()
        rmtree(tmp)
