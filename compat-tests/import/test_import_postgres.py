"""`tracklite import postgresql://…`: a PostgreSQL database (Debian's postgresql 15, started by the test) that the
3.17.2 reference server wrote, read directly."""

from __future__ import annotations

import pytest
from import_cases import (  # noqa: F401 (the shared checks, collected in this module)
    Source,
    test_import_then_every_read_is_the_same,
    test_import_twice_changes_nothing,
    test_killed_half_way_then_resumed,
)
from import_harness import Postgres, reference_server, rmtree, seed, tmp_dir


@pytest.fixture(scope="module")
def source():
    tmp = tmp_dir("postgres-source")
    pg = Postgres(tmp / "pg")
    try:
        uri = pg.create_database("mlflow")
        server = reference_server(tmp, uri, str(tmp / "artifacts"))
        try:
            yield Source(uri, server.url, seed(server.url),
                         args=["--source-artifacts-destination", str(tmp / "artifacts")])
        finally:
            server.stop()
    finally:
        pg.stop()
        rmtree(tmp)
