"""Differential: MLflow 3 logged models (create, get, finalize, delete, tags, params, search) and the metrics runs
log to them."""

import time

M = "logged-models/${mid}"


def _pause():
    # the default order ties on creation time break on the (random) model id: keep creation times apart
    time.sleep(0.01)


def test_logged_models_lifecycle(differ):
    d = differ
    d.post("experiments/create", {"name": "diff-lm-life"}, save={"eid": "experiment_id"}, expect_status=200)
    d.post("runs/create", {"experiment_id": "${eid}", "run_name": "src", "start_time": 1_700_000_000_000},
           save={"rid": "run.info.run_id"}, expect_status=200)
    d.post("logged-models", {"experiment_id": "${eid}", "name": "clf", "model_type": "sklearn",
                             "source_run_id": "${rid}",
                             "params": [{"key": "b", "value": "2"}, {"key": "a", "value": "1"}, {"key": "nov"}],
                             "tags": [{"key": "z", "value": "1"}, {"key": "y", "value": "2"}]},
           save={"mid": "model.info.model_id"}, expect_status=200)
    d.get(M, expect_status=200)
    d.post("logged-models", {"experiment_id": "${eid}"}, unnamed_run=True, save={"anon": "model.info.model_id"},
           expect_status=200)
    d.post("logged-models", {"experiment_id": "${eid}", "name": ""}, unnamed_run=True)
    d.get("logged-models/${anon}")
    # create errors
    d.post("logged-models", {}, expect_status=400)
    d.post("logged-models", {"experiment_id": ""})
    d.post("logged-models", {"experiment_id": "987654"}, expect_status=404)
    d.post("logged-models", {"experiment_id": "abc"})
    for name in ["a/b", "a:b", "a.b", "a%b", 'a"b', "a'b"]:
        d.post("logged-models", {"experiment_id": "${eid}", "name": name}, expect_status=400)
    d.post("logged-models", {"experiment_id": "${eid}", "name": 5})
    d.post("logged-models", {"experiment_id": "${eid}", "params": "x"})
    d.post("logged-models", {"params": "x"})
    d.post("logged-models", {"experiment_id": "${eid}", "tags": {"k": "v"}})
    d.post("logged-models", {"experiment_id": "${eid}", "params": [{"key": "k", "value": "1"}, {"key": "k", "value": "2"}]},
           expect_status=400)
    d.post("logged-models", {"experiment_id": "${eid}", "tags": [{"key": "k", "value": "1"}, {"key": "k", "value": "1"}]},
           expect_status=400)
    # finalize: the body's model_id is required and is the model finalized
    d.call("PATCH", M, {"status": "LOGGED_MODEL_READY"}, expect_status=400)
    d.call("PATCH", M, {"model_id": "${mid}"}, expect_status=400)
    d.call("PATCH", M, {"model_id": "${mid}", "status": "LOGGED_MODEL_READY"}, expect_status=200)
    d.call("PATCH", M, {"model_id": "${mid}", "status": 3})
    d.call("PATCH", M, {"model_id": "${mid}", "status": "2"})
    d.call("PATCH", M, {"model_id": "${mid}", "status": "BOGUS"})
    d.call("PATCH", M, {"model_id": "${mid}", "status": 0})
    d.call("PATCH", M, {"model_id": "${mid}", "status": "LOGGED_MODEL_UPLOAD_FAILED"})
    d.call("PATCH", M, {"model_id": 5, "status": 2})
    d.call("PATCH", "logged-models/m-0123456789abcdef0123456789abcdef",
           {"model_id": "m-0123456789abcdef0123456789abcdef", "status": 2}, expect_status=404)
    d.get("logged-models/m-0123456789abcdef0123456789abcdef", expect_status=404)
    d.get("logged-models/not-a-model-id")
    # tags: upsert (a key given twice keeps its last value), delete
    d.call("PATCH", M + "/tags", {"tags": [{"key": "t1", "value": "v1"}, {"key": "t1", "value": "v2"},
                                           {"key": "novalue"}, {"key": "a b", "value": "x"},
                                           {"key": "y", "value": "overwritten"}]}, expect_status=200)
    d.call("PATCH", M + "/tags", {})
    d.call("PATCH", M + "/tags", {"tags": "x"}, expect_status=400)
    d.call("PATCH", "logged-models/m-0123456789abcdef0123456789abcdef/tags", {"tags": [{"key": "a", "value": "b"}]},
           expect_status=404)
    d.get(M)
    d.call("DELETE", M + "/tags/t1", expect_status=200)
    d.call("DELETE", M + "/tags/t1", expect_status=404)
    d.call("DELETE", M + "/tags/a%20b", expect_status=200)
    d.call("DELETE", "logged-models/m-0123456789abcdef0123456789abcdef/tags/t1", expect_status=404)
    # params: added once, never changed (not even to the same value)
    d.post(M + "/params", {"model_id": "${mid}", "params": [{"key": "c", "value": "3"}, {"key": "d"}]},
           expect_status=200)
    d.post(M + "/params", {"params": [{"key": "e", "value": "3"}]}, expect_status=400)
    d.post(M + "/params", {"model_id": "${mid}", "params": [{"key": "c", "value": "4"}]}, expect_status=400)
    d.post(M + "/params", {"model_id": "${mid}", "params": [{"key": "c", "value": "3"}]}, expect_status=400)
    d.post(M + "/params", {"model_id": "${mid}", "params": [{"key": "f", "value": "1"}, {"key": "f", "value": "1"}]},
           expect_status=400)
    d.post(M + "/params", {"model_id": "${mid}"}, expect_status=200)
    d.post(M + "/params", {"model_id": "${mid}", "params": "x"})
    d.post("logged-models/m-0123456789abcdef0123456789abcdef/params",
           {"model_id": "m-0123456789abcdef0123456789abcdef", "params": [{"key": "c", "value": "3"}]},
           expect_status=404)
    d.get(M)
    # delete: get hides the model (unless allow_deleted), the rest still work on it
    d.call("DELETE", M, expect_status=200)
    d.get(M, expect_status=404)
    d.get(M, {"allow_deleted": "true"}, expect_status=200)
    d.get(M, {"allow_deleted": "TRUE"})
    d.get(M, {"allow_deleted": "yes"})
    d.call("DELETE", M, expect_status=200)
    d.call("PATCH", M, {"model_id": "${mid}", "status": 2}, expect_status=200)
    d.call("PATCH", M + "/tags", {"tags": [{"key": "after", "value": "delete"}]}, expect_status=200)
    d.get(M, {"allow_deleted": "true"})
    d.call("DELETE", "logged-models/m-0123456789abcdef0123456789abcdef", expect_status=404)
    # routing: GET .../search is a get of model "search"; other methods are 405
    d.get("logged-models/search", expect_status=404)
    d.call("PUT", "logged-models/search", {}, expect_status=405)
    d.post(M, {}, expect_status=405)
    d.get("logged-models", expect_status=405)
    d.post(M + "/tags", {}, expect_status=405)
    # a deleted experiment takes no new models, but its models stay readable
    d.post("experiments/delete", {"experiment_id": "${eid}"}, expect_status=200)
    d.post("logged-models", {"experiment_id": "${eid}", "name": "late"}, expect_status=400)
    d.get("logged-models/${anon}", expect_status=200)
    d.assert_equal()


