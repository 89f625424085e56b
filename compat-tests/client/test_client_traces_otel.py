"""OTLP ingest at `/v1/traces`: a plain OpenTelemetry SDK (not mlflow) exports spans over OTLP/HTTP protobuf,
plain and gzip-compressed, with the experiment in the `x-mlflow-experiment-id` header (mlflow/server/otel_api.py);
the mlflow client reads the traces back. Also the mlflow client's own span logging through the same endpoint
(RestStore.log_spans / log_spans_async, MLflow's test_rest_store_logs_spans_via_otel_endpoint)."""

import pytest

from support.clientutil import MLFLOW_MAJOR

if MLFLOW_MAJOR < 3:
    pytest.skip("MLflow 3's tracing (the 2.x client's is in test_client_traces_v2.py)", allow_module_level=True)

# the MLflow 3 imports come after the version check
import asyncio
import json

import mlflow
from mlflow.entities import SpanStatusCode, TraceState
from opentelemetry.exporter.otlp.proto.http import Compression
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExporter, SpanExportResult
from opentelemetry.trace import Status, StatusCode

from support.clientutil import assert_recent_ms, uniq
from support.tracing import fresh_tracer, get_trace, no_export_failures

# autouse fixtures: the tracer provider reset per module, exporter failures fail the test
__all__ = ["fresh_tracer", "no_export_failures"]


class _Checked(SpanExporter):
    """Wraps the OTLP exporter and records every export result (an export failure must fail the test)."""

    def __init__(self, inner: SpanExporter) -> None:
        self.inner = inner
        self.results: list[SpanExportResult] = []

    def export(self, spans):
        result = self.inner.export(spans)
        self.results.append(result)
        return result

    def shutdown(self):
        self.inner.shutdown()


def _provider(server_url: str, experiment_id: str, compression: Compression, run_id: str | None = None):
    headers = {"x-mlflow-experiment-id": experiment_id}
    if run_id:
        headers["x-mlflow-run-id"] = run_id
    exporter = _Checked(OTLPSpanExporter(endpoint=f"{server_url}/v1/traces", headers=headers,
                                         compression=compression, timeout=30))
    provider = TracerProvider(resource=Resource.create({"service.name": "compat-otel-sdk"}))
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider, exporter


def _tid(span) -> str:
    return "tr-" + format(span.get_span_context().trace_id, "032x")


@pytest.mark.parametrize("compression", [Compression.NoCompression, Compression.Gzip], ids=["plain", "gzip"])
def test_otel_sdk_exporter_spans_are_read_back(client, server_url, compression):
    eid = client.create_experiment(uniq("otel-sdk"))
    provider, exporter = _provider(server_url, eid, compression)
    tracer = provider.get_tracer("compat.otel")
    with tracer.start_as_current_span("agent", attributes={"app.user": "alice", "app.n": 7}) as root:
        with tracer.start_as_current_span("llm-call") as child:
            child.set_attribute("gen_ai.request.model", "m-1")
            child.add_event("token", {"i": 1})
        with tracer.start_as_current_span("tool") as failing:
            failing.set_status(Status(StatusCode.ERROR, "tool broke"))
    provider.shutdown()
    assert exporter.results and all(r == SpanExportResult.SUCCESS for r in exporter.results), exporter.results

    tid = _tid(root)
    trace = get_trace(client, tid, spans=3)
    info = trace.info
    assert info.trace_id == tid
    assert info.experiment_id == eid
    assert info.state == TraceState.OK
    assert_recent_ms(info.request_time)
    assert info.execution_duration is not None and info.execution_duration >= 0
    spans = {s.name: s for s in trace.data.spans}
    assert set(spans) == {"agent", "llm-call", "tool"}
    r = spans["agent"]
    assert r.parent_id is None
    assert r.span_id == format(root.get_span_context().span_id, "016x")
    for name in ("llm-call", "tool"):
        assert spans[name].parent_id == r.span_id
        assert spans[name].trace_id == tid
    assert r.get_attribute("app.user") == "alice"
    assert r.get_attribute("app.n") == 7
    assert spans["llm-call"].get_attribute("gen_ai.request.model") == "m-1"
    assert [e.name for e in spans["llm-call"].events] == ["token"]
    assert spans["tool"].status.status_code == SpanStatusCode.ERROR
    assert spans["tool"].status.description == "tool broke"
    assert r.start_time_ns == root.start_time and r.end_time_ns == root.end_time
    # searchable like any other trace
    found = client.search_traces(experiment_ids=[eid])
    assert [t.info.trace_id for t in found] == [tid]


