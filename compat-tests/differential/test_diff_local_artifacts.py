"""Differential: artifacts kept in local folders (an experiment's `artifact_location`, or every experiment of a
`--no-serve-artifacts` server), read by the server for the UI and the REST API; the presigned-URL routes' refusals
for locations they cannot sign; the proxy's answers with `--no-serve-artifacts`.

Each server runs in its own temporary folder, so a relative location lands there on both; the absolute `root_uri`
differs by that folder and is left out of the comparison (its tail is compared).
"""

from __future__ import annotations

import pytest

from support.diff import Differ
from support.servers import start_servers, stop_servers

UPLOAD = "/ajax-api/2.0/mlflow/upload-artifact"
FILES = {"MLmodel": "flavors: {}\n", "conda.yaml": "name: x\n", "metrics.json": "{}", "sub/notes.txt": "hi",
         "plot.png": "png", "data.parquet": "PAR1", "model.tar.gz": "gz"}


@pytest.fixture(scope="module")
def no_serve_pair():
    servers = start_servers(["reference", "tracklite"], extra_args=["--no-serve-artifacts"])
    try:
        yield servers
    finally:
        stop_servers(servers)


@pytest.fixture(scope="module")
def serve_pair():
    servers = start_servers(["reference", "tracklite"])
    try:
        yield servers
    finally:
        stop_servers(servers)


def _differ(pair) -> Differ:
    a, b = pair
    return Differ(a.url, b.url)


def _same_content_types(responses, label):
    ref, cand = responses
    assert ref.content_type.split(";")[0] == cand.content_type.split(";")[0], (label, ref.content_type,
                                                                                cand.content_type)


def _local_run(d: Differ, name: str, location: str | None):
    body = {"name": name, **({"artifact_location": location} if location else {})}
    d.post("experiments/create", body, save={"eid": "experiment_id"}, expect_status=200)
    d.post("runs/create", {"experiment_id": "${eid}", "start_time": 1_700_000_000_000},
           save={"rid": "run.info.run_id", "uri": "run.info.artifact_uri"}, unnamed_run=True, expect_status=200,
           ignore=("run.info.artifact_uri",))


def _round_trip(d: Differ):
    """Upload through the UI's route, then list and download, comparing bodies and content types."""
    for path, content in FILES.items():
        d.call("POST", UPLOAD, params={"run_uuid": "${rid}", "path": path}, raw_body=content, body_mode="text",
               expect_status=200)
    d.get("artifacts/list", {"run_id": "${rid}"}, ignore=("root_uri",), expect_status=200)
    d.get("artifacts/list", {"run_id": "${rid}", "path": "sub"}, ignore=("root_uri",))
    d.get("artifacts/list", {"run_id": "${rid}", "path": "nothing"}, ignore=("root_uri",))
    for path in FILES:
        responses = d.call("GET", "/get-artifact", params={"run_id": "${rid}", "path": path}, body_mode="text",
                           expect_status=200)
        _same_content_types(responses, path)
    d.call("GET", "/get-artifact", params={"run_uuid": "${rid}", "path": "missing"}, expect_status=404)
    d.call("GET", "/get-artifact", params={"run_id": "${rid}", "path": "sub"}, expect_status=400)
    d.call("GET", "/get-artifact", params={"run_id": "${rid}", "path": "../x"}, expect_status=400)
    d.get("artifacts/list", {"run_id": "${rid}", "path": "../.."}, expect_status=400)
    # The UI upload's checks, in the reference's order.
    d.call("POST", UPLOAD, params={"run_id": "${rid}", "path": "x"}, raw_body="x", expect_status=400)
    d.call("POST", UPLOAD, params={"run_uuid": "${rid}"}, raw_body="x", expect_status=400)
    d.call("POST", UPLOAD, params={"run_uuid": "${rid}", "path": "x"}, expect_status=400)
    d.call("POST", UPLOAD, params={"run_uuid": "${rid}", "path": "/etc/passwd"}, raw_body="x", expect_status=400)
    d.call("POST", UPLOAD, params={"run_uuid": "0" * 32, "path": "x"}, raw_body="x", expect_status=404)
    # A local location cannot be presigned.
    d.post("artifacts/presigned-upload-url", {"run_id": "${rid}", "path": "x"}, expect_status=501)
    d.post("artifacts/presigned-download-url", {"run_id": "${rid}", "path": "MLmodel"}, expect_status=501)


