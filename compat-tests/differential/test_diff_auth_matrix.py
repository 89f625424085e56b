"""Differential: the basic-auth permission matrix. One user per permission level (READ, USE, EDIT, MANAGE, DENY,
granted on an experiment, a registered model and a prompt), one without any grant, one whose grants come from a
role, and users whose sub-resource tiers (runs, logged models, versions) are granted above, under or against their
container's send the same broad list of requests (every resource family tracklite serves: experiments, runs, metrics, artifacts, logged models, the registry,
prompts, webhooks, users and permissions, and the searches' visible rows) to the reference and to tracklite; status,
error code and message (ids swapped for placeholders) must agree for every cell. Run once with
`default_permission = READ` and once with `NO_PERMISSIONS`: the default decides every resource without a grant.

Every difference is collected and reported at once. Users go from least to most privileged and each one's
destructive requests come last, so both servers' data stays the same at every step (a delete that succeeds succeeds
on both)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
import requests

from support.clientutil import MLFLOW_MAJOR

if MLFLOW_MAJOR < 3:
    pytest.skip("the 3.x basic-auth app is what tracklite serves", allow_module_level=True)

from support.diff import _strip_sql_noise  # noqa: E402
from support.servers import AUTH_ADMIN, WEBHOOK_TEST_ENV, basic_auth_servers  # noqa: E402

ADMIN = AUTH_ADMIN
TIERS_USER = "u-tiers"  # EDIT on the resources, DENY on every sub-resource tier (runs, logged models, versions)
ROLE_USER = "u-role"  # no direct grant: a role gives EDIT on every experiment and READ on every registered model
RUN_TIER_USER = "u-runtier"  # no grant on the resources, READ on the run tier alone
# Tier grants against their container's: (level on the experiment and model, level on their tiers).
TIER_MIXES = {"u-tier-up": ("READ", "EDIT"), "u-tier-under-deny": ("DENY", "READ")}
# (username, level granted on the experiment, the registered model and the prompt). Least privileged first: a MANAGE
# holder's deletes are the last requests of the run.
USERS = [
    ("none", None), (RUN_TIER_USER, None), (ROLE_USER, None), *((u, None) for u in TIER_MIXES),
    ("u-deny", "DENY"), ("u-read", "READ"), ("u-use", "USE"), ("u-edit", "EDIT"), (TIERS_USER, "EDIT"),
    ("u-manage", "MANAGE"),
]
TIERS = ["run", "logged_model", "registered_model_version"]
DENIED_TIERS = ["run", "logged_model", "registered_model_version", "prompt_version"]
PASSWORD = "matrix-password-1"
EXP, MODEL, PROMPT = "matrix-exp", "matrix-model", "matrix-prompt"
PROMPT_TAGS = [{"key": "mlflow.prompt.is_prompt", "value": "true"}]
V1 = "/api/2.0/mlflow"
V3 = "/api/3.0/mlflow"
ART = "/api/2.0/mlflow-artifacts/artifacts"

# Differences tracklite keeps on purpose: label -> (reference, tracklite). A cell with that label must answer the
# same on both servers or exactly this pair, so a change on either side shows.
KNOWN: dict[str, tuple[dict, dict]] = {
    # `write-atomicity`: after the first user allowed to links the logged model as the run's output, linking it again
    # is a raw IntegrityError on the reference and a no-op here. Not a permission difference: both checks passed.
    "runs/outputs": ({"status": 400, "error_code": "BAD_REQUEST", "message": "<sql-error>"}, {"status": 200}),
}


@dataclass
class Side:
    """One server and the ids of what the admin created on it."""

    url: str
    ids: dict[str, str] = field(default_factory=dict)
    sessions: dict[str, requests.Session] = field(default_factory=dict)

    def session(self, user: str) -> requests.Session:
        if user not in self.sessions:
            s = requests.Session()
            s.auth = ADMIN if user == ADMIN[0] else (user, PASSWORD)
            self.sessions[user] = s
        return self.sessions[user]

    def call(self, user: str, method: str, path: str, **kw) -> requests.Response:
        return self.session(user).request(method, self.url + path.format(**self.ids), timeout=60, **kw)


def _ok(resp: requests.Response) -> dict:
    assert resp.status_code == 200, (resp.request.method, resp.request.url, resp.status_code, resp.text)
    return resp.json() if resp.content else {}


def _setup(side: Side, default: str) -> None:
    """As admin: an experiment with a run (params, metrics, a tag, an artifact), a logged model, a registered model
    with a version and an alias, a prompt with a version, a webhook; the users and their grants."""
    a = lambda m, p, **kw: _ok(side.call(ADMIN[0], m, p, **kw))  # noqa: E731
    side.ids["exp"] = a("POST", f"{V1}/experiments/create", json={"name": EXP})["experiment_id"]
    run = a("POST", f"{V1}/runs/create", json={"experiment_id": side.ids["exp"], "run_name": "matrix-run"})
    side.ids["run"] = run["run"]["info"]["run_id"]
    a("POST", f"{V1}/runs/log-batch", json={
        "run_id": side.ids["run"], "params": [{"key": "p", "value": "1"}], "tags": [{"key": "t", "value": "v"}],
        "metrics": [{"key": "m", "value": 1.0, "timestamp": 1, "step": 0}]})
    a("PUT", f"{ART}/{{exp}}/{{run}}/artifacts/f.txt", data=b"hello")
    model = a("POST", f"{V1}/logged-models", json={
        "experiment_id": side.ids["exp"], "name": "matrix-lm", "source_run_id": side.ids["run"]})
    side.ids["model_id"] = model["model"]["info"]["model_id"]
    a("PATCH", f"{V1}/logged-models/{{model_id}}/tags", json={"tags": [{"key": "lt", "value": "v"}]})
    a("POST", f"{V1}/registered-models/create", json={"name": MODEL})
    a("POST", f"{V1}/model-versions/create", json={
        "name": MODEL, "source": f"mlflow-artifacts:/{side.ids['exp']}/{side.ids['run']}/artifacts",
        "run_id": side.ids["run"]})
    a("POST", f"{V1}/registered-models/alias", json={"name": MODEL, "alias": "champ", "version": "1"})
    a("POST", f"{V1}/registered-models/set-tag", json={"name": MODEL, "key": "rt", "value": "v"})
    a("POST", f"{V1}/model-versions/set-tag", json={"name": MODEL, "version": "1", "key": "vt", "value": "v"})
    a("POST", f"{V1}/registered-models/create", json={"name": PROMPT, "tags": PROMPT_TAGS})
    a("POST", f"{V1}/model-versions/create", json={
        "name": PROMPT, "source": "dummy-source", "tags": [
            {"key": "mlflow.prompt.is_prompt", "value": "true"}, {"key": "mlflow.prompt.text", "value": "Hi {{x}}"}]})
    hook = side.call(ADMIN[0], "POST", f"{V1}/webhooks", json={
        "name": "matrix-hook", "url": "http://127.0.0.1:9/hook",
        "events": [{"entity": "REGISTERED_MODEL", "action": "CREATED"}]})
    side.ids["hook"] = _ok(hook)["webhook"]["webhook_id"]
    for user, level in USERS:
        a("POST", f"{V1}/users/create", json={"username": user, "password": PASSWORD})
        if user == RUN_TIER_USER:
            a("POST", f"{V3}/users/permissions/grant", json={
                "username": user, "resource_type": "run", "resource_id": "*", "permission": "READ"})
        if user in TIER_MIXES:
            container, tier = TIER_MIXES[user]
            for rtype, rid in (("experiment", side.ids["exp"]), ("registered_model", MODEL)):
                a("POST", f"{V3}/users/permissions/grant", json={
                    "username": user, "resource_type": rtype, "resource_id": rid, "permission": container})
            for rtype in TIERS:
                a("POST", f"{V3}/users/permissions/grant", json={
                    "username": user, "resource_type": rtype, "resource_id": "*", "permission": tier})
        if level is None:
            continue
        for rtype, rid in (("experiment", side.ids["exp"]), ("registered_model", MODEL), ("prompt", PROMPT)):
            a("POST", f"{V3}/users/permissions/grant", json={
                "username": user, "resource_type": rtype, "resource_id": rid, "permission": level})
        for tier in DENIED_TIERS if user == TIERS_USER else ():
            a("POST", f"{V3}/users/permissions/grant", json={
                "username": user, "resource_type": tier, "resource_id": "*", "permission": "DENY"})


def _setup_role(side: Side) -> None:
    a = lambda m, p, **kw: _ok(side.call(ADMIN[0], m, p, **kw))  # noqa: E731
    role = a("POST", f"{V3}/roles/create", json={"name": "matrix-role", "workspace": "default"})["role"]["id"]
    for rtype, level in (("experiment", "EDIT"), ("registered_model", "READ")):
        a("POST", f"{V3}/roles/permissions/add", json={
            "role_id": role, "resource_type": rtype, "resource_pattern": "*", "permission": level})
    a("POST", f"{V3}/roles/assign", json={"username": ROLE_USER, "role_id": role})


def _requests(user: str) -> list[tuple]:
    """(label, method, path, kwargs-maker) for one user; the maker gets the server's ids. Destructive last."""
    i = lambda **kw: lambda ids: {k: _fill(v, ids) for k, v in kw.items()}  # noqa: E731
    exp_q = i(params={"experiment_id": "{exp}"})
    run_q = i(params={"run_id": "{run}"})
    reqs = [
        # experiments
        ("experiments/get", "GET", f"{V1}/experiments/get", exp_q),
        ("experiments/get-by-name", "GET", f"{V1}/experiments/get-by-name", i(params={"experiment_name": EXP})),
        ("experiments/update", "POST", f"{V1}/experiments/update", i(json={"experiment_id": "{exp}",
                                                                           "new_name": f"{EXP}-{user}"})),
        ("experiments/update back", "POST", f"{V1}/experiments/update", i(json={"experiment_id": "{exp}",
                                                                                "new_name": EXP})),
        ("experiments/set-experiment-tag", "POST", f"{V1}/experiments/set-experiment-tag",
         i(json={"experiment_id": "{exp}", "key": f"k-{user}", "value": "v"})),
        ("experiments/delete-experiment-tag", "POST", f"{V1}/experiments/delete-experiment-tag",
         i(json={"experiment_id": "{exp}", "key": f"k-{user}"})),
        ("experiments/create", "POST", f"{V1}/experiments/create", i(json={"name": f"exp-of-{user}"})),
        # runs
        ("runs/get", "GET", f"{V1}/runs/get", run_q),
        ("runs/update", "POST", f"{V1}/runs/update", i(json={"run_id": "{run}", "run_name": "matrix-run"})),
        ("runs/log-metric", "POST", f"{V1}/runs/log-metric",
         i(json={"run_id": "{run}", "key": "m", "value": 2.0, "timestamp": 2, "step": 1})),
        ("runs/log-metric with model", "POST", f"{V1}/runs/log-metric",
         i(json={"run_id": "{run}", "key": "m2", "value": 2.0, "timestamp": 2, "model_id": "{model_id}"})),
        ("runs/log-parameter", "POST", f"{V1}/runs/log-parameter",
         i(json={"run_id": "{run}", "key": f"p-{user}", "value": "v"})),
        ("runs/set-tag", "POST", f"{V1}/runs/set-tag", i(json={"run_id": "{run}", "key": f"t-{user}", "value": "v"})),
        ("runs/delete-tag", "POST", f"{V1}/runs/delete-tag", i(json={"run_id": "{run}", "key": f"t-{user}"})),
        ("runs/log-batch", "POST", f"{V1}/runs/log-batch",
         i(json={"run_id": "{run}", "metrics": [{"key": "b", "value": 1.0, "timestamp": 1, "step": 0}]})),
        ("runs/log-model", "POST", f"{V1}/runs/log-model",
         i(json={"run_id": "{run}", "model_json": '{"artifact_path": "m", "flavors": {}, "run_id": "{run}", '
                                                  '"utc_time_created": "2024-01-01 00:00:00.000000"}'})),
        ("runs/log-inputs", "POST", f"{V1}/runs/log-inputs",
         i(json={"run_id": "{run}", "models": [{"model_id": "{model_id}"}]})),
        ("runs/outputs", "POST", f"{V1}/runs/outputs",
         # A step of its own: linking the same output twice is `write-atomicity` (KNOWN_DIFFERENCES.md).
         i(json={"run_id": "{run}", "models": [{"model_id": "{model_id}", "step": [u for u, _ in USERS].index(user)}]})),
        ("runs/create", "POST", f"{V1}/runs/create", i(json={"experiment_id": "{exp}", "run_name": f"run-{user}"})),
        ("metrics/get-history", "GET", f"{V1}/metrics/get-history", i(params={"run_id": "{run}", "metric_key": "m"})),
        ("metrics/get-history-bulk-interval", "GET", "/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval",
         i(params={"run_ids": "{run}", "metric_key": "m"})),
        ("ajax get-history-bulk", "GET", "/ajax-api/2.0/mlflow/metrics/get-history-bulk",
         i(params={"run_id": "{run}", "metric_key": "m"})),
        # artifacts
        ("artifacts/list", "GET", f"{V1}/artifacts/list", run_q),
        ("get-artifact", "GET", "/get-artifact", i(params={"run_id": "{run}", "path": "f.txt"})),
        ("proxy list", "GET", ART, i(params={"path": "{exp}/{run}/artifacts"})),
        ("proxy list, experiment level", "GET", ART, i(params={"path": "{exp}"})),
        ("proxy list, root", "GET", ART, i()),
        ("ajax upload-artifact", "POST", "/ajax-api/2.0/mlflow/upload-artifact",
         i(params={"run_uuid": "{run}", "path": f"up-{user}.txt"}, data=b"x")),
        ("proxy get", "GET", f"{ART}/{{exp}}/{{run}}/artifacts/f.txt", i()),
        ("proxy put", "PUT", f"{ART}/{{exp}}/{{run}}/artifacts/{user}.txt", i(data=b"x")),
        ("proxy put, experiment level", "PUT", f"{ART}/{{exp}}/{user}-top.txt", i(data=b"x")),
        ("proxy get, experiment level", "GET", f"{ART}/{{exp}}/{user}-top.txt", i()),
        ("model-versions/get-artifact", "GET", "/model-versions/get-artifact",
         i(params={"name": MODEL, "version": "1", "path": "f.txt"})),
        # logged models
        ("logged-models get", "GET", f"{V1}/logged-models/{{model_id}}", i()),
        ("logged-models artifacts/directories", "GET", f"{V1}/logged-models/{{model_id}}/artifacts/directories",
         i()),
        ("logged-models artifacts/files", "GET", "/ajax-api/2.0/mlflow/logged-models/{model_id}/artifacts/files",
         i(params={"artifact_file_path": "MLmodel"})),
        ("logged-models artifacts/files, not ajax", "GET", f"{V1}/logged-models/{{model_id}}/artifacts/files",
         i(params={"artifact_file_path": "MLmodel"})),
        ("logged-models set tags", "PATCH", f"{V1}/logged-models/{{model_id}}/tags",
         i(json={"tags": [{"key": f"lt-{user}", "value": "v"}]})),
        ("logged-models params", "POST", f"{V1}/logged-models/{{model_id}}/params",
         i(json={"params": [{"key": f"lp-{user}", "value": "v"}]})),
        ("logged-models finalize", "PATCH", f"{V1}/logged-models/{{model_id}}",
         i(json={"model_id": "{model_id}", "status": "LOGGED_MODEL_READY"})),
        ("logged-models create", "POST", f"{V1}/logged-models",
         i(json={"experiment_id": "{exp}", "name": f"lm-{user}"})),
        ("logged-models create from run", "POST", f"{V1}/logged-models",
         i(json={"experiment_id": "{exp}", "name": f"lmr-{user}", "source_run_id": "{run}"})),
        ("logged-models delete tag", "DELETE", f"{V1}/logged-models/{{model_id}}/tags/lt-{user}", i()),
    ]
    for kind, name in (("model", MODEL), ("prompt", PROMPT)):
        n = {"name": name}
        reqs += [
            (f"{kind} get", "GET", f"{V1}/registered-models/get", i(params=n)),
            (f"{kind} update", "PATCH", f"{V1}/registered-models/update", i(json={**n, "description": user})),
            (f"{kind} set-tag", "POST", f"{V1}/registered-models/set-tag", i(json={**n, "key": f"r-{user}",
                                                                                 "value": "v"})),
            (f"{kind} delete-tag", "DELETE", f"{V1}/registered-models/delete-tag", i(json={**n, "key": f"r-{user}"})),
            (f"{kind} get-latest-versions", "POST", f"{V1}/registered-models/get-latest-versions", i(json=n)),
            (f"{kind} set alias", "POST", f"{V1}/registered-models/alias",
             i(json={**n, "alias": f"a-{user}", "version": "1"})),
            (f"{kind} get alias", "GET", f"{V1}/registered-models/alias", i(params={**n, "alias": f"a-{user}"})),
            (f"{kind} delete alias", "DELETE", f"{V1}/registered-models/alias", i(json={**n, "alias": f"a-{user}"})),
            (f"{kind} version get", "GET", f"{V1}/model-versions/get", i(params={**n, "version": "1"})),
            (f"{kind} version update", "PATCH", f"{V1}/model-versions/update",
             i(json={**n, "version": "1", "description": user})),
            (f"{kind} version set-tag", "POST", f"{V1}/model-versions/set-tag",
             i(json={**n, "version": "1", "key": f"v-{user}", "value": "v"})),
            (f"{kind} version delete-tag", "DELETE", f"{V1}/model-versions/delete-tag",
             i(json={**n, "version": "1", "key": f"v-{user}"})),
            (f"{kind} version get-download-uri", "GET", f"{V1}/model-versions/get-download-uri",
             i(params={**n, "version": "1"})),
            (f"{kind} model-versions/get-artifact", "GET", "/model-versions/get-artifact",
             i(params={**n, "version": "1", "path": "MLmodel"})),
        ]
    reqs += [
        ("model version transition", "POST", f"{V1}/model-versions/transition-stage",
         i(json={"name": MODEL, "version": "1", "stage": "Staging", "archive_existing_versions": False})),
        ("model version create", "POST", f"{V1}/model-versions/create",
         i(json={"name": MODEL, "source": "mlflow-artifacts:/{exp}/{run}/artifacts", "run_id": "{run}"})),
        ("model version create, no run", "POST", f"{V1}/model-versions/create",
         i(json={"name": MODEL, "source": "s3://bucket/elsewhere"})),
        ("model version create from logged model", "POST", f"{V1}/model-versions/create",
         i(json={"name": MODEL, "source": "models:/{model_id}", "model_id": "{model_id}"})),
        ("prompt version create", "POST", f"{V1}/model-versions/create",
         i(json={"name": PROMPT, "source": "dummy-source", "tags": [
             {"key": "mlflow.prompt.is_prompt", "value": "true"}, {"key": "mlflow.prompt.text", "value": "x"}]})),
        ("registered-models create", "POST", f"{V1}/registered-models/create", i(json={"name": f"rm-of-{user}"})),
        ("prompt create", "POST", f"{V1}/registered-models/create",
         i(json={"name": f"prompt-of-{user}", "tags": PROMPT_TAGS})),
        ("registered-models rename", "POST", f"{V1}/registered-models/rename",
         i(json={"name": MODEL, "new_name": f"{MODEL}-{user}"})),
        ("registered-models rename back", "POST", f"{V1}/registered-models/rename",
         i(json={"name": f"{MODEL}-{user}", "new_name": MODEL})),
        # webhooks
        ("webhooks list", "GET", f"{V1}/webhooks", i()),
        ("webhooks get", "GET", f"{V1}/webhooks/{{hook}}", i()),
        ("webhooks create", "POST", f"{V1}/webhooks", i(json={
            "name": f"h-{user}", "url": "http://127.0.0.1:9/h", "events": [
                {"entity": "REGISTERED_MODEL", "action": "CREATED"}]})),
        ("webhooks update", "PATCH", f"{V1}/webhooks/{{hook}}", i(json={"description": user})),
        ("webhooks test", "POST", f"{V1}/webhooks/{{hook}}/test", i(json={})),
        ("webhooks delete (missing)", "DELETE", f"{V1}/webhooks/does-not-exist", i()),
        # users and permissions, as this user
        ("users/current", "GET", "/api/2.0/mlflow/users/current", i()),
        ("users/get self", "GET", "/api/2.0/mlflow/users/get", i(params={"username": user})),
        ("users/get admin", "GET", "/api/2.0/mlflow/users/get", i(params={"username": ADMIN[0]})),
        ("users/list", "GET", "/api/2.0/mlflow/users/list", i()),
        ("users/current/permissions", "GET", "/api/2.0/mlflow/users/current/permissions", i()),
        ("permissions/list self", "GET", f"{V3}/users/permissions/list", i(params={"username": user})),
        ("permissions/list other", "GET", f"{V3}/users/permissions/list", i(params={"username": "none"})),
        ("permissions/get self", "GET", f"{V3}/users/permissions/get",
         i(params={"username": user, "resource_type": "experiment", "resource_id": "{exp}"})),
        ("permissions/get other", "GET", f"{V3}/users/permissions/get",
         i(params={"username": "none", "resource_type": "experiment", "resource_id": "{exp}"})),
        ("grant on experiment", "POST", f"{V3}/users/permissions/grant",
         i(json={"username": "none", "resource_type": "experiment", "resource_id": "{exp}", "permission": "READ"})),
        ("revoke on experiment", "POST", f"{V3}/users/permissions/revoke",
         i(json={"username": "none", "resource_type": "experiment", "resource_id": "{exp}"})),
        ("grant on model", "POST", f"{V3}/users/permissions/grant",
         i(json={"username": "none", "resource_type": "registered_model", "resource_id": MODEL,
                 "permission": "READ"})),
        ("revoke on model", "POST", f"{V3}/users/permissions/revoke",
         i(json={"username": "none", "resource_type": "registered_model", "resource_id": MODEL})),
        ("grant on prompt", "POST", f"{V3}/users/permissions/grant",
         i(json={"username": "none", "resource_type": "prompt", "resource_id": PROMPT, "permission": "READ"})),
        ("revoke on prompt", "POST", f"{V3}/users/permissions/revoke",
         i(json={"username": "none", "resource_type": "prompt", "resource_id": PROMPT})),
        ("grant on the run tier", "POST", f"{V3}/users/permissions/grant",
         i(json={"username": "none", "resource_type": "run", "resource_id": "*", "permission": "READ"})),
        ("users/update-admin", "PATCH", "/api/2.0/mlflow/users/update-admin",
         i(json={"username": user, "is_admin": False})),
        ("users/create", "POST", "/api/2.0/mlflow/users/create", i(json={"username": f"x-{user}",
                                                                          "password": PASSWORD})),
        ("users/update-password other", "PATCH", "/api/2.0/mlflow/users/update-password",
         i(json={"username": "none", "password": PASSWORD})),
        ("users/delete other", "DELETE", "/api/2.0/mlflow/users/delete", i(json={"username": "x-nobody"})),
        ("users/roles/list self", "GET", f"{V3}/users/roles/list", i(params={"username": user})),
        ("users/roles/list other", "GET", f"{V3}/users/roles/list", i(params={"username": ROLE_USER})),
        ("roles/list", "GET", f"{V3}/roles/list", i(params={"workspace": "default"})),
        ("permissions/get run tier", "GET", f"{V3}/users/permissions/get",
         i(params={"username": user, "resource_type": "run", "resource_id": "*"})),
        ("permissions/get model", "GET", f"{V3}/users/permissions/get",
         i(params={"username": user, "resource_type": "registered_model", "resource_id": MODEL})),
        # the same routes under their other prefixes
        # tracklite also answers the 2.0 routes under 3.0; the reference has no such routes (403 to non-admins).
        ("v3 experiments/get", "GET", "/api/3.0/mlflow/experiments/get", exp_q),
        ("v3 artifacts/list", "GET", "/api/3.0/mlflow/artifacts/list", run_q),
        ("v3 proxy get", "GET", "/api/3.0/mlflow-artifacts/artifacts/{exp}/{run}/artifacts/f.txt", i()),
        ("ajax proxy get", "GET", "/ajax-api/2.0/mlflow-artifacts/artifacts/{exp}/{run}/artifacts/f.txt", i()),
        ("ajax runs/get", "GET", "/ajax-api/2.0/mlflow/runs/get", run_q),
        ("ajax v3 registered-models/get", "GET", "/ajax-api/3.0/mlflow/registered-models/get",
         i(params={"name": MODEL})),
        ("get-latest-versions GET", "GET", f"{V1}/registered-models/get-latest-versions", i(params={"name": MODEL})),
        ("prompt get by alias champ", "GET", f"{V1}/registered-models/alias", i(params={"name": MODEL,
                                                                                    "alias": "champ"})),
        # requests that name no resource
        ("experiments/get without id", "GET", f"{V1}/experiments/get", i()),
        ("runs/get without id", "GET", f"{V1}/runs/get", i()),
        ("runs/log-metric without run", "POST", f"{V1}/runs/log-metric", i(json={"key": "m", "value": 1,
                                                                                 "timestamp": 1})),
        ("registered-models/get without name", "GET", f"{V1}/registered-models/get", i()),
        ("model-versions/get without version", "GET", f"{V1}/model-versions/get", i(params={"name": MODEL})),
        ("logged-models create without experiment", "POST", f"{V1}/logged-models", i(json={})),
        ("get-history-bulk-interval without runs", "GET", "/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval",
         i(params={"metric_key": "m"})),
        ("model-versions/get-artifact without name", "GET", "/model-versions/get-artifact", i()),
        ("workspaces list", "GET", f"{V3}/workspaces", i()),
        ("workspaces get", "GET", f"{V3}/workspaces/default", i()),
        ("traces search (not served)", "GET", f"{V3}/traces", i(params={"experiment_ids": "{exp}"})),
        # resources that do not exist
        ("missing experiment", "GET", f"{V1}/experiments/get", i(params={"experiment_id": "987654"})),
        ("missing run", "GET", f"{V1}/runs/get", i(params={"run_id": "0" * 32})),
        ("missing run's metrics", "GET", f"{V1}/metrics/get-history", i(params={"run_id": "0" * 32,
                                                                                "metric_key": "m"})),
        ("missing run's artifact", "GET", "/get-artifact", i(params={"run_id": "0" * 32, "path": "f.txt"})),
        ("missing logged model", "GET", f"{V1}/logged-models/m-00000000000000000000000000000000", i()),
        ("missing registered model", "GET", f"{V1}/registered-models/get", i(params={"name": "nope"})),
        ("missing model version", "GET", f"{V1}/model-versions/get", i(params={"name": MODEL, "version": "99"})),
        ("missing model's version", "GET", f"{V1}/model-versions/get", i(params={"name": "nope", "version": "1"})),
        ("missing experiment's artifacts", "GET", f"{ART}/987654/x/artifacts/f.txt", i()),
        ("runs/create in missing experiment", "POST", f"{V1}/runs/create", i(json={"experiment_id": "987654"})),
        ("grant on missing experiment", "POST", f"{V3}/users/permissions/grant",
         i(json={"username": "none", "resource_type": "experiment", "resource_id": "987654", "permission": "READ"})),
        # searches (visible rows compared below)
        ("experiments/search", "POST", f"{V1}/experiments/search", i(json={"max_results": 1000})),
        ("runs/search", "POST", f"{V1}/runs/search", i(json={"experiment_ids": ["{exp}"]})),
        ("registered-models/search", "GET", f"{V1}/registered-models/search", i(params={"max_results": 1000})),
        ("registered-models/search prompts", "GET", f"{V1}/registered-models/search",
         i(params={"filter": "tags.`mlflow.prompt.is_prompt` = 'true'"})),
        ("model-versions/search", "GET", f"{V1}/model-versions/search", i(params={"max_results": 1000})),
        ("model-versions/search by run", "GET", f"{V1}/model-versions/search", i(params={"filter": "run_id = '{run}'"})),
        ("logged-models/search", "POST", f"{V1}/logged-models/search", i(json={"experiment_ids": ["{exp}"]})),
        ("logged-models/search by run", "POST", f"{V1}/logged-models/search",
         i(json={"experiment_ids": ["{exp}"], "filter": "source_run_id = '{run}'"})),
        ("experiments/search deleted too", "GET", f"{V1}/experiments/search", i(params={"view_type": "ALL",
                                                                                        "max_results": 1000})),
        ("runs/search filtered", "POST", f"{V1}/runs/search",
         i(json={"experiment_ids": ["{exp}", "0"], "filter": "params.p = '1'"})),
        # destructive, last
        ("proxy delete", "DELETE", f"{ART}/{{exp}}/{{run}}/artifacts/{user}.txt", i()),
        ("proxy delete, experiment level", "DELETE", f"{ART}/{{exp}}/{user}-top.txt", i()),
        ("runs/delete", "POST", f"{V1}/runs/delete", i(json={"run_id": "{run}"})),
        ("runs/restore", "POST", f"{V1}/runs/restore", i(json={"run_id": "{run}"})),
        ("experiments/delete", "POST", f"{V1}/experiments/delete", i(json={"experiment_id": "{exp}"})),
        ("experiments/restore", "POST", f"{V1}/experiments/restore", i(json={"experiment_id": "{exp}"})),
        ("model version delete", "DELETE", f"{V1}/model-versions/delete", i(json={"name": MODEL, "version": "2"})),
        ("prompt version delete", "DELETE", f"{V1}/model-versions/delete", i(json={"name": PROMPT, "version": "2"})),
        ("logged-models delete", "DELETE", f"{V1}/logged-models/{{model_id}}", i()),
        ("prompt delete", "DELETE", f"{V1}/registered-models/delete", i(json={"name": PROMPT})),
        ("registered-models delete", "DELETE", f"{V1}/registered-models/delete", i(json={"name": MODEL})),
    ]
    return reqs