def test_logged_model_metrics(differ):
    d = differ
    d.post("experiments/create", {"name": "diff-lm-metrics"}, save={"eid": "experiment_id"}, expect_status=200)
    d.post("runs/create", {"experiment_id": "${eid}", "run_name": "r1", "start_time": 1_700_000_000_000},
           save={"rid": "run.info.run_id"}, expect_status=200)
    d.post("runs/create", {"experiment_id": "${eid}", "run_name": "r2", "start_time": 1_700_000_001_000},
           save={"rid2": "run.info.run_id"}, expect_status=200)
    d.post("logged-models", {"experiment_id": "${eid}", "name": "m1", "source_run_id": "${rid}"},
           save={"mid": "model.info.model_id"}, expect_status=200)
    log = {"run_id": "${rid}", "model_id": "${mid}"}
    d.post("runs/log-metric", {**log, "key": "acc", "value": 0.5, "timestamp": 10, "step": 1}, expect_status=200)
    d.post("runs/log-metric", {**log, "key": "acc", "value": 0.7, "timestamp": 5, "step": 2,
                               "dataset_name": "ds", "dataset_digest": "dg"}, expect_status=200)
    # the same point again is kept once; another value for it is refused (and nothing of the request is stored)
    d.post("runs/log-metric", {**log, "key": "acc", "value": 0.7, "timestamp": 5, "step": 2,
                               "dataset_name": "ds", "dataset_digest": "dg"}, expect_status=200)
    d.post("runs/log-metric", {**log, "key": "acc", "value": 0.6, "timestamp": 10, "step": 1}, expect_status=400)
    d.post("runs/log-metric", {**log, "key": "loss", "value": "NaN", "timestamp": 5, "step": 2}, expect_status=200)
    d.post("runs/log-metric", {**log, "key": "big", "value": "Infinity", "timestamp": 5, "step": 2}, expect_status=200)
    d.post("runs/log-metric", {"run_id": "${rid}", "key": "x", "value": 1, "timestamp": 5,
                               "model_id": "m-0123456789abcdef0123456789abcdef"}, expect_status=400)
    d.post("runs/log-batch", {"run_id": "${rid}", "metrics": [
        {"key": "b1", "value": 1, "timestamp": 3, "step": 0, "model_id": "${mid}"},
        {"key": "b0", "value": 2, "timestamp": 3, "step": 0, "model_id": "${mid}"},
        {"key": "b0", "value": 2, "timestamp": 3, "step": 0, "model_id": "${mid}"},
        {"key": "plain", "value": 3, "timestamp": 3, "step": 0}]}, expect_status=200)
    d.post("runs/log-metric", {"run_id": "${rid2}", "key": "acc", "value": 0.9, "timestamp": 10, "step": 1,
                               "model_id": "${mid}"}, expect_status=200)
    d.get("logged-models/${mid}", expect_status=200)
    d.get("runs/get", {"run_id": "${rid}"})
    d.get("metrics/get-history", {"run_id": "${rid}", "metric_key": "acc"})
    d.post("runs/outputs", {"run_id": "${rid}", "models": [{"model_id": "${mid}", "step": 3}]}, expect_status=200)
    d.post("runs/log-inputs", {"run_id": "${rid}", "models": [{"model_id": "${mid}"}]}, expect_status=200)
    d.get("runs/get", {"run_id": "${rid}"})
    d.post("logged-models/search", {"experiment_ids": ["${eid}"]}, expect_status=200)
    d.assert_equal()


