"""Differential: MLflow's security middleware — browser-borne attacks (cross-site writes, DNS rebinding), CORS
preflights and security headers — against the reference and tracklite, with default and with configured settings.

Each request goes to both servers; the statuses, bodies (text, or the JSON error code and message) and the security
and CORS headers must be the same, and the attacks must change nothing.
"""

from __future__ import annotations

import json

import pytest
import requests

from support.servers import start_servers, stop_servers

EVIL = "https://evil.example"
COMPARED_HEADERS = (
    "x-frame-options",
    "x-content-type-options",
    "access-control-allow-origin",
    "access-control-allow-credentials",
    "access-control-allow-methods",
    "access-control-allow-headers",
    "access-control-max-age",
)


def _servers(extra_env=None):
    servers = start_servers(["reference", "tracklite"], extra_env=extra_env)
    return servers


@pytest.fixture(scope="module")
def default_pair():
    servers = _servers()
    try:
        yield servers
    finally:
        stop_servers(servers)


@pytest.fixture(scope="module")
def configured_pair():
    servers = _servers({
        "MLFLOW_SERVER_ALLOWED_HOSTS": "mlflow.example.com:5000,*.corp.example",
        "MLFLOW_SERVER_CORS_ALLOWED_ORIGINS": "https://app.example.com,https://*.tools.example",
        "MLFLOW_SERVER_X_FRAME_OPTIONS": "deny",
    })
    try:
        yield servers
    finally:
        stop_servers(servers)


def _shape(r: requests.Response) -> dict:
    """What must be equal: status, body (JSON error code and message, or text), and the security headers."""
    body: object = r.text
    if r.headers.get("content-type", "").startswith("application/json"):
        parsed = json.loads(r.text) if r.text else None
        body = {k: parsed.get(k) for k in ("error_code", "message")} if isinstance(parsed, dict) and "error_code" in parsed else "<json>"
    headers = {h: r.headers.get(h) for h in COMPARED_HEADERS}
    return {"status": r.status_code, "body": body, "headers": headers}


def _both(servers, method, path, *, headers=None, data=None, params=None, per_server=None):
    """Sends one request to each server; ``per_server(server)`` may give a dict of extra request arguments."""
    out = []
    for s in servers:
        kw = {"headers": dict(headers or {}), "data": data, "params": params, "timeout": 30}
        if per_server:
            extra = per_server(s)
            kw["headers"].update(extra.pop("headers", {}))
            kw.update(extra)
        out.append(requests.request(method, s.url + path, **kw))
    return out


def _assert_same(servers, label, *args, **kw):
    ref, cand = _both(servers, *args, **kw)
    a, b = _shape(ref), _shape(cand)
    # the reference's refusals come from outer middleware, without its security headers; tracklite adds them to
    # every answer, which is only stricter
    for h in ("x-frame-options", "x-content-type-options"):
        if a["headers"][h] is None:
            b["headers"][h] = None
    if "Origin" not in (kw.get("headers") or {}):
        # without an Origin there is no CORS; the reference's inner Flask-CORS still names its first listed origin
        for shape in (a, b):
            shape["headers"] = {h: v for h, v in shape["headers"].items() if not h.startswith("access-control-")}
    assert a == b, f"{label}: reference {a} != tracklite {b}"
    return ref, cand


def _seed(server) -> dict:
    """An experiment with a run, through the JSON API (same-origin, no Origin header)."""
    api = server.url + "/api/2.0/mlflow"
    eid = requests.post(f"{api}/experiments/create", json={"name": "victim"}, timeout=30).json()["experiment_id"]
    rid = requests.post(f"{api}/runs/create", json={"experiment_id": eid}, timeout=30).json()["run"]["info"]["run_id"]
    return {"eid": eid, "rid": rid}


def _state(server, ids) -> dict:
    api = server.url + "/api/2.0/mlflow"
    run = requests.get(f"{api}/runs/get", params={"run_id": ids["rid"]}, timeout=30).json()["run"]["info"]
    exp = requests.get(f"{api}/experiments/get", params={"experiment_id": ids["eid"]}, timeout=30).json()
    hooks = requests.get(f"{api}/webhooks", timeout=30).json()
    arts = requests.get(f"{api}/artifacts/list", params={"run_id": ids["rid"]}, timeout=30).json()
    return {
        "run": run["lifecycle_stage"],
        "experiment": exp["experiment"]["lifecycle_stage"],
        "webhooks": len(hooks.get("webhooks", [])),
        "artifacts": len(arts.get("files", [])),
    }


