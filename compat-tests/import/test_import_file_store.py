"""`tracklite import ./mlruns`: a FileStore folder written by the MLflow 2.x client, compared with a reference server
(3.17.2) started on that folder. A 2.x FileStore holds no logged models, traces, GenAI datasets or webhooks."""

from __future__ import annotations

import pytest
from import_cases import *  # noqa: F403 (Source, `imported` and the shared checks, collected here)
from import_harness import reference_server, rmtree, seed_file_store_v2, tmp_dir


# A 2.x FileStore's experiment ids are random 18-digit numbers (e.g. 228043293303606102), past 2^53: tracklite's store
# reads integers as JS numbers (libSQL intMode "number", which throws on such a value), so the sink gives these
# experiments fresh ids 1, 2, 3… (kept in import_id_map), and every read naming an experiment id differs from the
# reference's. Keeping them needs tracklite to read experiment ids as exact integers throughout (store, REST, UI).
ID_REMAP = "a 2.x FileStore's 18-digit experiment ids are renumbered by the import (tracklite reads ids as JS numbers)"


@pytest.fixture(scope="module")
def source():
    tmp = tmp_dir("file-store-source")
    mlruns = tmp / "mlruns"
    seeded = seed_file_store_v2(mlruns)
    # 3.x refuses a FileStore unless told to read one (it asks to migrate; reading it is what this test needs)
    server = reference_server(tmp, str(mlruns), str(tmp / "artifacts"), extra_env={"MLFLOW_ALLOW_FILE_STORE": "true"})
    try:
        yield Source(str(mlruns), server.url, seeded,
                     parts=("runs", "registry"),
                     reads=("runs", "registry"), known={part: ID_REMAP for part in ("runs", "registry")})
    finally:
        server.stop()
        rmtree(tmp)
