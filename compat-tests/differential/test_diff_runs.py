"""Differential: runs lifecycle, logging, values, limits and key validation."""

LONG = "k" * 251


def _exp_and_run(d, name, run_name="r"):
    d.post("experiments/create", {"name": name}, save={"eid": "experiment_id"}, expect_status=200)
    d.post("runs/create", {"experiment_id": "${eid}", "start_time": 1_700_000_000_000, "run_name": run_name,
                           "tags": [{"key": "t0", "value": "v0"}]},
           save={"rid": "run.info.run_id"}, expect_status=200)


def test_runs_lifecycle(differ):
    d = differ
    _exp_and_run(d, "diff-runs-life")
    d.get("runs/get", {"run_id": "${rid}"}, expect_status=200)
    # a run without name: generated name is masked
    d.post("runs/create", {"experiment_id": "${eid}", "start_time": 1_700_000_001_000}, unnamed_run=True,
           save={"anon": "run.info.run_id"})
    d.get("runs/get", {"run_id": "${anon}"})
    # name via tag only
    d.post("runs/create", {"experiment_id": "${eid}", "start_time": 1_700_000_002_000,
                           "tags": [{"key": "mlflow.runName", "value": "from-tag"}]}, save={"tagged": "run.info.run_id"})
    # legacy run_uuid / user_id / explicit end fields
    d.post("runs/create", {"experiment_id": "${eid}", "user_id": "alice", "start_time": "1700000003000",
                           "run_name": "alice-run"}, save={"alice": "run.info.run_id"})
    d.get("runs/get", {"run_uuid": "${alice}"})
    d.post("runs/update", {"run_id": "${rid}", "status": "FINISHED", "end_time": 1_700_000_005_000}, expect_status=200)
    d.post("runs/update", {"run_id": "${rid}", "run_name": "renamed"})
    d.get("runs/get", {"run_id": "${rid}"})
    d.post("runs/update", {"run_id": "${tagged}", "status": "FAILED"})  # server-generated end_time?
    d.get("runs/get", {"run_id": "${tagged}"})
    d.post("runs/update", {"run_uuid": "${alice}", "status": "KILLED", "end_time": 1_700_000_009_000})
    d.post("runs/update", {"run_id": "${alice}", "status": "RUNNING"})
    d.get("runs/get", {"run_id": "${alice}"})
    d.post("runs/update", {"run_id": "${alice}", "status": "NOT_A_STATUS"})
    d.post("runs/delete", {"run_id": "${anon}"}, expect_status=200)
    d.get("runs/get", {"run_id": "${anon}"})
    d.post("runs/delete", {"run_id": "${anon}"})  # twice
    d.post("runs/log-parameter", {"run_id": "${anon}", "key": "p", "value": "1"}, expect_status=400)
    d.post("runs/log-metric", {"run_id": "${anon}", "key": "m", "value": 1, "timestamp": 1}, expect_status=400)
    d.post("runs/set-tag", {"run_id": "${anon}", "key": "t", "value": "1"}, expect_status=400)
    d.post("runs/update", {"run_id": "${anon}", "status": "FINISHED"}, expect_status=400)
    d.post("runs/restore", {"run_id": "${anon}"}, expect_status=200)
    d.post("runs/restore", {"run_id": "${anon}"})  # twice
    d.get("runs/get", {"run_id": "${anon}"})
    # unknown / missing ids
    d.get("runs/get", {"run_id": "0123456789abcdef0123456789abcdef"}, expect_status=404)
    d.get("runs/get", {"run_id": "not-hex"})
    d.get("runs/get", {}, expect_status=400)
    d.post("runs/delete", {"run_id": "0123456789abcdef0123456789abcdef"})
    d.post("runs/restore", {"run_id": "0123456789abcdef0123456789abcdef"})
    d.post("runs/update", {"run_id": "0123456789abcdef0123456789abcdef", "status": "FINISHED"})
    d.post("runs/create", {"experiment_id": "987654"}, expect_status=404)
    d.post("runs/create", {})
    # deleting the experiment deletes its runs
    d.post("experiments/delete", {"experiment_id": "${eid}"}, expect_status=200)
    d.get("runs/get", {"run_id": "${rid}"})
    d.post("experiments/restore", {"experiment_id": "${eid}"}, expect_status=200)
    d.get("runs/get", {"run_id": "${rid}"})
    d.assert_equal()


