"""Differential: assessments on traces (feedback, expectations, issue references) through the v3 REST API: create,
get, update with a field mask, override and delete (validity of the overridden one), the wire format (ids, RFC 3339
times, Value and serialized expectation values, errors, metadata), and the refusals with their messages.
Then the trace metrics the UI charts ask for, over the same traces."""

import pytest

from support.clientutil import MLFLOW_MAJOR

if MLFLOW_MAJOR < 3:
    pytest.skip("assessments are MLflow 3 RPCs", allow_module_level=True)

V3 = "/api/3.0/mlflow/traces"
# Traces are started with MLflow 2's start/end calls, which both servers serve; each server names its own trace id,
# kept in a variable. The refusals scenario works on a trace of its own (the module's servers share their databases).
TRACE = "${trace}"
A = f"{V3}/{TRACE}/assessments"
TRACE2 = "${trace2}"
A2 = f"{V3}/{TRACE2}/assessments"
# Times the server sets itself (RFC 3339 strings, which the harness cannot mask as epoch numbers).
NOW_FIELDS = ("assessment.last_update_time",)
NOW_BOTH = ("assessment.create_time", "assessment.last_update_time")
T0 = "2026-01-02T03:04:05.123Z"


def start_trace(d, var: str, status: str = "OK"):
    d.call("POST", "/api/2.0/mlflow/traces", {"experiment_id": "0", "timestamp_ms": 1767322800000},
           save={var: "trace_info.request_id"}, expect_status=200, ignore=("trace_info",))
    d.call("PATCH", f"/api/2.0/mlflow/traces/${{{var}}}", {"timestamp_ms": 1767322800250, "status": status},
           expect_status=200, ignore=("trace_info",))


def create(d, assessment: dict, var: str | None = None, at: str = A, **kw):
    body = {"assessment": {"create_time": T0, "last_update_time": T0, **assessment}}
    return d.call("POST", at, body, save={var: "assessment.assessment_id"} if var else None, **kw)


def test_assessment_lifecycle(differ):
    d = differ
    start_trace(d, "trace")
    # what mlflow.log_feedback sends
    create(d, {"assessment_name": "quality", "trace_id": TRACE, "source": {"source_type": "HUMAN", "source_id": "bob"},
               "feedback": {"value": 0.5}, "rationale": "ok", "metadata": {"k": "v"}, "valid": True},
           var="fb", expect_status=200)
    # what mlflow.log_expectation sends for a structured value, and a Value
    create(d, {"assessment_name": "exp", "span_id": "3a85026f2e827b5e", "source": {"source_type": "HUMAN"},
               "expectation": {"serialized_value": {"serialization_format": "JSON_FORMAT",
                                                    "value": "{\"x\": [1, 2.5], \"y\": \"\\u00e9\"}"}}},
           var="ex", expect_status=200)
    create(d, {"assessment_name": "e2", "expectation": {"value": {"a": [1, True, None, "s"]}}},
           expect_status=200)
    create(d, {"assessment_name": "e3", "expectation": {"value": "Paris"}}, expect_status=200)
    # feedback errors, null values, LLM judges, issues
    create(d, {"assessment_name": "judge", "source": {"source_type": "LLM_JUDGE", "source_id": "gpt"},
               "feedback": {"error": {"error_code": "ValueError", "error_message": "boom", "stack_trace": "tb"}}},
           expect_status=200)
    create(d, {"assessment_name": "n", "feedback": {"value": None}}, expect_status=200)
    create(d, {"assessment_name": "d", "feedback": {"value": {"a": [1, "b", None, False]}}}, expect_status=200)
    create(d, {"assessment_name": "issue-1", "issue": {"issue_name": "hallucination"}, "rationale": "r"},
           expect_status=200)
    # times the client did not send are "now"
    d.call("POST", A, {"assessment": {"assessment_name": "t", "feedback": {"value": 1}}}, ignore=NOW_BOTH,
           expect_status=200)
    d.call("POST", A, {"assessment": {"assessment_name": "t2", "feedback": {"value": 1},
                                      "create_time": "2024-01-02T03:04:05.123456+01:00"}},
           ignore=NOW_FIELDS, expect_status=200)
    d.call("GET", f"{A}/${{fb}}", expect_status=200)
    d.call("GET", f"/ajax-api/3.0/mlflow/traces/{TRACE}/assessments/${{ex}}", expect_status=200)

    # override: the original becomes invalid; deleting the override restores it
    create(d, {"assessment_name": "quality", "source": {"source_type": "CODE"}, "feedback": {"value": 0.9},
               "rationale": "better", "overrides": "${fb}"}, var="ov", expect_status=200)
    d.call("GET", f"{A}/${{fb}}", expect_status=200)
    d.call("DELETE", f"{A}/${{ov}}", expect_status=200)
    d.call("GET", f"{A}/${{fb}}", expect_status=200)
    d.call("GET", f"{A}/${{ov}}", expect_status=404)
    d.call("DELETE", f"{A}/a-nope", expect_status=200)
    d.call("DELETE", f"{V3}/tr-nope/assessments/a-nope", expect_status=200)

    # update with a mask (the Python client's update_assessment body)
    d.call("PATCH", f"{A}/${{fb}}", {"assessment": {"assessment_id": "${fb}", "trace_id": TRACE,
                                                    "assessment_name": "renamed", "metadata": {"m": "1"},
                                                    "feedback": {"value": "z", "error": {"error_code": "E2"}},
                                                    "rationale": "not in the mask"},
                                     "update_mask": "assessmentName,feedback,metadata,bogus"},
           ignore=NOW_FIELDS, expect_status=200)
    d.call("PATCH", f"{A}/${{ex}}", {"assessment": {"expectation": {"value": [1, 2]}}, "update_mask": "expectation"},
           ignore=NOW_FIELDS, expect_status=200)
    d.call("PATCH", f"{A}/${{ex}}", {"assessment": {"rationale": "r"}, "update_mask": "rationale"},
           ignore=NOW_FIELDS, expect_status=200)
    d.call("GET", f"{A}/${{ex}}", ignore=NOW_FIELDS, expect_status=200)
    # a mask that is no string is left unset: nothing changes but the time
    d.call("PATCH", f"{A}/${{fb}}", {"assessment": {"assessment_name": "q"}, "update_mask": {"paths": ["x"]}},
           ignore=NOW_FIELDS, expect_status=200)
    d.assert_equal()


