"""Differential: the basic-auth permissions of label schemas, review queues and issues. Users with nothing, DENY,
READ, EDIT or MANAGE on an experiment, a DENY on the review-queue tier, and READ or EDIT users assigned to a queue
send every review route to the reference and to the candidate (COMPAT_DIFF_AGAINST); status, error code and message
must agree. Each user works on a queue, a label schema and an issue of their own (made by the admin), and on a queue
they create themselves (owner rules). Run with `default_permission = READ` and `NO_PERMISSIONS`."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

import pytest
import requests

from support.clientutil import MLFLOW_MAJOR

if MLFLOW_MAJOR < 3:
    pytest.skip("the 3.x basic-auth app is what tracklite serves", allow_module_level=True)

from support.diff import _strip_sql_noise  # noqa: E402
from support.servers import AUTH_ADMIN, basic_auth_servers  # noqa: E402

pytestmark = pytest.mark.timeout(900)

CANDIDATE = os.environ.get("COMPAT_DIFF_AGAINST", "tracklite").strip() or "tracklite"
ADMIN = AUTH_ADMIN
PASSWORD = "review-password-1"
V2 = "/api/2.0/mlflow"
V3 = "/api/3.0/mlflow"
TRACE = "tr-" + "c3" * 16

# (username, level on the experiment, {tier: level}, assigned to the user's queue)
USERS = [
    ("none", None, {}, False),
    ("u-deny", "DENY", {}, False),
    ("u-read", "READ", {}, False),
    ("u-edit", "EDIT", {}, False),
    ("u-manage", "MANAGE", {}, False),
    ("u-queue-deny", "EDIT", {"review_queue": "DENY"}, False),
    ("u-member", "READ", {}, True),
    ("u-member-edit", "EDIT", {}, True),
]


@dataclass
class Side:
    url: str
    ids: dict[str, str] = field(default_factory=dict)
    sessions: dict[str, requests.Session] = field(default_factory=dict)

    def call(self, user: str, method: str, path: str, **kw) -> requests.Response:
        if user not in self.sessions:
            s = requests.Session()
            s.auth = ADMIN if user == ADMIN[0] else (user, PASSWORD)
            self.sessions[user] = s
        return self.sessions[user].request(method, self.url + _fill(path, self.ids), timeout=60,
                                           **{k: _fill(v, self.ids) for k, v in kw.items()})


def _fill(value, ids):
    if isinstance(value, str):
        return re.sub(r"\{(\w+)\}", lambda m: ids.get(m.group(1), "missing-" + m.group(1)), value)
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    return value


def _ok(resp: requests.Response) -> dict:
    assert resp.status_code == 200, (resp.request.method, resp.request.url, resp.status_code, resp.text)
    return resp.json() if resp.content else {}


def _setup(side: Side) -> None:
    a = lambda m, p, **kw: _ok(side.call(ADMIN[0], m, p, **kw))  # noqa: E731
    side.ids["exp"] = a("POST", f"{V2}/experiments/create", json={"name": "reviewed"})["experiment_id"]
    side.ids["run"] = a("POST", f"{V2}/runs/create", json={"experiment_id": side.ids["exp"]})["run"]["info"]["run_id"]
    info = {"trace_id": TRACE, "request_time": "2026-01-01T00:00:00Z", "state": "OK",
            "trace_location": {"type": "MLFLOW_EXPERIMENT", "mlflow_experiment": {"experiment_id": side.ids["exp"]}}}
    a("POST", f"{V3}/traces", json={"trace": {"trace_info": info}})
    for n, (user, level, tiers, member) in enumerate(USERS):
        a("POST", f"{V2}/users/create", json={"username": user, "password": PASSWORD})
        grants = ([("experiment", side.ids["exp"], level)] if level else []) + [(t, "*", p) for t, p in tiers.items()]
        for rtype, rid, perm in grants:
            a("POST", f"{V3}/users/permissions/grant",
              json={"username": user, "resource_type": rtype, "resource_id": rid, "permission": perm})
        q = a("POST", f"{V3}/review-queues/create", json={
            "experiment_id": side.ids["exp"], "name": f"Queue {n}", "queue_type": "CUSTOM",
            "users": [user] if member else ["someone"]})
        side.ids[f"q{n}"] = q["review_queue"]["queue_id"]
        a("POST", f"{V3}/review-queues/items/add", json={"queue_id": side.ids[f"q{n}"], "item_ids": [TRACE]})
        s = a("POST", f"{V3}/label-schemas/create", json={
            "experiment_id": side.ids["exp"], "name": f"Question {n}", "type": "FEEDBACK", "input": {"text": {}}})
        side.ids[f"s{n}"] = s["label_schema"]["schema_id"]
        i = a("POST", f"{V3}/issues", json={"experiment_id": side.ids["exp"], "name": f"Issue {n}", "description": "d"})
        side.ids[f"i{n}"] = i["issue"]["issue_id"]


def _requests(n: int, user: str) -> list[tuple]:
    """(label, method, path, kwargs) for the n-th user; ids in braces are filled per server."""
    q, s, i = f"{{q{n}}}", f"{{s{n}}}", f"{{i{n}}}"
    own = f"{{own{n}}}"
    exp = {"experiment_id": "{exp}"}
    return [
        ("queue get", "GET", f"{V3}/review-queues/get", {"params": {"queue_id": q}}),
        ("queue get missing", "GET", f"{V3}/review-queues/get", {"params": {"queue_id": "rq-nope"}}),
        ("queue get-by-name", "GET", f"{V3}/review-queues/get-by-name", {"params": {**exp, "name": f"Queue {n}"}}),
        ("queue list", "GET", f"{V3}/review-queues/list", {"params": exp}),
        ("items list", "GET", f"{V3}/review-queues/items/list", {"params": {"queue_id": q}}),
        ("items add", "POST", f"{V3}/review-queues/items/add", {"json": {"queue_id": q, "item_ids": [TRACE]}}),
        ("item status", "POST", f"{V3}/review-queues/items/set-status",
         {"json": {"queue_id": q, "item_id": TRACE, "status": "COMPLETE", "completed_by": "x"}}),
        ("queue rename", "POST", f"{V3}/review-queues/update", {"json": {"queue_id": q, "name": f"Renamed {n}"}}),
        ("queue owner", "POST", f"{V3}/review-queues/update", {"json": {"queue_id": q, "new_owner": "someone"}}),
        ("items remove", "POST", f"{V3}/review-queues/items/remove", {"json": {"queue_id": q, "item_ids": [TRACE]}}),
        ("user queue", "POST", f"{V3}/review-queues/get-or-create-user", {"json": {**exp, "user": user}}),
        ("queue create named after a user", "POST", f"{V3}/review-queues/create",
         {"json": {**exp, "name": "U-Read", "queue_type": "CUSTOM"}}),
        ("own queue create", "POST", f"{V3}/review-queues/create",
         {"json": {**exp, "name": f"Own {n}", "queue_type": "CUSTOM"}}),
        ("own queue rename", "POST", f"{V3}/review-queues/update", {"json": {"queue_id": own, "name": f"Mine {n}"}}),
        ("own queue delete", "POST", f"{V3}/review-queues/delete", {"json": {"queue_id": own}}),
        ("queue delete", "POST", f"{V3}/review-queues/delete", {"json": {"queue_id": q}}),
        ("schema get", "GET", f"{V3}/label-schemas/get", {"params": {"schema_id": s}}),
        ("schema get missing", "GET", f"{V3}/label-schemas/get", {"params": {"schema_id": "ls-nope"}}),
        ("schema get-by-name", "GET", f"{V3}/label-schemas/get-by-name", {"params": {**exp, "name": f"Question {n}"}}),
        ("schema list", "GET", f"{V3}/label-schemas/list", {"params": exp}),
        ("schema create", "POST", f"{V3}/label-schemas/create",
         {"json": {**exp, "name": f"New {n}", "type": "FEEDBACK", "input": {"text": {}}}}),
        ("schema update", "PATCH", f"{V3}/label-schemas/update", {"json": {"schema_id": s, "instruction": "x"}}),
        ("schema delete", "DELETE", f"{V3}/label-schemas/delete", {"json": {"schema_id": s}}),
        ("issue get", "GET", f"{V3}/issues/{i}", {}),
        ("issue get missing", "GET", f"{V3}/issues/iss-nope", {}),
        ("issue update", "PATCH", f"{V3}/issues/{i}", {"json": {"issue_id": i, "name": "x"}}),
        ("issue create", "POST", f"{V3}/issues", {"json": {**exp, "name": "n", "description": "d"}}),
        ("issue search", "POST", f"{V3}/issues/search", {"json": exp}),
        ("issue search by run", "POST", f"{V3}/issues/search",
         {"json": {**exp, "filter_string": "source_run_id = '{run}'"}}),
        ("issue search everywhere", "POST", f"{V3}/issues/search", {"json": {}}),
    ]


def _outcome(resp: requests.Response, ids: dict[str, str]) -> dict:
    out: dict = {"status": resp.status_code}
    try:
        body = resp.json()
    except ValueError:
        return out
    if resp.status_code == 200 and isinstance(body, dict) and "review_queues" in body:
        # what a list shows depends on the caller (READ-only callers see the queues they are in)
        out["queues"] = [q.get("name") for q in body["review_queues"]]
    if resp.status_code != 200 and isinstance(body, dict):
        msg = _strip_sql_noise(str(body.get("message", "")))
        for k, v in sorted(ids.items(), key=lambda kv: -len(kv[1])):
            if len(v) > 3:
                msg = msg.replace(v, "{" + k + "}")
        out.update(error_code=body.get("error_code"), message=msg)
    return out


@pytest.fixture(scope="module", params=["READ", "NO_PERMISSIONS"])
def sides(request):
    with basic_auth_servers(["reference", CANDIDATE], request.param, "compat-auth-review-") as started:
        pair = [Side(s.url) for s in started]
        for side in pair:
            _setup(side)
        yield pair


def test_review_permissions(sides):
    diffs: list[str] = []
    statuses: dict[int, int] = {}
    cells = 0
    for n, (user, _, _, _) in enumerate(USERS):
        for label, method, path, kw in _requests(n, user):
            responses = [side.call(user, method, path, **kw) for side in sides]
            if label == "own queue create":
                for side, resp in zip(sides, responses):
                    if resp.status_code == 200:
                        side.ids[f"own{n}"] = resp.json()["review_queue"]["queue_id"]
            a, b = (_outcome(resp, side.ids) for resp, side in zip(responses, sides))
            statuses[a["status"]] = statuses.get(a["status"], 0) + 1
            cells += 1
            if a != b:
                diffs.append(f"[{user}] {label} ({method} {path}):\n  reference {a}\n  {CANDIDATE} {b}")
    print(f"review permissions: {len(USERS)} users, {cells} cells; reference statuses {dict(sorted(statuses.items()))}")
    assert statuses.get(200, 0) > 20 and statuses.get(403, 0) > 20, statuses
    assert not diffs, f"{len(diffs)} of {cells} cells differ:\n" + "\n".join(diffs)
