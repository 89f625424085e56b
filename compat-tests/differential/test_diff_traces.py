"""Differential: every trace route of the reference, raw REST — v3 (start, get info, get with spans, batchGet,
batchGetInfos, search, tags, delete-traces, link-to-run, link-prompts), v2 (start, end, info, search, tags),
the /ajax-api twins, OTLP ingest at /v1/traces, and their error answers.

Trace ids are chosen by the scenarios (the hex part is masked like a run id, support/diff.py); request
times are sent explicitly, so only server-generated times are masked."""

import gzip

import mlflow
import pytest

from support.diff import Differ, ServerState

if int(mlflow.__version__.split(".")[0]) < 3:
    pytest.skip("MLflow 3's trace routes (a 2.x reference has only the v2 ones)", allow_module_level=True)

V3 = "/api/3.0/mlflow/traces"
AJAX3 = "/ajax-api/3.0/mlflow/traces"
V2 = "/api/2.0/mlflow/traces"
AJAX2 = "/ajax-api/2.0/mlflow/traces"
BASE_MS = 1_700_000_000_000


@pytest.fixture
def differ(diff_servers) -> Differ:
    """A Differ with its own id placeholders: every scenario here makes its own experiment and traces, so a
    scenario that failed on one side does not shift the numbering (`<run:N>`) of the next ones."""
    (a, b), states = diff_servers
    return Differ(a.url, b.url, states=[ServerState(s.name, s.base_url) for s in states])


def _tid(n: int, scope: int) -> str:
    """A fixed trace id, unique per scenario (scope) and trace (n)."""
    return f"tr-{scope:08x}{n:024x}"


def _iso(ms: int) -> str:
    import time

    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms // 1000)) + f".{ms % 1000:03d}Z"


def _trace_info(tid: str, n: int = 0, state: str = "OK", tags: dict | None = None, meta: dict | None = None,
                eid: str = "${eid}", **extra) -> dict:
    info = {
        "trace_id": tid,
        "trace_location": {"type": "MLFLOW_EXPERIMENT", "mlflow_experiment": {"experiment_id": eid}},
        "request_time": _iso(BASE_MS + n * 1000),
        "execution_duration": f"{n + 1}.5s",
        "state": state,
        "trace_metadata": meta if meta is not None else {"m": f"x{n}"},
        "tags": tags if tags is not None else {"k": f"v{n % 2}", "mlflow.traceName": f"name{n}"},
    }
    info.update(extra)
    return info


def _locations(eid: str = "${eid}") -> list:
    return [{"type": "MLFLOW_EXPERIMENT", "mlflow_experiment": {"experiment_id": eid}}]


def _experiment(d, name: str) -> None:
    d.post("experiments/create", {"name": name}, save={"eid": "experiment_id"}, expect_status=200)


def _start(d, tid: str, n: int = 0, base: str = V3, **kw) -> None:
    d.call("POST", base, {"trace": {"trace_info": _trace_info(tid, n, **kw)}}, expect_status=200)


def _otlp_span(trace_hex: str, span_hex: str, parent_hex: str | None, name: str, start_ns: int, end_ns: int,
               code: int = 1, attrs: list | None = None) -> bytes:
    """One OTLP/HTTP protobuf ExportTraceServiceRequest with one span."""
    from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

    req = ExportTraceServiceRequest()
    rs = req.resource_spans.add()
    kv = rs.resource.attributes.add()
    kv.key, kv.value.string_value = "service.name", "compat-diff"
    span = rs.scope_spans.add().spans.add()
    span.trace_id = bytes.fromhex(trace_hex)
    span.span_id = bytes.fromhex(span_hex)
    if parent_hex:
        span.parent_span_id = bytes.fromhex(parent_hex)
    span.name = name
    span.start_time_unix_nano, span.end_time_unix_nano = start_ns, end_ns
    span.status.code = code
    for key, value in attrs or []:
        a = span.attributes.add()
        a.key = key
        a.value.string_value = value
    return req.SerializeToString()


def _otlp(d, body: bytes, eid_header: str | None = "${eid}", ctype: str = "application/x-protobuf",
          encoding: str | None = None, **kw):
    headers = {"Content-Type": ctype}
    if eid_header is not None:
        headers["x-mlflow-experiment-id"] = eid_header
    if encoding:
        headers["Content-Encoding"] = encoding
    # the success answer is an empty protobuf message: compare the status (and error bodies as JSON)
    return d.call("POST", "/v1/traces", raw_body=body, headers=headers, **kw)


