"""Differential: every route the reference server registers is served by tracklite.

The route list is not a copy: it is read from the reference's own Flask URL map in this venv, so moving the pin
moves the list. Each route gets one request with placeholder path parameters and an empty JSON body; tracklite must
route it (no ``ENDPOINT_NOT_FOUND``) and must not answer a 5xx the reference does not answer (the Python client
retries 5xx for minutes), a 501 ``NOT_IMPLEMENTED`` for a capability tracklite lacks aside.
A rule the reference itself answers as an unknown path (a 404 that is not an MLflow error: the Databricks-only trace
calls, a rule its FastAPI layer shadows) is not required.
"""

from __future__ import annotations

import re

import pytest
import requests

# Served by the reference, deliberately not by tracklite: the AI gateway is out of scope (KNOWN_DIFFERENCES.md).
NOT_SERVED = (
    re.compile(r"^/(ajax-)?api/[23]\.0/mlflow/gateway/"),
    re.compile(r"^/(ajax-)?api/2\.0/mlflow/gateway-proxy$"),
)
# Flask's own routes for the reference's bundled UI files; tracklite serves its own UI at "/".
UI_FILES = re.compile(r"^/(build|static-files)/")
# Not sent to the reference: even an empty request makes it generate its demo data (minutes, and a changed database).
HEAVY_ON_REFERENCE = re.compile(r"/demo/generate$")


def _reference_routes() -> list[tuple[str, str]]:
    from mlflow.server import app

    out = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            out.append((method, rule.rule))
    return sorted(set(out))


def _concrete(path: str) -> str:
    """A request path for a rule: each ``<converter:name>`` becomes a harmless placeholder."""
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: f"x-{m.group(1)}", path)


def _send(base: str, method: str, path: str) -> requests.Response:
    body = {} if method in ("POST", "PATCH", "PUT", "DELETE") else None
    return requests.request(method, base + _concrete(path), json=body, timeout=120, allow_redirects=False)


def _not_implemented(r: requests.Response) -> bool:
    """501 NOT_IMPLEMENTED: a capability tracklite lacks (KNOWN_DIFFERENCES `no-python-runtime`); not retried."""
    try:
        return r.status_code == 501 and r.json().get("error_code") == "NOT_IMPLEMENTED"
    except (ValueError, AttributeError):
        return False


def _unrouted(r: requests.Response) -> bool:
    """A 404 that is not an MLflow error about a resource: the path is not served."""
    if r.status_code != 404:
        return False
    try:
        code = r.json().get("error_code") if r.headers.get("content-type", "").startswith("application/json") else None
    except (ValueError, AttributeError):
        code = None
    return code in (None, "ENDPOINT_NOT_FOUND")


def test_every_reference_route_is_served(diff_servers):
    (reference, tracklite), _states = diff_servers
    routes = _reference_routes()
    assert len(routes) > 300, "the reference's URL map looks incomplete"
    unrouted, crashed, checked = [], [], 0
    for method, path in routes:
        if UI_FILES.match(path) or any(p.match(path) for p in NOT_SERVED):
            continue
        ref = None if HEAVY_ON_REFERENCE.search(path) else _send(reference.url, method, path)
        if ref is not None and _unrouted(ref):
            continue
        checked += 1
        r = _send(tracklite.url, method, path)
        if _unrouted(r):
            unrouted.append(f"{method} {path}")
        elif r.status_code >= 500 and (ref is None or r.status_code != ref.status_code) and not _not_implemented(r):
            crashed.append(f"{method} {path} -> {r.status_code} {r.text[:200]}")
    assert checked > 250, f"only {checked} routes checked"
    assert not unrouted, f"{len(unrouted)} of {checked} reference routes not served:\n" + "\n".join(unrouted)
    assert not crashed, "5xx for an empty request:\n" + "\n".join(crashed)


@pytest.mark.parametrize("path", ["/api/2.0/mlflow/unified-traces", "/api/2.0/mlflow/get-online-trace-details"])
def test_databricks_only_trace_calls_are_404_on_both(diff_servers, path):
    (reference, tracklite), _states = diff_servers
    assert requests.get(reference.url + path, timeout=30).status_code == 404
    assert requests.get(tracklite.url + path, timeout=30).status_code == 404
