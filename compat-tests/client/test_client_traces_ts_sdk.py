"""The HTTP requests of MLflow's TypeScript tracing SDK (npm `mlflow-tracing`), replayed against a real server.

What the SDK sends (read from mlflow/mlflow libs/typescript/core/src: clients/client.ts, clients/utils.ts,
clients/artifacts/mlflow.ts, exporters/mlflow.ts, core/entities/{trace_info,span,span_status}.ts,
exporters/otlp.ts):
* on the root span's end, `POST /api/3.0/mlflow/traces` with `{"trace": {"trace_info": ...}}`, the trace info
  in proto-JSON: `request_time` an ISO-8601 string with milliseconds, `execution_duration` `"<seconds>s"`,
  `state` "OK"/"ERROR", `trace_metadata` holding `mlflow.trace_schema.version: "3"` (and
  `mlflow.trace.tokenUsage` when spans carry usage), empty `tags`, `assessments: []`; undefined fields are
  left out by JSON.stringify; `Content-Type: application/json`;
* then `PUT <host>/api/2.0/mlflow-artifacts/artifacts/<path of the mlflow-artifacts: URI in the returned
  tag mlflow.artifactLocation>/traces.json` with the spans: `{"spans": [{trace_id, span_id, parent_span_id
  (base64 ids, "" for a root), name, start_time_unix_nano, end_time_unix_nano (bare integers, json-bigint),
  status {code: "STATUS_CODE_OK"|..., message}, attributes (values already parsed from their JSON strings),
  events}]}`;
* reading back: `GET /api/3.0/mlflow/traces/<trace_id>`, then `GET` of the same traces.json URL;
* its OTLP/HTTP JSON encoding (exporters/otlp.ts): hex ids, `intValue` as strings, status codes 0/1/2.
The Python client then reads the same trace (the UI's get-trace-artifact too).
"""

import pytest

from support.clientutil import MLFLOW_MAJOR

if MLFLOW_MAJOR < 3:
    pytest.skip("MLflow 3's tracing (the 2.x client's is in test_client_traces_v2.py)", allow_module_level=True)

# the MLflow 3 imports come after the version check
import base64
import json
import time
import uuid

import mlflow
import requests

from support.clientutil import uniq
from support.tracing import fresh_tracer, no_export_failures

# autouse fixtures: the tracer provider reset per module, exporter failures fail the test
__all__ = ["fresh_tracer", "no_export_failures"]

JSON_HEADERS = {"Content-Type": "application/json"}


def _b64(hex_id: str) -> str:
    return base64.b64encode(bytes.fromhex(hex_id)).decode()


def _iso(ms: int) -> str:
    """JavaScript's Date.prototype.toISOString: UTC, milliseconds, 'Z'."""
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms // 1000)) + f".{ms % 1000:03d}Z"


def _ts_trace(experiment_id: str, state: str = "OK"):
    """A two-span trace as the TS SDK holds it at export time: (trace_info JSON, traces.json text)."""
    otel_trace_id = uuid.uuid4().hex
    trace_id = "tr-" + otel_trace_id
    root_id, child_id = uuid.uuid4().hex[:16], uuid.uuid4().hex[:16]
    start_ms = int(time.time() * 1000) - 2000
    start_ns = start_ms * 1_000_000 + 123_456  # a nanosecond part: must survive as a bare big integer
    info = {
        "trace_id": trace_id,
        "trace_location": {"type": "MLFLOW_EXPERIMENT", "mlflow_experiment": {"experiment_id": experiment_id}},
        "request_preview": '{"question":"2+2?"}',
        "response_preview": '"4"',
        "request_time": _iso(start_ms),
        "execution_duration": "1.25s",
        "state": state,
        "trace_metadata": {
            "mlflow.trace_schema.version": "3",
            "mlflow.trace.tokenUsage": json.dumps({"input_tokens": 5, "output_tokens": 2, "total_tokens": 7}),
        },
        "tags": {},
        "assessments": [],
    }
    status = "STATUS_CODE_OK" if state == "OK" else "STATUS_CODE_ERROR"
    spans = [
        {
            "trace_id": _b64(otel_trace_id), "span_id": _b64(root_id), "parent_span_id": "",
            "name": "agent", "start_time_unix_nano": start_ns, "end_time_unix_nano": start_ns + 1_250_000_000,
            "status": {"code": status, "message": "" if state == "OK" else "agent failed"},
            "attributes": {"mlflow.traceRequestId": trace_id, "mlflow.spanType": "AGENT",
                           "mlflow.spanInputs": {"question": "2+2?"}, "mlflow.spanOutputs": "4"},
            "events": [],
        },
        {
            "trace_id": _b64(otel_trace_id), "span_id": _b64(child_id), "parent_span_id": _b64(root_id),
            "name": "llm", "start_time_unix_nano": start_ns + 1000, "end_time_unix_nano": start_ns + 900_000_000,
            "status": {"code": "STATUS_CODE_OK", "message": ""},
            "attributes": {"mlflow.traceRequestId": trace_id, "mlflow.spanType": "LLM",
                           "mlflow.chat.tokenUsage": {"input_tokens": 5, "output_tokens": 2, "total_tokens": 7}},
            "events": [{"name": "first-token", "time_unix_nano": start_ns + 5000, "attributes": {"i": 1}}],
        },
    ]
    # json-bigint writes the nanosecond integers bare, whatever their size
    return info, json.dumps({"spans": spans}, separators=(",", ":"))


