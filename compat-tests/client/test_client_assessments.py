"""Assessments through the real mlflow client: log_feedback, log_expectation, get_assessment, update_assessment,
override_feedback, delete_assessment, and the assessments of a trace as get_trace_info shows them."""

import pytest
import requests

from support.clientutil import MLFLOW_MAJOR, uniq

if MLFLOW_MAJOR < 3:
    pytest.skip("assessments are an MLflow 3 feature", allow_module_level=True)

import mlflow  # noqa: E402
from mlflow.entities import AssessmentError, AssessmentSource, AssessmentSourceType, Expectation, Feedback  # noqa: E402
from mlflow.exceptions import MlflowException  # noqa: E402


@pytest.fixture
def trace_id(server_url):
    """A finished trace, started with the REST calls every MLflow 3 server serves (no spans needed here)."""
    exp = mlflow.create_experiment(uniq("assess"))
    r = requests.post(f"{server_url}/api/2.0/mlflow/traces", json={"experiment_id": exp, "timestamp_ms": 1700000000000})
    r.raise_for_status()
    tid = r.json()["trace_info"]["request_id"]
    requests.patch(f"{server_url}/api/2.0/mlflow/traces/{tid}", json={"timestamp_ms": 1700000000100,
                                                                        "status": "OK"}).raise_for_status()
    return tid


def test_feedback_round_trip(trace_id):
    fb = mlflow.log_feedback(trace_id=trace_id, name="quality", value=0.5, rationale="ok",
                             source=AssessmentSource(AssessmentSourceType.HUMAN, "bob"), metadata={"k": "v"})
    assert fb.assessment_id.startswith("a-") and len(fb.assessment_id) == 34
    got = mlflow.get_assessment(trace_id, fb.assessment_id)
    assert isinstance(got, Feedback)
    assert (got.name, got.value, got.rationale, got.metadata) == ("quality", 0.5, "ok", {"k": "v"})
    assert (got.source.source_type, got.source.source_id) == ("HUMAN", "bob")
    assert got.create_time_ms == fb.create_time_ms and got.valid is True


def test_expectations_keep_structured_values(trace_id):
    ex = mlflow.log_expectation(trace_id=trace_id, name="expected", value={"answer": [1, 2.5, "x"], "ok": True},
                                span_id="3a85026f2e827b5e")
    got = mlflow.get_assessment(trace_id, ex.assessment_id)
    assert isinstance(got, Expectation)
    assert got.value == {"answer": [1, 2.5, "x"], "ok": True}
    assert got.span_id == "3a85026f2e827b5e"
    scalar = mlflow.log_expectation(trace_id=trace_id, name="capital", value="Paris")
    assert mlflow.get_assessment(trace_id, scalar.assessment_id).value == "Paris"


def test_feedback_errors(trace_id):
    fb = mlflow.log_feedback(trace_id=trace_id, name="judge", error=ValueError("boom"),
                             source=AssessmentSource(AssessmentSourceType.LLM_JUDGE, "gpt"))
    got = mlflow.get_assessment(trace_id, fb.assessment_id)
    assert got.value is None
    assert got.error.error_code == "ValueError" and got.error.error_message == "boom"
    fb2 = mlflow.log_feedback(trace_id=trace_id, name="judge2",
                              error=AssessmentError(error_code="RATE_LIMIT", error_message="slow down"))
    assert mlflow.get_assessment(trace_id, fb2.assessment_id).error.error_code == "RATE_LIMIT"


def test_update_override_delete(trace_id):
    fb = mlflow.log_feedback(trace_id=trace_id, name="correct", value=False, metadata={"a": "1"})
    updated = mlflow.update_assessment(trace_id=trace_id, assessment_id=fb.assessment_id,
                                       assessment=Feedback(name="correct2", value=True, rationale="fixed",
                                                           metadata={"b": "2"}))
    assert (updated.name, updated.value, updated.rationale) == ("correct2", True, "fixed")
    assert updated.metadata == {"a": "1", "b": "2"}
    assert updated.create_time_ms == fb.create_time_ms and updated.last_update_time_ms >= fb.last_update_time_ms

    override = mlflow.override_feedback(trace_id=trace_id, assessment_id=fb.assessment_id, value=False,
                                        rationale="no after all")
    assert override.overrides == fb.assessment_id
    assert mlflow.get_assessment(trace_id, fb.assessment_id).valid is False
    mlflow.delete_assessment(trace_id=trace_id, assessment_id=override.assessment_id)
    assert mlflow.get_assessment(trace_id, fb.assessment_id).valid is True
    with pytest.raises(MlflowException, match="not found"):
        mlflow.get_assessment(trace_id, override.assessment_id)


def test_trace_info_lists_assessments(trace_id):
    a = mlflow.log_feedback(trace_id=trace_id, name="first", value=1)
    b = mlflow.log_expectation(trace_id=trace_id, name="second", value="x")
    info = mlflow.MlflowClient()._tracing_client.get_trace_info(trace_id)
    assert [x.assessment_id for x in info.assessments] == [a.assessment_id, b.assessment_id]


def test_unknown_trace(trace_id):
    with pytest.raises(MlflowException, match="not found"):
        mlflow.log_feedback(trace_id="tr-00000000000000000000000000000000", name="x", value=1)
    with pytest.raises(MlflowException, match="not found"):
        mlflow.get_assessment(trace_id, "a-00000000000000000000000000000000")
