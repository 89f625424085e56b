"""Differential: MLflow 3's workspaces. With workspaces off (the default), the workspace API's 503 and a refused
workspace header; with both servers started with --enable-workspaces, the workspace CRUD and its checks, the header's
resolution, and what a workspace confines: experiments, runs, metrics, registered models, model versions and proxied
artifact paths."""

import pytest

from support.clientutil import MLFLOW_MAJOR

if MLFLOW_MAJOR < 3:
    pytest.skip("the reference server of an MLflow 2 venv has no workspaces", allow_module_level=True)

import os  # noqa: E402

from support.diff import Differ, ServerState  # noqa: E402
from support.servers import start_servers, stop_servers  # noqa: E402

WS = "/api/3.0/mlflow/workspaces"
A = {"X-MLFLOW-WORKSPACE": "team-a"}
B = {"X-MLFLOW-WORKSPACE": "team-b"}
# server-info fields tracklite answers differently whatever the workspaces (KNOWN_DIFFERENCES: server-info-capabilities)
INFO_IGNORE = ("multipart_downloads_enabled", "presigned_upload_run_id_supported",
               "presigned_upload_model_id_supported", "features_enabled.gateway")


@pytest.fixture(scope="module")
def ws_servers():
    """Both servers with --enable-workspaces (the reference keeps its workspaces in the backend store)."""
    candidate = os.environ.get("COMPAT_DIFF_AGAINST", "tracklite").strip() or "tracklite"
    servers = start_servers(["reference", candidate], extra_args=["--enable-workspaces"])
    a, b = servers
    try:
        yield servers, [ServerState("reference", a.url), ServerState(candidate, b.url)]
    finally:
        stop_servers(servers)


@pytest.fixture
def ws(ws_servers) -> Differ:
    (a, b), states = ws_servers
    return Differ(a.url, b.url, states=states)


def test_workspaces_off(differ):
    d = differ
    d.call("GET", WS, body_mode="text", expect_status=503)
    d.call("POST", WS, {"name": "team-a"}, body_mode="text", expect_status=503)
    d.call("GET", f"{WS}/default", body_mode="text", expect_status=503)
    d.call("PATCH", "/ajax-api/3.0/mlflow/workspaces/team-a", {"description": "x"}, body_mode="text",
           expect_status=503)
    d.call("DELETE", f"{WS}/team-a?mode=CASCADE", body_mode="text", expect_status=503)
    # a header names a workspace the server cannot have (FEATURE_DISABLED; the reference's 500 is a 400 here)
    d.get("experiments/get", {"experiment_id": "0"}, headers=A)
    d.get("experiments/get", {"experiment_id": "0"}, headers={"X-MLFLOW-WORKSPACE": ""}, expect_status=200)
    d.call("GET", "/api/3.0/mlflow/server-info", headers=A, ignore=INFO_IGNORE, expect_status=200)
    d.assert_equal()


def test_workspace_crud(ws):
    d = ws
    d.call("GET", WS, expect_status=200)
    d.call("POST", WS, {"name": "team-a", "description": "A"}, expect_status=201)
    d.call("POST", WS, {"name": "team-b"}, expect_status=201)
    d.call("POST", WS, {"name": "team-a"}, expect_status=400)  # duplicate
    d.call("POST", WS, {"name": "default"}, expect_status=400)
    d.call("POST", WS, {"name": "Bad_Name"}, expect_status=400)
    d.call("POST", WS, {"name": "x"}, expect_status=400)
    d.call("POST", WS, {"name": "api"}, expect_status=400)
    d.call("POST", WS, {}, expect_status=400)
    d.call("POST", WS, {"name": 5}, expect_status=400)
    d.call("POST", WS, {"name": "team-r", "default_artifact_root": "relative/path"}, expect_status=400)
    d.call("GET", f"{WS}/team-a", expect_status=200)
    d.call("GET", "/ajax-api/3.0/mlflow/workspaces/default", expect_status=200)
    d.call("GET", f"{WS}/nope", expect_status=404)
    d.call("GET", f"{WS}/Bad_Name", expect_status=400)
    d.call("PATCH", f"{WS}/team-b", {"description": "B"}, expect_status=200)
    d.call("PATCH", f"{WS}/team-b", {}, expect_status=400)
    d.call("PATCH", f"{WS}/team-b", {"description": 5}, expect_status=400)
    d.call("PATCH", f"{WS}/nope", {"description": "B"}, expect_status=404)
    d.call("GET", WS, expect_status=200)
    d.call("DELETE", f"{WS}/default", expect_status=400)
    d.call("DELETE", f"{WS}/nope", expect_status=404)
    d.call("DELETE", f"{WS}/team-b?mode=bogus", expect_status=400)
    d.call("POST", WS, {"name": "team-z"}, expect_status=201)
    d.call("DELETE", f"{WS}/team-z", body_mode="status", expect_status=204)
    d.call("GET", f"{WS}/team-z", expect_status=404)
    d.call("GET", "/api/2.0/mlflow/workspaces", body_mode="status", expect_status=404)
    d.call("GET", "/api/3.0/mlflow/server-info", headers={"X-MLFLOW-WORKSPACE": "nope"}, ignore=INFO_IGNORE,
           expect_status=200)
    d.assert_equal()


