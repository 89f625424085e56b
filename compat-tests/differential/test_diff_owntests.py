"""Differential: tracking/registry differences MLflow's own tests found (owntests), raw REST vs the reference."""

import json
import os

import pytest
from support.diff import Differ, ServerState
from support.servers import start_servers, stop_servers

REGEX_ENV = {"MLFLOW_CREATE_MODEL_VERSION_SOURCE_VALIDATION_REGEX": r"^mlflow-artifacts:/.*$"}


def _exp(d, name):
    d.post("experiments/create", {"name": name}, save={"eid": "experiment_id"}, expect_status=200)


def _run(d, var, run_name="r"):
    d.post("runs/create", {"experiment_id": "${eid}", "run_name": run_name, "start_time": 1_700_000_000_000},
           save={var: "run.info.run_id"}, expect_status=200)


def test_bulk_interval_samples_as_the_reference(differ):
    d = differ
    _exp(d, "owntests-sampling")
    _run(d, "r1", "ten")
    _run(d, "r2", "twenty")
    d.post("runs/log-batch", {"run_id": "${r1}", "metrics": [
        {"key": "m", "value": s * 1.5, "timestamp": 1, "step": s} for s in range(10)]}, expect_status=200)
    d.post("runs/log-batch", {"run_id": "${r2}", "metrics": [
        {"key": "m", "value": float(s % 7), "timestamp": 1, "step": s} for s in range(20)]}, expect_status=200)
    path = "/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval"
    for max_results in ("1", "2", "3", "5", "7", "10"):
        d.get(path, [("run_ids", "${r1}"), ("metric_key", "m"), ("max_results", max_results)], expect_status=200)
    d.get(path, [("run_ids", "${r1}"), ("run_ids", "${r2}"), ("metric_key", "m"), ("max_results", "5")])
    d.get(path, [("run_ids", "${r2}"), ("run_ids", "${r1}"), ("metric_key", "m"), ("max_results", "4")])
    d.get(path, [("run_ids", "${r1}"), ("metric_key", "m"), ("start_step", "0"), ("end_step", "4"),
                 ("max_results", "4")])
    d.get(path, [("run_ids", "${r2}"), ("metric_key", "m"), ("start_step", "3"), ("end_step", "17"),
                 ("max_results", "6")])
    # several rows per step: rows, not steps, fill the buckets
    d.post("runs/log-batch", {"run_id": "${r1}", "metrics": [
        {"key": "m", "value": s * 1.5, "timestamp": 2, "step": s} for s in range(10)]}, expect_status=200)
    d.get(path, [("run_ids", "${r1}"), ("metric_key", "m"), ("max_results", "5")], expect_status=200)
    d.get("metrics/get-history-bulk-interval", [("run_ids", "${r1}"), ("metric_key", "m"), ("max_results", "9")])
    d.assert_equal()


def test_float_literals_are_echoed_as_python_prints_them(differ):
    d = differ
    d.call("POST", "experiments/create",
           raw_body='{"name": "owntests-float", "artifact_location": 9.0, "tags": [{"key": "k", "value": "v"}]}')
    d.call("POST", "experiments/create", raw_body='{"name": 1e3}')
    d.call("POST", "experiments/create", raw_body='{"name": 123}')
    d.assert_equal()


def test_relative_artifact_location_status(differ):
    # The absolute path is each server's own working directory (checked by the client test); both accept it.
    d = differ
    d.post("experiments/create", {"name": "owntests-rel", "artifact_location": "my_location"}, expect_status=200)
    d.post("experiments/create", {"name": "owntests-remote-file", "artifact_location": "file://other-host/x"},
           known="file-uri-remote-host")
    d.assert_equal()


def test_log_model_history_is_not_capped(differ):
    d = differ
    _exp(d, "owntests-log-model")
    _run(d, "lm")
    for i in range(6):
        model = {"artifact_path": f"model/path/{i}", "run_id": "${lm}",
                 "utc_time_created": "2026-12-06 10:00:00.000000",
                 "flavors": {"python_function": {"loader_module": "mlflow.pyfunc", "python_version": "3.11.7"}},
                 "model_uuid": f"{i:032d}", "mlflow_version": "3.17.2", "metadata": {"notes": "x" * 1450}}
        d.post("runs/log-model", {"run_id": "${lm}", "model_json": json.dumps(model)}, expect_status=200)
    d.assert_equal()


def test_file_source_on_another_host(differ):
    d = differ
    _exp(d, "owntests-mv-source")
    _run(d, "mv")
    d.post("registered-models/create", {"name": "owntests-remote-file"}, expect_status=200)
    responses = d.post("model-versions/create", {"name": "owntests-remote-file", "run_id": "${mv}",
                                                 "source": "file://123.456.789.123/path/to/source"},
                       known="file-uri-remote-host")
    assert responses[0].status == 500 and responses[1].status == 400
    assert responses[0].body["message"] == responses[1].body["message"]
    assert "is not a valid remote uri" in responses[1].body["message"]
    d.assert_equal()


@pytest.fixture(scope="module")
def regex_servers():
    candidate = os.environ.get("COMPAT_DIFF_AGAINST", "tracklite").strip() or "tracklite"
    servers = start_servers(["reference", candidate], extra_env=REGEX_ENV)
    try:
        a, b = servers
        yield servers, [ServerState("reference", a.url), ServerState(candidate, b.url)]
    finally:
        stop_servers(servers)


def test_source_validation_regex(regex_servers):
    (a, b), states = regex_servers
    d = Differ(a.url, b.url, states=states)
    _exp(d, "owntests-regex")
    _run(d, "rx")
    d.post("registered-models/create", {"name": "owntests-regex"}, expect_status=200)
    d.post("model-versions/create", {"name": "owntests-regex", "source": "s3://path/to/model"}, expect_status=400)
    d.post("model-versions/create", {"name": "owntests-regex", "source": "file:///tmp/x", "run_id": "${rx}"},
           expect_status=400)
    d.get("runs/get", {"run_id": "${rx}"}, save={"root": "run.info.artifact_uri"}, expect_status=200)
    d.post("model-versions/create", {"name": "owntests-regex", "source": "${root}/model", "run_id": "${rx}"},
           expect_status=200)
    d.assert_equal()
