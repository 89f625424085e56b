"""Differential: the webhook endpoints (create, list, get, update, delete, test) and their checks, on servers that may
call receivers on 127.0.0.1 over http; and the URL policy both servers apply by default (https only, public
addresses only). Webhook ids are masked as <webhook:N>; secrets are never answered."""

import os
import re
import time

import pytest

from support.clientutil import MLFLOW_MAJOR

if MLFLOW_MAJOR < 3:
    pytest.skip("the reference server of an MLflow 2 venv has no webhooks", allow_module_level=True)

from support.diff import Differ, ServerState  # noqa: E402
from support.servers import WEBHOOK_TEST_ENV, start_servers, stop_servers  # noqa: E402
from support.webhook_receiver import Receiver, verify_signature  # noqa: E402

WH = "webhooks"
MV_CREATED = {"entity": "MODEL_VERSION", "action": "CREATED"}
RM_CREATED = {"entity": "REGISTERED_MODEL", "action": "CREATED"}


def _servers(extra_env=None):
    """The reference (side A) and the candidate of COMPAT_DIFF_AGAINST, as conftest's diff_servers starts them."""
    candidate = os.environ.get("COMPAT_DIFF_AGAINST", "tracklite").strip() or "tracklite"
    servers = start_servers(["reference", candidate], extra_env=extra_env)
    a, b = servers
    return servers, [ServerState("reference", a.url), ServerState(candidate, b.url)]


@pytest.fixture(scope="module")
def diff_servers():
    """Both servers with the webhook test settings (http receivers on 127.0.0.1)."""
    servers, states = _servers(WEBHOOK_TEST_ENV)
    try:
        yield servers, states
    finally:
        stop_servers(servers)


@pytest.fixture(scope="module")
def strict_differ_servers():
    """Both servers with the default policy."""
    servers, states = _servers()
    try:
        yield servers, states
    finally:
        stop_servers(servers)


@pytest.fixture
def strict_differ(strict_differ_servers) -> Differ:
    (a, b), states = strict_differ_servers
    return Differ(a.url, b.url, states=states)


@pytest.fixture(scope="module")
def receiver():
    r = Receiver()
    yield r
    r.stop()


def _pause():
    # list order is by creation time: keep the servers' creations apart
    time.sleep(0.01)


