"""Metrics, params and tags through the real mlflow client."""

import math

import mlflow
import pytest
import requests

from support.clientutil import SERVER_MAJOR, TARGET, raises_code, uniq


@pytest.fixture
def run_id(client):
    eid = client.create_experiment(uniq("log"))
    return client.create_run(eid).info.run_id


def _hist(client, rid, key):
    return [(m.step, m.timestamp, m.value) for m in client.get_metric_history(rid, key)]


def test_log_metric_with_steps_and_history(client):
    mlflow.set_experiment(uniq("fluent-metrics"))
    with mlflow.start_run() as run:
        for step in range(5):
            mlflow.log_metric("loss", 1.0 / (step + 1), step=step, timestamp=1_000 + step)
        mlflow.log_metric("acc", 0.5)  # default step 0, client timestamp
    c = mlflow.MlflowClient()
    rid = run.info.run_id
    assert _hist(c, rid, "loss") == [(s, 1_000 + s, 1.0 / (s + 1)) for s in range(5)]
    acc = c.get_metric_history(rid, "acc")
    assert [(m.key, m.step, m.value) for m in acc] == [("acc", 0, 0.5)]
    got = c.get_run(rid).data.metrics
    assert got == {"loss": 0.2, "acc": 0.5}
    assert c.get_metric_history(rid, "never-logged") == []


def test_metric_special_values(client, run_id):
    client.log_metric(run_id, "nan", float("nan"), timestamp=1, step=0)
    client.log_metric(run_id, "pinf", float("inf"), timestamp=1, step=0)
    client.log_metric(run_id, "ninf", float("-inf"), timestamp=1, step=0)
    client.log_metric(run_id, "big", 1.7976931348623157e308, timestamp=1, step=0)
    client.log_metric(run_id, "tiny", -5e-324, timestamp=1, step=0)
    client.log_metric(run_id, "int", 42, timestamp=1, step=0)
    m = client.get_run(run_id).data.metrics
    assert math.isnan(m["nan"])
    # the reference (SQL store) clamps +/-inf to +/-sys.float_info.max; tracklite keeps
    # infinities (KNOWN_DIFFERENCES.md: inf-clamp)
    assert m["pinf"] == INF_AS_STORED
    assert m["ninf"] == -INF_AS_STORED
    assert m["big"] == 1.7976931348623157e308
    assert m["tiny"] == -5e-324
    assert m["int"] == 42.0
    assert math.isnan(client.get_metric_history(run_id, "nan")[0].value)
    assert [x.value for x in client.get_metric_history(run_id, "pinf")] == [INF_AS_STORED]
    assert [x.value for x in client.get_metric_history(run_id, "ninf")] == [-INF_AS_STORED]


def test_log_metrics_params_tags_fluent(client):
    mlflow.set_experiment(uniq("fluent"))
    with mlflow.start_run() as run:
        mlflow.log_metrics({"a": 1.0, "b": 2.5}, step=3)
        mlflow.log_param("single", 7)
        mlflow.log_params({"lr": 0.01, "name": "x y", "flag": True, "none": None})
        mlflow.set_tag("t1", "v1")
        mlflow.set_tags({"t2": 2, "t3": "three"})
        mlflow.delete_tag("t1")
    got = client.get_run(run.info.run_id)
    assert got.data.metrics == {"a": 1.0, "b": 2.5}
    assert _hist(client, run.info.run_id, "a")[0][0] == 3
    assert got.data.params == {"single": "7", "lr": "0.01", "name": "x y", "flag": "True", "none": "None"}
    assert got.data.tags["t2"] == "2" and got.data.tags["t3"] == "three"
    assert "t1" not in got.data.tags


def test_log_params_over_100_chunked(client):
    mlflow.set_experiment(uniq("many-params"))
    params = {f"param_{i:03d}": f"value-{i}" for i in range(250)}
    with mlflow.start_run() as run:
        mlflow.log_params(params)
    assert client.get_run(run.info.run_id).data.params == params


def test_log_batch_via_client(client, run_id):
    from mlflow.entities import Metric, Param, RunTag

    metrics = [Metric("bm", float(i), 10 + i, i) for i in range(1500)]  # client splits into chunks
    client.log_batch(run_id, metrics=metrics, params=[Param("bp", "1")], tags=[RunTag("bt", "x")])
    hist = client.get_metric_history(run_id, "bm")
    assert len(hist) == 1500
    assert sorted((m.step, m.value) for m in hist) == [(i, float(i)) for i in range(1500)]
    got = client.get_run(run_id).data
    assert got.metrics["bm"] == 1499.0
    assert got.params == {"bp": "1"} and got.tags["bt"] == "x"


