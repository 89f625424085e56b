"""Differential: metric history endpoints, dataset inputs, odd requests, /health, /version."""

import pytest


def _exp_run(d, name):
    d.post("experiments/create", {"name": name}, save={"eid": "experiment_id"}, expect_status=200)
    d.post("runs/create", {"experiment_id": "${eid}", "run_name": "h1", "start_time": 1_700_000_000_000},
           save={"rid": "run.info.run_id"}, expect_status=200)
    d.post("runs/create", {"experiment_id": "${eid}", "run_name": "h2", "start_time": 1_700_000_001_000},
           save={"rid2": "run.info.run_id"}, expect_status=200)


def test_metric_history(differ):
    d = differ
    _exp_run(d, "diff-history")
    metrics = [{"key": "loss", "value": 1.0 / (s + 1), "timestamp": 1000 + s, "step": s} for s in range(0, 40, 2)]
    metrics += [{"key": "loss", "value": 9.0, "timestamp": 10, "step": 7}, {"key": "acc", "value": "NaN", "timestamp": 5, "step": 1}]
    d.post("runs/log-batch", {"run_id": "${rid}", "metrics": metrics}, expect_status=200)
    d.post("runs/log-batch", {"run_id": "${rid2}", "metrics": [
        {"key": "loss", "value": float(s), "timestamp": 2000 + s, "step": s} for s in range(5)]}, expect_status=200)
    d.get("metrics/get-history", {"run_id": "${rid}", "metric_key": "loss"}, expect_status=200)
    d.get("metrics/get-history", {"run_uuid": "${rid}", "metric_key": "acc"})
    d.get("metrics/get-history", {"run_id": "${rid}", "metric_key": "loss", "max_results": "5"},
          save={"tok": "next_page_token"})
    if "tok" in d.servers[0].variables:  # 3.x pages the history, 2.x ignores max_results
        d.get("metrics/get-history", {"run_id": "${rid}", "metric_key": "loss", "max_results": "5", "page_token": "${tok}"})
    d.get("metrics/get-history", {"run_id": "${rid}", "metric_key": "nope"})
    d.get("metrics/get-history", {"run_id": "0123456789abcdef0123456789abcdef", "metric_key": "loss"})
    d.get("metrics/get-history", {"run_id": "${rid}"})
    d.get("metrics/get-history", {"metric_key": "loss"})
    d.post("metrics/get-history", {"run_id": "${rid}", "metric_key": "loss"})
    # ajax bulk (repeated run_id keys)
    d.get("/ajax-api/2.0/mlflow/metrics/get-history-bulk",
          [("run_id", "${rid}"), ("run_id", "${rid2}"), ("metric_key", "loss")], expect_status=200,
          sorted_by_run_id="metrics")  # the reference iterates sorted(run_ids): random order
    # max_results limits the whole answer, whose run order is the (random) run id order: one run only
    d.get("/ajax-api/2.0/mlflow/metrics/get-history-bulk",
          [("run_id", "${rid}"), ("metric_key", "loss"), ("max_results", "3")])
    d.get("/ajax-api/2.0/mlflow/metrics/get-history-bulk", [("metric_key", "loss")])
    d.get("/ajax-api/2.0/mlflow/metrics/get-history-bulk", [("run_id", "${rid}")])
    # bulk interval (sampled by step)
    for path in ("/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval", "metrics/get-history-bulk-interval"):
        d.get(path, [("run_ids", "${rid}"), ("run_ids", "${rid2}"), ("metric_key", "loss")])
        # more points than max_results: the reference's NTILE sample, exactly
        d.get(path, [("run_ids", "${rid}"), ("metric_key", "loss"), ("max_results", "5")])
        d.get(path, [("run_ids", "${rid}"), ("metric_key", "loss"), ("start_step", "4"), ("end_step", "20"),
                     ("max_results", "4")])
        d.get(path, [("run_ids", "${rid}"), ("run_ids", "${rid2}"), ("metric_key", "loss"), ("max_results", "3")])
        d.get(path, [("run_ids", "${rid2}"), ("run_ids", "${rid}"), ("metric_key", "loss"), ("max_results", "1")])
        d.get(path, [("run_ids", "${rid}"), ("metric_key", "loss"), ("start_step", "10")])
        d.get(path, [("run_ids", "${rid}"), ("metric_key", "loss"), ("start_step", "20"), ("end_step", "4")])
        d.get(path, [("run_ids", "${rid}"), ("metric_key", "loss"), ("max_results", "0")])
        d.get(path, [("run_ids", "${rid}"), ("metric_key", "loss"), ("max_results", "2501")])
        d.get(path, [("run_ids", "${rid}"), ("metric_key", "loss"), ("start_step", "abc")])
        d.get(path, [("metric_key", "loss")])
        d.get(path, [("run_ids", "${rid}")])
    d.assert_equal()


