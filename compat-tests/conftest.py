"""Fixtures of the tracklite compatibility suite.

COMPAT_TARGET        tracklite (default) | reference: server the client tests talk to.
COMPAT_DIFF_AGAINST  tracklite (default) | reference | reference@/path/to/venv:
                     the candidate server of the differential tests (they always
                     start the reference server of this venv as side A).
COMPAT_DIFF_DUMP     directory: write every differential scenario's masked
                     exchanges there (for debugging).
COMPAT_ARTIFACTS     local (default) | s3: where the servers keep artifacts; s3 starts
                     a real s3rver for the session and gives each server a prefix in it.
COMPAT_KEEP_TMP=1    keep server temp dirs (databases, logs).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from support.diff import Differ, ServerState  # noqa: E402
from support import servers as server_support  # noqa: E402
from support.servers import S3Endpoint, start_servers, stop_servers  # noqa: E402

COMPAT_DIR = Path(__file__).resolve().parent


def _target() -> str:
    t = os.environ.get("COMPAT_TARGET", "tracklite").strip() or "tracklite"
    if t not in ("tracklite", "reference"):
        raise pytest.UsageError(f"COMPAT_TARGET must be 'tracklite' or 'reference', not {t!r}")
    return t


def _diff_against() -> str:
    return os.environ.get("COMPAT_DIFF_AGAINST", "tracklite").strip() or "tracklite"


def pytest_report_header(config):
    import mlflow

    return [
        f"compat: mlflow client {mlflow.__version__} ({sys.prefix}), "
        f"COMPAT_TARGET={_target()}, COMPAT_DIFF_AGAINST={_diff_against()}, COMPAT_ARTIFACTS={artifacts_mode()}"
    ]


def artifacts_mode() -> str:
    mode = os.environ.get("COMPAT_ARTIFACTS", "local").strip() or "local"
    if mode not in ("local", "s3"):
        raise pytest.UsageError(f"COMPAT_ARTIFACTS must be 'local' or 's3', not {mode!r}")
    return mode


@pytest.fixture(scope="session", autouse=True)
def _artifact_storage():
    """With COMPAT_ARTIFACTS=s3, one s3rver for the whole session; every server started after this uses it."""
    if artifacts_mode() != "s3":
        yield None
        return
    server_support.s3 = S3Endpoint()
    # for tests that check where presigned URLs point (servers.py strips COMPAT_* from the servers' environment)
    os.environ["COMPAT_S3_ENDPOINT_URL"] = server_support.s3.url
    try:
        yield server_support.s3
    finally:
        os.environ.pop("COMPAT_S3_ENDPOINT_URL", None)
        server_support.s3.stop()
        server_support.s3 = None


def pytest_collection_modifyitems(config, items):
    for item in items:
        parts = Path(str(item.fspath)).resolve().relative_to(COMPAT_DIR).parts
        if parts and parts[0] == "client":
            item.add_marker(pytest.mark.client)
        elif parts and parts[0] == "differential":
            item.add_marker(pytest.mark.differential)
    # The import end-to-end modules (compat-tests/import) are their own npm test stage (`-m import_e2e`): a run of the
    # whole folder without that marker deselects them (not skipped: they are not counted), as compat-tests/scale does.
    if "import_e2e" not in (config.option.markexpr or ""):
        kept = [i for i in items if Path(str(i.fspath)).resolve().relative_to(COMPAT_DIR).parts[0] != "import"]
        if len(kept) < len(items):
            config.hook.pytest_deselected(items=[i for i in items if i not in kept])
            items[:] = kept


# --------------------------------------------------------------------------- client tests


@pytest.fixture(scope="module")
def tracking_server():
    """The target server (fresh database) for one test module."""
    servers = start_servers([_target()])
    try:
        yield servers[0]
    finally:
        stop_servers(servers)


@pytest.fixture(scope="module")
def server_url(tracking_server) -> str:
    return tracking_server.url


@pytest.fixture(autouse=True)
def _client_env(request, monkeypatch):
    """For client tests: point the mlflow client at the module's server, make
    HTTP errors fail fast, and reset the fluent API state afterwards."""
    if request.node.get_closest_marker("client") is None:
        yield None
        return
    url = request.getfixturevalue("server_url")
    import mlflow
    import mlflow.tracking.fluent as fluent

    for k in ("MLFLOW_EXPERIMENT_ID", "MLFLOW_EXPERIMENT_NAME", "MLFLOW_RUN_ID"):
        monkeypatch.delenv(k, raising=False)
    monkeypatch.setenv("MLFLOW_TRACKING_URI", url)
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_TIMEOUT", "30")
    mlflow.set_tracking_uri(url)
    try:
        yield url
    finally:
        while mlflow.active_run() is not None:
            mlflow.end_run()
        fluent._active_experiment_id = None
        try:
            fluent._last_active_run_id.set(None)
        except Exception:
            pass
        if hasattr(mlflow, "disable_system_metrics_logging"):
            mlflow.disable_system_metrics_logging()


@pytest.fixture
def client(_client_env):
    import mlflow

    return mlflow.MlflowClient(tracking_uri=_client_env)


# --------------------------------------------------------------------------- differential


@pytest.fixture(scope="module")
def diff_servers():
    """Reference server (side A) and candidate (side B), both with fresh databases."""
    servers = start_servers(["reference", _diff_against()])
    try:
        a, b = servers
        # id placeholders are shared by the module's scenarios (same databases)
        yield servers, [ServerState("reference", a.url), ServerState(_diff_against(), b.url)]
    finally:
        stop_servers(servers)


@pytest.fixture
def differ(diff_servers) -> Differ:
    (a, b), states = diff_servers
    return Differ(a.url, b.url, states=states)
