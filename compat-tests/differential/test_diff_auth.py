"""Differential: `--app-name basic-auth` on both servers. The same raw requests (sign-in, users, per-user grants,
roles, permission checks on tracking and registry routes, search filtering) go to the reference and to tracklite;
statuses, error codes, messages and the 401 challenge are compared. Then tracklite opens the basic_auth.db the
reference wrote and signs in the users created through it (werkzeug password hashes).

One reference server for the whole module: it is slow to start."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
import requests

from support.clientutil import MLFLOW_MAJOR

if MLFLOW_MAJOR < 3:
    pytest.skip("the 3.x basic-auth app is what tracklite serves", allow_module_level=True)

from support.diff import _strip_sql_noise  # noqa: E402
from support.servers import AUTH_ADMIN, AUTH_ARGS, AUTH_ENV, start_servers, stop_servers  # noqa: E402

CANDIDATE = os.environ.get("COMPAT_DIFF_AGAINST", "tracklite").strip() or "tracklite"
ADMIN = AUTH_ADMIN
ALICE = ("alice", "alice-password-1")
BOB = ("bob", "bob-password-12")
CAROL = ("carol", "carol-password-1")

# The reference appends the database error to "already exists" messages (KNOWN_DIFFERENCES.md `sql-text-in-messages`);
# for a duplicate user that error holds the new password's hash (`no-secrets-in-errors`). Both are cut off its side.


@pytest.fixture(scope="module")
def servers():
    started = start_servers(["reference", CANDIDATE], extra_env=AUTH_ENV, extra_args=AUTH_ARGS)
    try:
        yield started
    finally:
        stop_servers(started)


def _outcome(resp: requests.Response) -> dict:
    """What is compared of an answer: status, challenge, and the error (code and message) or text body."""
    out = {"status": resp.status_code, "challenge": resp.headers.get("www-authenticate")}
    try:
        body = resp.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and "error_code" in body:
        out["error_code"] = body["error_code"]
        out["message"] = body.get("message")
    elif resp.status_code in (401, 403) or (resp.status_code == 400 and body is None):
        out["text"] = resp.text
    return out


def _compare_forms(a: dict, b: dict) -> tuple[dict, dict]:
    """The reference's side with its SQL dumps cut off; its HTML 404/405 pages against tracklite's JSON ones
    (`html-error-pages`) compare by status alone."""
    if a.get("message"):
        a["message"] = _strip_sql_noise(a["message"])
    if a["status"] in (404, 405) and "error_code" not in a and b.get("error_code") in ("ENDPOINT_NOT_FOUND", "BAD_REQUEST"):
        b = {k: v for k, v in b.items() if k not in ("error_code", "message")}
    return a, b


class Both:
    """Sends each request to both servers and records the outcomes that differ."""

    def __init__(self, servers):
        self.urls = [s.url for s in servers]
        self.diffs: list[str] = []

    def __call__(self, label, method, path, auth=None, known=None, **kw) -> list[requests.Response]:
        resps = [requests.request(method, url + path, auth=auth, timeout=60, **kw) for url in self.urls]
        a, b = _compare_forms(*(_outcome(r) for r in resps))
        if known == "no-secrets-in-errors":
            assert "scrypt:" not in resps[1].text and "pbkdf2:" not in resps[1].text
        if a != b:
            self.diffs.append(f"{label}: reference {a} != {CANDIDATE} {b}")
        return resps

    def check(self):
        assert not self.diffs, "\n".join(self.diffs)


def _json_ok(resps) -> list[dict]:
    for r in resps:
        assert r.status_code == 200, r.text
    return [r.json() for r in resps]


def test_sign_in(servers):
    both = Both(servers)
    both("no credentials", "GET", "/api/2.0/mlflow/experiments/search")
    both("wrong password", "GET", "/api/2.0/mlflow/experiments/search", auth=(ADMIN[0], "wrong-password"))
    both("unknown user", "GET", "/api/2.0/mlflow/experiments/search", auth=("nobody", "whatever-pass"))
    both("garbled basic", "GET", "/api/2.0/mlflow/experiments/search", headers={"Authorization": "Basic !!"})
    both("admin", "GET", "/api/2.0/mlflow/experiments/search", auth=ADMIN)
    both("health is open", "GET", "/health")
    both("server-info is open", "GET", "/api/3.0/mlflow/server-info")
    both("version needs sign-in", "GET", "/version")
    both("version", "GET", "/version", auth=ADMIN)
    both.check()


def test_users(servers):
    both = Both(servers)
    for user in (ALICE, BOB, CAROL):
        both(f"create {user[0]}", "POST", "/api/2.0/mlflow/users/create", auth=ADMIN,
             json={"username": user[0], "password": user[1]})
    both("duplicate", "POST", "/api/2.0/mlflow/users/create", auth=ADMIN, known="no-secrets-in-errors",
         json={"username": ALICE[0], "password": ALICE[1]})
    both("short password", "POST", "/api/2.0/mlflow/users/create", auth=ADMIN,
         json={"username": "shorty", "password": "short"})
    both("empty username", "POST", "/api/2.0/mlflow/users/create", auth=ADMIN,
         json={"username": "", "password": "long-enough-pass"})
    both("missing username", "POST", "/api/2.0/mlflow/users/create", auth=ADMIN, json={"password": "x" * 12})
    both("form body", "POST", "/api/2.0/mlflow/users/create", auth=ADMIN, data="username=a&password=b")
    both("create as non-admin", "POST", "/api/2.0/mlflow/users/create", auth=ALICE,
         json={"username": "eve", "password": "eve-password-1"})
    both("get self", "GET", "/api/2.0/mlflow/users/get", auth=ALICE, params={"username": ALICE[0]})
    both("get other", "GET", "/api/2.0/mlflow/users/get", auth=ALICE, params={"username": BOB[0]})
    both("get missing", "GET", "/api/2.0/mlflow/users/get", auth=ADMIN, params={"username": "nobody"})
    both("current", "GET", "/ajax-api/2.0/mlflow/users/current", auth=BOB)
    both("list as user", "GET", "/api/2.0/mlflow/users/list", auth=BOB)
    both("update-admin as user", "PATCH", "/api/2.0/mlflow/users/update-admin", auth=BOB,
         json={"username": BOB[0], "is_admin": True})
    both("own password without current", "PATCH", "/api/2.0/mlflow/users/update-password", auth=BOB,
         json={"username": BOB[0], "password": "bob-password-13"})
    both("own password, wrong current", "PATCH", "/api/2.0/mlflow/users/update-password", auth=BOB,
         json={"username": BOB[0], "password": "bob-password-13", "current_password": "not-my-password"})
    both("own password, same", "PATCH", "/api/2.0/mlflow/users/update-password", auth=BOB,
         json={"username": BOB[0], "password": BOB[1], "current_password": BOB[1]})
    both("other's password", "PATCH", "/api/2.0/mlflow/users/update-password", auth=BOB,
         json={"username": ALICE[0], "password": "alice-password-2"})
    both("admin sets short password", "PATCH", "/api/2.0/mlflow/users/update-password", auth=ADMIN,
         json={"username": BOB[0], "password": "short"})
    both("delete self", "DELETE", "/api/2.0/mlflow/users/delete", auth=ADMIN, json={"username": ADMIN[0]})
    both("delete as user", "DELETE", "/api/2.0/mlflow/users/delete", auth=BOB, json={"username": CAROL[0]})
    both("delete missing", "DELETE", "/api/2.0/mlflow/users/delete", auth=ADMIN, json={"username": "nobody"})
    both("users routes are 2.0 only", "GET", "/api/3.0/mlflow/users/current", auth=ADMIN)
    both.check()


def test_grants_and_permission_checks(servers):
    both = Both(servers)
    exp_ids = [b["experiment_id"] for b in _json_ok(
        both("alice creates", "POST", "/api/2.0/mlflow/experiments/create", auth=ALICE, json={"name": "diff-auth"}))]
    run_ids = [b["run"]["info"]["run_id"] for b in _json_ok([
        requests.post(f"{s.url}/api/2.0/mlflow/runs/create", auth=ALICE, json={"experiment_id": e}, timeout=60)
        for s, e in zip(servers, exp_ids)])]

    def per_server(label, method, path, make, auth, **kw):
        """One request whose body differs per server (its ids), compared like the others."""
        resps = [requests.request(method, s.url + path, auth=auth, timeout=60, **make(i), **kw)
                 for i, s in enumerate(servers)]
        a, b = _compare_forms(*(_outcome(r) for r in resps))
        if a != b:
            both.diffs.append(f"{label}: reference {a} != {CANDIDATE} {b}")
        return resps

    exp = lambda i: {"params": {"experiment_id": exp_ids[i]}}  # noqa: E731
    grant = lambda user, level: lambda i: {"json": {  # noqa: E731
        "username": user, "resource_type": "experiment", "resource_id": exp_ids[i], "permission": level}}
    G = "/api/3.0/mlflow/users/permissions/grant"

    per_server("creator holds MANAGE", "GET", "/api/3.0/mlflow/users/permissions/get",
               lambda i: {"params": {"username": ALICE[0], "resource_type": "experiment", "resource_id": exp_ids[i]}},
               ADMIN)
    per_server("default READ reads", "GET", "/api/2.0/mlflow/experiments/get", exp, BOB)
    per_server("default READ may not update", "POST", "/api/2.0/mlflow/experiments/update",
               lambda i: {"json": {"experiment_id": exp_ids[i], "new_name": "x"}}, BOB)
    per_server("default READ may not log", "POST", "/api/2.0/mlflow/runs/log-metric",
               lambda i: {"json": {"run_id": run_ids[i], "key": "m", "value": 1, "timestamp": 1}}, BOB)
    per_server("READ holder may not grant", "POST", G, grant(BOB[0], "EDIT"), BOB)
    per_server("MANAGE holder grants EDIT", "POST", G, grant(BOB[0], "EDIT"), ALICE)
    per_server("duplicate grant", "POST", G, grant(BOB[0], "EDIT"), ALICE)
    per_server("EDIT logs", "POST", "/api/2.0/mlflow/runs/log-metric",
               lambda i: {"json": {"run_id": run_ids[i], "key": "m", "value": 1, "timestamp": 1}}, BOB)
    per_server("EDIT may not delete the run", "POST", "/api/2.0/mlflow/runs/delete",
               lambda i: {"json": {"run_id": run_ids[i]}}, BOB)
    per_server("DENY carol", "POST", G, grant(CAROL[0], "DENY"), ALICE)
    per_server("DENY hides the experiment", "GET", "/api/2.0/mlflow/experiments/get", exp, CAROL)
    per_server("DENY hides its runs", "GET", "/api/2.0/mlflow/runs/get",
               lambda i: {"params": {"run_id": run_ids[i]}}, CAROL)
    searches = per_server("DENY'd experiment left out of searches", "POST", "/api/2.0/mlflow/experiments/search",
                          lambda i: {"json": {"filter": "name = 'diff-auth'", "max_results": 100}}, CAROL)
    assert [r.json() for r in searches] == [{}, {}]
    runs = per_server("runs/search drops the DENY'd experiment", "POST", "/api/2.0/mlflow/runs/search",
                      lambda i: {"json": {"experiment_ids": [exp_ids[i]]}}, CAROL)
    assert [r.json() for r in runs] == [{}, {}]
    per_server("revoke", "POST", "/api/3.0/mlflow/users/permissions/revoke",
               lambda i: {"json": {"username": CAROL[0], "resource_type": "experiment", "resource_id": exp_ids[i]}},
               ALICE)
    per_server("revoke again", "POST", "/api/3.0/mlflow/users/permissions/revoke",
               lambda i: {"json": {"username": CAROL[0], "resource_type": "experiment", "resource_id": exp_ids[i]}},
               ALICE)
    both("grant: unknown level", "POST", G, auth=ADMIN,
         json={"username": BOB[0], "resource_type": "experiment", "resource_id": "0", "permission": "ALL"})
    both("grant: NO_PERMISSIONS", "POST", G, auth=ADMIN,
         json={"username": BOB[0], "resource_type": "experiment", "resource_id": "0", "permission": "NO_PERMISSIONS"})
    both("grant: per-run id", "POST", G, auth=ADMIN,
         json={"username": BOB[0], "resource_type": "run", "resource_id": "abc", "permission": "READ"})
    both("grant: unknown type", "POST", G, auth=ADMIN,
         json={"username": BOB[0], "resource_type": "bogus", "resource_id": "0", "permission": "READ"})
    both("grant: workspace", "GET", "/api/3.0/mlflow/users/permissions/get", auth=ADMIN,
         params={"username": BOB[0], "resource_type": "workspace", "resource_id": "*"})
    both("grant: missing user", "POST", G, auth=ADMIN,
         json={"username": "nobody", "resource_type": "experiment", "resource_id": "0", "permission": "READ"})
    both("grant: missing field", "POST", G, auth=ADMIN, json={"username": BOB[0]})
    both("grant: wildcard by non-admin", "POST", G, auth=ALICE,
         json={"username": BOB[0], "resource_type": "experiment", "resource_id": "*", "permission": "READ"})
    both("grants are 3.0 only", "POST", "/api/2.0/mlflow/users/permissions/grant", auth=ADMIN, json={})
    both("missing run denies", "GET", "/api/2.0/mlflow/runs/get", auth=BOB, params={"run_id": "0" * 32})
    both("missing experiment 404s", "GET", "/api/2.0/mlflow/experiments/get", auth=BOB,
         params={"experiment_id": "987654"})
    both("missing experiment name", "GET", "/api/2.0/mlflow/experiments/get-by-name", auth=BOB,
         params={"experiment_name": "nope"})
    both("bulk metrics need a run", "GET", "/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval", auth=BOB,
         params={"metric_key": "m"})
    both("get-artifact needs a run", "GET", "/get-artifact", auth=BOB)
    both("webhooks are for admins", "GET", "/api/2.0/mlflow/webhooks", auth=BOB)
    both("unknown route fails closed", "GET", "/api/2.0/mlflow/nope", auth=BOB)
    both.check()


def test_registry_grants(servers):
    both = Both(servers)
    both("alice creates m1", "POST", "/api/2.0/mlflow/registered-models/create", auth=ALICE, json={"name": "m1"})
    both("bob may not update", "PATCH", "/api/2.0/mlflow/registered-models/update", auth=BOB,
         json={"name": "m1", "description": "d"})
    both("grant bob EDIT", "POST", "/api/3.0/mlflow/users/permissions/grant", auth=ALICE,
         json={"username": BOB[0], "resource_type": "registered_model", "resource_id": "m1", "permission": "EDIT"})
    both("bob updates", "PATCH", "/api/2.0/mlflow/registered-models/update", auth=BOB,
         json={"name": "m1", "description": "d"})
    both("bob may not delete", "DELETE", "/api/2.0/mlflow/registered-models/delete", auth=BOB, json={"name": "m1"})
    both("missing version denies", "GET", "/api/2.0/mlflow/model-versions/get", auth=BOB,
         params={"name": "nope", "version": "1"})
    both("missing model 404s", "GET", "/api/2.0/mlflow/registered-models/get", auth=BOB, params={"name": "nope"})
    both("alice deletes", "DELETE", "/api/2.0/mlflow/registered-models/delete", auth=ALICE, json={"name": "m1"})
    lists = both("bob's grant went with the model", "GET", "/api/3.0/mlflow/users/permissions/list", auth=ADMIN,
                 params={"username": BOB[0]})
    for r in lists:
        assert [p for p in r.json()["permissions"] if p["resource_pattern"] == "m1"] == []
    both.check()


def test_roles(servers):
    both = Both(servers)
    R = "/api/3.0/mlflow/roles"
    roles = _json_ok(both("create", "POST", f"{R}/create", auth=ADMIN,
                          json={"name": "readers", "workspace": "default", "description": "r"}))
    assert {r["role"]["name"] for r in roles} == {"readers"}
    both("duplicate", "POST", f"{R}/create", auth=ADMIN, json={"name": "readers", "workspace": "default"})
    both("reserved name", "POST", f"{R}/create", auth=ADMIN, json={"name": "__user_1__", "workspace": "default"})
    both("empty name", "POST", f"{R}/create", auth=ADMIN, json={"name": " ", "workspace": "default"})
    both("as non-admin", "POST", f"{R}/create", auth=BOB, json={"name": "x", "workspace": "default"})
    both("get missing", "GET", f"{R}/get", auth=ADMIN, params={"role_id": "999"})
    both("get non-integer", "GET", f"{R}/get", auth=ADMIN, params={"role_id": "abc"})
    both("get without id", "GET", f"{R}/get", auth=ADMIN)
    both("list unscoped as user", "GET", f"{R}/list", auth=BOB)
    both("list empty workspace", "GET", f"{R}/list", auth=ADMIN, params={"workspace": " "})
    both("update nothing", "PATCH", f"{R}/update", auth=ADMIN, json={"role_id": 999})
    both("add permission to missing role", "POST", f"{R}/permissions/add", auth=ADMIN,
         json={"role_id": 999, "resource_type": "experiment", "resource_pattern": "*", "permission": "READ"})
    both("remove missing permission", "DELETE", f"{R}/permissions/remove", auth=ADMIN,
         json={"role_permission_id": 999})
    both("assign missing user", "POST", f"{R}/assign", auth=ADMIN, json={"username": "nobody", "role_id": 1})
    both("roles of missing user", "GET", "/api/3.0/mlflow/users/roles/list", auth=ADMIN,
         params={"username": "nobody"})
    both("users of missing role", "GET", f"{R}/users/list", auth=ADMIN, params={"role_id": "999"})
    both.check()


def test_redaction_of_denied_tiers(servers):
    both = Both(servers)
    dave = ("dave", "dave-password-1")
    both("create dave", "POST", "/api/2.0/mlflow/users/create", auth=ADMIN, json={"username": dave[0], "password": dave[1]})
    exps = [b["experiment_id"] for b in _json_ok(
        both("alice's experiment", "POST", "/api/2.0/mlflow/experiments/create", auth=ALICE, json={"name": "redact"}))]
    runs = [b["run"]["info"]["run_id"] for b in _json_ok([
        requests.post(f"{s.url}/api/2.0/mlflow/runs/create", auth=ALICE, json={"experiment_id": e}, timeout=60)
        for s, e in zip(servers, exps)])]
    both("model", "POST", "/api/2.0/mlflow/registered-models/create", auth=ALICE, json={"name": "redacted"})
    _json_ok([requests.post(f"{s.url}/api/2.0/mlflow/model-versions/create", auth=ALICE, timeout=60,
                            json={"name": "redacted", "source": "s3://bucket/model", "run_id": r})
              for s, r in zip(servers, runs)])
    before = _json_ok(both("dave reads the version", "GET", "/api/2.0/mlflow/model-versions/get", auth=dave,
                           params={"name": "redacted", "version": "1"}))
    assert [b["model_version"]["run_id"] for b in before] == runs
    both("deny dave's run tier", "POST", "/api/3.0/mlflow/users/permissions/grant", auth=ADMIN,
         json={"username": dave[0], "resource_type": "run", "resource_id": "*", "permission": "DENY"})
    after = _json_ok(both("the version without its run", "GET", "/api/2.0/mlflow/model-versions/get", auth=dave,
                          params={"name": "redacted", "version": "1"}))
    assert [("run_id" in b["model_version"], b["model_version"]["source"]) for b in after] == [
        (False, "s3://bucket/model")] * 2
    both("deny dave's version tier", "POST", "/api/3.0/mlflow/users/permissions/grant", auth=ADMIN,
         json={"username": dave[0], "resource_type": "registered_model_version", "resource_id": "*",
               "permission": "DENY"})
    models = _json_ok(both("the model without its versions", "GET", "/api/2.0/mlflow/registered-models/get",
                           auth=dave, params={"name": "redacted"}))
    assert ["latest_versions" in b["registered_model"] for b in models] == [False, False]
    both("the version itself is refused", "GET", "/api/2.0/mlflow/model-versions/get", auth=dave,
         params={"name": "redacted", "version": "1"})
    both.check()


def test_tracklite_reads_the_reference_auth_database(servers):
    """Users created through the reference sign in to tracklite on the same basic_auth.db (last: stops the
    reference)."""
    reference = servers[0]
    ref_db = reference.tmpdir / "basic_auth.db"
    assert ref_db.exists()
    reference.stop()
    tmp = Path(tempfile.mkdtemp(prefix="compat-auth-db-"))
    copy = tmp / "basic_auth.db"
    shutil.copy(ref_db, copy)
    ini = tmp / "auth.ini"
    ini.write_text(f"[mlflow]\ndefault_permission = READ\ndatabase_uri = sqlite:///{copy}\nadmin_username = admin\n")
    env = {k: v for k, v in AUTH_ENV.items() if k != "MLFLOW_AUTH_ADMIN_PASSWORD"}
    env["MLFLOW_AUTH_CONFIG_PATH"] = str(ini)
    (tl,) = start_servers(["tracklite"], extra_env=env, extra_args=AUTH_ARGS)
    try:
        for user in (ADMIN, ALICE, CAROL):
            r = requests.get(f"{tl.url}/api/2.0/mlflow/users/current", auth=user, timeout=60)
            assert r.status_code == 200, (user[0], r.text)
            assert r.json()["user"]["username"] == user[0]
        assert requests.get(f"{tl.url}/api/2.0/mlflow/users/current", auth=(ALICE[0], "wrong-password"),
                            timeout=60).status_code == 401
        # alice's grants, written by the reference, hold: bob's EDIT on the experiment lets him set a tag.
        perms = requests.get(f"{tl.url}/api/3.0/mlflow/users/permissions/list", auth=ADMIN,
                             params={"username": BOB[0]}, timeout=60).json()["permissions"]
        assert any(p["resource_type"] == "experiment" and p["permission"] == "EDIT" for p in perms), perms
    finally:
        stop_servers([tl])
        shutil.rmtree(tmp, ignore_errors=True)
