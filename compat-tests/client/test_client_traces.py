"""MLflow Tracing through the real client: the fluent tracing API (decorator, context manager), traces in
runs, search (pandas + paged), tags, assessments, deletion and run links.

The 3.17.2 client exports a finished trace as `POST /api/3.0/mlflow/traces` (trace info), a `traces.json`
upload to the artifact store and `POST /v1/traces` (OTLP spans), asynchronously: tests flush before
reading back (support/tracing.py).
"""

import pytest

from support.clientutil import MLFLOW_MAJOR

if MLFLOW_MAJOR < 3:
    pytest.skip("MLflow 3's tracing (the 2.x client's is in test_client_traces_v2.py)", allow_module_level=True)

# the MLflow 3 imports come after the version check
import json
import time

import mlflow
import pandas as pd
from mlflow.entities import AssessmentSource, AssessmentSourceType, Feedback, SpanStatusCode, SpanType
from mlflow.entities import TraceState
from mlflow.exceptions import MlflowException
from mlflow.tracing.client import TracingClient

from support.clientutil import assert_recent_ms, now_ms, raises_code, uniq
from support.tracing import (SCHEMA_VERSION, SOURCE_RUN, exp_id, flush, fresh_tracer, get_trace, no_export_failures,
                             start_trace_info)

# autouse fixtures: the tracer provider reset per module, exporter failures fail the test
__all__ = ["fresh_tracer", "no_export_failures"]


@pytest.fixture
def tracing_client(_client_env):
    return TracingClient(_client_env)


def _user_keys(d: dict) -> dict:
    return {k: v for k, v in d.items() if not k.startswith("mlflow.")}


# --------------------------------------------------------------------------- fluent tracing


def test_nested_decorated_functions_with_a_raising_span(client):
    eid = exp_id("traces-decorator")

    @mlflow.trace(span_type=SpanType.TOOL)
    def lookup(city):
        raise ValueError(f"no weather for {city}")

    @mlflow.trace(name="answer", attributes={"team": "compat"})
    def answer(question, city="Paris"):
        try:
            lookup(city)
        except ValueError:
            pass
        return {"text": f"sunny in {city}"}

    assert answer("weather?") == {"text": "sunny in Paris"}
    tid = mlflow.get_last_active_trace_id()
    assert tid and tid.startswith("tr-") and len(tid) == 35
    trace = get_trace(client, tid, spans=2)

    info = trace.info
    assert info.trace_id == tid
    assert info.experiment_id == eid
    assert info.state == TraceState.OK  # the root span did not fail
    assert_recent_ms(info.request_time)
    assert info.execution_duration is not None and info.execution_duration >= 0
    assert info.trace_metadata[SCHEMA_VERSION] == "3"
    assert info.tags["mlflow.traceName"] == "answer"
    assert json.loads(info.request_preview) == {"question": "weather?", "city": "Paris"}
    assert json.loads(info.response_preview) == {"text": "sunny in Paris"}

    spans = {s.name: s for s in trace.data.spans}
    assert set(spans) == {"answer", "lookup"}
    root, child = spans["answer"], spans["lookup"]
    assert root.parent_id is None
    assert child.parent_id == root.span_id
    assert root.trace_id == child.trace_id == tid
    assert root.inputs == {"question": "weather?", "city": "Paris"}
    assert root.outputs == {"text": "sunny in Paris"}
    assert root.get_attribute("team") == "compat"
    assert root.status.status_code == SpanStatusCode.OK
    assert child.span_type == SpanType.TOOL
    assert child.inputs == {"city": "Paris"}
    assert child.outputs is None
    assert child.status.status_code == SpanStatusCode.ERROR
    assert child.status.description == "ValueError: no weather for Paris"
    [event] = child.events
    assert event.name == "exception"
    assert event.attributes["exception.type"] == "ValueError"
    assert event.attributes["exception.message"] == "no weather for Paris"
    assert "Traceback" in event.attributes["exception.stacktrace"]
    assert root.start_time_ns <= child.start_time_ns <= child.end_time_ns <= root.end_time_ns


