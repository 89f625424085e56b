"""Differential: label schemas, review queues and issues (MLflow 3's human-review REST API): every route's
success shape, its refusals with their messages, and paging; then the traces a queue may hold."""

import time
import uuid

import pytest

from support import diff as diff_support
from support.clientutil import MLFLOW_MAJOR

if MLFLOW_MAJOR < 3:
    pytest.skip("label schemas, review queues and issues are MLflow 3 RPCs", allow_module_level=True)

V3 = "/api/3.0/mlflow"
LS = f"{V3}/label-schemas"
RQ = f"{V3}/review-queues"
ISS = f"{V3}/issues"
# The epoch-millisecond times of these resources, masked like the other resources' times.
REVIEW_TIME_KEYS = {"created_at", "last_updated_at", "creation_time_ms", "last_update_time_ms", "completed_time_ms",
                    "created_timestamp"}


@pytest.fixture(autouse=True)
def _review_time_keys():
    added = REVIEW_TIME_KEYS - diff_support.TIME_KEYS
    diff_support.TIME_KEYS.update(added)
    yield
    diff_support.TIME_KEYS.difference_update(added)


def tick():
    """Lists are newest first, ties broken by random ids: keep creations a few milliseconds apart."""
    time.sleep(0.01)


def experiment(d, var):
    d.post("experiments/create", {"name": f"review-{var}-{uuid.uuid4().hex[:8]}"}, save={var: "experiment_id"},
           expect_status=200)


def trace(d, exp_var, trace_id):
    info = {"trace_id": trace_id, "request_time": "2026-01-02T03:04:05Z", "state": "OK",
            "trace_location": {"type": "MLFLOW_EXPERIMENT", "mlflow_experiment": {"experiment_id": f"${{{exp_var}}}"}}}
    d.call("POST", f"{V3}/traces", {"trace": {"trace_info": info}}, expect_status=200, ignore=("trace",))