# --------------------------------------------------------------------------- v3


def test_v3_start_get_and_errors(differ):
    d = differ
    _experiment(d, "diff-traces-v3")
    t0, t1 = _tid(0, 1), _tid(1, 1)
    _start(d, t0, 0)
    _start(d, t1, 1, state="ERROR", client_request_id="req-1", request_preview='{"q": 1}', response_preview="2")
    d.get(f"{V3}/{t0}", expect_status=200)
    d.get(f"{AJAX3}/{t1}", expect_status=200)
    # start again with the same id: the reference merges
    d.call("POST", V3, {"trace": {"trace_info": _trace_info(t0, 0, state="ERROR", tags={"k": "new"},
                                                            meta={"m2": "y"})}})
    d.get(f"{V3}/{t0}")
    # ajax twin of start
    d.call("POST", AJAX3, {"trace": {"trace_info": _trace_info(_tid(2, 1), 2)}})
    d.get(f"{V3}/{_tid(2, 1)}")
    # trace info with no spans: traces/get has nothing to serve
    d.get(f"{V3}/get", {"trace_id": t0})
    d.get(f"{V3}/get", {"trace_id": _tid(99, 1)})
    d.get(f"{V3}/get", {})
    d.get(f"{V3}/{_tid(99, 1)}", expect_status=404)
    # start: missing / malformed fields
    d.call("POST", V3, {}, expect_status=400)
    d.call("POST", V3, {"trace": {}})
    d.call("POST", V3, {"trace": {"trace_info": {}}})
    d.call("POST", V3, {"trace": "x"})
    d.call("POST", V3, {"trace": {"trace_info": _trace_info(_tid(3, 1), 3, eid="987654")}})
    # fields its parser rejects: the reference stores the trace without them, tracklite refuses (bad-input)
    d.call("POST", V3, {"trace": {"trace_info": _trace_info(_tid(4, 1), 4, state="BOGUS")}}, known="bad-input")
    d.call("POST", V3, {"trace": {"trace_info": _trace_info(_tid(5, 1), 5, request_time="yesterday")}},
           known="bad-input")
    d.call("POST", V3, {"trace": {"trace_info": _trace_info(_tid(6, 1), 6, execution_duration=5)}},
           known="bad-input")
    d.call("POST", V3, {"trace": {"trace_info": _trace_info(_tid(7, 1), 7, tags={"k": 5})}}, known="bad-input")
    d.call("POST", V3, raw_body="{not json")
    d.assert_equal()


def test_v3_tags(differ):
    d = differ
    _experiment(d, "diff-traces-tags")
    t = _tid(0, 2)
    _start(d, t, 0)
    for base in (V3, AJAX3):
        d.call("PATCH", f"{base}/{t}/tags", {"key": "color", "value": "red"}, expect_status=200)
        d.call("PATCH", f"{base}/{t}/tags", {"key": "empty", "value": ""})
        d.call("PATCH", f"{base}/{t}/tags", {"key": "novalue"})
        d.get(f"{V3}/{t}")
        d.call("DELETE", f"{base}/{t}/tags", {"key": "color"}, expect_status=200)
        d.call("DELETE", f"{base}/{t}/tags", {"key": "color"}, expect_status=404)
    d.get(f"{V3}/{t}")
    d.call("PATCH", f"{V3}/{t}/tags", {"value": "x"}, expect_status=400)
    d.call("PATCH", f"{V3}/{t}/tags", {"key": 5, "value": "x"})
    d.call("PATCH", f"{V3}/{t}/tags", {"key": "k", "value": 5})
    d.call("DELETE", f"{V3}/{t}/tags", {}, expect_status=400)
    d.call("DELETE", f"{V3}/{_tid(99, 2)}/tags", {"key": "k"})
    # system tags guarded by the handlers
    d.call("PATCH", f"{V3}/{t}/tags", {"key": "mlflow.artifactLocation", "value": "x"})
    d.call("DELETE", f"{V3}/{t}/tags", {"key": "mlflow.artifactLocation"})
    d.call("PATCH", f"{V3}/{t}/tags", {"key": "mlflow.traceName", "value": "renamed"})
    d.get(f"{V3}/{t}")
    d.assert_equal()


