"""search_traces through the 3.x client over traces it logged itself (spans over OTLP): the filter grammar (trace
attributes, tags, metadata, span name/type/status/attributes/content, full text), order_by and paging. The expected
answers were recorded from the reference server with the same traces; `COMPAT_TARGET=reference` checks them there."""

import os

import mlflow
import pytest
from mlflow.entities import SpanType

from support.clientutil import MLFLOW_MAJOR, raises_code, uniq

if MLFLOW_MAJOR < 3:
    pytest.skip("the 3.x client's tracing", allow_module_level=True)


def _log(i):
    @mlflow.trace(
        name=f"root{i}",
        span_type=SpanType.CHAIN,
        attributes={"model": ["gpt-4", "gpt-4o", "claude"][i % 3], "k": i},
    )
    def root(q):
        kind = SpanType.LLM if i % 2 else SpanType.RETRIEVER
        with mlflow.start_span(name="llm" if i % 2 else "retrieve", span_type=kind) as s:
            s.set_inputs({"q": q})
            s.set_outputs(f"answer {q} wörld" if i % 4 == 0 else f"answer {q}")
            s.set_attribute("temperature", 0.5 if i % 2 else 1)
        mlflow.update_current_trace(tags={"env": "prod" if i < 3 else "dev"}, metadata={"user": f"u{i % 2}"})
        return q

    root(f"hello {i}")


@pytest.fixture(scope="module")
def experiment(tracking_server):
    previous = os.environ.get("MLFLOW_ENABLE_ASYNC_TRACE_LOGGING")
    os.environ["MLFLOW_ENABLE_ASYNC_TRACE_LOGGING"] = "false"
    mlflow.set_tracking_uri(tracking_server.url)
    try:
        eid = mlflow.MlflowClient().create_experiment(uniq("search-traces"))
        mlflow.set_experiment(experiment_id=eid)
        for i in range(6):
            _log(i)
    finally:
        if previous is None:
            os.environ.pop("MLFLOW_ENABLE_ASYNC_TRACE_LOGGING", None)
        else:
            os.environ["MLFLOW_ENABLE_ASYNC_TRACE_LOGGING"] = previous
    return eid


def _names(traces):
    return [t.info.tags.get("mlflow.traceName") for t in traces]


ALL = ["root5", "root4", "root3", "root2", "root1", "root0"]


@pytest.mark.parametrize(
    ("filter_string", "expected"),
    [
        ("", ALL),
        ("span.name = 'llm'", ["root5", "root3", "root1"]),
        ("span.type = 'RETRIEVER' AND span.name = 'retrieve'", ["root4", "root2", "root0"]),
        ("span.status = 'OK'", ALL),
        ("span.attributes.model LIKE '%gpt%'", ["root4", "root3", "root1", "root0"]),
        ("span.attributes.model ILIKE '%GPT-4O%'", ["root4", "root1"]),
        ("span.attributes.model RLIKE '^gpt-4$'", ["root3", "root0"]),
        ("span.attributes.model RLIKE 'claude$'", ["root5", "root2"]),
        ("span.attributes.k LIKE '%3%'", ["root3"]),
        ("span.attributes.temperature LIKE '%0.5%'", ["root5", "root3", "root1"]),
        ("span.attributes.model = 'gpt-4'", []),
        ("span.attributes.`mlflow.spanType` LIKE '%LLM%'", ["root5", "root3", "root1"]),
        ("trace.text LIKE '%hello 3%'", ["root3"]),
        ("trace.text LIKE '%wörld%'", ["root4", "root0"]),
        ("trace.text ILIKE '%HELLO%'", ALL),
        ("span.content LIKE '%answer%'", ALL),
        ("span.name IN ('llm', 'root1')", ["root5", "root3", "root1"]),
        ("tags.env = 'prod'", ["root2", "root1", "root0"]),
        ("metadata.user = 'u1'", ["root5", "root3", "root1"]),
        ("name = 'root2'", ["root2"]),
        ("status = 'OK'", ALL),
        ("tags.env = 'prod' AND span.type = 'LLM'", ["root1"]),
    ],
)
def test_search_traces_filters(client, experiment, filter_string, expected):
    found = client.search_traces(locations=[experiment], filter_string=filter_string, include_spans=False)
    assert _names(found) == expected


@pytest.mark.parametrize(
    ("order_by", "expected"),
    [
        (["timestamp_ms ASC"], ALL[::-1]),
        (["name DESC"], ALL),
        (["tags.env", "name"], ["root3", "root4", "root5", "root0", "root1", "root2"]),
    ],
)
def test_search_traces_order_by(client, experiment, order_by, expected):
    assert _names(client.search_traces(locations=[experiment], order_by=order_by, include_spans=False)) == expected


def test_search_traces_pages(client, experiment):
    seen, token = [], None
    while True:
        page = client.search_traces(
            locations=[experiment], max_results=4, order_by=["name"], page_token=token, include_spans=False
        )
        seen += _names(page)
        token = page.token
        if not token:
            break
    assert seen == ALL[::-1]
    df = mlflow.search_traces(locations=[experiment], filter_string="metadata.user = 'u0'")
    assert sorted(df["trace_id"].tolist()) == sorted(
        t.info.trace_id for t in client.search_traces(locations=[experiment], filter_string="metadata.user = 'u0'")
    )


@pytest.mark.parametrize(
    ("filter_string", "message"),
    [
        ("tags.env > 'a'", "Invalid comparator '>' not one of"),
        ("status = 'OK' OR status = 'ERROR'", "Invalid clause(s) in filter string: 'OR'"),
        ("span.foo = 'x'", "Invalid span attribute 'foo'"),
        ("feedback.quality = 1", "Expected a quoted string value for feedback"),
    ],
)
def test_search_traces_bad_filters(client, experiment, filter_string, message):
    raises_code(
        "INVALID_PARAMETER_VALUE",
        client.search_traces,
        locations=[experiment],
        filter_string=filter_string,
        include_spans=False,
        match=message,
    )