def test_failing_root_span_makes_an_error_trace(client):
    exp_id("traces-root-error")

    @mlflow.trace
    def explode():
        raise RuntimeError("kaput")

    with pytest.raises(RuntimeError):
        explode()
    trace = get_trace(client, mlflow.get_last_active_trace_id(), spans=1)
    assert trace.info.state == TraceState.ERROR
    [span] = trace.data.spans
    assert span.status.status_code == SpanStatusCode.ERROR
    assert [e.name for e in span.events] == ["exception"]


def test_start_span_context_manager_and_update_current_trace(client):
    eid = exp_id("traces-start-span")
    with mlflow.start_span(name="pipeline", span_type=SpanType.CHAIN) as root:
        root.set_inputs({"query": "q1"})
        root.set_attributes({"int": 3, "float": 1.5, "bool": True, "list": [1, 2], "str": "s"})
        with mlflow.start_span(name="retrieve", span_type=SpanType.RETRIEVER) as child:
            child.set_inputs("q1")
            child.set_outputs([{"doc": "d1"}])
            child.set_attribute("k", "v")
        mlflow.update_current_trace(tags={"env": "test", "team": "compat"},
                                    metadata={"release": "1.2.3"}, client_request_id="req-42")
        root.set_outputs({"answer": "a1"})
    tid = root.trace_id
    assert mlflow.get_last_active_trace_id() == tid
    trace = get_trace(client, tid, spans=2)
    info = trace.info
    assert info.experiment_id == eid
    assert _user_keys(info.tags) == {"env": "test", "team": "compat"}
    assert _user_keys(info.trace_metadata) == {"release": "1.2.3"}
    assert info.client_request_id == "req-42"
    assert info.tags["mlflow.traceName"] == "pipeline"
    spans = {s.name: s for s in trace.data.spans}
    r, c = spans["pipeline"], spans["retrieve"]
    assert r.span_type == SpanType.CHAIN and c.span_type == SpanType.RETRIEVER
    assert r.inputs == {"query": "q1"} and r.outputs == {"answer": "a1"}
    assert c.inputs == "q1" and c.outputs == [{"doc": "d1"}]
    assert c.parent_id == r.span_id
    assert r.get_attribute("int") == 3
    assert r.get_attribute("float") == 1.5
    assert r.get_attribute("bool") is True
    assert r.get_attribute("list") == [1, 2]
    assert r.get_attribute("str") == "s"
    assert c.get_attribute("k") == "v"
    # the same trace through the fluent getter
    assert mlflow.get_trace(tid).info.trace_id == tid


def test_client_start_trace_end_trace(client):
    """MlflowClient's imperative API (MLflow's own test_get_trace): one root span, status OK."""
    eid = exp_id("traces-imperative")
    span = client.start_trace(name="test", experiment_id=eid, inputs={"a": 1}, tags={"t": "1"})
    child = client.start_span("child", trace_id=span.trace_id, parent_id=span.span_id, inputs={"b": 2})
    client.end_span(trace_id=span.trace_id, span_id=child.span_id, outputs={"c": 3})
    client.end_trace(span.trace_id, outputs={"d": 4})
    trace = get_trace(client, span.trace_id, spans=2)
    assert trace.info.state == TraceState.OK
    assert trace.info.experiment_id == eid
    assert trace.info.tags["t"] == "1"
    spans = {s.name: s for s in trace.data.spans}
    assert spans["test"].status.status_code == SpanStatusCode.OK
    assert spans["test"].status.description == ""
    assert spans["child"].parent_id == spans["test"].span_id
    assert spans["child"].outputs == {"c": 3}


# --------------------------------------------------------------------------- runs


