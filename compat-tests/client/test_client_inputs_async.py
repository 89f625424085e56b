"""Dataset inputs, async logging and system metrics through the real client."""

import threading
import time

import mlflow
import pandas as pd
import pytest

from support.clientutil import MLFLOW_MAJOR, uniq


def _dataset(name="iris-mini"):
    df = pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": ["a", "b", "c"]})
    return mlflow.data.from_pandas(df, source="https://example.invalid/data/iris.csv", name=name, targets="y")


def test_log_input_dataset(client):
    mlflow.set_experiment(uniq("inputs"))
    ds = _dataset()
    with mlflow.start_run() as run:
        mlflow.log_input(ds, context="training", tags={"split": "train"})
        mlflow.log_input(_dataset("eval-set"), context="eval")
    got = client.get_run(run.info.run_id)
    inputs = got.inputs.dataset_inputs
    assert len(inputs) == 2
    by_name = {i.dataset.name: i for i in inputs}
    assert set(by_name) == {"iris-mini", "eval-set"}
    train = by_name["iris-mini"]
    assert train.dataset.digest == ds.digest and len(ds.digest) > 0
    assert train.dataset.source_type == "http" == ds.to_dict()["source_type"]
    assert train.dataset.source == ds.to_dict()["source"]
    assert train.dataset.schema == ds.to_dict()["schema"]
    assert train.dataset.profile == ds.to_dict()["profile"]
    tags = {t.key: t.value for t in train.tags}
    assert tags == {"mlflow.data.context": "training", "split": "train"}
    assert {t.key: t.value for t in by_name["eval-set"].tags} == {"mlflow.data.context": "eval"}


def test_log_same_dataset_twice_is_deduplicated(client):
    mlflow.set_experiment(uniq("inputs-dedup"))
    ds = _dataset()
    with mlflow.start_run() as run:
        mlflow.log_input(ds, context="training")
        mlflow.log_input(ds, context="training")
    assert len(client.get_run(run.info.run_id).inputs.dataset_inputs) == 1


def test_search_runs_by_dataset(client):
    eid = mlflow.set_experiment(uniq("inputs-search")).experiment_id
    ds = _dataset("searchable")
    with mlflow.start_run() as with_ds:
        mlflow.log_input(ds, context="training")
    with mlflow.start_run():
        pass
    for flt in ("datasets.name = 'searchable'", f"datasets.digest = '{ds.digest}'",
                "datasets.context = 'training'", "datasets.name LIKE 'search%'",
                "datasets.name IN ('searchable', 'other')"):
        res = client.search_runs([eid], flt)
        assert [r.info.run_id for r in res] == [with_ds.info.run_id], flt
    assert client.search_runs([eid], "datasets.name = 'nope'") == []


def test_async_logging_many_threads(client):
    from mlflow.entities import Metric

    mlflow.set_experiment(uniq("async"))
    n_threads, per_thread = 6, 15
    with mlflow.start_run() as run:
        rid = run.info.run_id

        def worker(t):
            # (the fluent active run is thread-local: use the client with the run id)
            c = mlflow.MlflowClient()
            for i in range(per_thread):
                c.log_metric(rid, f"thr{t}", float(i), step=i, synchronous=False)
            c.log_batch(rid, metrics=[Metric(f"batch{t}", float(i), 1000 + i, i) for i in range(per_thread)],
                        synchronous=False)
            c.log_param(rid, f"param{t}", t, synchronous=False)

        threads = [threading.Thread(target=worker, args=(t,)) for t in range(n_threads)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        mlflow.flush_async_logging()
    for t in range(n_threads):
        for key in (f"thr{t}", f"batch{t}"):
            hist = client.get_metric_history(rid, key)
            assert sorted((m.step, m.value) for m in hist) == [(i, float(i)) for i in range(per_thread)], key
    got = client.get_run(rid).data
    assert {k: v for k, v in got.params.items()} == {f"param{t}": str(t) for t in range(n_threads)}
    assert got.metrics["thr3"] == float(per_thread - 1)


def test_async_logging_flushed_by_end_run(client):
    mlflow.set_experiment(uniq("async-end"))
    with mlflow.start_run() as run:
        for i in range(50):
            mlflow.log_metric("m", float(i), step=i, synchronous=False)
        mlflow.set_tag("done", "yes", synchronous=False)
    hist = client.get_metric_history(run.info.run_id, "m")
    assert sorted(m.step for m in hist) == list(range(50))
    assert client.get_run(run.info.run_id).data.tags["done"] == "yes"


def test_system_metrics(client, monkeypatch):
    pytest.importorskip("psutil")
    monkeypatch.setenv("MLFLOW_SYSTEM_METRICS_SAMPLING_INTERVAL", "1")
    monkeypatch.setenv("MLFLOW_SYSTEM_METRICS_SAMPLES_BEFORE_LOGGING", "1")
    mlflow.set_experiment(uniq("sysmetrics"))
    with mlflow.start_run(log_system_metrics=True) as run:
        rid = run.info.run_id
        deadline = time.time() + 8
        while time.time() < deadline:
            metrics = client.get_run(rid).data.metrics
            if any(k.startswith("system/") for k in metrics):
                break
            time.sleep(0.2)
    metrics = client.get_run(rid).data.metrics
    sys_keys = sorted(k for k in metrics if k.startswith("system/"))
    assert "system/cpu_utilization_percentage" in sys_keys, sys_keys
    assert "system/system_memory_usage_megabytes" in sys_keys, sys_keys
    hist = client.get_metric_history(rid, "system/cpu_utilization_percentage")
    assert len(hist) >= 1 and all(0.0 <= m.value <= 100.0 * 64 for m in hist)