def test_latest_metric_value_rule(client, run_id):
    # a lower step logged later does not replace the higher step's value
    client.log_metric(run_id, "m", 5.0, timestamp=100, step=5)
    client.log_metric(run_id, "m", 3.0, timestamp=200, step=3)
    assert client.get_run(run_id).data.metrics["m"] == 5.0
    # same step, later timestamp wins
    client.log_metric(run_id, "m", 6.0, timestamp=300, step=5)
    assert client.get_run(run_id).data.metrics["m"] == 6.0
    # same step, earlier timestamp loses
    client.log_metric(run_id, "m", 7.0, timestamp=50, step=5)
    assert client.get_run(run_id).data.metrics["m"] == 6.0
    # same step and timestamp: the larger value wins
    client.log_metric(run_id, "m", 4.0, timestamp=300, step=5)
    assert client.get_run(run_id).data.metrics["m"] == 6.0
    client.log_metric(run_id, "m", 9.0, timestamp=300, step=5)
    assert client.get_run(run_id).data.metrics["m"] == 9.0
    # higher step wins even with an older timestamp
    client.log_metric(run_id, "m", 1.0, timestamp=1, step=10)
    assert client.get_run(run_id).data.metrics["m"] == 1.0
    # NaN is a value like any other
    client.log_metric(run_id, "m", float("nan"), timestamp=2, step=11)
    assert math.isnan(client.get_run(run_id).data.metrics["m"])
    assert len(client.get_metric_history(run_id, "m")) == 8


def test_metric_history_order_and_duplicates(client, run_id):
    # logged in timestamp order, steps not monotonic; an exact duplicate
    # (same step, timestamp and value) is stored once, a differing value is kept
    points = [(0, 10, 1.0), (2, 20, 2.0), (1, 30, 3.0), (1, 30, 3.0), (1, 30, 3.5), (0, 40, 4.0)]
    for step, ts, v in points:
        client.log_metric(run_id, "h", v, timestamp=ts, step=step)
    points.remove((1, 30, 3.0))
    assert _hist(client, run_id, "h") == points
    if SERVER_MAJOR >= 3:
        # 3.x orders the history by (timestamp, step, value)
        for step, ts, v in [(5, 5, 9.0), (4, 25, 8.0)]:
            client.log_metric(run_id, "h", v, timestamp=ts, step=step)
        assert _hist(client, run_id, "h") == sorted(points + [(5, 5, 9.0), (4, 25, 8.0)], key=lambda p: (p[1], p[0], p[2]))


def test_param_overwrite_rules(client, run_id):
    client.log_param(run_id, "p", "1")
    client.log_param(run_id, "p", "1")  # same value twice: OK
    e = raises_code("INVALID_PARAMETER_VALUE", client.log_param, run_id, "p", "2")
    assert (
        f"Changing param values is not allowed. Param with key='p' was already logged with value='1' "
        f"for run ID='{run_id}'. Attempted logging new value '2'."
    ) in e.message
    assert client.get_run(run_id).data.params == {"p": "1"}


def test_tags_overwrite_and_delete(client, run_id):
    client.set_tag(run_id, "t", "1")
    client.set_tag(run_id, "t", "2")  # tags may change
    assert client.get_run(run_id).data.tags["t"] == "2"
    client.delete_tag(run_id, "t")
    assert "t" not in client.get_run(run_id).data.tags
    raises_code("RESOURCE_DOES_NOT_EXIST", client.delete_tag, run_id, "t",
                match=f"No tag with name: t in run with id {run_id}")


INF_AS_STORED = math.inf if TARGET == "tracklite" else 1.7976931348623157e308

BAD_CHARS = "Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/)."


@pytest.mark.parametrize("key", ["bad!key", "tab\tkey", "semi;colon", "quote'key", "star*"])
def test_invalid_key_characters(client, run_id, key):
    raises_code("INVALID_PARAMETER_VALUE", client.log_param, run_id, key, "v", match=BAD_CHARS)
    raises_code("INVALID_PARAMETER_VALUE", client.log_metric, run_id, key, 1.0, match=BAD_CHARS)
    raises_code("INVALID_PARAMETER_VALUE", client.set_tag, run_id, key, "v", match=BAD_CHARS)