def test_traces_inside_a_run_and_linked_to_a_run(client):
    eid = exp_id("traces-runs")
    with mlflow.start_run() as run:
        with mlflow.start_span(name="in-run") as s1:
            s1.set_attributes({"test": "value1"})
    rid = run.info.run_id
    with mlflow.start_span(name="linked") as s2:
        pass
    with mlflow.start_span(name="unrelated") as s3:
        pass
    flush()
    t1 = get_trace(client, s1.trace_id)
    assert t1.info.trace_metadata[SOURCE_RUN] == rid
    assert SOURCE_RUN not in get_trace(client, s2.trace_id).info.trace_metadata

    client.link_traces_to_run([s2.trace_id], rid)
    by_run = client.search_traces(experiment_ids=[eid], run_id=rid)
    assert {t.info.trace_id for t in by_run} == {s1.trace_id, s2.trace_id}
    by_filter = client.search_traces(experiment_ids=[eid], filter_string=f"attribute.run_id = '{rid}'")
    assert {t.info.trace_id for t in by_filter} == {s1.trace_id, s2.trace_id}
    everything = client.search_traces(experiment_ids=[eid])
    assert {t.info.trace_id for t in everything} == {s1.trace_id, s2.trace_id, s3.trace_id}
    # the fluent search scoped to a run
    df = mlflow.search_traces(experiment_ids=[eid], run_id=rid)
    assert set(df["trace_id"]) == {s1.trace_id, s2.trace_id}


# --------------------------------------------------------------------------- search


