"""mlflow.search_runs / MlflowClient.search_runs against a known set of runs."""

import math

import mlflow
import pandas as pd
import pytest
from mlflow.entities import ViewType

from support.clientutil import SERVER_MAJOR, raises_code, uniq

# name -> (metrics, params, tags, status)
RUNS = {
    "r1": ({"acc": 0.9, "loss": 0.3}, {"model": "cnn", "lr": "0.1"}, {"team": "red", "env": "prod"}, "FINISHED"),
    "r2": ({"acc": 0.7, "loss": 0.5}, {"model": "rnn", "lr": "0.01"}, {"team": "blue"}, "FAILED"),
    "r3": ({"acc": 0.8}, {"model": "cnn-large"}, {"team": "red", "env": "dev"}, "FINISHED"),
    "r4": ({"acc": float("nan"), "loss": 0.1}, {"model": "Transformer", "lr": "0.1"}, {"team": "Red"}, "RUNNING"),
    "r5": ({}, {}, {}, "KILLED"),
}


@pytest.fixture(scope="module")
def corpus(tracking_server):
    c = mlflow.MlflowClient(tracking_uri=tracking_server.url)
    eid = c.create_experiment(uniq("search-runs"))
    ids = {}
    for i, (name, (metrics, params, tags, status)) in enumerate(RUNS.items()):
        run = c.create_run(eid, run_name=name, start_time=1_700_000_000_000 + i * 1000, tags=tags)
        rid = run.info.run_id
        for k, v in metrics.items():
            c.log_metric(rid, k, v, timestamp=1, step=0)
        for k, v in params.items():
            c.log_param(rid, k, v)
        if status != "RUNNING":
            c.set_terminated(rid, status=status, end_time=1_700_000_000_000 + i * 1000 + 500)
        ids[name] = rid
    return eid, ids


def names(corpus, runs):
    inv = {v: k for k, v in corpus[1].items()}
    return [inv[r.info.run_id] for r in runs]


def q(client, corpus, filter_string="", order_by=None, **kw):
    return names(corpus, client.search_runs([corpus[0]], filter_string, order_by=order_by, **kw))


def test_default_order_is_start_time_desc(client, corpus):
    assert q(client, corpus) == ["r5", "r4", "r3", "r2", "r1"]


@pytest.mark.parametrize(
    "flt,expected",
    [
        ("metrics.acc > 0.75", ["r1", "r3"]),
        ("metrics.acc >= 0.8", ["r1", "r3"]),
        ("metrics.acc = 0.7", ["r2"]),
        ("metrics.loss < 1 AND metrics.acc > 0.75", ["r1"]),
        ("metrics.`loss` <= 0.3", ["r1", "r4"]),
        ("params.model = 'cnn'", ["r1"]),
        ("params.model != 'cnn'", ["r2", "r3", "r4"]),
        ("params.model LIKE 'cnn%'", ["r1", "r3"]),
        ("params.model LIKE '%n%'", ["r1", "r2", "r3", "r4"]),
        ("params.model ILIKE 'transformer'", ["r4"]),
        ("params.model LIKE 'transformer'", []),
        ("params.lr = '0.1'", ["r1", "r4"]),
        ('params.lr = "0.01"', ["r2"]),
        ("tags.team = 'red'", ["r1", "r3"]),
        ("tags.team ILIKE 'red'", ["r1", "r3", "r4"]),
        ("tags.team != 'red'", ["r2", "r4"]),
        ("tags.env LIKE '%o%'", ["r1"]),
        ("tags.`team` = 'blue'", ["r2"]),
        ("tag.team = 'blue'", ["r2"]),
        ("tags.\"team\" = 'blue'", ["r2"]),
        ("tags.mlflow.runName = 'r3'", ["r3"]),
        ("attributes.status = 'FINISHED'", ["r1", "r3"]),
        ("attributes.status != 'FINISHED'", ["r2", "r4", "r5"]),
        ("status = 'RUNNING'", ["r4"]),
        ("attributes.run_name = 'r2'", ["r2"]),
        ("attributes.run_name LIKE 'r%'", ["r1", "r2", "r3", "r4", "r5"]),
        ("run_name ILIKE 'R5'", ["r5"]),
        ("attributes.start_time >= 1700000002000", ["r3", "r4", "r5"]),
        ("attributes.start_time < 1700000001000", ["r1"]),
        ("attributes.end_time > 1700000001000", ["r2", "r3", "r5"]),
        ("metrics.acc > 0.75 AND params.model LIKE 'cnn%' AND tags.env = 'prod'", ["r1"]),
    ],
)
def test_filters(client, corpus, flt, expected):
    got = q(client, corpus, flt, order_by=["attributes.start_time ASC"])
    assert got == expected, flt


def test_metric_filters_and_nan(client, corpus):
    # r4's acc is NaN. 3.x: NaN only matches '!='; 2.x stores NaN as 0 with an
    # is_nan flag, so NaN also satisfies '<' / '<=' comparisons with positive values.
    order = ["attributes.start_time ASC"]
    nan_lt = ["r4"] if SERVER_MAJOR < 3 else []
    assert q(client, corpus, "metrics.acc < 0.8", order_by=order) == ["r2"] + nan_lt
    assert q(client, corpus, "metrics.acc <= 0.8", order_by=order) == ["r2", "r3"] + nan_lt
    assert q(client, corpus, "metrics.acc != 0.7", order_by=order) == ["r1", "r3", "r4"]
    assert q(client, corpus, "metrics.acc > 100", order_by=order) == []