def test_valid_unusual_keys(client, run_id):
    keys = ["with space", "a/b/c", "dash-dot.under_score", "colon:key", "ünïcode", "x" * 250]
    for k in keys:
        client.log_param(run_id, k, "v")
        client.log_metric(run_id, k, 1.0)
        client.set_tag(run_id, k, "v")
    got = client.get_run(run_id).data
    assert set(keys) <= set(got.params) and set(keys) <= set(got.metrics) and set(keys) <= set(got.tags)


@pytest.mark.parametrize("key", ["../up", "/abs", "a//b", "a/./b", "."])
def test_keys_that_resolve_to_other_paths(client, run_id, key):
    raises_code("INVALID_PARAMETER_VALUE", client.log_param, run_id, key, "v",
                match="Names may be treated as files in certain cases")


def test_key_length_limit(client, run_id):
    raises_code("INVALID_PARAMETER_VALUE", client.log_param, run_id, "k" * 251, "v",
                match="'Param key' exceeds the maximum length of 250 characters")
    raises_code("INVALID_PARAMETER_VALUE", client.log_metric, run_id, "k" * 251, 1.0,
                match="'Metric name' exceeds the maximum length of 250 characters")
    raises_code("INVALID_PARAMETER_VALUE", client.set_tag, run_id, "k" * 251, "v")


def test_long_param_and_tag_values_are_truncated(client, run_id):
    # MLFLOW_TRUNCATE_LONG_VALUES defaults to true on the server: over-long
    # param (6000) and tag (8000) values are cut, not rejected.
    client.log_param(run_id, "long", "a" * 6001)
    client.log_param(run_id, "exact", "b" * 6000)
    client.set_tag(run_id, "longtag", "c" * 8001)
    client.set_tag(run_id, "exacttag", "d" * 8000)
    got = client.get_run(run_id).data
    assert got.params["long"] == "a" * 6000
    assert got.params["exact"] == "b" * 6000
    assert got.tags["longtag"] == "c" * 8000
    assert got.tags["exacttag"] == "d" * 8000


def test_log_batch_over_limits_raw_rest(client, run_id):
    url = mlflow.get_tracking_uri() + "/api/2.0/mlflow/runs/log-batch"
    metrics = [{"key": f"m{i}", "value": 1.0, "timestamp": 1, "step": 0} for i in range(1001)]
    r = requests.post(url, json={"run_id": run_id, "metrics": metrics}, timeout=30)
    assert r.status_code == 400
    assert r.json()["error_code"] == "INVALID_PARAMETER_VALUE"
    assert r.json()["message"] == (
        "A batch logging request can contain at most 1000 metrics. Got 1001 metrics. "
        "Please split up metrics across multiple requests and try again."
    )
    params = [{"key": f"p{i}", "value": "1"} for i in range(101)]
    r = requests.post(url, json={"run_id": run_id, "params": params}, timeout=30)
    assert (r.status_code, r.json()["error_code"]) == (400, "INVALID_PARAMETER_VALUE")
    assert "at most 100 params. Got 101 params." in r.json()["message"]
    r = requests.post(url, json={"run_id": run_id, "params": [{"key": "d", "value": "1"}, {"key": "d", "value": "1"}]}, timeout=30)
    assert (r.status_code, r.json()["error_code"]) == (400, "INVALID_PARAMETER_VALUE")
    assert "Duplicate parameter keys have been submitted: ['d']" in r.json()["message"]
    # nothing of the rejected batches was written
    got = client.get_run(run_id).data
    assert got.metrics == {} and got.params == {}
    # metrics + params + tags together are limited to 1000 entities
    r = requests.post(url, json={"run_id": run_id, "metrics": metrics[:1000], "params": params[:1]}, timeout=30)
    assert (r.status_code, r.json()["error_code"]) == (400, "INVALID_PARAMETER_VALUE")
    assert r.json()["message"] == (
        "A batch logging request can contain at most 1000 metrics, params, and tags. Got 1001 metrics, "
        "params, and tags. Please split up metrics, params, and tags across multiple requests and try again."
    )
    # exactly at the limits is fine
    tags = [{"key": f"t{i}", "value": "x"} for i in range(100)]
    r = requests.post(url, json={"run_id": run_id, "metrics": metrics[:800], "params": params[:100], "tags": tags}, timeout=30)
    assert r.status_code == 200, r.text
    assert r.json() == {}
    got = client.get_run(run_id).data
    assert (len(got.metrics), len(got.params), len(got.tags)) == (800, 100, 101)  # + mlflow.runName