def _make_search_fixture(tracing_client, eid):
    """Six traces: request_time in pairs (ties), alternating tags, every third one an error."""
    ids = []
    for i in range(6):
        info = start_trace_info(
            tracing_client, eid, 1_700_000_000_000 + (i // 2) * 1000,
            state=TraceState.ERROR if i % 3 == 0 else TraceState.OK, duration=10 * i,
            tags={"k": f"v{i % 2}", "mlflow.traceName": f"name{i}"}, metadata={"m": f"x{i}"},
        )
        ids.append(info.trace_id)
    return ids


def test_search_traces_filters_and_order(client, tracing_client):
    eid = exp_id("traces-search")
    ids = _make_search_fixture(tracing_client, eid)

    def search(filter_string=None, order_by=None):
        # these traces have no spans: include_spans=True would drop them (the client skips traces whose span
        # data it cannot load)
        return [t.info.trace_id for t in client.search_traces(experiment_ids=[eid], filter_string=filter_string,
                                                               order_by=order_by, include_spans=False)]

    # default order: newest request_time first, ties by trace id ascending
    tie = lambda a, b: sorted([ids[a], ids[b]])  # noqa: E731
    assert search() == [*tie(4, 5), *tie(2, 3), *tie(0, 1)]
    assert search(order_by=["timestamp_ms ASC"])[:2] == tie(0, 1)
    assert search(order_by=["execution_time_ms DESC"]) == ids[::-1]
    assert search(order_by=["name ASC"]) == ids
    assert set(search("status = 'OK'")) == {ids[1], ids[2], ids[4], ids[5]}
    assert set(search("trace.status = 'ERROR'")) == {ids[0], ids[3]}
    assert set(search("tags.k = 'v1'")) == {ids[1], ids[3], ids[5]}
    assert set(search("tags.k ILIKE 'V1'")) == {ids[1], ids[3], ids[5]}
    assert set(search("tags.k LIKE 'v%'")) == set(ids)
    assert search("metadata.m = 'x3'") == [ids[3]]
    assert search("request_metadata.m = 'x1'") == [ids[1]]
    assert search("name = 'name2'") == [ids[2]]
    assert set(search("trace.name != 'name1'")) == set(ids) - {ids[1]}
    assert set(search("timestamp_ms > 1700000001000")) == {ids[4], ids[5]}
    assert set(search("execution_time_ms >= 30")) == {ids[3], ids[4], ids[5]}
    assert set(search("status = 'OK' AND tags.k = 'v0'")) == {ids[2], ids[4]}
    assert search("status = 'IN_PROGRESS'") == []
    # MLflow's own test_search_traces: status filter + order + page
    page = client.search_traces(experiment_ids=[eid], max_results=2, include_spans=False)
    assert [t.info.trace_id for t in page] == tie(4, 5) and page.token
    # bad filters and order keys: the reference's messages
    raises_code("INVALID_PARAMETER_VALUE", client.search_traces, experiment_ids=[eid], filter_string="bogus = 1",
                match="Invalid attribute key 'bogus' specified.")
    raises_code("INVALID_PARAMETER_VALUE", client.search_traces, experiment_ids=[eid], filter_string="tags.k = ",
                match="Invalid clause(s) in filter string: 'tags.k', '='")
    raises_code("INVALID_PARAMETER_VALUE", client.search_traces, experiment_ids=[eid],
                filter_string="name IN ('a')", match="Invalid comparator 'IN'")
    raises_code("INVALID_PARAMETER_VALUE", client.search_traces, experiment_ids=[eid], order_by=["bogus"],
                match="Invalid attribute key 'bogus' specified.")


def test_search_traces_full_text(client):
    """MLflow's test_search_traces_match_text: `trace.text LIKE` looks into span contents."""
    eid = exp_id("traces-text")

    def make(name, attributes):
        span = client.start_trace(name=name, experiment_id=eid)
        span.set_attributes(attributes)
        client.end_trace(span.trace_id)
        return span.trace_id

    t1, t2, t3 = make("trace1", {"test": "value1"}), make("trace2", {"test": "value2"}), make("trace3", {"x": "I like it"})
    flush()

    def search(f):
        return {t.info.trace_id for t in client.search_traces(experiment_ids=[eid], filter_string=f)}

    assert search("trace.text LIKE '%trace%'") == {t1, t2, t3}
    assert search("trace.text LIKE '%value%'") == {t1, t2}
    assert search("trace.text LIKE '%I like it%'") == {t3}


def test_search_traces_by_span_name_and_type(client):
    eid = exp_id("traces-span-filter")
    with mlflow.start_span(name="root", span_type=SpanType.AGENT) as a:
        with mlflow.start_span(name="tool-call", span_type=SpanType.TOOL):
            pass
    with mlflow.start_span(name="root", span_type=SpanType.CHAIN) as b:
        pass
    flush()

    def search(f):
        return {t.info.trace_id for t in client.search_traces(experiment_ids=[eid], filter_string=f)}

    assert search("span.name = 'tool-call'") == {a.trace_id}
    assert search("span.type = 'TOOL'") == {a.trace_id}
    assert search("span.name = 'root'") == {a.trace_id, b.trace_id}
    assert search("span.type = 'CHAIN'") == {b.trace_id}


def test_fluent_search_traces_to_pandas_and_list(client):
    eid = exp_id("traces-pandas")

    @mlflow.trace
    def f(x):
        return x + 1

    for i in range(3):
        f(i)
    flush()
    df = mlflow.search_traces(experiment_ids=[eid])
    assert isinstance(df, pd.DataFrame)
    assert len(df) == 3
    for col in ("trace_id", "request", "response", "state", "request_time", "execution_duration", "spans",
                "tags", "trace_metadata", "assessments"):
        assert col in df.columns, col
    assert sorted(df["request"].tolist(), key=lambda r: r["x"]) == [{"x": 0}, {"x": 1}, {"x": 2}]
    assert sorted(df["response"].tolist()) == [1, 2, 3]
    assert set(df["state"]) == {"OK"}
    listed = mlflow.search_traces(experiment_ids=[eid], return_type="list", max_results=2)
    assert len(listed) == 2 and all(len(t.data.spans) == 1 for t in listed)
    # without spans
    light = mlflow.search_traces(experiment_ids=[eid], return_type="list", include_spans=False)
    assert len(light) == 3 and all(t.data.spans == [] for t in light)


def test_search_traces_paging_is_complete_and_stable(client, tracing_client):
    eid = exp_id("traces-paging")
    base = now_ms() - 100_000
    # 60 traces; request times repeat (groups of 3) so ties are broken by the server's secondary key
    made = {start_trace_info(tracing_client, eid, base + (i // 3) * 10).trace_id for i in range(60)}
    whole = [t.info.trace_id for t in client.search_traces(experiment_ids=[eid], max_results=100,
                                                           include_spans=False)]
    assert set(whole) == made and len(whole) == 60
    for order_by in (None, ["timestamp_ms ASC"], ["timestamp_ms DESC", "request_id ASC"]):
        seen, token, pages = [], None, 0
        reference = [t.info.trace_id for t in client.search_traces(experiment_ids=[eid], max_results=100,
                                                                   order_by=order_by, include_spans=False)]
        while True:
            page = client.search_traces(experiment_ids=[eid], max_results=7, order_by=order_by, page_token=token,
                                        include_spans=False)
            pages += 1
            assert len(page) <= 7
            seen += [t.info.trace_id for t in page]
            token = page.token
            if not token:
                break
        assert pages == 9  # 8 full pages and a last one of 4
        assert len(seen) == len(set(seen)) == 60
        assert seen == reference
    raises_code("INVALID_PARAMETER_VALUE", client.search_traces, experiment_ids=[eid], page_token="garbage")
    raises_code("INVALID_PARAMETER_VALUE", client.search_traces, experiment_ids=[eid], max_results=501)


# --------------------------------------------------------------------------- get, tags


def test_trace_tags_and_get_errors(client, tracing_client):
    eid = exp_id("traces-tags")
    # MLflow's test_set_and_delete_trace_tag: a trace info with a client-chosen id
    info = start_trace_info(tracing_client, eid, 1000, trace_id=f"tr-{uniq('t')}", duration=2000,
                            tags={"tag1": "red", "tag2": "blue"})
    tid = info.trace_id
    client.set_trace_tag(tid, "tag1", "green")
    client.set_trace_tag(tid, "new", "")
    got = tracing_client.get_trace_info(tid)
    assert got.tags["tag1"] == "green" and got.tags["new"] == ""
    client.delete_trace_tag(tid, "tag2")
    got = tracing_client.get_trace_info(tid)
    assert "tag2" not in got.tags
    assert got.request_time == 1000 and got.execution_duration == 2000
    with pytest.raises(MlflowException) as ei:
        client.delete_trace_tag(tid, "tag2")
    assert ei.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    missing = "tr-" + "0" * 32
    with pytest.raises(MlflowException) as ei:
        tracing_client.get_trace_info(missing)
    assert ei.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    # the reference answers 400 BAD_REQUEST here (a foreign-key failure of its tag insert): a client error
    with pytest.raises(MlflowException) as ei:
        client.set_trace_tag(missing, "k", "v")
    assert ei.value.get_http_status_code() in (400, 404), ei.value
    with pytest.raises(MlflowException):
        client.get_trace(missing, display=False)


# --------------------------------------------------------------------------- assessments


def test_assessments_lifecycle(client):
    exp_id("traces-assessments")
    with mlflow.start_span(name="judge-me") as span:
        span.set_inputs({"q": "2+2"})
        span.set_outputs("4")
    tid = span.trace_id
    flush()
    human = AssessmentSource(source_type=AssessmentSourceType.HUMAN, source_id="alice@example.com")
    fb = mlflow.log_feedback(trace_id=tid, name="correct", value=True, source=human, rationale="it is 4",
                             metadata={"round": "1"})
    assert fb.assessment_id and fb.trace_id == tid
    assert fb.value is True and fb.rationale == "it is 4" and fb.valid is not False
    ex = mlflow.log_expectation(trace_id=tid, name="expected", value={"answer": "4", "n": 4}, source=human)
    got = mlflow.get_assessment(tid, fb.assessment_id)
    assert got.name == "correct" and got.value is True
    assert got.source.source_type == "HUMAN" and got.source.source_id == "alice@example.com"
    assert got.metadata == {"round": "1"}
    assert_recent_ms(got.create_time_ms)
    assert mlflow.get_assessment(tid, ex.assessment_id).value == {"answer": "4", "n": 4}

    upd = mlflow.update_assessment(tid, fb.assessment_id, Feedback(name="correct", value=False,
                                                                   rationale="re-checked"))
    assert upd.value is False and upd.rationale == "re-checked"
    assert upd.last_update_time_ms >= upd.create_time_ms

    over = mlflow.override_feedback(trace_id=tid, assessment_id=fb.assessment_id, value=True,
                                    rationale="overridden", source=human)
    assert over.overrides == fb.assessment_id
    assert mlflow.get_assessment(tid, fb.assessment_id).valid is False
    assert mlflow.get_assessment(tid, over.assessment_id).valid is True
    listed = {a.assessment_id: a for a in get_trace(client, tid).info.assessments}
    assert set(listed) == {fb.assessment_id, ex.assessment_id, over.assessment_id}

    # deleting the override makes the original valid again
    mlflow.delete_assessment(tid, over.assessment_id)
    assert mlflow.get_assessment(tid, fb.assessment_id).valid is True
    with pytest.raises(MlflowException) as ei:
        mlflow.get_assessment(tid, over.assessment_id)
    assert ei.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    mlflow.delete_assessment(tid, ex.assessment_id)
    assert {a.assessment_id for a in get_trace(client, tid).info.assessments} == {fb.assessment_id}
    # feedback on a trace that does not exist
    with pytest.raises(MlflowException) as ei:
        mlflow.log_feedback(trace_id="tr-" + "0" * 32, name="x", value=1)
    assert ei.value.error_code == "RESOURCE_DOES_NOT_EXIST"


def test_feedback_with_error_and_span_id(client):
    exp_id("traces-feedback-error")
    with mlflow.start_span(name="root") as root:
        with mlflow.start_span(name="leaf") as leaf:
            pass
    flush()
    fb = mlflow.log_feedback(trace_id=root.trace_id, name="judge", error=RuntimeError("judge down"),
                             span_id=leaf.span_id,
                             source=AssessmentSource(source_type="LLM_JUDGE", source_id="gpt"))
    got = mlflow.get_assessment(root.trace_id, fb.assessment_id)
    assert got.span_id == leaf.span_id
    assert got.value is None
    assert got.error.error_code == "RuntimeError" and got.error.error_message == "judge down"
    assert got.source.source_type == "LLM_JUDGE"


# --------------------------------------------------------------------------- deletion


def test_delete_traces_by_ids_and_by_time(client, tracing_client):
    eid = exp_id("traces-delete")
    ids = [start_trace_info(tracing_client, eid, 1_700_000_000_000 + i * 1000).trace_id for i in range(6)]

    def exists(tid):
        try:
            tracing_client.get_trace_info(tid)
            return True
        except MlflowException as e:
            assert e.error_code == "RESOURCE_DOES_NOT_EXIST"
            return False

    assert client.delete_traces(eid, trace_ids=[ids[5]]) == 1
    assert not exists(ids[5]) and exists(ids[4])
    assert client.delete_traces(eid, trace_ids=[ids[5]]) == 0  # already gone
    # the oldest first, up to max_traces
    assert client.delete_traces(eid, max_timestamp_millis=1_700_000_003_000, max_traces=2) == 2
    assert [exists(t) for t in ids[:5]] == [False, False, True, True, True]
    assert client.delete_traces(eid, max_timestamp_millis=1_700_000_002_000) == 1
    assert client.delete_traces(eid, max_timestamp_millis=int(1e15)) == 2
    assert client.search_traces(experiment_ids=[eid], include_spans=False) == []
    with pytest.raises(MlflowException):
        client.delete_traces(eid)  # neither ids nor a timestamp: refused by the client
    # a trace id of another experiment is not deleted
    other = exp_id("traces-delete-other")
    keep = start_trace_info(tracing_client, other, 1000).trace_id
    assert client.delete_traces(eid, trace_ids=[keep]) == 0
    assert exists(keep)


# --------------------------------------------------------------------------- legacy v2, analysis


def test_legacy_start_and_end_trace_v2(client):
    """MLflow's test_legacy_start_and_end_trace_v2: the deprecated v2 endpoints merge metadata and tags."""
    eid = client.create_experiment(uniq("traces-v2"))
    store = client._tracing_client.store
    info = store.deprecated_start_trace_v2(experiment_id=eid, timestamp_ms=1000,
                                           request_metadata={"meta1": "apple", "meta2": "grape"},
                                           tags={"tag1": "football", "tag2": "basketball"})
    assert info.request_id and info.experiment_id == eid
    assert info.timestamp_ms == 1000 and info.execution_time_ms == 0
    assert info.status.name == "IN_PROGRESS"
    assert info.request_metadata == {"meta1": "apple", "meta2": "grape"}
    assert _user_keys(info.tags) == {"tag1": "football", "tag2": "basketball"}
    from mlflow.entities.trace_status import TraceStatus

    info = store.deprecated_end_trace_v2(request_id=info.request_id, timestamp_ms=3000, status=TraceStatus.OK,
                                         request_metadata={"meta1": "orange", "meta3": "banana"},
                                         tags={"tag1": "soccer", "tag3": "tennis"})
    assert info.timestamp_ms == 1000 and info.execution_time_ms == 2000
    assert info.status == TraceStatus.OK
    assert info.request_metadata == {"meta1": "orange", "meta2": "grape", "meta3": "banana"}
    assert _user_keys(info.tags) == {"tag1": "soccer", "tag2": "basketball", "tag3": "tennis"}


def test_calculate_trace_filter_correlation(client, tracing_client):
    """MLflow's test_calculate_trace_filter_correlation (NPMI of two filters over an experiment)."""
    import math

    eid = exp_id("traces-correlation")
    for i in range(6):
        start_trace_info(tracing_client, eid, 1000 + i, tags={"env": "prod", "span_type": "TOOL"})
    for i in range(4):
        start_trace_info(tracing_client, eid, 2000 + i, tags={"env": "dev", "span_type": "LLM" if i else "TOOL"})
    r = tracing_client.calculate_trace_filter_correlation(
        experiment_ids=[eid], filter_string1="tags.env = 'prod'", filter_string2="tags.span_type = 'TOOL'")
    assert (r.total_count, r.filter1_count, r.filter2_count, r.joint_count) == (10, 6, 7, 6)
    assert 0.6 < r.npmi < 0.8 and r.npmi_smoothed is not None
    r = tracing_client.calculate_trace_filter_correlation(
        experiment_ids=[eid], filter_string1="tags.env = 'dev'", filter_string2="tags.span_type = 'LLM'")
    assert (r.total_count, r.filter1_count, r.filter2_count, r.joint_count) == (10, 4, 3, 3) and r.npmi > 0.5
    r = tracing_client.calculate_trace_filter_correlation(
        experiment_ids=[eid], filter_string1="tags.env = 'staging'", filter_string2="tags.span_type = 'TOOL'")
    assert (r.filter1_count, r.joint_count) == (0, 0) and math.isnan(r.npmi)
    with pytest.raises(MlflowException, match="Invalid"):
        tracing_client.calculate_trace_filter_correlation(
            experiment_ids=[eid], filter_string1="invalid.filter = 'test'", filter_string2="tags.x = 'y'")


def test_query_trace_metrics(client, tracing_client):
    """MLflow's test_query_trace_metrics: trace counts by status."""
    from dataclasses import asdict

    from mlflow.entities.trace_metrics import AggregationType, MetricAggregation, MetricViewType
    from mlflow.tracing.constant import TraceMetricDimensionKey, TraceMetricKey

    eid = exp_id("traces-metrics")
    for state in (TraceState.OK, TraceState.OK, TraceState.ERROR):
        start_trace_info(tracing_client, eid, now_ms(), state=state)
    metrics = tracing_client.store.query_trace_metrics(
        experiment_ids=[eid], view_type=MetricViewType.TRACES, metric_name=TraceMetricKey.TRACE_COUNT,
        aggregations=[MetricAggregation(aggregation_type=AggregationType.COUNT)],
        dimensions=[TraceMetricDimensionKey.TRACE_STATUS])
    assert [asdict(m) for m in metrics] == [
        {"metric_name": TraceMetricKey.TRACE_COUNT, "dimensions": {TraceMetricDimensionKey.TRACE_STATUS: "ERROR"},
         "values": {"COUNT": 1}},
        {"metric_name": TraceMetricKey.TRACE_COUNT, "dimensions": {TraceMetricDimensionKey.TRACE_STATUS: "OK"},
         "values": {"COUNT": 2}},
    ]


# --------------------------------------------------------------------------- UI handlers


@pytest.mark.parametrize("allow_partial", [True, False])
def test_ajax_get_trace_handler(client, server_url, allow_partial):
    """MLflow's test_get_trace_handler: the UI's `GET /ajax-api/3.0/mlflow/traces/get`."""
    import requests

    exp_id("traces-ajax-get")
    with mlflow.start_span(name="test") as span:
        span.set_attributes({"fruit": "apple"})
    flush()
    r = requests.get(f"{server_url}/ajax-api/3.0/mlflow/traces/get",
                     params={"trace_id": span.trace_id, "allow_partial": allow_partial}, timeout=30)
    assert r.status_code == 200, r.text
    trace = r.json()["trace"]
    assert trace["trace_info"]["trace_id"] == span.trace_id
    assert [s["name"] for s in trace["spans"]] == ["test"]
    assert {"key": "fruit", "value": {"string_value": "apple"}} in trace["spans"][0]["attributes"]


def test_get_trace_artifact_handler(client, server_url):
    """MLflow's test_get_trace_artifact_handler: `get-trace-artifact` serves the spans as traces.json."""
    import requests
    from mlflow.entities import SpanEvent
    from mlflow.entities.trace_data import TraceData

    exp_id("traces-artifact")
    with mlflow.start_span(name="test") as span:
        span.set_attributes({"fruit": "apple"})
        span.add_event(SpanEvent("test_event", timestamp=99999, attributes={"foo": "bar"}))
    flush()
    r = requests.get(f"{server_url}/ajax-api/2.0/mlflow/get-trace-artifact",
                     params={"request_id": span.trace_id}, timeout=30)
    assert r.status_code == 200, r.text
    assert r.headers["Content-Disposition"] == "attachment; filename=traces.json"
    data = TraceData.from_dict(json.loads(r.text))
    assert data.spans[0].to_dict() == span.to_dict()
    r = requests.get(f"{server_url}/ajax-api/2.0/mlflow/get-trace-artifact", timeout=30)
    assert r.status_code == 400
    assert r.json()["message"] == 'Request must include the "request_id" query parameter.'


def test_search_traces_locations_validation(client):
    """MLflow's test_search_traces_parameter_validation (refused by the client before any request)."""
    with pytest.raises(MlflowException, match="Locations must be a list of experiment IDs"):
        client.search_traces(locations=["catalog.schema"])


def test_trace_timestamps_are_epoch_millis(client):
    exp_id("traces-times")
    before = now_ms()
    with mlflow.start_span(name="t") as s:
        time.sleep(0.05)
    t = get_trace(client, s.trace_id, spans=1)
    assert before - 5 <= t.info.request_time <= now_ms()
    assert t.info.execution_duration >= 50
    span = t.data.spans[0]
    assert span.end_time_ns - span.start_time_ns >= 50_000_000