def test_v3_set_tag_on_unknown_trace(differ):
    d = differ
    # the reference answers 400 with a leaked foreign-key error (masked to <sql-error>)
    d.call("PATCH", f"{V3}/{_tid(99, 3)}/tags", {"key": "k", "value": "v"})
    d.assert_equal()


def test_v3_search(differ):
    d = differ
    _experiment(d, "diff-traces-search")
    ids = [_tid(n, 4) for n in range(6)]
    for n, t in enumerate(ids):
        _start(d, t, n, state="ERROR" if n % 3 == 0 else "OK")
    loc = _locations()
    for base in (V3, AJAX3):
        d.call("POST", f"{base}/search", {"locations": loc}, expect_status=200)
    for f in ["status = 'OK'", "trace.status = 'ERROR'", "attributes.status != 'OK'", "tags.k = 'v1'",
              "tags.k LIKE 'v%'", "tags.k ILIKE 'V1'", "tags.k != 'v0'", "tags.`mlflow.traceName` = 'name3'",
              "metadata.m = 'x3'", "request_metadata.m = 'x1'", "name = 'name2'", "trace.name != 'name1'",
              "name LIKE 'name%'", "timestamp_ms > 1700000002000", "timestamp >= 1700000003000",
              "execution_time_ms >= 3500", "execution_time < 3000", "status = 'OK' AND tags.k = 'v0'",
              "status = 'NOPE'", "tags.missing IS NULL", "tags.k IS NOT NULL", "client_request_id = 'x'",
              "request_id = '" + ids[2] + "'", "run_id = 'abc'", "span.name = 'x'", "span.type = 'TOOL'",
              "trace.text LIKE '%x%'", "prompt = 'p/1'", "end_time_ms > 1"]:
        d.call("POST", f"{V3}/search", {"locations": loc, "filter": f}, label=f"filter {f}")
    # bad filters: the reference's exact messages
    for f in ["bogus = 1", "tags.k = ", "name IN ('a')", "status = OK", "tags.k > 'a'", "timestamp_ms = 'x'",
              "metadata.m LIKE 5", "attributes.name = 'x' OR tags.k = 'y'", "foo.bar = 'x'", "name = 'a' AND"]:
        d.call("POST", f"{V3}/search", {"locations": loc, "filter": f}, label=f"bad filter {f}")
    for ob in [["timestamp_ms ASC"], ["execution_time_ms DESC"], ["name ASC"], ["status"], ["timestamp DESC"],
               ["request_id"], ["experiment_id"], ["bogus"], ["name SIDEWAYS"], ["tags.k"]]:
        d.call("POST", f"{V3}/search", {"locations": loc, "order_by": ob}, label=f"order {ob}")
    # paging: each side gets its own token back
    d.call("POST", f"{V3}/search", {"locations": loc, "max_results": 4},
           save={"tok": "next_page_token"}, expect_status=200)
    d.call("POST", f"{V3}/search", {"locations": loc, "max_results": 4, "page_token": "${tok}"})
    d.call("POST", f"{V3}/search", {"locations": loc, "max_results": 0})
    d.call("POST", f"{V3}/search", {"locations": loc, "max_results": 500})
    d.call("POST", f"{V3}/search", {"locations": loc, "max_results": 501}, expect_status=400)
    d.call("POST", f"{V3}/search", {"locations": loc, "max_results": -1})
    d.call("POST", f"{V3}/search", {"locations": loc, "max_results": "x"})
    d.call("POST", f"{V3}/search", {"locations": loc, "page_token": "garbage"}, expect_status=400)
    d.call("POST", f"{V3}/search", {"locations": loc, "page_token": "eyJvZmZzZXQiOiAtMX0="})
    d.call("POST", f"{V3}/search", {"locations": loc, "page_token": "eyJmb28iOiAxfQ=="})
    # locations
    d.call("POST", f"{V3}/search", {}, expect_status=400)
    d.call("POST", f"{V3}/search", {"locations": []})
    d.call("POST", f"{V3}/search", {"locations": _locations("987654")})
    d.call("POST", f"{V3}/search", {"locations": "x"})
    d.call("POST", f"{V3}/search", {"locations": loc, "filter": 5})
    d.call("POST", f"{V3}/search", {"locations": loc, "order_by": "name"})
    d.assert_equal()