def test_assessment_refusals(differ):
    d = differ
    start_trace(d, "trace2")
    create(d, {"assessment_name": "fb", "feedback": {"value": 1}}, var="fb2", at=A2, expect_status=200)
    create(d, {"assessment_name": "ex", "expectation": {"value": 1}}, var="ex2", at=A2, expect_status=200)
    for body in [{}, {"assessment": {}}, {"assessment": "str"}, {"assessment": {"assessment_name": "x"}},
                 {"assessment": {"assessment_name": 5, "feedback": {"value": 1}}},
                 {"assessment": {"expectation": {}}},
                 {"assessment": {"expectation": {"serialized_value": {"serialization_format": "YAML", "value": "a"}}}},
                 {"assessment": {"feedback": {"value": 1}, "overrides": "a-missing"}}]:
        d.call("POST", A2, body)
    d.call("POST", f"{V3}/tr-nope/assessments", {"assessment": {"feedback": {"value": 1}}}, expect_status=404)
    # half-parsable bodies: ParseDict stops at the bad field
    d.call("POST", A2, {"assessment": {"assessment_name": "x", "feedback": {"value": 1}, "issue": {"issue_name": "i"},
                                      "source": {"source_type": "CODE"}, "create_time": T0, "last_update_time": T0}},
           expect_status=200, ignore=NOW_BOTH)
    d.call("POST", A2, {"assessment": {"assessment_name": "x", "feedback": {"value": 1}, "create_time": T0,
                                      "last_update_time": T0, "source": {"source_type": "BAD", "source_id": "s"}}},
           expect_status=200)
    d.call("GET", f"{V3}/tr-nope/assessments/a-nope", expect_status=404)
    d.call("GET", f"{A2}/a-nope", expect_status=404)
    d.call("PATCH", f"{A2}/${{ex2}}", {"assessment": {"assessment_name": "n"}}, expect_status=400)
    d.call("PATCH", f"{A2}/${{ex2}}", {"update_mask": "assessmentName"}, expect_status=400)
    d.call("PATCH", f"{A2}/${{ex2}}", {"assessment": {"feedback": {"value": 1}}, "update_mask": "feedback"},
           expect_status=400)
    d.call("PATCH", f"{A2}/${{fb2}}", {"assessment": {"expectation": {"value": 1}}, "update_mask": "expectation"},
           expect_status=400)
    d.call("PATCH", f"{A2}/a-nope", {"assessment": {"assessment_name": "q"}, "update_mask": "assessmentName"},
           expect_status=404)
    d.call("PATCH", f"{V3}/tr-nope/assessments/a-nope",
           {"assessment": {"assessment_name": "q"}, "update_mask": "assessmentName"}, expect_status=404)
    # the reference's store crashes on `valid` (HTML 500): a 400 here
    d.call("PATCH", f"{A2}/${{fb2}}", {"assessment": {"valid": False}, "update_mask": "valid"})
    d.call("PUT", f"{A2}/${{fb2}}", {}, expect_status=405)
    d.call("GET", A2, expect_status=405)
    d.call("GET", f"/api/2.0/mlflow/traces/{TRACE2}/assessments/${{fb2}}")
    d.assert_equal()