def test_webhook_crud(differ, receiver):
    d = differ
    url = f"{receiver.url}/ok/diff"
    d.post(WH, {"name": "first", "url": url, "events": [MV_CREATED]}, save={"w1": "webhook.webhook_id"},
           expect_status=200)
    _pause()
    d.post(WH, {"name": "second", "url": url, "description": "about", "secret": "s3cr3t", "status": "DISABLED",
                "events": [RM_CREATED, {"entity": "MODEL_VERSION_ALIAS", "action": "DELETED"},
                           {"entity": 3, "action": 4}]}, save={"w2": "webhook.webhook_id"}, expect_status=200)
    _pause()
    d.post(WH, {"name": "third.hook_3", "url": url, "description": "", "status": "BOGUS",
                "events": [{"entity": "BUDGET_POLICY", "action": "EXCEEDED"}]}, save={"w3": "webhook.webhook_id"},
           expect_status=200)
    d.get(WH + "/${w2}", expect_status=200)
    d.get("/ajax-api/2.0/mlflow/webhooks/${w1}", expect_status=200)
    d.get(WH, expect_status=200)
    d.get(WH, {"max_results": 2}, save={"tok": "next_page_token"}, expect_status=200)
    d.get(WH, {"max_results": 2, "page_token": "${tok}"}, expect_status=200)
    for params in [{"max_results": 0}, {"max_results": 1001}, {"max_results": -1}, {"max_results": "x"},
                   {"page_token": "bogus"}]:
        d.get(WH, params, expect_status=200 if params.get("max_results") == 0 else 400)

    # create: the handler's checks, then the store's, in the reference's order
    bad = {"name": "a", "url": url, "events": [MV_CREATED]}
    for patch, status in [
        ({"name": None, "url": None, "events": None}, 400), ({"url": None, "events": None}, 400),
        ({"events": None}, 400), ({"name": ""}, 400), ({"url": ""}, 400), ({"events": []}, 400),
        ({"events": "x"}, 400), ({"name": 5}, 400), ({"secret": 5}, 400), ({"description": 5}, 400),
        ({"name": "-a"}, 400), ({"name": "a b"}, 400), ({"name": "a" * 64}, 400),
        ({"name": "-a", "events": [{"entity": "MODEL_VERSION", "action": "SET"}]}, 400),
        ({"events": [{"entity": "PROMPT_TAG", "action": "CREATED"}]}, 400),
        ({"url": " "}, 400), ({"url": "ftp://host/x"}, 400), ({"url": "127.0.0.1:9/x"}, 400),
        ({"url": "http:///x"}, 400), ({"url": "http://[::1"}, 400), ({"url": "http://[127.0.0.1]/"}, 400),
        # the reference crashes on these (an HTML 500); tracklite refuses them with a 400
        ({"events": [{"entity": "BOGUS", "action": "CREATED"}]}, 500),
        ({"events": [{"entity": "MODEL_VERSION"}]}, 500),
        ({"events": ["model_version.created"]}, 500),
    ]:
        body = {k: v for k, v in {**bad, **patch}.items() if v is not None}
        d.post(WH, body, expect_status=status)
    # a repeated event: the reference leaks a UNIQUE-constraint dump (BAD_REQUEST); only code and status compare
    d.post(WH, {"name": "a", "url": url, "events": [MV_CREATED, MV_CREATED]}, expect_status=400)

    # update: a present field is set, an absent or empty one kept; events are replaced
    d.call("PATCH", WH + "/${w1}", {"name": "first-renamed", "description": "now described"}, expect_status=200)
    d.call("PATCH", WH + "/${w1}", {"name": "", "url": "", "events": [], "status": "BOGUS"}, expect_status=200)
    d.call("PATCH", WH + "/${w1}", {"description": "", "secret": "", "status": 2,
                                    "events": [{"entity": "PROMPT", "action": "CREATED"}, MV_CREATED]},
           expect_status=200)
    d.call("PATCH", WH + "/${w1}", {"status": "ACTIVE", "url": url + "/again", "webhook_id": "ignored"},
           expect_status=200)
    for body in [{"name": "-x"}, {"name": 5}, {"url": "ftp://x"}, {"events": "x"},
                 {"events": [{"entity": "MODEL_VERSION", "action": "SET"}]}]:
        d.call("PATCH", WH + "/${w1}", body, expect_status=400)
    d.call("PATCH", WH + "/nope", {"name": "x"}, expect_status=404)
    d.call("PATCH", WH + "/nope", {"events": [{"entity": "MODEL_VERSION", "action": "SET"}]}, expect_status=400)
    d.get(WH + "/${w1}", expect_status=200)

    # test: the example payload goes to the receiver, its answer comes back
    d.post(WH + "/${w1}/test", {}, expect_status=200)
    d.post(WH + "/${w3}/test", {}, expect_status=200)
    d.post(WH + "/${w1}/test", {"event": {"entity": "PROMPT_ALIAS", "action": "DELETED"}}, expect_status=200)
    d.post(WH + "/${w2}/test", {"event": {"entity": "PROMPT_ALIAS", "action": "SET"}}, expect_status=400)
    d.post(WH + "/nope/test", {"event": {"entity": "PROMPT_ALIAS", "action": "SET"}}, expect_status=400)
    d.post(WH + "/nope/test", {}, expect_status=404)
    d.post(WH, {"name": "teapot", "url": f"{receiver.url}/status/418/diff", "events": [MV_CREATED]},
           save={"tea": "webhook.webhook_id"}, expect_status=200)
    d.post(WH + "/${tea}/test", {}, expect_status=200)
    # a refused connection: both say so, each in its HTTP library's words
    d.post(WH, {"name": "dead", "url": "http://127.0.0.1:1/x", "events": [MV_CREATED]},
           save={"dead": "webhook.webhook_id"}, expect_status=200)
    d.post(WH + "/${dead}/test", {}, known="webhooks", expect_status=200)

    # delete, then every call on it is a 404; wrong methods are 405
    d.call("DELETE", WH + "/${w2}", expect_status=200)
    d.call("DELETE", WH + "/${w2}", expect_status=404)
    d.get(WH + "/${w2}", expect_status=404)
    d.call("PATCH", WH + "/${w2}", {"name": "x"}, expect_status=404)
    d.post(WH + "/${w2}/test", {}, expect_status=404)
    d.call("PUT", WH + "/${w1}", {}, expect_status=405)
    d.post(WH + "/${w1}", {}, expect_status=405)
    d.get(WH)
    d.assert_equal()


def _stripped(body: str) -> str:
    return re.sub(r'"timestamp": "[^"]+"', '"timestamp": "<time>"', body)


