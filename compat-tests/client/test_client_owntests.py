"""Tracking/registry behaviour MLflow's own tests check, through the real client (owntests)."""

import json
import os

import pytest
import requests
from mlflow import MlflowClient
from mlflow.entities import Metric
from mlflow.exceptions import MlflowException
from mlflow.models import Model
from support.clientutil import uniq
from support.servers import start_servers, stop_servers


def test_relative_artifact_location_is_made_absolute_on_the_server(client, tracking_server):
    # The server resolves it against its own working directory (the test servers run in their temporary directory).
    eid = client.create_experiment(uniq("rel"), artifact_location="my_location")
    assert client.get_experiment(eid).artifact_location == str(tracking_server.tmpdir / "my_location")
    eid2 = client.create_experiment(uniq("rel-uri"), artifact_location="file:some/dir")
    assert client.get_experiment(eid2).artifact_location == f"file://{tracking_server.tmpdir}/some/dir"


def test_log_model_history_keeps_six_large_records(client):
    run = client.create_run(client.create_experiment(uniq("log-model")))
    store = client._tracking_client.store
    for i in range(6):
        model = Model(artifact_path=f"model/path/{i}", run_id=run.info.run_id, flavors={"python_function": {}},
                      metadata={"notes": "x" * 1450})
        store.record_logged_model(run.info.run_id, model)
    history = json.loads(client.get_run(run.info.run_id).data.tags["mlflow.log-model.history"])
    assert [m["artifact_path"] for m in history] == [f"model/path/{i}" for i in range(6)]
    assert len(json.dumps(history)) > 8000


def test_float_parameter_is_echoed_as_python_prints_it(client, server_url):
    r = requests.post(f"{server_url}/api/2.0/mlflow/experiments/create",
                      data='{"name": "float", "artifact_location": 9.0}', headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    assert "Invalid value 9.0 for parameter 'artifact_location'" in r.text


def test_bulk_interval_sample_through_the_client_transport(client, server_url):
    run_id = client.create_run(client.create_experiment(uniq("sampling"))).info.run_id
    client.log_batch(run_id, metrics=[Metric("m", float(s), 1, s) for s in range(10)])
    r = requests.get(f"{server_url}/ajax-api/2.0/mlflow/metrics/get-history-bulk-interval",
                     params={"run_ids": [run_id], "metric_key": "m", "max_results": 5})
    assert [m["step"] for m in r.json()["metrics"]] == [0, 2, 4, 6, 9]


def test_file_source_on_another_host_is_refused(client):
    run = client.create_run(client.create_experiment(uniq("mv-host")))
    name = uniq("mv-host")
    client.create_registered_model(name)
    with pytest.raises(MlflowException, match="is not a valid remote uri"):
        client.create_model_version(name, "file://123.456.789.123/path/to/source", run.info.run_id)


@pytest.fixture(scope="module")
def regex_server():
    target = os.environ.get("COMPAT_TARGET", "tracklite").strip() or "tracklite"
    env = {"MLFLOW_CREATE_MODEL_VERSION_SOURCE_VALIDATION_REGEX": r"^mlflow-artifacts:/.*$"}
    servers = start_servers([target], extra_env=env)
    try:
        yield servers[0]
    finally:
        stop_servers(servers)


def test_source_validation_regex_from_the_server_environment(client, regex_server):
    c = MlflowClient(regex_server.url)
    name = uniq("regex")
    c.create_registered_model(name)
    with pytest.raises(MlflowException, match="Invalid model version source"):
        c.create_model_version(name, source="s3://path/to/model")
    run = c.create_run(c.create_experiment(uniq("regex")))
    assert run.info.artifact_uri.startswith("mlflow-artifacts:/")
    assert c.create_model_version(name, source=f"{run.info.artifact_uri}/model", run_id=run.info.run_id).version == "1"