def test_trace_metrics(differ):
    d = differ
    start_trace(d, "trace3", status="ERROR")
    m = f"{V3}/metrics"
    base = {"experiment_ids": ["0"], "view_type": "TRACES"}
    d.call("POST", m, {**base, "metric_name": "trace_count", "aggregations": [{"aggregation_type": "COUNT"}],
                       "dimensions": ["trace_status"]}, expect_status=200)
    d.call("POST", m, {**base, "metric_name": "trace_count", "aggregations": [{"aggregation_type": "COUNT"}],
                       "dimensions": ["trace_status"], "time_interval_seconds": 3600,
                       "start_time_ms": 1767225600000, "end_time_ms": 1767312000000}, expect_status=200)
    d.call("POST", m, {**base, "metric_name": "latency", "aggregations": [
        {"aggregation_type": "AVG"}, {"aggregation_type": "PERCENTILE", "percentile_value": 50},
        {"aggregation_type": "MIN"}, {"aggregation_type": "MAX"}]}, expect_status=200)
    d.call("POST", m, {**base, "metric_name": "total_tokens", "aggregations": [{"aggregation_type": "SUM"}]},
           expect_status=200)
    d.call("POST", m, {**base, "view_type": "ASSESSMENTS", "metric_name": "assessment_count",
                       "aggregations": [{"aggregation_type": "COUNT"}],
                       "dimensions": ["assessment_name", "assessment_value"]}, expect_status=200)
    d.call("POST", m, {**base, "view_type": "ASSESSMENTS", "metric_name": "assessment_value",
                       "aggregations": [{"aggregation_type": "AVG"}], "dimensions": ["assessment_name"]},
           expect_status=200)
    for bad in [{}, {**base, "metric_name": "nope", "aggregations": [{"aggregation_type": "COUNT"}]},
                {**base, "metric_name": "latency", "aggregations": [{"aggregation_type": "COUNT"}]},
                {**base, "metric_name": "trace_count", "aggregations": [{"aggregation_type": "COUNT"}],
                 "dimensions": ["span_name", "x"]},
                {**base, "metric_name": "trace_count", "aggregations": [{"aggregation_type": "COUNT"}],
                 "time_interval_seconds": 60},
                {**base, "metric_name": "trace_count", "aggregations": [{"aggregation_type": "COUNT"}],
                 "filters": ["trace.status != 'x'"]},
                {**base, "metric_name": "trace_count", "aggregations": [{"aggregation_type": "COUNT"}],
                 "filters": ["foo.status = 'x'"]}]:
        d.call("POST", m, bad, expect_status=400)
    c = f"{V3}/calculate-filter-correlation"
    d.call("POST", c, {"experiment_ids": ["0"], "filter_string1": "trace.status = 'OK'",
                       "filter_string2": "trace.status = 'ERROR'"}, expect_status=200)
    d.call("POST", c, {"experiment_ids": ["0"], "filter_string1": "feedback.quality = '0.5'",
                       "filter_string2": "trace.status = 'OK'", "base_filter": "timestamp_ms > 0"}, expect_status=200)
    d.call("POST", c, {"experiment_ids": ["0"], "filter_string1": "bad filter", "filter_string2": "status = 'OK'"},
           expect_status=400)
    d.call("POST", c, {"experiment_ids": ["0"]}, expect_status=400)
    d.assert_equal()