def test_deliveries_match_the_reference(differ, receiver):
    """What receivers get: the same JSON text from both servers but for the time, each signed as MLflow documents."""
    d = differ
    # each server gets its own receiver path
    for srv, side in zip(d.servers, ("ref", "cand")):
        srv.variables["side"] = side
    events = [RM_CREATED, MV_CREATED] + [{"entity": e, "action": a} for e, a in [
        ("MODEL_VERSION_TAG", "SET"), ("MODEL_VERSION_TAG", "DELETED"), ("MODEL_VERSION_ALIAS", "CREATED"),
        ("MODEL_VERSION_ALIAS", "DELETED"), ("PROMPT", "CREATED"), ("PROMPT_VERSION", "CREATED"),
        ("PROMPT_TAG", "SET"), ("PROMPT_VERSION_TAG", "SET"), ("PROMPT_ALIAS", "CREATED")]]
    d.post(WH, {"name": "events", "url": receiver.url + "/ok/events-${side}", "events": events, "secret": "k3y"},
           save={"ev": "webhook.webhook_id"}, ignore=("webhook.url",), expect_status=200)
    prompt = {"key": "mlflow.prompt.is_prompt", "value": "true"}
    steps = [
        ("registered-models/create", {"name": "wh-m", "description": "é", "tags": [{"key": "b", "value": "1"},
                                                                                   {"key": "a"}]}),
        ("model-versions/create", {"name": "wh-m", "source": "s3://bucket/m", "tags": [{"key": "t", "value": "2"}]}),
        ("model-versions/set-tag", {"name": "wh-m", "version": "1", "key": "k", "value": "v"}),
        ("registered-models/alias", {"name": "wh-m", "alias": "champion", "version": "1"}),
        ("registered-models/set-tag", {"name": "wh-m", "key": "not-an-event", "value": "x"}),
        ("registered-models/create", {"name": "wh-p", "tags": [prompt, {"key": "_mlflow_prompt_type", "value": "text"},
                                                               {"key": "team", "value": "nlp"}]}),
        ("model-versions/create", {"name": "wh-p", "source": "dummy-source", "description": "greeting",
                                   "tags": [prompt, {"key": "mlflow.prompt.text", "value": "Hello {{name}}"}]}),
        ("registered-models/set-tag", {"name": "wh-p", "key": "owner", "value": "me"}),
        ("model-versions/set-tag", {"name": "wh-p", "version": "1", "key": "k", "value": "v"}),
        ("registered-models/alias", {"name": "wh-p", "alias": "prod", "version": "1"}),
    ]
    for path, body in steps:
        d.post(path, body, expect_status=200)
    d.call("DELETE", "model-versions/delete-tag", {"name": "wh-m", "version": "1", "key": "k"}, expect_status=200)
    d.call("DELETE", "registered-models/alias", {"name": "wh-m", "alias": "champion"}, expect_status=200)
    d.post(WH + "/${ev}/test", {"event": {"entity": "BUDGET_POLICY", "action": "EXCEEDED"}}, expect_status=200)
    d.assert_equal()

    expected = 12  # 11 events (the plain model's tag is none) and the test payload
    ref, cand = (receiver.wait_for(f"/ok/events-{side}", expected) for side in ("ref", "cand"))
    time.sleep(0.3)
    assert len(receiver.at("/ok/events-ref")) == len(receiver.at("/ok/events-cand")) == expected
    # deliveries run concurrently: compare them as sorted lists
    assert sorted(_stripped(x.body) for x in cand) == sorted(_stripped(x.body) for x in ref)
    for x in ref + cand:
        assert verify_signature("k3y", x)
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00", x.payload["timestamp"])


def test_default_url_policy(strict_differ):
    d = strict_differ
    for url in ["http://8.8.8.8/hook", "https://127.0.0.1/hook", "https://localhost:8443/hook",
                "https://10.1.2.3/hook", "https://169.254.169.254/latest", "https://[::1]/hook",
                "https://[::ffff:127.0.0.1]/hook", "https://0x7f.1/hook", "https://[2002:7f00:1::]/hook",
                "https://hooks.invalid/hook"]:
        d.post(WH, {"name": "strict", "url": url, "events": [MV_CREATED]}, expect_status=400)
    d.post(WH, {"name": "public", "url": "https://8.8.8.8/hook", "events": [MV_CREATED]},
           save={"w": "webhook.webhook_id"}, expect_status=200)
    d.call("PATCH", WH + "/${w}", {"url": "https://192.168.1.1/hook"}, expect_status=400)
    d.call("PATCH", WH + "/${w}", {"url": "https://[::ffff:8.8.4.4]/hook"}, expect_status=200)
    d.call("DELETE", WH + "/${w}", expect_status=200)
    d.assert_equal()