def test_v3_batch_get_and_delete(differ):
    d = differ
    _experiment(d, "diff-traces-batch")
    ids = [_tid(n, 5) for n in range(5)]
    for n, t in enumerate(ids):
        _start(d, t, n)
    d.post(f"{V3}/batchGetInfos", {"trace_ids": ids[:3]}, expect_status=200)
    d.post(f"{AJAX3}/batchGetInfos", {"trace_ids": [ids[4], ids[0], _tid(99, 5)]})
    d.post(f"{V3}/batchGetInfos", {"trace_ids": ids[:2], "experiment_ids": ["${eid}"]})
    d.post(f"{V3}/batchGetInfos", {"trace_ids": ids[:2], "experiment_ids": ["987654"]})
    d.post(f"{V3}/batchGetInfos", {"trace_ids": []})
    d.post(f"{V3}/batchGetInfos", {}, expect_status=400)
    d.post(f"{V3}/batchGetInfos", {"trace_ids": "x"})
    d.post(f"{V3}/batchGetInfos", {"trace_ids": [5]})
    # batchGet: complete traces (these have no spans)
    d.get(f"{V3}/batchGet", [("trace_ids", ids[0]), ("trace_ids", ids[1])])
    d.get(f"{AJAX3}/batchGet", [("trace_ids", ids[2])])
    d.get(f"{V3}/batchGet", {})
    # delete-traces by ids, by time (oldest first), both bases
    d.post(f"{V3}/delete-traces", {"experiment_id": "${eid}", "request_ids": [ids[4]]}, expect_status=200)
    d.post(f"{V3}/delete-traces", {"experiment_id": "${eid}", "request_ids": [ids[4]]})
    d.post(f"{V2}/delete-traces", {"experiment_id": "${eid}", "max_timestamp_millis": BASE_MS + 2000,
                                   "max_traces": 2})
    d.post(f"{V3}/batchGetInfos", {"trace_ids": ids})
    d.post(f"{AJAX2}/delete-traces", {"experiment_id": "${eid}", "max_timestamp_millis": BASE_MS + 10_000})
    d.post(f"{V3}/search", {"locations": _locations()})
    # delete-traces errors
    d.post(f"{V3}/delete-traces", {}, expect_status=400)
    d.post(f"{V3}/delete-traces", {"experiment_id": "${eid}"})
    d.post(f"{V3}/delete-traces", {"experiment_id": "${eid}", "request_ids": ["x"], "max_timestamp_millis": 1})
    d.post(f"{V3}/delete-traces", {"experiment_id": "${eid}", "request_ids": ["x"], "max_traces": 1})
    d.post(f"{V3}/delete-traces", {"experiment_id": "${eid}", "max_traces": 1})
    d.post(f"{V3}/delete-traces", {"experiment_id": "${eid}", "max_timestamp_millis": "x"})
    d.post(f"{V3}/delete-traces", {"experiment_id": "${eid}", "max_timestamp_millis": 1, "max_traces": 0})
    d.post(f"{V3}/delete-traces", {"experiment_id": "987654", "max_timestamp_millis": 1})
    d.post(f"{V3}/delete-traces", {"experiment_id": 5, "max_timestamp_millis": 1})
    d.assert_equal()