def test_log_metric_param_tag(differ):
    d = differ
    _exp_and_run(d, "diff-logging")
    for key, value in [("num", 1.5), ("int", 3), ("neg", -2.25), ("big", 1e308), ("zero", 0)]:
        d.post("runs/log-metric", {"run_id": "${rid}", "key": key, "value": value, "timestamp": 1000, "step": 2},
               expect_status=200)
    # special values as JSON strings and as bare (non-standard JSON) tokens
    d.post("runs/log-metric", {"run_id": "${rid}", "key": "nan_s", "value": "NaN", "timestamp": 1000}, expect_status=200)
    d.post("runs/log-metric", {"run_id": "${rid}", "key": "inf_s", "value": "Infinity", "timestamp": 1000}, expect_status=200)
    d.post("runs/log-metric", {"run_id": "${rid}", "key": "ninf_s", "value": "-Infinity", "timestamp": 1000}, expect_status=200)
    # bare tokens go to their own run: the reference stores value 0 at timestamp 0 for them (KNOWN_DIFFERENCES: garbage-in)
    d.post("runs/create", {"experiment_id": "${eid}", "run_name": "odd", "start_time": 1_700_000_000_000},
           save={"rid_odd": "run.info.run_id"}, expect_status=200)
    d.post("runs/log-metric", raw_body='{"run_id": "${rid_odd}", "key": "nan_n", "value": NaN, "timestamp": 1000}')
    d.post("runs/log-metric", raw_body='{"run_id": "${rid_odd}", "key": "inf_n", "value": Infinity, "timestamp": 1000}')
    d.post("runs/log-metric", raw_body='{"run_id": "${rid_odd}", "key": "ninf_n", "value": -Infinity, "timestamp": 1000}')
    d.post("runs/log-metric", {"run_id": "${rid}", "key": "str_num", "value": "2.5", "timestamp": "1000", "step": "3"})
    d.post("runs/log-metric", {"run_id": "${rid}", "key": "bad", "value": "abc", "timestamp": 1000})
    d.post("runs/log-metric", {"run_id": "${rid}", "key": "nots", "value": 1})  # timestamp missing
    d.post("runs/log-metric", {"run_id": "${rid}", "value": 1, "timestamp": 1})  # key missing
    d.post("runs/log-metric", {"run_id": "${rid}", "key": "noval", "timestamp": 1})  # value missing
    d.post("runs/log-metric", {"key": "norun", "value": 1, "timestamp": 1})  # run id missing
    d.post("runs/log-metric", {"run_uuid": "${rid}", "key": "legacy", "value": 7, "timestamp": 5})
    d.post("runs/log-metric", {"run_id": "${rid_odd}", "key": "step_big", "value": 1, "timestamp": 1,
                               "step": 9007199254740993}, known="garbage-in")
    # params
    d.post("runs/log-parameter", {"run_id": "${rid}", "key": "p", "value": "1"}, expect_status=200)
    d.post("runs/log-parameter", {"run_id": "${rid}", "key": "p", "value": "1"}, expect_status=200)
    d.post("runs/log-parameter", {"run_id": "${rid}", "key": "p", "value": "2"}, expect_status=400)
    d.post("runs/log-parameter", {"run_id": "${rid}", "key": "empty", "value": ""})
    d.post("runs/log-parameter", {"run_id": "${rid}", "key": "long", "value": "x" * 6001})
    d.post("runs/log-parameter", {"run_id": "${rid}", "key": "noval"})
    d.post("runs/log-parameter", {"run_id": "${rid}", "key": "numval", "value": 5})
    # tags
    d.post("runs/set-tag", {"run_id": "${rid}", "key": "t", "value": "1"}, expect_status=200)
    d.post("runs/set-tag", {"run_id": "${rid}", "key": "t", "value": "2"}, expect_status=200)
    d.post("runs/set-tag", {"run_id": "${rid}", "key": "longtag", "value": "y" * 8001})
    d.post("runs/set-tag", {"run_id": "${rid}", "key": "mlflow.runName", "value": "via-tag"})
    d.post("runs/delete-tag", {"run_id": "${rid}", "key": "t0"}, expect_status=200)
    d.post("runs/delete-tag", {"run_id": "${rid}", "key": "t0"}, expect_status=404)
    d.post("runs/delete-tag", {"run_id": "0123456789abcdef0123456789abcdef", "key": "t0"})
    d.get("runs/get", {"run_id": "${rid}"})
    d.get("metrics/get-history", {"run_id": "${rid}", "metric_key": "nan_s"})
    d.get("metrics/get-history", {"run_id": "${rid}", "metric_key": "ninf_s"})
    d.get("runs/get", {"run_id": "${rid_odd}"}, known="garbage-in")
    d.get("metrics/get-history", {"run_id": "${rid_odd}", "metric_key": "inf_n"}, known="garbage-in")
    d.assert_equal()


