"""Differential: the UI's GenAI calls under /ajax-api/3.0 (jobs, telemetry, judge runs, demo data)."""

AJAX = "/ajax-api/3.0/mlflow"


def test_jobs_and_telemetry(differ):
    d = differ
    d.get(f"{AJAX}/jobs/abc", expect_status=404)
    d.call("PATCH", f"{AJAX}/jobs/cancel/abc", expect_status=404)
    d.get(f"{AJAX}/ui-telemetry", expect_status=200)
    d.post(f"{AJAX}/ui-telemetry", {"records": []}, expect_status=200, known="ui-telemetry-off")
    d.assert_equal()



def test_scorer_invoke_checks(differ):
    d = differ
    base = {"experiment_id": "0", "serialized_scorer": "{}", "trace_ids": ["tr-1"]}
    for body in ({}, {"experiment_id": "0"}, {"experiment_id": "0", "serialized_scorer": "{}"},
                 {**base, "trace_ids": [1]}, {**base, "scorer_name": "s"},
                 {**base, "scorer_name": "s", "scorer_version": "1"}):
        d.post(f"{AJAX}/scorer/invoke", body, expect_status=400)
    d.assert_equal()



def test_evaluate_and_issue_checks(differ):
    d = differ
    d.post("experiments/create", {"name": "genai-ui"}, save={"eid": "experiment_id"}, expect_status=200)
    for body in ({}, {"experiment_id": "${eid}", "trace_ids": "x", "serialized_scorers": []},
                 {"experiment_id": "${eid}", "trace_ids": [], "serialized_scorers": ["{}"]},
                 {"experiment_id": "${eid}", "trace_ids": ["tr-1"], "serialized_scorers": []},
                 {"experiment_id": "${eid}", "trace_ids": ["tr-1"], "serialized_scorers": ["{}"], "scorer_versions": []}):
        d.post(f"{AJAX}/genai/evaluate/invoke", body, expect_status=400)
    for body in ({}, {"experiment_id": "${eid}", "trace_ids": [], "categories": [], "provider": "openai"}):
        d.post(f"{AJAX}/issues/invoke", body, expect_status=400)
    # the reference answers this client mistake 500 (a bare MlflowException)
    d.post(f"{AJAX}/issues/invoke",
           {"experiment_id": "${eid}", "trace_ids": ["tr-1"], "categories": [], "provider": "openai"})
    # a valid request: the reference checks the traces (none exist) before starting its job
    d.post(f"{AJAX}/genai/evaluate/invoke",
           {"experiment_id": "${eid}", "trace_ids": ["tr-1"], "serialized_scorers": ["{}"]},
           known="genai-jobs-need-python")
    d.assert_equal()



def test_demo_delete(differ):
    d = differ
    d.post(f"{AJAX}/demo/delete", {}, expect_status=200)
    d.post("experiments/create", {"name": "MLflow Demo"}, save={"demo": "experiment_id"}, expect_status=200)
    d.post(f"{AJAX}/demo/delete", {}, expect_status=200)
    d.get("experiments/get", {"experiment_id": "${demo}"}, expect_status=200)
    d.assert_equal()


def test_fastapi_job_router(differ):
    d = differ
    d.get("/ajax-api/3.0/jobs/abc", expect_status=404)
    d.call("PATCH", "/ajax-api/3.0/jobs/cancel/abc", expect_status=404)
    d.post("/ajax-api/3.0/jobs/search", {"statuses": ["BAD"]}, expect_status=422)
    d.post("/ajax-api/3.0/jobs/", {}, expect_status=422)
    d.post("/ajax-api/3.0/jobs/", {"job_name": "nope", "params": {}}, expect_status=400)
    d.assert_equal()