def test_label_schemas(differ):
    d = differ
    experiment(d, "e")
    for body in [{}, {"experiment_id": "${e}"}, {"experiment_id": "${e}", "name": "q"},
                 {"experiment_id": "${e}", "name": "q", "type": "FEEDBACK"},
                 {"experiment_id": "${e}", "name": "q", "type": "BOGUS", "input": {"text": {}}},
                 {"experiment_id": "${e}", "name": "q", "type": "FEEDBACK", "input": {}},
                 {"experiment_id": 5, "name": "q", "type": "FEEDBACK", "input": {"text": {}}},
                 {"experiment_id": "${e}", "name": "feedback", "type": "FEEDBACK", "input": {"text": {}}},
                 {"experiment_id": "${e}", "name": "x" * 251, "type": "FEEDBACK", "input": {"text": {}}},
                 {"experiment_id": "${e}", "name": "i", "type": 2, "instruction": "i" * 1001, "input": {"text": {}}},
                 {"experiment_id": "${e}", "name": "pf", "type": "EXPECTATION",
                  "input": {"pass_fail": {"positive_label": "a", "negative_label": "a"}}},
                 {"experiment_id": "${e}", "name": "pf", "type": "EXPECTATION", "input": {"pass_fail": {"positive_label": "a"}}},
                 {"experiment_id": "${e}", "name": "c", "type": "FEEDBACK", "input": {"categorical": {"options": []}}},
                 {"experiment_id": "${e}", "name": "c", "type": "FEEDBACK", "input": {"categorical": {"options": ["x", "x"]}}},
                 {"experiment_id": "${e}", "name": "c", "type": "FEEDBACK",
                  "input": {"categorical": {"options": [str(i) for i in range(11)]}}},
                 {"experiment_id": "${e}", "name": "n", "type": "FEEDBACK", "input": {"numeric": {"min_value": 5, "max_value": 1}}},
                 {"experiment_id": "${e}", "name": "t", "type": "FEEDBACK", "input": {"text": {"max_length": 0}}},
                 {"experiment_id": "999", "name": "t", "type": "FEEDBACK", "input": {"text": {}}},
                 {"experiment_id": "abc", "name": "t", "type": "FEEDBACK", "input": {"text": {}}}]:
        d.call("POST", f"{LS}/create", body, expect_status=400 if body.get("experiment_id") != "999" else 404)
    d.call("POST", f"{LS}/create", {"experiment_id": "${e}", "name": "q", "type": "FEEDBACK", "input": {"text": {}}},
           save={"q": "label_schema.schema_id"}, expect_status=200)
    tick()
    d.call("POST", f"{LS}/create", {"experiment_id": "${e}", "name": "q", "type": "FEEDBACK", "input": {"text": {}}},
           expect_status=400)
    d.call("POST", f"{LS}/create", {"experiment_id": "${e}", "name": "pf", "type": "EXPECTATION", "instruction": "do",
                                    "enable_comment": True,
                                    "input": {"pass_fail": {"positive_label": "Yes", "negative_label": "No"}}},
           save={"pf": "label_schema.schema_id"}, expect_status=200)
    tick()
    d.call("POST", f"{LS}/create", {"experiment_id": "${e}", "name": "cat", "type": 1,
                                    "input": {"categorical": {"options": ["x", "y"]}}},
           save={"cat": "label_schema.schema_id"}, expect_status=200)
    tick()
    d.call("POST", f"{LS}/create", {"experiment_id": "${e}", "name": "num", "type": "FEEDBACK",
                                    "input": {"numeric": {"min_value": 1, "max_value": 5.5}}}, expect_status=200)
    tick()
    d.call("POST", f"{LS}/create", {"experiment_id": "${e}", "name": "txt", "type": "FEEDBACK",
                                    "input": {"text": {"max_length": "7"}}}, expect_status=200)
    tick()
    # a badly typed field inside the variant is left unset; the variant stays
    d.call("POST", f"{LS}/create", {"experiment_id": "${e}", "name": "txt2", "type": "FEEDBACK",
                                    "input": {"text": {"max_length": "abc"}}}, expect_status=200)
    tick()

    d.call("GET", f"{LS}/get", params={"schema_id": "${pf}"}, expect_status=200)
    d.call("GET", f"/ajax-api/3.0/mlflow/label-schemas/get", params={"schema_id": "${cat}"}, expect_status=200)
    d.call("GET", f"{LS}/get", params={}, expect_status=400)
    d.call("GET", f"{LS}/get", params={"schema_id": "nope"}, expect_status=404)
    d.call("GET", f"{LS}/get-by-name", params={"experiment_id": "${e}", "name": "q"}, expect_status=200)
    d.call("GET", f"{LS}/get-by-name", params={"experiment_id": "${e}", "name": "zz"}, expect_status=404)
    d.call("GET", f"{LS}/get-by-name", params={"experiment_id": "${e}"}, expect_status=400)
    d.call("GET", f"{LS}/get-by-name", params={"experiment_id": "999", "name": "q"}, expect_status=404)

    # the first list seeds the protected default question (newest, so first)
    d.call("GET", f"{LS}/list", params={"experiment_id": "${e}"}, save={"default": "label_schemas.0.schema_id"},
           expect_status=200)
    d.call("GET", f"{LS}/list", params={"experiment_id": "${e}", "max_results": "2"}, save={"tok": "next_page_token"},
           expect_status=200)
    d.call("GET", f"{LS}/list", params={"experiment_id": "${e}", "max_results": "2", "page_token": "${tok}"},
           expect_status=200)
    for params in [{"experiment_id": "${e}", "max_results": "0"}, {"experiment_id": "${e}", "max_results": "50001"},
                   {"experiment_id": "${e}", "max_results": "abc"}, {"experiment_id": "${e}", "page_token": "garbage"},
                   {}]:
        d.call("GET", f"{LS}/list", params=params, expect_status=400)
    d.call("GET", f"{LS}/list", params={"experiment_id": "999"}, expect_status=404)

    upd = f"{LS}/update"
    d.call("PATCH", upd, {"schema_id": "${q}", "name": "q2", "instruction": "new", "enable_comment": True},
           expect_status=200)
    d.call("PATCH", upd, {"schema_id": "${q}", "input": {"text": {"max_length": 10}}}, expect_status=200)
    d.call("PATCH", upd, {"schema_id": "${q}"}, expect_status=200)
    d.call("PATCH", upd, {"schema_id": "${cat}", "input": {"categorical": {"options": ["z"]}}}, expect_status=200)
    for body in [{"schema_id": "${q}", "input": {"pass_fail": {"positive_label": "a", "negative_label": "b"}}},
                 {"schema_id": "${cat}", "input": {"categorical": {"options": ["z"], "multi_select": True}}},
                 {"schema_id": "${q}", "name": "pf"}, {"schema_id": "${q}", "name": "Feedback"},
                 {"schema_id": "${q}", "name": ""}, {"schema_id": "${default}", "name": "zz"}, {}]:
        d.call("PATCH", upd, body, expect_status=400)
    d.call("PATCH", upd, {"schema_id": "nope", "name": "z"}, expect_status=404)

    d.call("DELETE", f"{LS}/delete", {"schema_id": "nope"}, expect_status=200)
    d.call("DELETE", f"{LS}/delete", {}, expect_status=400)
    d.call("DELETE", f"{LS}/delete", {"schema_id": "${default}"}, expect_status=400)
    d.call("DELETE", f"{LS}/delete", {"schema_id": "${q}"}, expect_status=200)
    d.call("GET", f"{LS}/get", params={"schema_id": "${q}"}, expect_status=404)
    d.call("GET", f"{LS}/list", params={"experiment_id": "${e}"}, expect_status=200)
    d.assert_equal()