def _artifact_url(server_url: str, info: dict) -> str:
    """clients/artifacts/mlflow.ts resolveArtifactUri: the mlflow-artifacts: URI's path under the proxy."""
    uri = info["tags"]["mlflow.artifactLocation"]
    assert uri.startswith("mlflow-artifacts:"), uri
    path = uri[len("mlflow-artifacts:"):]
    path = "/" + path.lstrip("/")
    return f"{server_url}/api/2.0/mlflow-artifacts/artifacts{path}/traces.json"


def _export(server_url: str, experiment_id: str, state: str = "OK"):
    """exporters/mlflow.ts exportTraceToBackend: createTrace, then uploadTraceData."""
    info, data = _ts_trace(experiment_id, state)
    r = requests.post(f"{server_url}/api/3.0/mlflow/traces", data=json.dumps({"trace": {"trace_info": info}}),
                      headers=JSON_HEADERS, timeout=30)
    assert r.status_code == 200, r.text
    returned = r.json()["trace"]["trace_info"]
    r = requests.put(_artifact_url(server_url, returned), data=data, headers=JSON_HEADERS, timeout=30)
    assert r.status_code == 200, r.text
    return info, data, returned


def test_ts_sdk_export_and_read_back(client, server_url):
    eid = client.create_experiment(uniq("ts-sdk"))
    sent, data, returned = _export(server_url, eid)
    tid = sent["trace_id"]
    # the answer to createTrace: what the SDK parses with TraceInfo.fromJson
    assert returned["trace_id"] == tid
    assert returned["trace_location"] == sent["trace_location"]
    assert returned["request_time"] == sent["request_time"]
    assert returned["execution_duration"] == "1.250s"
    assert returned["state"] == "OK"
    assert returned["request_preview"] == sent["request_preview"]
    assert returned["response_preview"] == sent["response_preview"]
    for k, v in sent["trace_metadata"].items():
        assert returned["trace_metadata"][k] == v
    assert returned["tags"]["mlflow.artifactLocation"] == f"mlflow-artifacts:/{eid}/traces/{tid}/artifacts"

    # getTrace: getTraceInfo, then downloadTraceData
    r = requests.get(f"{server_url}/api/3.0/mlflow/traces/{tid}", headers=JSON_HEADERS, timeout=30)
    assert r.status_code == 200, r.text
    got = r.json()["trace"]["trace_info"]
    assert {k: got[k] for k in ("trace_id", "request_time", "execution_duration", "state")} == {
        "trace_id": tid, "request_time": sent["request_time"], "execution_duration": "1.250s", "state": "OK"}
    assert got["tags"]["mlflow.artifactLocation"] == returned["tags"]["mlflow.artifactLocation"]
    r = requests.get(_artifact_url(server_url, got), headers=JSON_HEADERS, timeout=30)
    assert r.status_code == 200
    assert r.text == data  # byte for byte: the big integers must not be rounded

    # the UI's download of the same trace data
    r = requests.get(f"{server_url}/ajax-api/2.0/mlflow/get-trace-artifact", params={"request_id": tid}, timeout=30)
    assert r.status_code == 200
    assert json.loads(r.text) == json.loads(data)


