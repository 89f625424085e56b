"""Helpers of the tracing client tests (test_client_traces*.py).

The mlflow client builds its tracer provider (and the exporter's tracking URI) once, on the first span;
every module talks to a fresh server, so the provider is reset around each module. Spans and trace infos
are exported asynchronously: tests flush before reading back.
"""

from __future__ import annotations

import logging
import time

import mlflow
import pytest
from mlflow.entities import TraceInfo, TraceLocation, TraceState

from support.clientutil import uniq

# the key of the trace metadata entry naming the run a trace was made in (mlflow.tracing.constant)
SOURCE_RUN = "mlflow.sourceRun"
SCHEMA_VERSION = "mlflow.trace_schema.version"
TOKEN_USAGE = "mlflow.trace.tokenUsage"


@pytest.fixture(scope="module", autouse=True)
def fresh_tracer():
    """Re-initialise the client's tracer provider for this module's server (and drop it afterwards)."""
    mlflow.tracing.reset()
    yield
    mlflow.flush_trace_async_logging()
    mlflow.tracing.reset()


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def no_export_failures():
    """The client's exporter never raises: a refused trace info is a warning ("Failed to send trace to MLflow
    backend"), refused spans only a debug line ("Failed to log span to MLflow backend", which MLflow's own
    test_start_trace checks for). Any such line fails the test, with the server's answer in the message."""
    handler = _Records()
    logger = logging.getLogger("mlflow.tracing.export")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield
        flush()
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    failures = [r.getMessage() for r in handler.records if "failed to" in r.getMessage().lower()]
    assert not failures, "the tracing exporter reported failures:\n" + "\n".join(failures)


def flush() -> None:
    """Wait until the async exporter has sent every finished trace (info + spans).

    This is what `mlflow.flush_trace_async_logging()` does, without its second pass over the same exporter: it drains
    the batch span processors and their exporters' queues, then the current exporter's queue again, and here that is
    the processor's own exporter. Each pass over an exporter's queue waits up to 1 s for the queue's idle consumer
    thread to notice the stop (it polls with `get(timeout=1)`), so the second pass cost ~1 s a flush, ~2 s a test
    (ci-time, issue 18). A client without these functions (another pin) flushes its own way.
    """
    try:
        from mlflow.tracing.export.utils import flush_exporter
        from mlflow.tracing.processor.base_mlflow import _batch_processor_registry, flush_all_batch_processors
        from mlflow.tracking.fluent import _get_trace_exporter
    except ImportError:
        mlflow.flush_trace_async_logging()
        return
    drained = {id(processor.span_exporter) for processor in list(_batch_processor_registry)}
    flush_all_batch_processors()
    exporter = _get_trace_exporter()
    if exporter is not None and id(exporter) not in drained:
        flush_exporter(exporter)


def get_trace(client, trace_id: str, spans: int | None = None, timeout: float = 20.0):
    """The trace after flushing; with `spans`, waits until that many spans are readable (OTLP export is
    a separate request from the trace info)."""
    flush()
    deadline = time.monotonic() + timeout
    while True:
        trace = client.get_trace(trace_id, display=False)
        if spans is None or len(trace.data.spans) >= spans or time.monotonic() > deadline:
            return trace
        time.sleep(0.1)


def exp_id(prefix: str) -> str:
    """A fresh experiment, made the active one (fluent tracing logs into the active experiment)."""
    return mlflow.set_experiment(uniq(prefix)).experiment_id


def start_trace_info(tracing_client, experiment_id: str, request_time: int, trace_id: str | None = None,
                     state=TraceState.OK, duration: int = 5, tags: dict | None = None,
                     metadata: dict | None = None) -> TraceInfo:
    """One trace info, written directly (`POST /api/3.0/mlflow/traces`) with a chosen request time."""
    import uuid

    return tracing_client.start_trace(TraceInfo(
        trace_id=trace_id or f"tr-{uuid.uuid4().hex}",
        trace_location=TraceLocation.from_experiment_id(experiment_id),
        request_time=request_time,
        execution_duration=duration,
        state=state,
        tags=tags or {},
        trace_metadata=metadata or {},
    ))