T1 = "tr-" + "1" * 32
T2 = "tr-" + "2" * 32
T3 = "tr-" + "3" * 32


def test_review_queues(differ):
    d = differ
    experiment(d, "e")
    experiment(d, "e2")
    trace(d, "e", T1)
    trace(d, "e", T2)
    trace(d, "e2", T3)
    d.call("POST", f"{LS}/create", {"experiment_id": "${e}", "name": "q", "type": "FEEDBACK", "input": {"text": {}}},
           save={"s": "label_schema.schema_id"}, expect_status=200)
    d.call("POST", f"{LS}/create", {"experiment_id": "${e2}", "name": "q", "type": "FEEDBACK", "input": {"text": {}}},
           save={"sx": "label_schema.schema_id"}, expect_status=200)

    create = f"{RQ}/create"
    for body in [{}, {"experiment_id": "${e}", "name": "Q1"},
                 {"experiment_id": "${e}", "name": "Q1", "queue_type": "BOGUS"},
                 {"experiment_id": "${e}", "name": "Default", "queue_type": "CUSTOM"},
                 {"experiment_id": "${e}", "name": "   ", "queue_type": "CUSTOM"},
                 {"experiment_id": "${e}", "name": "Q2", "queue_type": "CUSTOM", "schema_ids": ["${sx}"]},
                 {"experiment_id": "${e}", "name": "Q2", "queue_type": "CUSTOM", "users": [""]},
                 {"experiment_id": "${e}", "name": "Q2", "queue_type": "CUSTOM", "users": [str(i) for i in range(11)]},
                 {"experiment_id": "${e}", "name": "Carol", "queue_type": "USER", "users": ["x"]},
                 {"experiment_id": "${e}", "name": "Carol", "queue_type": "USER", "schema_ids": ["${s}"]}]:
        d.call("POST", create, body, expect_status=400)
    d.call("POST", create, {"experiment_id": "999", "name": "Z", "queue_type": "CUSTOM"}, expect_status=404)
    # the owner is never the client's `created_by`; users are normalised and de-duplicated
    d.call("POST", create, {"experiment_id": "${e}", "name": " Q1 ", "queue_type": "CUSTOM",
                            "users": ["Bob ", "alice", "bob"], "schema_ids": ["${s}"], "created_by": "mallory"},
           save={"q": "review_queue.queue_id"}, expect_status=200)
    tick()
    d.call("POST", create, {"experiment_id": "${e}", "name": "q1", "queue_type": "CUSTOM"}, expect_status=400)
    d.call("POST", create, {"experiment_id": "${e}", "name": "Carol", "queue_type": 1},
           save={"carol": "review_queue.queue_id"}, expect_status=200)
    tick()
    d.call("POST", f"{RQ}/get-or-create-user", {"experiment_id": "${e}", "user": "Dave"}, expect_status=200)
    tick()
    d.call("POST", f"{RQ}/get-or-create-user", {"experiment_id": "${e}", "user": "dave"}, expect_status=200)
    d.call("POST", f"{RQ}/get-or-create-user", {"experiment_id": "${e}", "user": "q1"}, expect_status=400)
    d.call("POST", f"{RQ}/get-or-create-user", {"experiment_id": "${e}"}, expect_status=400)

    d.call("GET", f"{RQ}/get", params={"queue_id": "${q}"}, expect_status=200)
    d.call("GET", f"{RQ}/get", params={"queue_id": "nope"}, expect_status=404)
    d.call("GET", f"{RQ}/get", params={}, expect_status=400)
    d.call("GET", f"{RQ}/get-by-name", params={"experiment_id": "${e}", "name": "q1"}, expect_status=200)
    d.call("GET", f"{RQ}/get-by-name", params={"experiment_id": "${e}", "name": "zz"}, expect_status=404)
    d.call("GET", f"{RQ}/list", params={"experiment_id": "${e}"}, expect_status=200)
    d.call("GET", f"{RQ}/list", params={"experiment_id": "${e}", "max_results": "1"}, save={"tok": "next_page_token"},
           expect_status=200)
    d.call("GET", f"{RQ}/list", params={"experiment_id": "${e}", "max_results": "1", "page_token": "${tok}"},
           expect_status=200)
    d.call("GET", f"{RQ}/list", params={"experiment_id": "${e}", "user": "BOB"}, expect_status=200)
    d.call("GET", f"{RQ}/list", params={"experiment_id": "${e}", "max_results": "0"}, expect_status=400)
    d.call("GET", f"{RQ}/list", params={"experiment_id": "999"}, expect_status=404)

    add = f"{RQ}/items/add"
    d.call("POST", add, {"queue_id": "${q}"}, expect_status=400)
    d.call("POST", add, {"queue_id": "${q}", "item_ids": [T3]}, expect_status=404)
    d.call("POST", add, {"queue_id": "${q}", "item_ids": ["nope"]}, expect_status=404)
    d.call("POST", add, {"queue_id": "nope", "item_ids": [T1]}, expect_status=404)
    d.call("POST", add, {"queue_id": "${q}", "item_ids": [T1, " " + T2, T1]}, expect_status=200)
    d.call("POST", add, {"queue_id": "${q}", "item_ids": [T1], "item_type": "TRACE"}, expect_status=200)
    d.call("GET", f"{RQ}/list", params={"experiment_id": "${e}", "item_id": T1}, expect_status=200)
    items = f"{RQ}/items/list"
    d.call("GET", items, params={"queue_id": "${q}"}, expect_status=200)
    d.call("GET", items, params={"queue_id": "${q}", "status": "COMPLETE"}, expect_status=200)
    d.call("GET", items, params={"queue_id": "${q}", "max_results": "1"}, expect_status=200)
    d.call("GET", items, params={"queue_id": "${q}", "max_results": "50001"}, expect_status=400)
    d.call("GET", items, params={"queue_id": "nope"}, expect_status=404)

    st = f"{RQ}/items/set-status"
    d.call("POST", st, {"queue_id": "${q}", "item_id": T1}, expect_status=400)
    d.call("POST", st, {"queue_id": "${q}", "item_id": T1, "status": "COMPLETE"}, expect_status=400)
    d.call("POST", st, {"queue_id": "${q}", "item_id": T1, "status": "COMPLETE", "completed_by": " Bob "},
           expect_status=200)
    d.call("POST", st, {"queue_id": "${q}", "item_id": T1, "status": "COMPLETE", "completed_by": "eve"},
           expect_status=200)
    d.call("POST", st, {"queue_id": "${q}", "item_id": T1, "status": "DECLINED", "completed_by": "eve"},
           expect_status=200)
    d.call("POST", st, {"queue_id": "${q}", "item_id": T1, "status": "PENDING", "completed_by": "eve"},
           expect_status=400)
    d.call("POST", st, {"queue_id": "${q}", "item_id": T1, "status": "PENDING"}, expect_status=200)
    d.call("POST", st, {"queue_id": "${q}", "item_id": "nope", "status": "PENDING"}, expect_status=404)
    d.call("POST", st, {"queue_id": "${q}", "item_id": T2, "status": 2, "completed_by": "z" * 251}, expect_status=400)
    d.call("GET", items, params={"queue_id": "${q}", "status": "PENDING"}, expect_status=200)

    upd = f"{RQ}/update"
    d.call("POST", upd, {"queue_id": "${q}", "name": "Renamed", "update_users": True, "users": ["zed"]},
           expect_status=200)
    d.call("POST", upd, {"queue_id": "${q}", "users": ["ignored without update_users"]}, expect_status=200)
    d.call("POST", upd, {"queue_id": "${q}", "update_schema_ids": True, "schema_ids": []}, expect_status=400)
    d.call("POST", upd, {"queue_id": "${q}", "new_owner": " Owner "}, expect_status=200)
    d.call("POST", upd, {"queue_id": "${q}", "name": "CAROL"}, expect_status=400)
    d.call("POST", upd, {"queue_id": "${q}", "name": "renamed"}, expect_status=200)
    d.call("POST", upd, {"queue_id": "${carol}", "name": "x"}, expect_status=400)
    d.call("POST", upd, {"queue_id": "nope"}, expect_status=404)

    rm = f"{RQ}/items/remove"
    d.call("POST", rm, {"queue_id": "${q}", "item_ids": [T1, T2]}, expect_status=200)
    d.call("POST", rm, {"queue_id": "${q}"}, expect_status=400)
    d.call("POST", rm, {"queue_id": "nope", "item_ids": [T1]}, expect_status=404)
    d.call("POST", upd, {"queue_id": "${q}", "update_schema_ids": True, "schema_ids": ["${sx}"]}, expect_status=400)
    d.call("POST", upd, {"queue_id": "${q}", "update_schema_ids": True, "schema_ids": []}, expect_status=200)
    d.call("POST", f"{RQ}/delete", {"queue_id": "nope"}, expect_status=200)
    d.call("POST", f"{RQ}/delete", {"queue_id": "${q}"}, expect_status=200)
    d.call("GET", f"{RQ}/get", params={"queue_id": "${q}"}, expect_status=404)
    d.call("GET", f"{RQ}/list", params={"experiment_id": "${e}"}, expect_status=200)
    d.assert_equal()