def _search_fixture(d, name):
    d.post("experiments/create", {"name": name}, save={"eid": "experiment_id"}, expect_status=200)
    d.post("runs/create", {"experiment_id": "${eid}", "run_name": "r1", "start_time": 1_700_000_000_000},
           save={"rid": "run.info.run_id"}, expect_status=200)
    d.post("runs/create", {"experiment_id": "${eid}", "run_name": "r2", "start_time": 1_700_000_001_000},
           save={"rid2": "run.info.run_id"}, expect_status=200)
    models = [("alpha", "sk", "a"), ("beta", "torch", "a"), ("gamma", "sk", "b"), ("Delta", "", "b"), ("eps", "sk", "c")]
    for i, (name, model_type, team) in enumerate(models):
        _pause()
        d.post("logged-models", {"experiment_id": "${eid}", "name": name, "model_type": model_type,
                                 "source_run_id": "${rid}" if i % 2 == 0 else "",
                                 "params": [{"key": "lr", "value": str(i)}, {"key": "opt", "value": name.upper()}],
                                 "tags": [{"key": "team", "value": team}]},
               save={f"m{i}": "model.info.model_id"}, expect_status=200)
    metrics = [(0, 0.1, 100, None, None), (1, 0.2, 100, "ds", "d1"), (2, 0.3, 100, None, None),
               (3, 0.5, 100, "ds", "d2"), (0, 0.95, 50, None, None)]
    for i, value, ts, ds, digest in metrics:
        body = {"run_id": "${rid}", "key": "acc", "value": value, "timestamp": ts, "step": 0, "model_id": f"${{m{i}}}"}
        if ds:
            body.update(dataset_name=ds, dataset_digest=digest)
        d.post("runs/log-metric", body, expect_status=200)
    # an older point from another run (a tie on timestamp and step would be broken by the random run ids)
    d.post("runs/log-metric", {"run_id": "${rid2}", "key": "acc", "value": 0.05, "timestamp": 90, "step": 0,
                               "model_id": "${m2}"}, expect_status=200)
    d.post("runs/log-metric", {"run_id": "${rid}", "key": "loss", "value": "NaN", "timestamp": 1, "step": 0,
                               "model_id": "${m4}"}, expect_status=200)
    d.post("runs/log-metric", {"run_id": "${rid}", "key": "loss", "value": "Infinity", "timestamp": 1, "step": 0,
                               "model_id": "${m3}"}, expect_status=200)
    d.post("runs/log-metric", {"run_id": "${rid}", "key": "loss", "value": 0.25, "timestamp": 1, "step": 0,
                               "model_id": "${m1}"}, expect_status=200)
    d.call("PATCH", "logged-models/${m1}", {"model_id": "${m1}", "status": "LOGGED_MODEL_READY"}, expect_status=200)
    _pause()
    d.post("logged-models", {"experiment_id": "${eid}", "name": "deleted"}, save={"gone": "model.info.model_id"})
    d.call("DELETE", "logged-models/${gone}", expect_status=200)