def test_workspace_header(ws):
    d = ws
    d.get("experiments/get", {"experiment_id": "0"}, expect_status=200)
    d.get("experiments/get", {"experiment_id": "0"}, headers={"X-MLFLOW-WORKSPACE": "default"}, expect_status=200)
    d.get("experiments/get", {"experiment_id": "0"}, headers={"X-MLFLOW-WORKSPACE": ""}, expect_status=200)
    d.get("experiments/get", {"experiment_id": "0"}, headers={"X-MLFLOW-WORKSPACE": "nope"}, expect_status=404)
    d.get("experiments/get", {"experiment_id": "0"}, headers={"X-MLFLOW-WORKSPACE": "Bad_X"}, expect_status=400)
    d.get("experiments/get", {"experiment_id": "0"}, headers=A, expect_status=404)
    d.call("GET", WS, headers={"X-MLFLOW-WORKSPACE": "nope"}, expect_status=404)
    d.assert_equal()


def test_scoped_tracking(ws):
    d = ws
    d.post("experiments/create", {"name": "shared"}, headers=A, save={"ea": "experiment_id"}, expect_status=200)
    d.post("experiments/create", {"name": "shared"}, save={"ed": "experiment_id"}, expect_status=200)
    d.post("experiments/create", {"name": "shared"}, headers=A, expect_status=400)
    d.post("experiments/create", {"name": "x", "artifact_location": "/tmp/x"}, headers=A, expect_status=400)
    d.get("experiments/get", {"experiment_id": "${ea}"}, headers=A, expect_status=200)
    d.get("experiments/get", {"experiment_id": "${ea}"}, expect_status=404)
    d.get("experiments/get", {"experiment_id": "${ed}"}, headers=B, expect_status=404)
    d.get("experiments/get-by-name", {"experiment_name": "shared"}, headers=A, expect_status=200)
    d.get("experiments/get-by-name", {"experiment_name": "shared"}, headers=B, expect_status=404)
    d.post("experiments/search", {"max_results": 10}, headers=A, expect_status=200)
    d.post("experiments/search", {"max_results": 10}, headers=B, expect_status=200)
    d.post("experiments/update", {"experiment_id": "${ea}", "new_name": "renamed"}, expect_status=404)
    d.post("runs/create", {"experiment_id": "${ea}", "start_time": 1}, headers=A, save={"ra": "run.info.run_id"},
           unnamed_run=True, expect_status=200)
    d.post("runs/create", {"experiment_id": "${ea}"}, expect_status=404)
    d.get("runs/get", {"run_id": "${ra}"}, expect_status=404)
    d.post("runs/log-metric", {"run_id": "${ra}", "key": "m", "value": 1, "timestamp": 1, "step": 0}, headers=A,
           expect_status=200)
    d.post("runs/log-metric", {"run_id": "${ra}", "key": "m", "value": 2, "timestamp": 2, "step": 1},
           expect_status=404)
    d.post("runs/set-tag", {"run_id": "${ra}", "key": "t", "value": "v"}, headers=B, expect_status=404)
    d.get("metrics/get-history", {"run_id": "${ra}", "metric_key": "m"}, headers=A, expect_status=200)
    d.get("metrics/get-history", {"run_id": "${ra}", "metric_key": "m"}, expect_status=404)
    d.get("metrics/get-history-bulk-interval", {"run_ids": "${ra}", "metric_key": "m"}, headers=A, expect_status=200)
    d.get("metrics/get-history-bulk-interval", {"run_ids": "${ra}", "metric_key": "m"}, expect_status=404)
    d.get("/ajax-api/2.0/mlflow/metrics/get-history-bulk", {"run_id": "${ra}", "metric_key": "m"}, expect_status=200)
    d.post("runs/search", {"experiment_ids": ["${ea}"]}, headers=A, expect_status=200)
    d.post("runs/search", {"experiment_ids": ["${ea}", "${ed}"]}, expect_status=200)
    d.post("runs/delete", {"run_id": "${ra}"}, expect_status=404)
    d.assert_equal()