def test_issues(differ):
    d = differ
    experiment(d, "e")
    d.post("runs/create", {"experiment_id": "${e}", "start_time": 1_700_000_000_000}, save={"rid": "run.info.run_id"},
           expect_status=200, unnamed_run=True)
    for body in [{}, {"experiment_id": "${e}", "name": "n"}, {"experiment_id": "${e}", "name": "", "description": "d"},
                 {"experiment_id": "abc", "name": "n", "description": "d"}]:
        d.call("POST", ISS, body, expect_status=400)
    d.call("POST", ISS, {"experiment_id": "999", "name": "n", "description": "d"}, expect_status=404)
    d.call("POST", ISS, {"experiment_id": "${e}", "name": "n", "description": "d"}, save={"i1": "issue.issue_id"},
           expect_status=200)
    tick()
    d.call("POST", ISS, {"experiment_id": "${e}", "name": "n2", "description": "d2", "status": "resolved",
                         "severity": "high", "root_causes": ["a", "b"], "categories": ["c"], "source_run_id": "${rid}",
                         "created_by": "me"}, expect_status=200)
    tick()
    d.call("POST", ISS, {"experiment_id": "${e}", "name": "low", "description": "d", "severity": "low"},
           expect_status=200)
    tick()
    d.call("POST", ISS, {"experiment_id": "${e}", "name": "n3", "description": "d", "source_run_id": "nope"},
           expect_status=400)

    d.call("GET", f"{ISS}/${{i1}}", expect_status=200)
    d.call("GET", f"{ISS}/nope", expect_status=404)
    # the handler requires the id in the body too (the Python client sends it)
    d.call("PATCH", f"{ISS}/${{i1}}", {"name": "N"}, expect_status=400)
    d.call("PATCH", f"{ISS}/${{i1}}", {"issue_id": "${i1}", "name": "N", "status": "rejected", "severity": "medium"},
           expect_status=200)
    d.call("PATCH", f"{ISS}/${{i1}}", {"issue_id": "${i1}", "description": ""}, expect_status=200)
    d.call("PATCH", f"{ISS}/nope", {"issue_id": "nope", "name": "x"}, expect_status=404)

    s = f"{ISS}/search"
    d.call("POST", s, {"experiment_id": "${e}"}, expect_status=200)
    d.call("POST", s, {"experiment_id": "${e}", "max_results": 1}, save={"tok": "next_page_token"}, expect_status=200)
    d.call("POST", s, {"experiment_id": "${e}", "max_results": 1, "page_token": "${tok}"}, expect_status=200)
    d.call("POST", s, {"experiment_id": "${e}", "include_trace_count": True}, expect_status=200)
    d.call("POST", s, {"experiment_id": "${e}", "filter_string": "status = 'resolved'"}, expect_status=200)
    d.call("POST", s, {"experiment_id": "${e}", "filter_string": "status != 'resolved' AND source_run_id = '${rid}'"},
           expect_status=200)
    d.call("POST", s, {"experiment_id": "999"}, expect_status=200)
    for body in [{"experiment_id": "${e}", "max_results": 0}, {"experiment_id": "${e}", "max_results": 50001},
                 {"experiment_id": "${e}", "filter_string": "name = 'x'"},
                 {"experiment_id": "${e}", "filter_string": "status LIKE 'x'"},
                 {"experiment_id": "${e}", "filter_string": "status = 'a' OR status = 'b'"},
                 {"experiment_id": "${e}", "filter_string": "`status` = 'pending'"},
                 {"experiment_id": "${e}", "page_token": "garbage"}, {"experiment_id": "abc"}]:
        d.call("POST", s, body, expect_status=400)
    # an unknown status or severity crashes the reference
    d.call("POST", ISS, {"experiment_id": "${e}", "name": "n", "description": "d", "status": "bogus"},
           known="no-5xx-for-client-errors")
    d.assert_equal()