FILTERS = [
    "name = 'alpha'", "name != 'alpha'", "name LIKE '%a'", "name like '%a'", "name LIKE 'a%'", "name ILIKE 'AL%'",
    "name IN ('alpha', 'beta')", "name NOT IN ('alpha', 'beta')", "name in ('alpha')", "name not in ('alpha')",
    "name = alpha", 'name = "alpha"', "name = '''alpha'''", "`name` = 'alpha'",
    "model_type = 'sk'", "model_type = ''", "model_type != 'sk'",
    "status = 'LOGGED_MODEL_READY'", "status = '2'", "status = 2", "status IN (1, 2)", "status != 1",
    "source_run_id = '${rid}'", "model_id = '${m0}'", "model_id IN ('${m0}', '${m2}')",
    "creation_timestamp > 0", "creation_time > 0", "creation_timestamp_ms > 0", "last_updated_timestamp > 0",
    "creation_timestamp < 1e99", "creation_timestamp >= inf", "creation_timestamp != nan",
    "lifecycle_stage = 'deleted'", "artifact_location LIKE '%models%'", "experiment_id = ${eid}",
    "experiment_id = '${eid}'",
    "metrics.acc > 0.15", "metrics.acc < 0.15", "metrics.acc = 0.1", "metrics.acc >= 0.95", "metrics.acc != 0.5",
    "metrics.`acc` > 0.4", "metrics.acc > 1_0", "metrics.acc > -1", "metrics.acc > .5",
    "metrics.loss = 0", "metrics.loss > 1e308", "metrics.loss = 1.7976931348623157e308", "metrics.loss < 1e999",
    "metrics.loss > -inf", "metrics.nope > 0",
    "params.lr = '1'", "params.lr != '1'", "params.lr LIKE '%'", "params.lr IN ('1', '2')", "params.lr NOT IN ('1')",
    "params.opt ILIKE 'al%'", "params.opt LIKE 'AL%'", "params.nope = '1'",
    "tags.team = 'a'", "tags.`team` = 'a'", 'tags.team = "a"', "tags.team = 'a' AND params.lr = '0'",
    "tags.team = 'b' and metrics.acc > 0.2", "tags.team LIKE '_'",
    # errors
    "last_updated_time > 0", "creation_timestamp > '5'", "creation_timestamp LIKE 5", "creation_timestamp = abc",
    "metrics.acc LIKE 'a'", "metrics.acc > 'a'", "metrics.acc > a", "metrics.acc IN (1, 2)", "metrics.acc <> 1",
    "tags.team > 'a'", "params.lr < '1'", "name == 'a'", "name <> 'a'", "name NOT LIKE 'a'",
    "foo = 'a'", "`creation_time` = 'a'", "metric.acc > 1", "param.lr = '1'", "Metrics.acc > 1", '"metrics".acc > 1',
    "tags.team IS NULL", "tags.team IS NOT NULL", "name = 'a' OR name = 'b'", "name = 'a'; name = 'b'", "name",
    "   ", "name = 'alpha' AND", "AND name = 'alpha'", "name = 'alpha';", "(name = 'alpha')", "name = 'a' name = 'b'",
    "foo = 'a' AND metric.x > 1", "foo = 'a' AND metrics.x > 'y'", "metrics.x > 'y' AND metric.x > 1",
    "name IN 'alpha'", "1 = 1", "name = 0x10",
]


