"""`tracklite import sqlite:///…/mlflow.db`: a database file the 3.17.2 reference server wrote, read directly."""

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


@pytest.fixture(scope="module")
def source(seeded_sqlite_reference) -> Source:
    server, tmp, seeded = seeded_sqlite_reference
    return Source(f"sqlite:///{tmp}/mlflow.db", server.url, seeded,
                  reads=("runs", "logged_models", "registry", "webhooks"), not_imported=SQL_NOT_IMPORTED_YET)