def test_invalid_keys(differ):
    d = differ
    _exp_and_run(d, "diff-keys")
    for key in ["bad!key", "semi;colon", "../up", "/abs", "a//b", ".", "", LONG, "ok key/with:colon-and.dots_"]:
        d.post("runs/log-metric", {"run_id": "${rid}", "key": key, "value": 1, "timestamp": 1})
        d.post("runs/log-parameter", {"run_id": "${rid}", "key": key, "value": "v"})
        d.post("runs/set-tag", {"run_id": "${rid}", "key": key, "value": "v"})
    d.post("experiments/set-experiment-tag", {"experiment_id": "${eid}", "key": "bad!key", "value": "v"})
    d.post("experiments/set-experiment-tag", {"experiment_id": "${eid}", "key": "long", "value": "z" * 20001})
    d.get("runs/get", {"run_id": "${rid}"})
    d.assert_equal()


def test_log_batch(differ):
    d = differ
    _exp_and_run(d, "diff-batch")
    d.post("runs/log-batch", {"run_id": "${rid}",
                              "metrics": [{"key": "m", "value": i * 0.5, "timestamp": 100 + i, "step": i} for i in range(5)]
                              + [{"key": "n", "value": "NaN", "timestamp": 1, "step": 0}],
                              "params": [{"key": "a", "value": "1"}, {"key": "b", "value": "2"}],
                              "tags": [{"key": "x", "value": "y"}]}, expect_status=200)
    d.post("runs/log-batch", {"run_id": "${rid}"}, expect_status=200)  # empty batch
    d.post("runs/log-batch", {"run_id": "${rid}", "params": [{"key": "a", "value": "1"}]}, expect_status=200)
    d.post("runs/log-batch", {"run_id": "${rid}", "params": [{"key": "a", "value": "changed"}]}, expect_status=400)
    d.post("runs/log-batch", {"run_id": "${rid}", "params": [{"key": "d", "value": "1"}, {"key": "d", "value": "2"}]},
           expect_status=400)
    d.post("runs/log-batch", {"run_id": "${rid}", "params": [{"key": "s", "value": "1"}, {"key": "s", "value": "1"}]})
    d.post("runs/log-batch", {"run_id": "${rid}", "tags": [{"key": "tt", "value": "1"}, {"key": "tt", "value": "2"}]})
    d.post("runs/log-batch", {"run_id": "${rid}",
                              "metrics": [{"key": f"m{i}", "value": 1, "timestamp": 1, "step": 0} for i in range(1001)]},
           expect_status=400)
    d.post("runs/log-batch", {"run_id": "${rid}", "params": [{"key": f"p{i}", "value": "1"} for i in range(101)]},
           expect_status=400)
    d.post("runs/log-batch", {"run_id": "${rid}", "tags": [{"key": f"t{i}", "value": "1"} for i in range(101)]})
    d.post("runs/log-batch", {"run_id": "${rid}",
                              "metrics": [{"key": f"m{i}", "value": 1, "timestamp": 1, "step": 0} for i in range(950)],
                              "params": [{"key": f"q{i}", "value": "1"} for i in range(51)]}, expect_status=400)
    d.post("runs/log-batch", {"run_id": "${rid}", "metrics": [{"key": "bad!", "value": 1, "timestamp": 1}]})
    d.post("runs/log-batch", {"run_id": "${rid}", "metrics": [{"key": "nots", "value": 1}]})
    d.post("runs/log-batch", {"run_id": "${rid}", "params": [{"key": "long", "value": "v" * 6001}]})
    d.post("runs/log-batch", {"run_id": "${rid}", "tags": [{"key": LONG, "value": "v"}]})
    d.post("runs/log-batch", {"run_id": "0123456789abcdef0123456789abcdef", "params": [{"key": "a", "value": "1"}]})
    d.post("runs/log-batch", {"params": [{"key": "a", "value": "1"}]})
    d.get("runs/get", {"run_id": "${rid}"})
    d.get("metrics/get-history", {"run_id": "${rid}", "metric_key": "m"})
    d.assert_equal()


def test_latest_metric_rule(differ):
    d = differ
    _exp_and_run(d, "diff-latest")
    for value, ts, step in [(5, 100, 5), (3, 200, 3), (6, 300, 5), (7, 50, 5), (4, 300, 5), (9, 300, 5), (1, 1, 10)]:
        d.post("runs/log-metric", {"run_id": "${rid}", "key": "m", "value": value, "timestamp": ts, "step": step},
               expect_status=200)
        d.get("runs/get", {"run_id": "${rid}"})
    d.post("runs/log-metric", {"run_id": "${rid}", "key": "m", "value": "NaN", "timestamp": 2, "step": 11})
    d.get("runs/get", {"run_id": "${rid}"})
    d.get("metrics/get-history", {"run_id": "${rid}", "metric_key": "m"})
    d.assert_equal()