def test_ts_sdk_trace_seen_by_the_python_client(client, server_url):
    eid = client.create_experiment(uniq("ts-sdk-py"))
    sent, _, _ = _export(server_url, eid, state="ERROR")
    tid = sent["trace_id"]
    info = client._tracing_client.get_trace_info(tid)
    assert info.trace_id == tid and info.experiment_id == eid
    assert info.state.value == "ERROR"
    assert info.execution_duration == 1250
    assert json.loads(info.trace_metadata["mlflow.trace.tokenUsage"])["total_tokens"] == 7
    found = client.search_traces(experiment_ids=[eid], include_spans=False)
    assert [t.info.trace_id for t in found] == [tid]
    errors = client.search_traces(experiment_ids=[eid], filter_string="status = 'ERROR'", include_spans=False)
    assert [t.info.trace_id for t in errors] == [tid]
    # the SDK's tags/assessments are set through the same routes as the Python client's
    client.set_trace_tag(tid, "from", "ts")
    assert client._tracing_client.get_trace_info(tid).tags["from"] == "ts"


def test_ts_sdk_otlp_json_encoding(client, server_url):
    """exporters/otlp.ts's OTLP/HTTP JSON (hex ids, string intValue) posted to `/v1/traces`."""
    eid = client.create_experiment(uniq("ts-sdk-otlp"))
    trace_hex, root_hex, child_hex = uuid.uuid4().hex, uuid.uuid4().hex[:16], uuid.uuid4().hex[:16]
    start = time.time_ns() - 1_000_000_000

    def span(span_id, parent, name, code, attrs):
        return {"traceId": trace_hex, "spanId": span_id, **({"parentSpanId": parent} if parent else {}),
                "name": name, "kind": 1, "startTimeUnixNano": str(start), "endTimeUnixNano": str(start + 500_000_000),
                "attributes": attrs, "events": [], "status": {"code": code}}

    body = {"resourceSpans": [{
        "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "ts-app"}}]},
        "scopeSpans": [{"scope": {"name": "mlflow-tracing"}, "spans": [
            span(root_hex, None, "ts-root", 1, [{"key": "n", "value": {"intValue": "42"}},
                                                {"key": "ok", "value": {"boolValue": True}}]),
            span(child_hex, root_hex, "ts-child", 2, [{"key": "x", "value": {"doubleValue": 1.5}}]),
        ]}],
    }]}
    r = requests.post(f"{server_url}/v1/traces", data=json.dumps(body),
                      headers={"Content-Type": "application/json", "x-mlflow-experiment-id": eid}, timeout=30)
    assert r.status_code == 200, r.text
    mlflow.flush_trace_async_logging()
    trace = client.get_trace("tr-" + trace_hex, display=False)
    spans = {s.name: s for s in trace.data.spans}
    assert set(spans) == {"ts-root", "ts-child"}
    assert spans["ts-child"].parent_id == root_hex
    assert spans["ts-root"].span_id == root_hex
    assert spans["ts-root"].get_attribute("n") == 42
    assert spans["ts-root"].get_attribute("ok") is True
    assert spans["ts-child"].get_attribute("x") == 1.5
    assert spans["ts-child"].status.status_code.value == "ERROR"
    assert trace.info.experiment_id == eid
    assert spans["ts-root"].start_time_ns == start


@pytest.mark.parametrize("bad", ["missing-trace", "wrong-experiment"])
def test_ts_sdk_create_trace_errors(client, server_url, bad):
    """The SDK throws `HTTP <status>: <text>` on a non-2xx answer: the statuses must be client errors."""
    if bad == "missing-trace":
        body = {}
    else:
        info, _ = _ts_trace("987654321")
        body = {"trace": {"trace_info": info}}
    r = requests.post(f"{server_url}/api/3.0/mlflow/traces", data=json.dumps(body), headers=JSON_HEADERS,
                      timeout=30)
    assert 400 <= r.status_code < 500, (r.status_code, r.text)
    assert r.json()["error_code"] in ("INVALID_PARAMETER_VALUE", "RESOURCE_DOES_NOT_EXIST", "BAD_REQUEST")