def test_link_to_run_and_prompts(differ):
    d = differ
    _experiment(d, "diff-traces-links")
    d.post("runs/create", {"experiment_id": "${eid}", "run_name": "r", "start_time": BASE_MS},
           save={"rid": "run.info.run_id"}, expect_status=200)
    ids = [_tid(n, 6) for n in range(3)]
    for n, t in enumerate(ids):
        _start(d, t, n)
    d.post(f"{V2}/link-to-run", {"trace_ids": ids[:2], "run_id": "${rid}"}, expect_status=200)
    d.post(f"{AJAX2}/link-to-run", {"trace_ids": [ids[2]], "run_id": "${rid}"})
    d.post(f"{V3}/search", {"locations": _locations(), "filter": "attribute.run_id = '${rid}'"})
    d.get(f"{V3}/{ids[0]}")
    d.post(f"{V2}/link-to-run", {"trace_ids": ids[:1], "run_id": "${rid}"})  # again
    d.post(f"{V2}/link-to-run", {"trace_ids": [_tid(99, 6)], "run_id": "${rid}"})
    d.post(f"{V2}/link-to-run", {"trace_ids": ids[:1], "run_id": "0" * 32})
    d.post(f"{V2}/link-to-run", {"trace_ids": ids[:1]}, expect_status=400)
    d.post(f"{V2}/link-to-run", {"run_id": "${rid}"})
    d.post(f"{V2}/link-to-run", {"trace_ids": [], "run_id": "${rid}"})
    d.post(f"{V2}/link-to-run", {"trace_ids": [f"tr-{n:032x}" for n in range(101)], "run_id": "${rid}"})
    # link-prompts: registered prompt versions referenced by name/version
    d.post("registered-models/create", {"name": "diff-trace-prompt",
                                        "tags": [{"key": "mlflow.prompt.is_prompt", "value": "true"}]},
           expect_status=200)
    d.post("model-versions/create", {"name": "diff-trace-prompt", "source": "dummy-source",
                                     "tags": [{"key": "mlflow.prompt.is_prompt", "value": "true"},
                                              {"key": "mlflow.prompt.text", "value": "Hi {{name}}"}]},
           expect_status=200)
    d.post(f"{V2}/link-prompts", {"trace_id": ids[0], "prompt_versions": [{"name": "diff-trace-prompt",
                                                                          "version": "1"}]}, expect_status=200)
    d.get(f"{V3}/{ids[0]}")
    d.post(f"{AJAX2}/link-prompts", {"trace_id": ids[1], "prompt_versions": []})
    d.post(f"{V2}/link-prompts", {"trace_id": _tid(99, 6), "prompt_versions": [{"name": "diff-trace-prompt",
                                                                                "version": "1"}]})
    d.post(f"{V2}/link-prompts", {"prompt_versions": []}, expect_status=400)
    d.post(f"{V2}/link-prompts", {"trace_id": ids[0]})
    d.assert_equal()


# --------------------------------------------------------------------------- assessments


