"""MLflow 2's tracing through the 2.x client: it starts and ends traces with the v2 RPCs (`POST /api/2.0/mlflow/traces`,
`PATCH …/traces/<id>`), uploads the spans as `traces.json` to the artifact store, searches with `GET
/api/2.0/mlflow/traces` and reads the spans back from the artifacts. (The 3.x client's tracing is in
test_client_traces*.py.)"""

import time

import mlflow
import pytest

from support.clientutil import MLFLOW_MAJOR, uniq

if MLFLOW_MAJOR >= 3:
    pytest.skip("the v2 trace RPCs as the 2.x client uses them", allow_module_level=True)


@mlflow.trace(span_type="TOOL")
def _double(x):
    if x == 2:
        raise ValueError("boom")
    return x * 2


@mlflow.trace
def _pipeline(q):
    out = []
    for i in range(3):
        try:
            out.append(_double(i))
        except ValueError:
            pass
    return {"q": q, "answer": out}


def _trace_ids(experiment_id, **kwargs):
    return [t.info.request_id for t in mlflow.MlflowClient().search_traces([experiment_id], **kwargs)]


def test_traces_round_trip_through_the_v2_api(client):
    experiment_id = mlflow.set_experiment(uniq("traces-v2")).experiment_id
    _pipeline("hello")
    request_id = mlflow.get_last_active_trace_id()
    trace = client.get_trace(request_id)
    assert trace.info.status.name == "OK"
    assert trace.info.experiment_id == experiment_id
    assert trace.info.tags["mlflow.traceName"] == "_pipeline"
    spans = {s.name: s for s in trace.data.spans}
    assert set(spans) == {"_pipeline", "_double_1", "_double_2", "_double_3"}
    assert spans["_pipeline"].outputs == {"q": "hello", "answer": [0, 2]}
    failed = spans["_double_3"]
    assert failed.status.status_code.name == "ERROR"
    assert failed.parent_id == spans["_pipeline"].span_id
    assert any(e.name == "exception" for e in failed.events)

    client.set_trace_tag(request_id, "team", "search")
    assert client.get_trace(request_id).info.tags["team"] == "search"
    client.delete_trace_tag(request_id, "team")
    assert "team" not in client.get_trace(request_id).info.tags


def test_search_and_delete_traces(client):
    experiment_id = mlflow.set_experiment(uniq("traces-v2-search")).experiment_id
    ids = []
    for i in range(5):
        _pipeline(f"q{i}")
        ids.append(mlflow.get_last_active_trace_id())
        time.sleep(0.005)
    client.set_trace_tag(ids[0], "pick", "me")
    assert _trace_ids(experiment_id) == list(reversed(ids))
    assert _trace_ids(experiment_id, filter_string="tags.pick = 'me'") == [ids[0]]
    assert _trace_ids(experiment_id, order_by=["timestamp_ms ASC"], max_results=2) == ids[:2]
    page = mlflow.MlflowClient().search_traces([experiment_id], max_results=3)
    rest = mlflow.MlflowClient().search_traces([experiment_id], max_results=3, page_token=page.token)
    assert [t.info.request_id for t in page] + [t.info.request_id for t in rest] == list(reversed(ids))
    assert rest.token is None

    assert client.delete_traces(experiment_id, request_ids=[ids[4]]) == 1
    newest_kept = client.get_trace(ids[3]).info.timestamp_ms
    assert client.delete_traces(experiment_id, max_timestamp_millis=newest_kept, max_traces=2) == 2
    assert _trace_ids(experiment_id) == [ids[3], ids[2]]
