"""MLflow 3 webhooks through the client: create/list/get/update/delete/test_webhook, and real deliveries of registry
events to a receiver on 127.0.0.1 whose signature check is the one MLflow's docs describe."""

import time

import pytest

from support.clientutil import MLFLOW_MAJOR, TARGET, raises_code, uniq

if MLFLOW_MAJOR < 3:
    pytest.skip("webhooks are an MLflow 3 feature", allow_module_level=True)

from mlflow.entities.webhook import Webhook, WebhookEvent, WebhookStatus, WebhookTestResult  # noqa: E402

from support.servers import WEBHOOK_TEST_ENV, start_servers, stop_servers  # noqa: E402
from support.webhook_receiver import Receiver, verify_signature  # noqa: E402


@pytest.fixture(scope="module")
def tracking_server():
    """This module's server may call receivers on 127.0.0.1 over http."""
    servers = start_servers([TARGET], extra_env=WEBHOOK_TEST_ENV)
    try:
        yield servers[0]
    finally:
        stop_servers(servers)


@pytest.fixture(scope="module")
def receiver():
    r = Receiver()
    yield r
    r.stop()


@pytest.fixture(autouse=True)
def _no_webhooks_left(client):
    """Each test starts without webhooks, so that its receiver paths only see its own events."""
    yield
    for hook in client.list_webhooks(max_results=1000):
        client.delete_webhook(hook.webhook_id)


def test_webhook_crud(client, receiver):
    url = f"{receiver.url}/ok/crud"
    created = client.create_webhook(
        name="crud-hook", url=url, events=["model_version.created", "model_version_alias.created"],
        description="first", secret="s3cr3t",
    )
    assert isinstance(created, Webhook)
    assert (created.name, created.url, created.description, created.status) == (
        "crud-hook", url, "first", WebhookStatus.ACTIVE)
    assert [str(e) for e in created.events] == ["model_version.created", "model_version_alias.created"]
    assert created.secret is None  # never sent back

    got = client.get_webhook(created.webhook_id)
    assert got.webhook_id == created.webhook_id and got.creation_timestamp == created.creation_timestamp

    time.sleep(0.01)
    second = client.create_webhook(name="crud-2", url=url, events=[WebhookEvent("registered_model", "created")],
                                   status="DISABLED")
    page = client.list_webhooks(max_results=1)
    assert [w.webhook_id for w in page] == [second.webhook_id]  # newest first
    assert page.token
    rest = client.list_webhooks(max_results=1, page_token=page.token)
    assert [w.webhook_id for w in rest] == [created.webhook_id]

    updated = client.update_webhook(created.webhook_id, name="crud-renamed", status="DISABLED",
                                    events=["model_version_tag.set"])
    assert (updated.name, updated.status) == ("crud-renamed", WebhookStatus.DISABLED)
    assert [str(e) for e in updated.events] == ["model_version_tag.set"]
    assert updated.last_updated_timestamp >= updated.creation_timestamp

    raises_code("INVALID_PARAMETER_VALUE", client.create_webhook, name="bad name", url=url,
                events=["model_version.created"], match="Webhook name 'bad name' is invalid")
    raises_code("INVALID_PARAMETER_VALUE", client.create_webhook, name="x", url="ftp://host/x",
                events=["model_version.created"], match="Invalid webhook URL scheme: 'ftp'")

    client.delete_webhook(created.webhook_id)
    raises_code("RESOURCE_DOES_NOT_EXIST", client.get_webhook, created.webhook_id,
                match=f"Webhook with ID {created.webhook_id} not found.")


def test_model_version_created_is_delivered_signed(client, receiver):
    secret = "whsec-" + uniq("s")
    client.create_webhook(name="signed", url=f"{receiver.url}/ok/signed", events=["model_version.created"],
                          secret=secret)
    name = uniq("wh-model")
    client.create_registered_model(name)
    client.create_model_version(name, "s3://bucket/path/model", tags={"stage": "candidate"}, description="v1")
    (delivery,) = receiver.wait_for("/ok/signed")
    assert verify_signature(secret, delivery)
    assert not verify_signature(secret + "x", delivery)
    payload = delivery.payload
    assert (payload["entity"], payload["action"]) == ("model_version", "created")
    assert payload["timestamp"].endswith("+00:00")
    assert payload["data"] == {"name": name, "version": "1", "source": "s3://bucket/path/model", "run_id": None,
                               "tags": {"stage": "candidate"}, "description": "v1"}