def test_assessments(differ):
    d = differ
    _experiment(d, "diff-traces-assess")
    t = _tid(0, 7)
    _start(d, t, 0)
    A = f"{V3}/{t}/assessments"
    fb = {"assessment": {"assessment_name": "quality", "trace_id": t,
                         "feedback": {"value": {"rating": 4, "comments": "good"}},
                         "source": {"source_type": "HUMAN", "source_id": "alice@example.com"},
                         "rationale": "accurate", "metadata": {"model": "m1"}}}
    d.post(A, fb, save={"aid": "assessment.assessment_id"}, expect_status=200)
    d.get(f"{A}/${{aid}}", expect_status=200)
    d.get(f"{AJAX3}/{t}/assessments/${{aid}}")
    d.call("PATCH", f"{A}/${{aid}}", {"assessment": {"assessment_name": "quality2", "rationale": "re-checked",
                                                     "feedback": {"value": 5}, "metadata": {"v": "2"}},
                                      "update_mask": "assessmentName,feedback,rationale,metadata"},
           expect_status=200)
    d.get(f"{A}/${{aid}}")
    # override: the original becomes invalid; deleting the override restores it
    d.post(A, {"assessment": {"assessment_name": "quality", "trace_id": t, "feedback": {"value": 3},
                              "source": {"source_type": "HUMAN", "source_id": "bob"}, "overrides": "${aid}"}},
           save={"over": "assessment.assessment_id"}, expect_status=200)
    d.get(f"{A}/${{aid}}")
    d.get(f"{V3}/{t}")
    d.call("DELETE", f"{A}/${{over}}", expect_status=200)
    d.get(f"{A}/${{over}}", expect_status=404)
    d.get(f"{A}/${{aid}}")
    # expectation, feedback with an error, LLM judge source, span id
    d.post(f"{AJAX3}/{t}/assessments", {"assessment": {
        "assessment_name": "expected", "trace_id": t,
        "expectation": {"value": {"threshold_ms": 1000, "passed": True}},
        "source": {"source_type": "CODE", "source_id": "ci"}}}, save={"exp": "assessment.assessment_id"})
    d.post(A, {"assessment": {"assessment_name": "judge", "trace_id": t, "span_id": "0123456789abcdef",
                              "feedback": {"error": {"error_code": "RuntimeError", "error_message": "down"}},
                              "source": {"source_type": "LLM_JUDGE", "source_id": "gpt"}}})
    d.post(A, {"assessment": {"assessment_name": "strval", "trace_id": t, "expectation": {"value": "text"},
                              "source": {"source_type": "HUMAN", "source_id": "x"}}})
    d.call("PATCH", f"{A}/${{exp}}", {"assessment": {"expectation": {"value": 7}}, "update_mask": "expectation"})
    d.call("PATCH", f"{A}/${{exp}}", {"assessment": {"valid": False}, "update_mask": "valid"})
    d.get(f"{V3}/{t}")
    # errors
    d.post(A, {}, expect_status=400)
    d.post(A, {"assessment": {"assessment_name": "x", "trace_id": t,
                              "source": {"source_type": "HUMAN", "source_id": "x"}}})
    d.post(A, {"assessment": {"trace_id": t, "feedback": {"value": 1},
                              "source": {"source_type": "HUMAN", "source_id": "x"}}})
    d.post(A, {"assessment": {"assessment_name": "x", "trace_id": t, "feedback": {"value": 1}}})
    d.post(A, {"assessment": {"assessment_name": "x", "trace_id": t, "feedback": {"value": 1},
                              "expectation": {"value": 1}, "source": {"source_type": "HUMAN", "source_id": "x"}}})
    d.post(A, {"assessment": {"assessment_name": "x", "trace_id": t, "feedback": {"value": 1},
                              "source": {"source_type": "ALIEN", "source_id": "x"}}})
    d.post(A, {"assessment": {"assessment_name": "x", "trace_id": t, "feedback": {"value": 1},
                              "source": {"source_type": "HUMAN", "source_id": "x"}, "overrides": "a-" + "0" * 32}})
    d.post(f"{V3}/{_tid(99, 7)}/assessments", {"assessment": {
        "assessment_name": "x", "trace_id": _tid(99, 7), "feedback": {"value": 1},
        "source": {"source_type": "HUMAN", "source_id": "x"}}})
    d.get(f"{A}/a-{'0' * 32}", expect_status=404)
    d.get(f"{V3}/{_tid(99, 7)}/assessments/${{aid}}")
    d.call("PATCH", f"{A}/${{aid}}", {"assessment": {"rationale": "x"}})
    d.call("PATCH", f"{A}/${{aid}}", {"update_mask": "rationale"})
    d.call("PATCH", f"{A}/${{aid}}", {"assessment": {"expectation": {"value": 1}}, "update_mask": "expectation"})
    d.call("PATCH", f"{A}/a-{'0' * 32}", {"assessment": {"rationale": "x"}, "update_mask": "rationale"})
    d.call("DELETE", f"{A}/a-{'0' * 32}")
    d.call("DELETE", f"{A}/${{exp}}", expect_status=200)
    d.call("DELETE", f"{A}/${{exp}}")
    d.assert_equal()


# --------------------------------------------------------------------------- analysis


