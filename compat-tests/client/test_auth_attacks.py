"""`--app-name basic-auth` attacked over raw sockets, as an attacker would: requests whose permission check could read
another resource than the handler serves (encoded artifact paths, `03` for experiment 3, `run_id` and `run_uuid`
naming two runs, an id in the URL and another in the body), and DNS-rebinding Host headers the default patterns
used to pass (`10.evil.example`). Raw sockets, so that no client library normalises the request target.

tracklite only: the reference answers several of these as the holes they are (KNOWN_DIFFERENCES.md `basic-auth`,
`security-middleware`)."""

from __future__ import annotations

import base64
import json
import socket

import pytest
import requests

from support.clientutil import MLFLOW_MAJOR, TARGET

if MLFLOW_MAJOR < 3:
    pytest.skip("the 3.x basic-auth app is what tracklite serves", allow_module_level=True)
if TARGET != "tracklite":
    pytest.skip("the reference answers several of these attacks as the holes they are", allow_module_level=True)

from support.servers import AUTH_ADMIN, AUTH_ARGS, AUTH_ENV, start_servers, stop_servers  # noqa: E402

ALICE = ("alice", "alice-password-1")
MALLORY = ("mallory", "mallory-password-1")
SECRET = b"ALICE-SECRET-BYTES"


def basic(who: tuple[str, str]) -> str:
    return "Basic " + base64.b64encode(f"{who[0]}:{who[1]}".encode()).decode()