def test_cross_site_writes_are_refused(default_pair):
    ids = {s.url: _seed(s) for s in default_pair}
    before = {s.url: _state(s, ids[s.url]) for s in default_pair}
    plain = {"Origin": EVIL, "Content-Type": "text/plain"}

    attacks = []
    for prefix in ("/api/2.0/mlflow", "/ajax-api/2.0/mlflow"):
        attacks += [
            ("runs/delete", f"{prefix}/runs/delete", lambda s: {"data": json.dumps({"run_id": ids[s.url]["rid"]})}),
            ("experiments/delete", f"{prefix}/experiments/delete",
             lambda s: {"data": json.dumps({"experiment_id": ids[s.url]["eid"]})}),
            ("webhooks", f"{prefix}/webhooks", lambda s: {"data": json.dumps({
                "name": "exfil", "url": "https://evil.example/hook", "events": [{"entity": "model_version", "action": "created"}]})}),
            ("runs/set-tag", f"{prefix}/runs/set-tag",
             lambda s: {"data": json.dumps({"run_id": ids[s.url]["rid"], "key": "k", "value": "v"})}),
        ]
    for label, path, per_server in attacks:
        _assert_same(default_pair, f"cross-site {label}", "POST", path, headers=plain, per_server=per_server)
        # a form post (no preflight either) and a JSON post with a foreign Origin are refused the same way
        _assert_same(default_pair, f"cross-site form {label}", "POST", path,
                     headers={"Origin": EVIL, "Content-Type": "application/x-www-form-urlencoded"}, per_server=per_server)
        _assert_same(default_pair, f"cross-site json {label}", "POST", path,
                     headers={"Origin": "null", "Content-Type": "application/json"}, per_server=per_server)
    _assert_same(default_pair, "cross-site upload-artifact", "POST", "/ajax-api/2.0/mlflow/upload-artifact",
                 headers=plain, data=b"pwned",
                 per_server=lambda s: {"params": {"run_uuid": ids[s.url]["rid"], "path": "pwned.txt"}})
    _assert_same(default_pair, "cross-site artifact PUT", "PUT",
                 "/api/2.0/mlflow-artifacts/artifacts/0/pwned.txt", headers=plain, data=b"pwned")
    _assert_same(default_pair, "cross-site artifact DELETE", "DELETE",
                 "/api/2.0/mlflow-artifacts/artifacts/0/pwned.txt", headers={"Origin": EVIL})
    after = {s.url: _state(s, ids[s.url]) for s in default_pair}
    assert after == before
    assert list(after.values())[1] == {"run": "active", "experiment": "active", "webhooks": 0, "artifacts": 0}


def test_simple_content_types_are_refused_without_origin(default_pair):
    """Without an Origin (curl, old browsers) a text/plain or form body is still not read as JSON."""
    for ctype in ("text/plain", "application/x-www-form-urlencoded", None):
        headers = {"Content-Type": ctype} if ctype else {}
        ref, cand = _assert_same(default_pair, f"content type {ctype}", "POST", "/api/2.0/mlflow/experiments/create",
                                 headers=headers, data=json.dumps({"name": f"ctype-{ctype}"}))
        assert cand.status_code == 400


def test_dns_rebinding_reads_are_refused(default_pair):
    rebound = {"Host": "attacker.example"}
    for path, params in [
        ("/api/2.0/mlflow/experiments/search", {"max_results": "10"}),
        ("/ajax-api/2.0/mlflow/experiments/search", {"max_results": "10"}),
        ("/api/2.0/mlflow/runs/get", {"run_id": "0" * 32}),
        ("/api/2.0/mlflow/webhooks", None),
        ("/api/2.0/mlflow-artifacts/artifacts", None),
        ("/get-artifact", {"path": "x", "run_uuid": "0" * 32}),
        ("/", None),
    ]:
        ref, cand = _assert_same(default_pair, f"rebinding {path}", "GET", path, headers=rebound, params=params)
        assert cand.status_code == 403
    # probes stay reachable with any Host
    for path in ("/health", "/version"):
        _, cand = _both(default_pair, "GET", path, headers=rebound)
        assert cand.status_code == 200


