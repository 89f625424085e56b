"""MLflow 3 logged models through the client: log_model (create, upload, finalize) and load_model, external models,
their params, tags and metrics, and search_logged_models."""

import mlflow
import pytest

from support.clientutil import MLFLOW_MAJOR, assert_recent_ms, raises_code, uniq

if MLFLOW_MAJOR < 3:
    pytest.skip("logged models are an MLflow 3 feature", allow_module_level=True)

from mlflow.entities import LoggedModelStatus  # noqa: E402


class AddN(mlflow.pyfunc.PythonModel):
    def __init__(self, n):
        self.n = n

    def predict(self, context, model_input, params=None):
        return [x + self.n for x in model_input]


def test_log_model_and_load_it_back(client):
    mlflow.set_experiment(uniq("logged-models"))
    with mlflow.start_run() as run:
        info = mlflow.pyfunc.log_model(name="adder", python_model=AddN(2), params={"n": "2"})
        mlflow.log_metric("acc", 0.75, model_id=info.model_id)
    model = mlflow.get_logged_model(info.model_id)
    assert model.model_id.startswith("m-") and model.name == "adder"
    assert model.status == LoggedModelStatus.READY
    assert model.source_run_id == run.info.run_id
    assert model.params == {"n": "2"}
    assert [(m.key, m.value, m.run_id) for m in model.metrics] == [("acc", 0.75, run.info.run_id)]
    assert model.artifact_location.endswith(f"/models/{info.model_id}/artifacts")
    assert_recent_ms(model.creation_timestamp)
    assert mlflow.pyfunc.load_model(f"models:/{info.model_id}").predict([1, 2]) == [3, 4]
    outputs = client.get_run(run.info.run_id).outputs.model_outputs
    assert [o.model_id for o in outputs] == [info.model_id]


def test_external_model_lifecycle_and_search(client):
    experiment_id = mlflow.set_experiment(uniq("logged-models")).experiment_id
    first = mlflow.initialize_logged_model(name="first", model_type="agent", params={"lr": "0.1"}, tags={"t": "a"})
    second = mlflow.create_external_model(name="second", params={"lr": "0.2"}, tags={"t": "b"})
    assert first.status == LoggedModelStatus.PENDING and second.status == LoggedModelStatus.READY
    with mlflow.start_run():
        mlflow.log_metric("score", 0.3, model_id=first.model_id)
        mlflow.log_metric("score", 0.9, model_id=second.model_id)

    mlflow.set_logged_model_tags(first.model_id, {"stage": "dev"})
    client.delete_logged_model_tag(first.model_id, "t")
    mlflow.finalize_logged_model(first.model_id, LoggedModelStatus.FAILED)
    got = mlflow.get_logged_model(first.model_id)
    assert got.tags["stage"] == "dev" and "t" not in got.tags  # beside the client's mlflow.* context tags
    assert got.status == LoggedModelStatus.FAILED and got.model_type == "agent"

    def names(**kwargs):
        found = mlflow.search_logged_models(experiment_ids=[experiment_id], output_format="list", **kwargs)
        return [m.name for m in found]

    assert names() == ["second", "first"]
    assert names(filter_string="metrics.score > 0.5") == ["second"]
    assert names(filter_string="params.lr = '0.1' AND name LIKE 'f%'") == ["first"]
    assert names(order_by=[{"field_name": "metrics.score", "ascending": True}]) == ["first", "second"]
    assert names(max_results=1) == ["second"]

    client.delete_logged_model(second.model_id)
    assert names() == ["first"]
    raises_code("RESOURCE_DOES_NOT_EXIST", mlflow.get_logged_model, second.model_id)
    raises_code("INVALID_PARAMETER_VALUE", mlflow.search_logged_models, experiment_ids=[experiment_id],
                filter_string="metric.score > 1")