def _fill(value, ids):
    if isinstance(value, str):
        return re.sub(r"\{(exp|run|model_id|hook)\}", lambda m: ids[m.group(1)], value)
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    return value


def _placeholders(text: str, ids: dict[str, str]) -> str:
    for key, value in sorted(ids.items(), key=lambda kv: -len(kv[1])):
        if len(value) > 1:
            text = text.replace(value, f"<{key}>")
    return re.sub(r"\b[0-9a-f]{32}\b", "<id>", text)


def _visible(label: str, body: dict) -> object:
    """The rows a search answered, by name (ids differ between the servers)."""
    if label.startswith("experiments/search"):
        return sorted(e["name"] for e in body.get("experiments", []))
    if label.startswith("runs/search"):
        return sorted(r["info"].get("run_name", "") for r in body.get("runs", []))
    if label.startswith("registered-models/search"):
        return sorted(m["name"] for m in body.get("registered_models", []))
    if label.startswith("model-versions/search"):
        return sorted((v["name"], v["version"], "run_id" in v) for v in body.get("model_versions", []))
    if label.startswith("logged-models/search"):
        return sorted(m["info"]["name"] for m in body.get("models", []))
    if label == "users/list":
        return sorted(u["username"] for u in body.get("users", []))
    if label == "experiments/get":
        return body.get("experiment", {}).get("name")
    if label.endswith(" get"):
        rm = body.get("registered_model", {})
        return (rm.get("name"), len(rm.get("latest_versions", [])))
    return None