def test_metrics_and_correlation(differ):
    d = differ
    _experiment(d, "diff-traces-metrics")
    for n in range(10):
        _start(d, _tid(n, 8), n, state="ERROR" if n < 3 else "OK",
               tags={"env": "prod" if n < 6 else "dev", "span_type": "TOOL" if n < 7 else "LLM"})
    M = {"experiment_ids": ["${eid}"], "view_type": "TRACES", "metric_name": "trace_count",
         "aggregations": [{"aggregation_type": "COUNT"}]}
    for base in (V3, AJAX3):
        d.post(f"{base}/metrics", {**M, "dimensions": ["trace_status"]}, expect_status=200)
    d.post(f"{V3}/metrics", M)
    d.post(f"{V3}/metrics", {**M, "metric_name": "latency", "aggregations": [{"aggregation_type": "AVG"},
                                                                             {"aggregation_type": "MAX"}]})
    d.post(f"{V3}/metrics", {**M, "filters": ["trace.status = 'OK'"]})
    d.post(f"{V3}/metrics", {**M, "start_time_ms": BASE_MS + 5000, "end_time_ms": BASE_MS + 8000})
    d.post(f"{V3}/metrics", {**M, "dimensions": ["trace_status"], "max_results": 1}, save={"mtok": "next_page_token"})
    d.post(f"{V3}/metrics", {**M, "dimensions": ["trace_status"], "max_results": 1, "page_token": "${mtok}"})
    d.post(f"{V3}/metrics", {**M, "aggregations": [{"aggregation_type": "PERCENTILE", "percentile_value": 50}],
                             "metric_name": "latency"})
    d.post(f"{V3}/metrics", {}, expect_status=400)
    d.post(f"{V3}/metrics", {**M, "metric_name": "bogus"})
    d.post(f"{V3}/metrics", {**M, "view_type": "BOGUS"})
    d.post(f"{V3}/metrics", {**M, "dimensions": ["bogus"]})
    d.post(f"{V3}/metrics", {**M, "aggregations": []})
    C = f"{V3}/calculate-filter-correlation"
    d.post(C, {"experiment_ids": ["${eid}"], "filter_string1": "tags.env = 'prod'",
               "filter_string2": "tags.span_type = 'TOOL'"}, expect_status=200)
    d.post(f"{AJAX3}/calculate-filter-correlation", {"experiment_ids": ["${eid}"],
                                                     "filter_string1": "tags.env = 'dev'",
                                                     "filter_string2": "tags.span_type = 'LLM'"})
    d.post(C, {"experiment_ids": ["${eid}"], "filter_string1": "tags.env = 'staging'",
               "filter_string2": "tags.span_type = 'TOOL'"})
    d.post(C, {"experiment_ids": ["${eid}"], "filter_string1": "tags.env = 'prod'",
               "filter_string2": "status = 'ERROR'", "base_filter": "tags.span_type = 'TOOL'"})
    d.post(C, {"experiment_ids": ["${eid}"], "filter_string1": "invalid.filter = 'test'",
               "filter_string2": "tags.span_type = 'TOOL'"})
    d.post(C, {"experiment_ids": ["${eid}"], "filter_string1": "tags.env = 'prod'"}, expect_status=400)
    d.post(C, {}, expect_status=400)
    d.assert_equal()


# --------------------------------------------------------------------------- v2


def test_v2_routes(differ):
    d = differ
    _experiment(d, "diff-traces-v2")
    # distinct start times: ties in the searches would break on the (random) generated request ids
    for i, base in enumerate((V2, AJAX2)):
        d.call("POST", base, {"experiment_id": "${eid}", "timestamp_ms": BASE_MS + i * 100,
                              "request_metadata": [{"key": "meta1", "value": "apple"}],
                              "tags": [{"key": "tag1", "value": "football"}]},
               save={"rq": "trace_info.request_id"}, expect_status=200, label=f"start {base}")
        d.get(f"{base}/${{rq}}/info", expect_status=200)
        d.call("PATCH", f"{base}/${{rq}}", {"request_id": "${rq}", "timestamp_ms": BASE_MS + 2000 + i, "status": "OK",
                                            "request_metadata": [{"key": "meta1", "value": "orange"},
                                                                 {"key": "meta3", "value": "banana"}],
                                            "tags": [{"key": "tag3", "value": "tennis"}]},
               expect_status=200, label=f"end {base}")
        d.get(f"{V2}/${{rq}}/info")
        d.call("PATCH", f"{base}/${{rq}}/tags", {"key": "t", "value": "1"}, expect_status=200)
        d.call("DELETE", f"{base}/${{rq}}/tags", {"key": "t"}, expect_status=200)
        d.call("DELETE", f"{base}/${{rq}}/tags", {"key": "t"})
    d.call("POST", V2, {"experiment_id": "${eid}", "timestamp_ms": BASE_MS + 5000},
           save={"open": "trace_info.request_id"})
    d.get(V2, [("experiment_ids", "${eid}")], expect_status=200)
    d.get(f"{AJAX2}", [("experiment_ids", "${eid}"), ("filter", "status = 'OK'")])
    d.get(V2, [("experiment_ids", "${eid}"), ("order_by", "timestamp_ms ASC"), ("max_results", "1")],
          save={"tok2": "next_page_token"})
    d.get(V2, [("experiment_ids", "${eid}"), ("order_by", "timestamp_ms ASC"), ("max_results", "1"),
               ("page_token", "${tok2}")])
    d.get(V2, [("experiment_ids", "${eid}"), ("filter", "bogus = 1")])
    d.get(V2, [("experiment_ids", "${eid}"), ("max_results", "x")])
    d.get(V2, [("experiment_ids", "${eid}"), ("page_token", "garbage")])
    d.get(V2, {})
    # v2 errors (unknown ids first: a garbage start that one side accepts must not shift the id numbering)
    d.call("PATCH", f"{V2}/tr-{'0' * 32}", {"request_id": f"tr-{'0' * 32}", "timestamp_ms": BASE_MS,
                                             "status": "OK"})
    d.get(f"{V2}/tr-{'0' * 32}/info", expect_status=404)
    d.call("POST", V2, {})  # the reference: 500 (int() of a missing timestamp)
    d.call("POST", V2, {"experiment_id": "987654", "timestamp_ms": BASE_MS})
    d.call("POST", V2, {"experiment_id": "${eid}", "timestamp_ms": "x"})
    d.call("PATCH", f"{V2}/${{open}}", {"request_id": "${open}", "timestamp_ms": BASE_MS + 6000})
    d.call("PATCH", f"{V2}/${{open}}", {"request_id": "${open}", "status": "BOGUS", "timestamp_ms": 1})
    d.assert_equal()