def test_same_origin_and_localhost_origins_pass(default_pair):
    for origin in ("http://localhost:3000", "http://127.0.0.1:5000", "http://[::1]:8080", "https://localhost"):
        ref, cand = _assert_same(default_pair, f"origin {origin}", "POST", "/api/2.0/mlflow/experiments/create",
                                 headers={"Origin": origin, "Content-Type": "application/json"},
                                 data=json.dumps({"name": f"from {origin}"}))
        assert cand.status_code == 200
    # a cross-origin GET is answered (the browser keeps the body from the page: no Allow-Origin)
    ref, cand = _assert_same(default_pair, "foreign GET", "GET", "/api/2.0/mlflow/experiments/get",
                             headers={"Origin": EVIL}, params={"experiment_id": "0"})
    assert cand.status_code == 200 and "access-control-allow-origin" not in cand.headers


def test_preflights_and_security_headers(default_pair):
    for origin, method, req_headers in [
        (EVIL, "POST", "content-type"),
        ("http://localhost:3000", "POST", "content-type,x-foo"),
        ("http://localhost:3000", "DELETE", None),
        ("http://localhost:3000", "TRACE", None),
    ]:
        headers = {"Origin": origin, "Access-Control-Request-Method": method}
        if req_headers:
            headers["Access-Control-Request-Headers"] = req_headers
        _assert_same(default_pair, f"preflight {origin} {method}", "OPTIONS", "/api/2.0/mlflow/experiments/create",
                     headers=headers)
    # a bare OPTIONS lists the methods
    ref, cand = _both(default_pair, "OPTIONS", "/api/2.0/mlflow/experiments/create")
    assert (ref.status_code, cand.status_code) == (204, 204)
    allowed = lambda r: sorted(m.strip() for m in r.headers["allow"].split(","))  # noqa: E731 (Flask's order varies)
    assert allowed(ref) == allowed(cand)
    ref, cand = _assert_same(default_pair, "headers", "GET", "/api/2.0/mlflow/experiments/get",
                             params={"experiment_id": "0"}, headers={"Origin": "http://localhost:3000"})
    assert cand.headers["x-frame-options"] == "SAMEORIGIN" and cand.headers["x-content-type-options"] == "nosniff"
    assert cand.headers["access-control-allow-origin"] == "http://localhost:3000"


def test_configured_hosts_origins_and_frame_options(configured_pair):
    ok_host = {"Host": "mlflow.example.com:5000"}
    # --allowed-hosts replaces the defaults: the loopback address itself is refused now
    _, cand = _assert_same(configured_pair, "loopback host", "GET", "/api/2.0/mlflow/experiments/get",
                           params={"experiment_id": "0"})
    assert cand.status_code == 403
    for host in ("mlflow.example.com:5000", "ci.corp.example"):
        _, cand = _assert_same(configured_pair, f"host {host}", "GET", "/api/2.0/mlflow/experiments/get",
                               params={"experiment_id": "0"}, headers={"Host": host})
        assert cand.status_code == 200 and cand.headers["x-frame-options"] == "DENY"
    _, cand = _assert_same(configured_pair, "host without port", "GET", "/api/2.0/mlflow/experiments/get",
                           params={"experiment_id": "0"}, headers={"Host": "mlflow.example.com"})
    assert cand.status_code == 403
    # --cors-allowed-origins adds to the localhost origins
    for origin, expected in [("https://app.example.com", 200), ("https://x.tools.example", 200),
                             ("http://localhost:3000", 200), (EVIL, 403)]:
        _, cand = _assert_same(configured_pair, f"origin {origin}", "POST", "/api/2.0/mlflow/experiments/create",
                               headers={**ok_host, "Origin": origin, "Content-Type": "application/json"},
                               data=json.dumps({"name": f"cfg {origin}"}))
        assert cand.status_code == expected
    _assert_same(configured_pair, "preflight listed origin", "OPTIONS", "/api/2.0/mlflow/runs/create",
                 headers={**ok_host, "Origin": "https://app.example.com", "Access-Control-Request-Method": "POST"})