def _outcome(label: str, resp: requests.Response, ids: dict[str, str]) -> dict:
    out: dict = {"status": resp.status_code}
    try:
        body = resp.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and "error_code" in body:
        out["error_code"] = body["error_code"]
        out["message"] = _placeholders(_strip_sql_noise(str(body.get("message"))), ids)
    elif resp.status_code == 200 and isinstance(body, dict):
        rows = _visible(label, body)
        if rows is not None:
            out["rows"] = rows
    elif resp.status_code in (401, 403):
        out["text"] = resp.text
    return out


def _comparable(a: dict, b: dict) -> tuple[dict, dict]:
    # The reference's HTML 404/405 pages against tracklite's JSON ones (`html-error-pages`) compare by status alone.
    if a["status"] in (404, 405) and "error_code" not in a and b.get("error_code") in ("ENDPOINT_NOT_FOUND",
                                                                                       "BAD_REQUEST"):
        b = {k: v for k, v in b.items() if k not in ("error_code", "message")}
    return a, b


@pytest.fixture(scope="module", params=["READ", "NO_PERMISSIONS"])
def sides(request):
    with basic_auth_servers(["reference", "tracklite"], request.param, "compat-auth-matrix-",
                            extra_env=WEBHOOK_TEST_ENV) as started:
        pair = [Side(s.url) for s in started]
        for side in pair:
            _setup(side, request.param)
            _setup_role(side)
        yield pair


def test_permission_matrix(sides):
    diffs: list[str] = []
    cells = 0
    statuses: dict[int, int] = {}
    for user, level in USERS:
        for label, method, path, make in _requests(user):
            outs = []
            for side in sides:
                resp = side.call(user, method, path, **make(side.ids))
                outs.append(_outcome(label, resp, side.ids))
            a, b = _comparable(*outs)
            cells += 1
            statuses[a["status"]] = statuses.get(a["status"], 0) + 1
            if a != b and (a, b) != KNOWN.get(label):
                diffs.append(f"[{user}] {label} ({method} {path}):\n  reference {a}\n  tracklite {b}")
    print(f"permission matrix: {len(USERS)} users x {cells // len(USERS)} requests = {cells} cells; reference statuses "
          f"{dict(sorted(statuses.items()))}")
    # A matrix that only ever answers one way proves nothing: both allowed and refused cells must be in it.
    assert statuses.get(200, 0) > 100 and statuses.get(403, 0) > 100, statuses
    assert not diffs, f"{len(diffs)} of {cells} cells differ:\n" + "\n".join(diffs)