# --------------------------------------------------------------------------- spans: OTLP and the UI reads


def test_otlp_ingest_and_span_reads(differ):
    d = differ
    _experiment(d, "diff-traces-otlp")
    trace_hex = "0000000a" + "1" * 24
    tid = "tr-" + trace_hex
    start = (BASE_MS + 1000) * 1_000_000
    d.sent_numbers.add(BASE_MS + 1000)  # the root span's start (inside the protobuf body) is the request_time
    _otlp(d, _otlp_span(trace_hex, "00000000000000c1", "00000000000000a1", "child", start + 10, start + 500,
                        attrs=[("mlflow.spanType", '"TOOL"'), ("k", '"v"')]), expect_status=200,
          body_mode="status", label="otlp child first")
    _otlp(d, gzip.compress(_otlp_span(trace_hex, "00000000000000a1", None, "root", start, start + 1_000_000_000,
                                      attrs=[("mlflow.spanInputs", '{"q": 1}'), ("mlflow.spanOutputs", "2")])),
          encoding="gzip", expect_status=200, body_mode="status", label="otlp root gzip")
    d.get(f"{V3}/{tid}", expect_status=200)
    d.get(f"{V3}/get", {"trace_id": tid}, expect_status=200)
    d.get(f"{AJAX3}/get", {"trace_id": tid, "allow_partial": "true"})
    d.get(f"{V3}/batchGet", [("trace_ids", tid)])
    d.post(f"{V3}/search", {"locations": _locations(), "filter": "span.name = 'child'"})
    d.post(f"{V3}/search", {"locations": _locations(), "filter": "span.type = 'TOOL'"})
    d.get("/ajax-api/2.0/mlflow/get-trace-artifact", {"request_id": tid}, body_mode="json")
    d.get("/ajax-api/2.0/mlflow/get-trace-artifact", {}, expect_status=400)
    d.get("/ajax-api/2.0/mlflow/get-trace-artifact", {"request_id": _tid(99, 10)})
    # OTLP errors (FastAPI's {"detail": ...} bodies)
    body = _otlp_span("0000000b" + "1" * 24, "00000000000000a2", None, "r", start, start + 1)
    _otlp(d, body, eid_header=None, label="otlp without experiment header")
    _otlp(d, body, ctype="text/plain", label="otlp bad content type")
    _otlp(d, b"\x00garbage\xff", label="otlp garbage protobuf")
    _otlp(d, b"", label="otlp empty body")
    _otlp(d, b"{}", ctype="application/json", label="otlp json without spans")
    _otlp(d, b"not-gzip", encoding="gzip", label="otlp bad gzip")
    _otlp(d, body, encoding="br-unknown", label="otlp unknown encoding")
    _otlp(d, body, eid_header="987654", label="otlp unknown experiment")
    d.assert_equal()