def test_otel_sdk_error_root_and_run_header(client, server_url):
    eid = client.create_experiment(uniq("otel-run"))
    run = client.create_run(eid)
    provider, exporter = _provider(server_url, eid, Compression.Gzip, run_id=run.info.run_id)
    tracer = provider.get_tracer("compat.otel")
    with tracer.start_as_current_span("failing-root") as root:
        root.set_status(Status(StatusCode.ERROR, "root failed"))
    provider.shutdown()
    assert exporter.results == [SpanExportResult.SUCCESS]
    tid = _tid(root)
    trace = get_trace(client, tid, spans=1)
    assert trace.info.state == TraceState.ERROR
    # the x-mlflow-run-id header links the finished trace to the run
    linked = client.search_traces(experiment_ids=[eid], run_id=run.info.run_id)
    assert [t.info.trace_id for t in linked] == [tid]


def test_otel_spans_of_one_trace_in_two_requests(client, server_url):
    """A child exported before its root (separate requests): the trace is complete once the root arrives."""
    eid = client.create_experiment(uniq("otel-split"))
    provider, exporter = _provider(server_url, eid, Compression.NoCompression)
    tracer = provider.get_tracer("compat.otel")
    with tracer.start_as_current_span("root") as root:
        with tracer.start_as_current_span("first-child"):
            pass
        # the child has been exported (SimpleSpanProcessor), the root not yet
        assert len(exporter.results) == 1
    provider.shutdown()
    assert exporter.results == [SpanExportResult.SUCCESS] * 2
    trace = get_trace(client, _tid(root), spans=2)
    assert {s.name for s in trace.data.spans} == {"root", "first-child"}


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_rest_store_logs_spans_via_otel_endpoint(client, use_async):
    """MLflow's test_rest_store_logs_spans_via_otel_endpoint: RestStore.log_spans(_async) posts OTLP spans."""
    from mlflow.entities import Span
    from mlflow.entities.span import SpanAttributeKey
    from mlflow.entities.trace_status import TraceStatus
    from mlflow.tracing.utils import build_otel_context
    from opentelemetry.sdk.trace import ReadableSpan

    eid = client.create_experiment(uniq(f"otel-rest-store-{use_async}"))
    root = client.start_trace(f"rest_store_otel_trace_{use_async}", experiment_id=eid)
    otel_span = ReadableSpan(
        name=f"test-rest-store-span-{use_async}",
        context=build_otel_context(trace_id=int(root.trace_id[3:], 16), span_id=0x1234567890ABCDEF),
        parent=None,
        start_time=1_000_000_000,
        end_time=2_000_000_000,
        attributes={SpanAttributeKey.REQUEST_ID: root.trace_id, "test.attribute": json.dumps(f"v-{use_async}")},
        resource=None,
    )
    store = client._tracking_client.store
    if use_async:
        logged = asyncio.run(store.log_spans_async(location=eid, spans=[Span(otel_span)]))
    else:
        logged = store.log_spans(location=eid, spans=[Span(otel_span)])
    assert [s.name for s in logged] == [f"test-rest-store-span-{use_async}"]
    client.end_trace(root.trace_id, status=TraceStatus.OK)
    mlflow.flush_trace_async_logging()
    trace = get_trace(client, root.trace_id)
    names = {s.name for s in trace.data.spans}
    assert f"test-rest-store-span-{use_async}" in names
    [logged_span] = [s for s in trace.data.spans if s.name == f"test-rest-store-span-{use_async}"]
    assert logged_span.get_attribute("test.attribute") == f"v-{use_async}"
    assert logged_span.start_time_ns == 1_000_000_000 and logged_span.end_time_ns == 2_000_000_000