def test_search_logged_models_filters(differ):
    d = differ
    _search_fixture(d, "diff-lm-filters")
    d.post("logged-models/search", {"experiment_ids": ["${eid}"]}, expect_status=200)
    for f in FILTERS:
        d.post("logged-models/search", {"experiment_ids": ["${eid}"], "filter": f}, label=f"filter {f}")
    # datasets: a dataset without digest matches metrics logged without one
    for datasets in ([{"dataset_name": "ds"}], [{"dataset_name": "ds", "dataset_digest": "d2"}],
                     [{"dataset_name": "ds", "dataset_digest": ""}],
                     [{"dataset_name": "nope"}, {"dataset_name": "ds", "dataset_digest": "d1"}],
                     [{"dataset_digest": "d1"}], [{"dataset_name": ""}], "x"):
        d.post("logged-models/search", {"experiment_ids": ["${eid}"], "datasets": datasets})
    d.post("logged-models/search", {"experiment_ids": ["${eid}"], "filter": "metrics.acc > 0.15",
                                    "datasets": [{"dataset_name": "ds", "dataset_digest": "d2"}]})
    d.post("logged-models/search", {"experiment_ids": ["${eid}"], "filter": "metrics.acc > 0.15",
                                    "datasets": [{"dataset_name": "ds", "dataset_digest": "d1"}]})
    # request checks
    d.post("logged-models/search", {}, expect_status=400)
    d.post("logged-models/search", {"experiment_ids": []}, expect_status=200)
    d.post("logged-models/search", {"experiment_ids": ["abc"]}, expect_status=400)
    d.post("logged-models/search", {"experiment_ids": ["${eid}", "0", "${eid}"]})
    d.post("logged-models/search", {"experiment_ids": "${eid}"})
    d.post("logged-models/search", {"experiment_ids": ["${eid}"], "filter": 5})
    d.post("logged-models/search", {"experiment_ids": ["${eid}"], "order_by": "x"})
    d.post("logged-models/search", {"experiment_ids": ["${eid}"], "max_results": "abc"})
    d.post("logged-models/search", {"experiment_ids": ["${eid}"], "max_results": "3"})
    d.post("logged-models/search", {"experiment_ids": ["${eid}"], "max_results": 0})
    d.post("logged-models/search", {"experiment_ids": ["abc"], "filter": "metric.x > 1"})
    d.post("logged-models/search", {"experiment_ids": ["abc"], "order_by": [{"field_name": "foo"}]})
    d.post("logged-models/search", {"experiment_ids": ["${eid}"], "filter": "foo = 'a'",
                                    "order_by": [{"field_name": "foo"}]})
    d.assert_equal()


ORDERS = [
    [{"field_name": "metrics.acc"}],
    [{"field_name": "metrics.acc", "ascending": False}],
    [{"field_name": "metrics.acc", "dataset_name": "ds"}],
    [{"field_name": "metrics.acc", "dataset_name": "ds", "dataset_digest": "d2"}],
    [{"field_name": "metrics.acc", "dataset_digest": "d1"}],
    [{"field_name": "metrics.loss"}],
    [{"field_name": "metrics.loss", "ascending": False}],
    [{"field_name": "metrics.nope"}],
    [{"field_name": "name"}],
    [{"field_name": "name", "ascending": False}],
    [{"field_name": "creation_timestamp"}],
    [{"field_name": "creation_time"}],
    [{"field_name": "creation_timestamp_ms", "ascending": False}],
    [{"field_name": "last_updated_timestamp", "ascending": False}],
    [{"field_name": "model_type"}, {"field_name": "name", "ascending": False}],
    [{"field_name": "name"}, {"field_name": "name", "ascending": False}],
    [{"field_name": "status", "ascending": False}, {"field_name": "metrics.acc"}],
    # (model_id orders are left out: the ids are random, so the two servers' orders differ)
    # errors
    [{"field_name": "foo"}],
    [{"field_name": "last_updated_time"}],
    [{"field_name": "params.lr"}],
    [{"field_name": "metric.acc"}],
    [{"field_name": ""}],
    [{}],
    [{"ascending": True}],
]


