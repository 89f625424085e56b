"""`tracklite import postgresql://…`: a PostgreSQL database (Debian's postgresql 15, started by the test) that the
3.17.2 reference server wrote, read directly."""

from __future__ import annotations

import pytest
from import_cases import (  # noqa: F401 (the shared checks, collected in this module)
    SQL_NOT_IMPORTED_YET,
    Source,
    imported,
    test_evaluation_datasets_and_records_read_the_same,
    test_experiments_runs_and_histories_read_the_same,
    test_import_twice_changes_nothing,
    test_killed_half_way_then_resumed,
    test_logged_models_read_the_same,
    test_registry_prompts_versions_and_aliases_read_the_same,
    test_traces_spans_and_assessments_read_the_same,
    test_verify_finds_no_difference,
    test_verify_names_a_change_made_in_tracklite,
    test_webhooks_read_the_same,
)
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
                         reads=("runs", "logged_models", "registry", "webhooks"), not_imported=SQL_NOT_IMPORTED_YET)
        finally:
            server.stop()
    finally:
        pg.stop()
        rmtree(tmp)