def test_log_inputs(differ):
    d = differ
    _exp_run(d, "diff-inputs")
    ds = {"name": "iris", "digest": "abc123", "source_type": "http", "source": '{"url": "https://example.invalid/iris.csv"}',
          "schema": '{"mlflow_colspec": [{"type": "double", "name": "x"}]}', "profile": '{"num_rows": 3}'}
    d.post("runs/log-inputs", {"run_id": "${rid}", "datasets": [
        {"dataset": ds, "tags": [{"key": "mlflow.data.context", "value": "training"}]}]}, expect_status=200)
    d.post("runs/log-inputs", {"run_id": "${rid}", "datasets": [
        {"dataset": ds, "tags": [{"key": "mlflow.data.context", "value": "training"}]}]})  # same again
    d.post("runs/log-inputs", {"run_id": "${rid}", "datasets": [
        {"dataset": dict(ds, name="eval", digest="def456"), "tags": [{"key": "mlflow.data.context", "value": "eval"}]}]})
    d.post("runs/log-inputs", {"run_id": "${rid2}", "datasets": [{"dataset": ds}]})
    d.post("runs/log-inputs", {"run_id": "${rid}", "datasets": []})
    d.post("runs/log-inputs", {"run_id": "${rid}"})
    d.post("runs/log-inputs", {"run_id": "${rid}", "datasets": [{"dataset": {"name": "no-digest"}}]})
    d.post("runs/log-inputs", {"run_id": "0123456789abcdef0123456789abcdef", "datasets": [{"dataset": ds}]})
    d.get("runs/get", {"run_id": "${rid}"})
    d.get("runs/get", {"run_id": "${rid2}"})
    d.post("runs/search", {"experiment_ids": ["${eid}"], "filter": "datasets.name = 'iris'", "max_results": 10})
    d.post("runs/search", {"experiment_ids": ["${eid}"], "filter": "datasets.context = 'eval'", "max_results": 10})
    d.post("runs/search", {"experiment_ids": ["${eid}"], "filter": "datasets.digest IN ('abc123', 'zzz')", "max_results": 10})
    d.assert_equal()


def test_odd_requests(differ):
    d = differ
    _exp_run(d, "diff-odd")
    # int64 fields as strings, unknown fields, wrong types, wrong methods, bad JSON
    d.post("runs/log-metric", {"run_id": "${rid}", "key": "m", "value": "1.5", "timestamp": "123", "step": "4"})
    d.post("runs/log-metric", {"run_id": "${rid}", "key": "m", "value": 1, "timestamp": 1, "unknown_field": 1})
    d.post("runs/log-metric", {"run_id": "${rid}", "key": "m", "value": 1, "timestamp": 1.5})
    d.post("runs/log-metric", {"run_id": "${rid}", "key": "m", "value": True, "timestamp": 1})
    d.post("runs/log-metric", {"run_id": 123, "key": "m", "value": 1, "timestamp": 1})
    d.post("runs/log-metric", raw_body="{not json")
    d.post("runs/log-metric", raw_body="")
    d.post("runs/log-metric", raw_body="[]")
    d.get("runs/get", [("run_id", "${rid}"), ("run_id", "${rid2}")])
    d.get("experiments/get", {"experiment_id": "${eid}", "extra": "1"})
    d.call("GET", "runs/create", body_mode="status")
    d.call("DELETE", "runs/delete", {"run_id": "${rid2}"}, body_mode="status")
    # the reference stored a value-0/timestamp-0 point for the fractional-timestamp request above
    d.get("metrics/get-history", {"run_id": "${rid}", "metric_key": "m"}, known="garbage-in")
    d.assert_equal()


@pytest.mark.parametrize("path", [
    "/api/2.0/mlflow/no-such-endpoint", "/api/2.0/mlflow/runs/nope", "/api/2.0/mlflow/experiments",
    "/api/2.1/mlflow/runs/get", "/ajax-api/2.0/mlflow/nope",
])
def test_unknown_endpoints(differ, path):
    d = differ
    d.call("GET", path, body_mode="status", expect_status=404)
    d.call("POST", path, {}, body_mode="status", expect_status=404)
    d.assert_equal()


def test_health_and_version(differ):
    d = differ
    d.call("GET", "/health", body_mode="text", expect_status=200)
    r = d.call("GET", "/version", body_mode="status", expect_status=200)
    import mlflow

    # the reference reports its version; the candidate must answer a version string too
    assert r[0].raw.strip() == mlflow.__version__
    assert r[1].raw.strip() and len(r[1].raw) < 100 and "\n" not in r[1].raw.strip()
    d.assert_equal()