def test_experiment_with_a_local_location(serve_pair):
    d = _differ(serve_pair)
    _local_run(d, "local-location", "local-root")
    d.get("experiments/get", {"experiment_id": "${eid}"}, ignore=("experiment.artifact_location",))
    _round_trip(d)
    d.assert_equal()
    for srv in d.servers:
        assert srv.variables["uri"].endswith("/local-root/" + srv.variables["rid"] + "/artifacts")
        assert srv.variables["uri"].startswith("/")


def test_file_uri_location(serve_pair, tmp_path):
    d = _differ(serve_pair)
    for i, srv in enumerate(d.servers):
        srv.variables["loc"] = f"file://{tmp_path}/side-{i}"
    _local_run(d, "file-uri-location", "${loc}")
    _round_trip(d)
    d.assert_equal()


def test_presigned_refusals_for_proxied_runs(serve_pair):
    d = _differ(serve_pair)
    _local_run(d, "proxied-presign", None)
    d.post("artifacts/presigned-upload-url", {}, expect_status=400)
    d.post("artifacts/presigned-upload-url", {"run_id": "${rid}", "model_id": "m", "path": "x"}, expect_status=400)
    d.post("artifacts/presigned-upload-url", {"run_id": "${rid}", "path": "x"}, expect_status=400)
    d.post("artifacts/presigned-upload-url", {"run_id": "${rid}", "path": "x", "expiration": "soon"},
           expect_status=400)
    d.post("artifacts/presigned-upload-url", {"model_id": "m-nope", "path": "x"}, expect_status=404)
    d.post("artifacts/presigned-download-url", {"path": "x"}, expect_status=400)
    d.post("artifacts/presigned-download-url", {"run_id": "${rid}", "path": "x"}, expect_status=400)
    d.post("artifacts/presigned-download-url", {"run_id": "${rid}", "path": "x", "expiration": 0}, expect_status=400)
    d.post("artifacts/presigned-download-url", {"run_id": "${rid}", "path": "x", "expiration": 604801},
           expect_status=400)
    d.post("artifacts/presigned-download-url", {"run_id": "0" * 32, "path": "x"}, expect_status=404)
    d.call("POST", "/ajax-api/2.0/mlflow/artifacts/presigned-download-url", {"run_id": "${rid}", "path": "x"},
           expect_status=400)
    # The proxy's presigned download: a local destination cannot sign (S3 can; see the vitest suite).
    d.call("GET", "/api/2.0/mlflow-artifacts/presigned/${eid}/${rid}/artifacts/x",
           expect_status=501)
    d.assert_equal()


def test_no_serve_artifacts(no_serve_pair):
    d = _differ(no_serve_pair)
    _local_run(d, "no-serve-default", None)
    _round_trip(d)
    # The proxy is off: its routes answer 503 with the reference's words.
    d.call("GET", "/api/2.0/mlflow-artifacts/artifacts", body_mode="text", expect_status=503)
    d.call("GET", "/ajax-api/2.0/mlflow-artifacts/presigned/0/x", body_mode="text", expect_status=503)
    d.call("POST", "/api/2.0/mlflow-artifacts/mpu/create/0/x", {"path": "x"}, body_mode="text", expect_status=503)
    d.call("GET", "/api/2.0/mlflow-artifacts/artifacts/0/x", expect_status=503)
    d.call("PUT", "/api/2.0/mlflow-artifacts/artifacts/0/x", raw_body="x", expect_status=503)
    d.call("GET", "/api/3.0/mlflow/server-info", expect_status=200, ignore=("features_enabled.gateway",))
    d.assert_equal()
    for srv in d.servers:
        assert "/mlruns/" in srv.variables["uri"]