def test_search_logged_models_order_and_pages(differ):
    d = differ
    _search_fixture(d, "diff-lm-orders")
    for order_by in ORDERS:
        d.post("logged-models/search", {"experiment_ids": ["${eid}"], "order_by": order_by},
               label=f"order_by {order_by}")
    d.post("logged-models/search", {"experiment_ids": ["${eid}"], "filter": "metrics.acc > 0.15",
                                    "order_by": [{"field_name": "metrics.acc", "ascending": False}]})
    # pages: each server continues with its own token
    page = {"experiment_ids": ["${eid}"], "max_results": 2}
    d.post("logged-models/search", page, save={"t1": "next_page_token"}, expect_status=200)
    d.post("logged-models/search", {**page, "page_token": "${t1}"}, save={"t2": "next_page_token"})
    d.post("logged-models/search", {**page, "page_token": "${t2}"})
    d.post("logged-models/search", {**page, "max_results": 3, "page_token": "${t1}"})
    ordered = {**page, "order_by": [{"field_name": "metrics.acc", "ascending": False}], "filter": "name != 'x'"}
    d.post("logged-models/search", ordered, save={"o1": "next_page_token"})
    d.post("logged-models/search", {**ordered, "page_token": "${o1}"})
    # a token only continues its own search
    d.post("logged-models/search", {**page, "experiment_ids": ["${eid}", "0"], "page_token": "${t1}"})
    d.post("logged-models/search", {**page, "filter": "name != 'x'", "page_token": "${t1}"})
    d.post("logged-models/search", {**page, "order_by": [{"field_name": "name"}], "page_token": "${t1}"})
    d.post("logged-models/search", {**ordered, "order_by": [{"field_name": "metrics.acc"}], "page_token": "${o1}"})
    d.post("logged-models/search", {**page, "page_token": "bm90anNvbg=="})
    d.post("logged-models/search", {**page, "page_token": "eyJhIjogMX0="})
    d.post("logged-models/search", {**page, "page_token": "garbage"})
    d.assert_equal()


def test_logged_model_artifacts(differ):
    d = differ
    d.post("experiments/create", {"name": "diff-lm-art"}, save={"eid": "experiment_id"}, expect_status=200)
    d.post("logged-models", {"experiment_id": "${eid}", "name": "files"}, save={"mid": "model.info.model_id"},
           expect_status=200)
    root = "/api/2.0/mlflow-artifacts/artifacts/${eid}/models/${mid}/artifacts"
    d.call("PUT", f"{root}/MLmodel", raw_body="flavors: {}\n", expect_status=200)
    d.call("PUT", f"{root}/model/model.pkl", raw_body="pickle")
    d.call("PUT", f"{root}/model/sub/x.txt", raw_body="x")
    for prefix in ("", "/ajax-api/2.0/mlflow/"):
        listing = f"{prefix}logged-models/${{mid}}/artifacts/directories" if prefix else f"{M}/artifacts/directories"
        d.get(listing, expect_status=200)
        d.get(listing, {"artifact_directory_path": "model"}, expect_status=200)
        d.get(listing, {"artifact_directory_path": "model/sub"})
        d.get(listing, {"artifact_directory_path": "nothing"})
        d.get(listing, {"artifact_directory_path": "../other"}, expect_status=400)
    d.get("logged-models/m-00000000000000000000000000000000/artifacts/directories", expect_status=404)
    files = "/ajax-api/2.0/mlflow/logged-models/${mid}/artifacts/files"
    d.call("GET", files, params={"artifact_file_path": "MLmodel"}, body_mode="text", expect_status=200)
    d.call("GET", files, params={"artifact_file_path": "model/model.pkl"}, body_mode="text")
    d.call("GET", files, params={"artifact_file_path": "missing.txt"}, known="s3-missing-artifact")
    d.call("GET", files, expect_status=400)
    d.call("GET", files, params={"artifact_file_path": "../../etc/passwd"}, expect_status=400)
    d.call("GET", "/ajax-api/2.0/mlflow/logged-models/m-00000000000000000000000000000000/artifacts/files",
           params={"artifact_file_path": "MLmodel"}, expect_status=404)
    d.assert_equal()