def test_filter_run_id_in(client, corpus):
    eid, ids = corpus
    flt = f"attributes.run_id IN ('{ids['r2']}', '{ids['r4']}')"
    assert q(client, corpus, flt, order_by=["start_time ASC"]) == ["r2", "r4"]
    flt = f"attributes.run_id NOT IN ('{ids['r2']}', '{ids['r4']}')"
    assert q(client, corpus, flt, order_by=["start_time ASC"]) == ["r1", "r3", "r5"]
    assert q(client, corpus, f"attributes.run_id = '{ids['r3']}'") == ["r3"]


def test_order_by_metric_nan_and_missing(client, corpus):
    # numbers first (in the requested direction), then NaN, then runs without the metric
    assert q(client, corpus, order_by=["metrics.acc ASC"]) == ["r2", "r3", "r1", "r4", "r5"]
    assert q(client, corpus, order_by=["metrics.acc DESC"]) == ["r1", "r3", "r2", "r4", "r5"]
    # ties (here: missing values) are broken by start_time DESC
    assert q(client, corpus, order_by=["metrics.loss ASC"]) == ["r4", "r1", "r2", "r5", "r3"]


def test_order_by_params_tags_attributes(client, corpus):
    assert q(client, corpus, order_by=["params.model ASC"]) == ["r4", "r1", "r3", "r2", "r5"]
    assert q(client, corpus, order_by=["params.model DESC"]) == ["r2", "r3", "r1", "r4", "r5"]
    assert q(client, corpus, order_by=["tags.team ASC", "start_time DESC"]) == ["r4", "r2", "r3", "r1", "r5"]
    assert q(client, corpus, order_by=["attributes.run_name DESC"]) == ["r5", "r4", "r3", "r2", "r1"]
    assert q(client, corpus, order_by=["status ASC", "start_time ASC"]) == ["r2", "r1", "r3", "r5", "r4"]
    assert q(client, corpus, order_by=["params.lr DESC", "metrics.loss ASC"]) == ["r4", "r1", "r2", "r5", "r3"]


def test_paging_with_page_token(client, corpus):
    eid, ids = corpus
    seen, token, sizes = [], None, []
    while True:
        page = client.search_runs([eid], "", order_by=["attributes.run_name ASC"], max_results=2, page_token=token)
        sizes.append(len(page))
        seen.extend(names(corpus, page))
        token = page.token
        if not token:
            break
    assert seen == ["r1", "r2", "r3", "r4", "r5"]
    assert sizes == [2, 2, 1]


def test_fluent_search_runs_pandas(client, corpus):
    eid, ids = corpus
    df = mlflow.search_runs(experiment_ids=[eid], filter_string="params.model LIKE 'cnn%'",
                            order_by=["metrics.acc DESC"])
    assert isinstance(df, pd.DataFrame)
    assert list(df["run_id"]) == [ids["r1"], ids["r3"]]
    assert list(df["metrics.acc"]) == [0.9, 0.8]
    assert list(df["params.model"]) == ["cnn", "cnn-large"]
    assert list(df["tags.team"]) == ["red", "red"]
    assert list(df["status"]) == ["FINISHED", "FINISHED"]
    assert list(df["tags.mlflow.runName"]) == ["r1", "r3"]
    assert math.isnan(df.loc[df["run_id"] == ids["r3"], "metrics.loss"].iloc[0])
    assert "start_time" in df.columns and "end_time" in df.columns
    limited = mlflow.search_runs(experiment_ids=[eid], max_results=3, order_by=["attributes.start_time ASC"])
    assert list(limited["run_id"]) == [ids["r1"], ids["r2"], ids["r3"]]
    as_list = mlflow.search_runs(experiment_ids=[eid], output_format="list", filter_string="tags.team = 'blue'")
    assert [r.info.run_id for r in as_list] == [ids["r2"]]


def test_search_across_experiments_and_view_type(client, corpus):
    eid, ids = corpus
    other = client.create_experiment(uniq("other"))
    o1 = client.create_run(other, start_time=1_800_000_000_000).info.run_id
    res = client.search_runs([eid, other], "", max_results=2)
    assert [r.info.run_id for r in res] == [o1, ids["r5"]]
    client.delete_run(o1)
    assert client.search_runs([other], "") == []
    assert [r.info.run_id for r in client.search_runs([other], "", run_view_type=ViewType.DELETED_ONLY)] == [o1]


@pytest.mark.parametrize(
    "flt",
    [
        "metrics.acc >",
        "metric.acc ~ 1",
        "params.model = cnn",
        "foo.bar = '1'",
        "metrics.acc = 'x'",
        "attributes.nosuch = 'x'",
        "params.model IN 'cnn'",
        "metrics.acc > 0.5 OR metrics.acc < 0.2",
        "params.model IN ('cnn', 'rnn')",
        "attributes.status IN ('FAILED', 'KILLED')",
    ],
)
def test_invalid_filters(client, corpus, flt):
    raises_code("INVALID_PARAMETER_VALUE", client.search_runs, [corpus[0]], flt)


@pytest.mark.parametrize("order", ["metrics.acc UP", "nosuch.acc", "attributes.nosuch ASC", "a b c d"])
def test_invalid_order_by(client, corpus, order):
    raises_code("INVALID_PARAMETER_VALUE", client.search_runs, [corpus[0]], "", order_by=[order])


def test_max_results_limit(client, corpus):
    raises_code("INVALID_PARAMETER_VALUE", client.search_runs, [corpus[0]], "", max_results=50001)