def test_scoped_registry(ws):
    d = ws
    d.post("registered-models/create", {"name": "rm"}, headers=A, expect_status=200)
    d.post("registered-models/create", {"name": "rm"}, expect_status=200)
    d.post("registered-models/create", {"name": "only-a"}, headers=A, expect_status=200)
    d.post("registered-models/create", {"name": "only-a"}, headers=A, expect_status=400)
    d.get("registered-models/get", {"name": "only-a"}, headers=A, expect_status=200)
    d.get("registered-models/get", {"name": "only-a"}, expect_status=404)
    d.get("registered-models/search", headers=A, expect_status=200)
    d.get("registered-models/search", headers=B, expect_status=200)
    d.post("experiments/create", {"name": "for-models"}, headers=A, save={"em": "experiment_id"}, expect_status=200)
    d.post("runs/create", {"experiment_id": "${em}", "start_time": 1}, headers=A, save={"rm": "run.info.run_id"},
           unnamed_run=True, expect_status=200)
    d.post("model-versions/create", {"name": "only-a", "source": "runs:/${rm}/model", "run_id": "${rm}"},
           headers=A, expect_status=200)
    d.get("model-versions/get", {"name": "only-a", "version": "1"}, headers=A, expect_status=200)
    d.get("model-versions/get", {"name": "only-a", "version": "1"}, expect_status=404)
    d.get("model-versions/search", headers=A, expect_status=200)
    d.get("model-versions/search", expect_status=200)
    d.call("DELETE", "registered-models/delete", {"name": "only-a"}, headers=B, expect_status=404)
    d.assert_equal()


def test_workspace_artifacts(ws):
    d = ws
    P = "/api/2.0/mlflow-artifacts/artifacts"
    d.call("PUT", f"{P}/dir/a.txt", raw_body="a", headers=A, body_mode="status", expect_status=200)
    d.call("PUT", f"{P}/workspaces/team-a/dir/b.txt", raw_body="b", headers=A, body_mode="status", expect_status=200)
    d.call("PUT", f"{P}/workspaces/team-b/dir/c.txt", raw_body="c", headers=A, expect_status=400)
    d.call("PUT", f"{P}/workspaces/team-b/c.txt", raw_body="c", expect_status=400)
    d.call("PUT", f"{P}/workspaces", raw_body="c", headers=A, expect_status=400)
    d.call("PUT", f"{P}/legacy.txt", raw_body="l", body_mode="status", expect_status=200)
    d.call("GET", P, params={"path": "dir"}, headers=A, expect_status=200)
    d.call("GET", P, params={"path": "workspaces/team-a/dir"}, headers=A, expect_status=200)
    d.call("GET", P, params={"path": "workspaces/team-a/dir"}, headers=B, expect_status=400)
    d.call("GET", f"{P}/dir/a.txt", headers=A, body_mode="text", expect_status=200)
    d.call("GET", P, headers=A, expect_status=200)
    d.call("GET", P, expect_status=200)
    d.assert_equal()


def test_delete_modes(ws):
    d = ws
    d.call("POST", WS, {"name": "team-d"}, expect_status=201)
    d.post("experiments/create", {"name": "shared"}, headers={"X-MLFLOW-WORKSPACE": "team-d"}, expect_status=200)
    d.call("DELETE", f"{WS}/team-d")  # RESTRICT: refused (INVALID_STATE)
    d.call("DELETE", f"{WS}/team-d?mode=SET_DEFAULT")  # "shared" exists in default
    d.call("DELETE", f"{WS}/team-a?mode=SET_DEFAULT")
    # made before the CASCADE below: the reference's SQLite reuses a deleted top experiment id, tracklite never does
    d.call("POST", WS, {"name": "team-e"}, expect_status=201)
    d.post("experiments/create", {"name": "moved"}, headers={"X-MLFLOW-WORKSPACE": "team-e"}, expect_status=200)
    d.call("DELETE", f"{WS}/team-d?mode=CASCADE", body_mode="status", expect_status=204)
    d.call("GET", f"{WS}/team-d", expect_status=404)
    d.get("experiments/get-by-name", {"experiment_name": "shared"}, headers={"X-MLFLOW-WORKSPACE": "team-d"},
          expect_status=404)
    d.call("DELETE", f"{WS}/team-e?mode=SET_DEFAULT", body_mode="status", expect_status=204)
    d.get("experiments/get-by-name", {"experiment_name": "moved"}, expect_status=200)
    d.assert_equal()