def test_tag_and_alias_events(client, receiver):
    client.create_webhook(name="mv-events", url=f"{receiver.url}/ok/mv-events",
                          events=["model_version_tag.set", "model_version_tag.deleted",
                                  "model_version_alias.created", "model_version_alias.deleted"])
    name = uniq("wh-tags")
    client.create_registered_model(name)
    client.create_model_version(name, "s3://bucket/m")
    client.set_model_version_tag(name, "1", "k", "v")
    client.delete_model_version_tag(name, "1", "k")
    client.set_registered_model_alias(name, "champion", "1")
    client.delete_registered_model_alias(name, "champion")
    got = receiver.wait_for("/ok/mv-events", 4)
    events = sorted((d.payload["entity"] + "." + d.payload["action"], d.payload["data"]) for d in got)
    assert events == sorted([
        ("model_version_tag.set", {"name": name, "version": "1", "key": "k", "value": "v"}),
        ("model_version_tag.deleted", {"name": name, "version": "1", "key": "k"}),
        ("model_version_alias.created", {"name": name, "alias": "champion", "version": "1"}),
        ("model_version_alias.deleted", {"name": name, "alias": "champion"}),
    ])
    assert all("x-mlflow-signature" not in {k.lower() for k in d.headers} for d in got)  # no secret, no signature


def test_disabled_webhooks_and_other_events_get_nothing(client, receiver):
    client.create_webhook(name="off", url=f"{receiver.url}/ok/off", events=["registered_model.created"],
                          status="DISABLED")
    client.create_webhook(name="versions-only", url=f"{receiver.url}/ok/versions-only",
                          events=["model_version.created"])
    client.create_webhook(name="sentinel", url=f"{receiver.url}/ok/sentinel", events=["registered_model.created"])
    client.create_registered_model(uniq("wh-filter"))
    receiver.wait_for("/ok/sentinel")
    time.sleep(0.5)
    assert receiver.at("/ok/off") == [] and receiver.at("/ok/versions-only") == []


def test_failed_delivery_is_retried(client, receiver):
    client.create_webhook(name="flaky", url=f"{receiver.url}/fail/1/flaky", events=["registered_model.created"])
    client.create_registered_model(uniq("wh-flaky"))
    first, second = receiver.wait_for("/fail/1/flaky", 2)
    assert first.headers["X-MLflow-Delivery-Id"] == second.headers["X-MLflow-Delivery-Id"]
    assert first.body == second.body


def test_slow_receiver_does_not_delay_the_api(client, receiver):
    client.create_webhook(name="slow", url=f"{receiver.url}/slow/3/api", events=["registered_model.created"])
    started = time.monotonic()
    client.create_registered_model(uniq("wh-slow"))
    assert time.monotonic() - started < 2
    receiver.wait_for("/slow/3/api")


def test_test_webhook(client, receiver):
    hook = client.create_webhook(name="tested", url=f"{receiver.url}/ok/tested",
                                 events=["registered_model.created", "model_version.created"], secret="t0p")
    result = client.test_webhook(hook.webhook_id)
    assert isinstance(result, WebhookTestResult)
    assert (result.success, result.response_status, result.response_body, result.error_message) == (
        True, 200, "ok", None)
    (delivery,) = receiver.wait_for("/ok/tested")
    assert verify_signature("t0p", delivery)
    # without an event, the first of the webhook's events as the server lists them
    assert delivery.payload["entity"] == "model_version"
    assert delivery.payload["data"]["name"] == "example_model"

    result = client.test_webhook(hook.webhook_id, event=WebhookEvent("prompt_alias", "deleted"))
    assert result.success
    assert receiver.wait_for("/ok/tested", 2)[1].payload["data"] == {"name": "example_prompt",
                                                                     "alias": "example_alias"}

    teapot = client.create_webhook(name="teapot", url=f"{receiver.url}/status/418/t",
                                   events=["model_version.created"])
    result = client.test_webhook(teapot.webhook_id)
    assert (result.success, result.response_status, result.response_body) == (False, 418, "status 418")