def raw(port: int, method: str, target: str, who=MALLORY, host: str = "127.0.0.1", body: bytes = b"",
        headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """One request written byte for byte; returns the status and the body."""
    head = {"Host": host, "Authorization": basic(who), "Connection": "close", **(headers or {})}
    if body or method in ("POST", "PUT", "PATCH"):
        head["Content-Length"] = str(len(body))
    req = f"{method} {target} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in head.items()) + "\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(req.encode() + body)
        out = b""
        while chunk := s.recv(65536):
            out += chunk
    status_line, _, rest = out.partition(b"\r\n")
    return int(status_line.split()[1]), rest.partition(b"\r\n\r\n")[2]


@pytest.fixture(scope="module")
def world():
    servers = start_servers([TARGET], extra_env=AUTH_ENV, extra_args=AUTH_ARGS)
    server = servers[0]
    base = server.url
    try:
        def call(who, method, path, **kw):
            r = requests.request(method, base + path, headers={"Authorization": basic(who)}, **kw)
            assert r.status_code < 300, (path, r.status_code, r.text)
            return r.json() if r.text else {}

        for who in (ALICE, MALLORY):
            call(AUTH_ADMIN, "POST", "/api/2.0/mlflow/users/create", json={"username": who[0], "password": who[1]})
        exp = call(ALICE, "POST", "/api/2.0/mlflow/experiments/create", json={"name": "victim"})["experiment_id"]
        run = call(ALICE, "POST", "/api/2.0/mlflow/runs/create", json={"experiment_id": exp})["run"]["info"]["run_id"]
        mine = call(MALLORY, "POST", "/api/2.0/mlflow/experiments/create", json={"name": "mine"})["experiment_id"]
        my_run = call(MALLORY, "POST", "/api/2.0/mlflow/runs/create", json={"experiment_id": mine})["run"]["info"][
            "run_id"]
        call(ALICE, "PUT", f"/api/2.0/mlflow-artifacts/artifacts/{exp}/{run}/artifacts/secret.txt", data=SECRET)
        call(AUTH_ADMIN, "POST", "/api/3.0/mlflow/users/permissions/grant",
             json={"username": MALLORY[0], "resource_type": "experiment", "resource_id": exp, "permission": "DENY"})
        yield {"port": server.port, "call": call, "exp": exp, "run": run, "mine": mine, "my_run": my_run}
    finally:
        stop_servers(servers)


def test_denied_experiment_stays_denied_under_other_spellings(world):
    exp = world["exp"]
    for spelling in (exp, f"0{exp}", f"%2B{exp}", f"%20{exp}"):
        status, body = raw(world["port"], "GET", f"/api/2.0/mlflow/experiments/get?experiment_id={spelling}")
        assert (spelling, status) == (spelling, 403), body


def test_encoded_artifact_paths_are_judged_as_served(world):
    exp, run, port = world["exp"], world["run"], world["port"]
    first = f"{ord(exp[0]):x}"
    rest = f"{run}/artifacts/secret.txt"
    proxy = "/api/2.0/mlflow-artifacts/artifacts"
    for target in (
        f"{proxy}/%25{first}{exp[1:]}/{rest}",
        f"{proxy}/%2525{first}{exp[1:]}/{rest}",
        f"{proxy}/%252e/{exp}/{rest}",
        f"{proxy}/./{exp}/{rest}",
        f"{proxy}?path=./{exp}/{run}/artifacts",
        f"{proxy}?path=%252e/{exp}/{run}/artifacts",
    ):
        status, body = raw(port, "GET", target)
        assert (target, status) == (target, 403)
        assert SECRET not in body and b"secret.txt" not in body
    # The owner's encoded path reaches the same file: the encoding is read, not refused.
    status, body = raw(port, "GET", f"{proxy}/%25{first}{exp[1:]}/{rest}", who=ALICE)
    assert (status, body) == (200, SECRET)


def test_upload_goes_to_the_run_that_was_checked(world):
    # The upload writes to `run_uuid`'s run (the reference's handler reads no `run_id`), so that is the run judged.
    port, run, my_run = world["port"], world["run"], world["my_run"]
    upload = "/ajax-api/2.0/mlflow/upload-artifact?run_id={}&run_uuid={}&path=planted.txt"
    headers = {"Content-Type": "application/octet-stream"}
    status, _ = raw(port, "POST", upload.format(my_run, run), body=b"PLANTED", headers=headers)
    assert status == 403
    status, _ = raw(port, "POST", upload.format(run, my_run), body=b"PLANTED", headers=headers)
    assert status == 200
    victim = world["call"](ALICE, "GET", "/api/2.0/mlflow/artifacts/list", params={"run_id": run})
    assert "planted.txt" not in json.dumps(victim)
    own = world["call"](MALLORY, "GET", "/api/2.0/mlflow/artifacts/list", params={"run_id": my_run})
    assert "planted.txt" in json.dumps(own)


def test_an_id_in_the_body_cannot_contradict_the_url(world):
    call = world["call"]
    victim = call(ALICE, "POST", "/api/2.0/mlflow/logged-models", json={"experiment_id": world["exp"]})
    own = call(MALLORY, "POST", "/api/2.0/mlflow/logged-models", json={"experiment_id": world["mine"]})
    victim_id, own_id = victim["model"]["info"]["model_id"], own["model"]["info"]["model_id"]
    body = json.dumps({"model_id": victim_id, "status": "LOGGED_MODEL_READY"}).encode()
    status, answer = raw(world["port"], "PATCH", f"/api/2.0/mlflow/logged-models/{own_id}", body=body,
                         headers={"Content-Type": "application/json"})
    assert status == 400 and b"INVALID_PARAMETER_VALUE" in answer
    after = call(ALICE, "GET", f"/api/2.0/mlflow/logged-models/{victim_id}")
    assert after["model"]["info"]["status"] == "LOGGED_MODEL_PENDING"


def test_rebinding_hosts_are_refused_and_addresses_pass(world):
    port, mine = world["port"], world["mine"]
    target = f"/api/2.0/mlflow/experiments/get?experiment_id={mine}"
    for host in ("10.evil.example", "192.168.1.2.nip.io", f"172.16.0.1.attacker.example:{port}", "localhost.evil.com"):
        status, body = raw(port, "GET", target, host=host)
        assert (host, status, body) == (host, 403, b"Invalid Host header - possible DNS rebinding attack detected")
    for host in ("localhost", f"127.0.0.1:{port}", f"[::1]:{port}", "10.0.0.5:5000", "192.168.1.2"):
        status, _ = raw(port, "GET", target, host=host)
        assert (host, status) == (host, 200)


def test_forwarded_for_does_not_reset_the_sign_in_limit(world):
    port, mine = world["port"], world["mine"]
    target = f"/api/2.0/mlflow/experiments/get?experiment_id={mine}"
    wrong = ("nobody-here", "wrong-password-1")
    statuses = [raw(port, "GET", target, who=wrong, headers={"X-Forwarded-For": f"203.0.113.{i}"})[0]
                for i in range(12)]
    assert statuses[:10] == [401] * 10 and statuses[10:] == [429, 429]


def test_a_delete_is_judged_on_the_body_it_acts_on(world):
    call, port = world["call"], world["port"]
    call(ALICE, "POST", "/api/2.0/mlflow/registered-models/create", json={"name": "guarded"})
    call(AUTH_ADMIN, "POST", "/api/3.0/mlflow/users/permissions/grant",
         json={"username": MALLORY[0], "resource_type": "registered_model", "resource_id": "guarded",
               "permission": "DENY"})
    call(MALLORY, "POST", "/api/2.0/mlflow/registered-models/create", json={"name": "decoy"})
    status, _ = raw(port, "DELETE", "/api/2.0/mlflow/registered-models/delete?name=decoy",
                    body=json.dumps({"name": "guarded"}).encode(), headers={"Content-Type": "text/plain"})
    assert status == 403
    assert call(ALICE, "GET", "/api/2.0/mlflow/registered-models/get", params={"name": "guarded"})


def test_a_request_without_host_is_refused(world):
    """HTTP/1.0 allows leaving Host out; the reference refuses such a request, and so does tracklite."""
    req = f"GET /api/2.0/mlflow/experiments/get?experiment_id={world['mine']} HTTP/1.0\r\n"
    req += f"Authorization: {basic(MALLORY)}\r\n\r\n"
    with socket.create_connection(("127.0.0.1", world["port"]), timeout=10) as s:
        s.sendall(req.encode())
        out = b""
        while chunk := s.recv(65536):
            out += chunk
    assert out.split(b"\r\n", 1)[0].split()[1] == b"403"
    assert out.endswith(b"Invalid Host header - possible DNS rebinding attack detected")
