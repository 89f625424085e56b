"""Differential: the basic-auth permission checks of the scorer routes (register, get, versions, list, delete,
online configs), prompt optimization jobs and the prompt lab's run. Users with READ (the default), EDIT on the
experiment, DENY on it, and a DENY on the scorer_version tier send the same requests to the reference and to tracklite;
status, error code and message must agree (scorer ids aside: each server draws its own)."""

from __future__ import annotations

import json
import os

import pytest
import requests

from support.clientutil import MLFLOW_MAJOR

if MLFLOW_MAJOR < 3:
    pytest.skip("the 3.x basic-auth app is what tracklite serves", allow_module_level=True)

from support.diff import _strip_sql_noise  # noqa: E402

# Two servers start (the reference takes a minute or more on a loaded box) and every scenario sends many requests.
pytestmark = pytest.mark.timeout(900)
from support.servers import AUTH_ADMIN, AUTH_ARGS, AUTH_ENV, start_servers, stop_servers  # noqa: E402

CANDIDATE = os.environ.get("COMPAT_DIFF_AGAINST", "tracklite").strip() or "tracklite"
S = "/api/3.0/mlflow/scorers"
USERS = {"reader": None, "editor": "EDIT", "denied": "DENY", "noversions": None}
JUDGE = json.dumps({"name": "j", "instructions_judge_pydantic_data": {"model": "openai:/gpt-4o", "instructions": "x"}})


@pytest.fixture(scope="module")
def servers():
    started = start_servers(["reference", CANDIDATE],
                            extra_env={**AUTH_ENV, "MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false"},
                            extra_args=AUTH_ARGS)
    try:
        yield started
    finally:
        stop_servers(started)


def _outcome(resp: requests.Response) -> dict:
    out: dict = {"status": resp.status_code}
    try:
        body = resp.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and "error_code" in body:
        out["error_code"] = body["error_code"]
        out["message"] = _strip_sql_noise(body.get("message") or "")
    return out


def test_scorer_permissions(servers):
    urls = [s.url for s in servers]
    diffs: list[str] = []
    # one experiment per server, same id on both (fresh databases)
    exp = None
    for url in urls:
        r = requests.post(f"{url}/api/2.0/mlflow/experiments/create", json={"name": "scorer-auth"}, auth=AUTH_ADMIN,
                          timeout=60)
        assert r.status_code == 200, r.text
        exp = r.json()["experiment_id"]
        for name, level in USERS.items():
            r = requests.post(f"{url}/api/2.0/mlflow/users/create",
                              json={"username": name, "password": f"{name}-password-1"}, auth=AUTH_ADMIN, timeout=60)
            assert r.status_code == 200, r.text
            if level:
                r = requests.post(f"{url}/api/3.0/mlflow/users/permissions/grant",
                                  json={"username": name, "resource_type": "experiment", "resource_id": exp,
                                        "permission": level}, auth=AUTH_ADMIN, timeout=60)
                assert r.status_code == 200, r.text
        r = requests.post(f"{url}/api/3.0/mlflow/users/permissions/grant",
                          json={"username": "noversions", "resource_type": "scorer_version", "resource_id": "*",
                                "permission": "DENY"}, auth=AUTH_ADMIN, timeout=60)
        assert r.status_code == 200, r.text
        r = requests.post(f"{url}{S}/register", json={"experiment_id": exp, "name": "kept", "serialized_scorer": JUDGE},
                          auth=AUTH_ADMIN, timeout=60)
        assert r.status_code == 200, r.text

    def both(label, method, path, user, **kw):
        auth = (user, f"{user}-password-1")
        outs = [_outcome(requests.request(method, url + path, auth=auth, timeout=60, **kw)) for url in urls]
        if outs[0] != outs[1]:
            diffs.append(f"{label} as {user}: reference {outs[0]} != {CANDIDATE} {outs[1]}")

    for user in USERS:
        both("register", "POST", f"{S}/register", user,
             json={"experiment_id": exp, "name": f"by-{user}", "serialized_scorer": JUDGE})
        both("get", "GET", f"{S}/get", user, params={"experiment_id": exp, "name": "kept"})
        both("versions", "GET", f"{S}/versions", user, params={"experiment_id": exp, "name": "kept"})
        both("list one", "GET", f"{S}/list", user, params={"experiment_id": exp})
        both("online config", "PUT", f"{S}/online-config", user,
             json={"experiment_id": exp, "name": "kept", "sample_rate": 0})
        both("job search", "GET", "/api/3.0/mlflow/prompt-optimization/jobs/search", user,
             params={"experiment_id": exp})
        both("job get", "GET", "/api/3.0/mlflow/prompt-optimization/jobs/j-1", user)
        both("promptlab", "POST", "/ajax-api/2.0/mlflow/runs/create-promptlab-run", user,
             json={"experiment_id": exp, "prompt_template": "t", "prompt_parameters": [{"key": "a", "value": "b"}],
                   "model_route": "r", "model_input": "i", "mlflow_version": "3.17.2", "run_name": f"pl-{user}"})
    # destructive requests last: each user deletes the scorer it registered (if it could), then a version of "kept"
    for user in USERS:
        both("delete own", "DELETE", f"{S}/delete", user, json={"experiment_id": exp, "name": f"by-{user}"})
    for user in ("reader", "denied", "noversions"):
        both("delete version", "DELETE", f"{S}/delete", user, json={"experiment_id": exp, "name": "kept", "version": 1})
    assert not diffs, "\n".join(diffs)
