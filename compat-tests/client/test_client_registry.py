"""The model registry through the client: every MlflowClient registry call, register_model from runs:/ and
models:/m-<id>, log_model(registered_model_name=...), loading models:/name/1, @alias and /latest, error codes, and
(MLflow 3) prompts, which are registered models tagged mlflow.prompt.is_prompt."""

import json

import mlflow
import pytest
from mlflow.entities.model_registry import ModelVersion, RegisteredModel

from support.clientutil import MLFLOW_MAJOR, SERVER_MAJOR, assert_recent_ms, raises_code, uniq


class AddN(mlflow.pyfunc.PythonModel):
    def __init__(self, n):
        self.n = n

    def predict(self, context, model_input, params=None):
        return [x + self.n for x in model_input]


def _log_adder(n, **kwargs):
    name = {"name": "adder"} if MLFLOW_MAJOR >= 3 else {"artifact_path": "adder"}
    return mlflow.pyfunc.log_model(python_model=AddN(n), **name, **kwargs)


def test_registered_model_crud(client):
    name = uniq("rm")
    created = client.create_registered_model(name, tags={"team": "risk", "tier": "1"}, description="first")
    assert isinstance(created, RegisteredModel)
    assert created.name == name and created.description == "first"
    assert created.tags == {"team": "risk", "tier": "1"}
    assert_recent_ms(created.creation_timestamp)

    client.set_registered_model_tag(name, "tier", "2")
    client.delete_registered_model_tag(name, "team")
    client.update_registered_model(name, description="second")
    got = client.get_registered_model(name)
    assert got.tags == {"tier": "2"} and got.description == "second"
    assert got.last_updated_timestamp >= got.creation_timestamp

    new_name = uniq("rm-renamed")
    client.rename_registered_model(name, new_name)
    assert client.get_registered_model(new_name).tags == {"tier": "2"}
    raises_code("RESOURCE_DOES_NOT_EXIST", client.get_registered_model, name)
    raises_code("RESOURCE_ALREADY_EXISTS", client.create_registered_model, new_name)
    if SERVER_MAJOR >= 3:  # MLflow 2 servers accept '/' in names
        raises_code("INVALID_PARAMETER_VALUE", client.create_registered_model, "bad/name")
    client.delete_registered_model(new_name)
    raises_code("RESOURCE_DOES_NOT_EXIST", client.get_registered_model, new_name)
    raises_code("RESOURCE_DOES_NOT_EXIST", client.delete_registered_model, new_name)


def test_model_versions_stages_tags_and_aliases(client):
    name = uniq("mv")
    client.create_registered_model(name)
    mlflow.set_experiment(uniq("registry"))
    with mlflow.start_run() as run:
        mlflow.log_text("hello", "model/file.txt")
    source = f"{run.info.artifact_uri}/model"
    v1 = client.create_model_version(name, source, run_id=run.info.run_id, tags={"k": "v"}, description="one")
    v2 = client.create_model_version(name, source, run_id=run.info.run_id)
    assert isinstance(v1, ModelVersion)
    assert (v1.version, v2.version) == ("1", "2") or (v1.version, v2.version) == (1, 2)
    assert v1.status == "READY" and v1.current_stage == "None" and v1.run_id == run.info.run_id
    assert v1.tags == {"k": "v"} and v1.description == "one" and v1.source == source

    assert client.get_model_version(name, "1").source == source
    assert client.get_model_version_download_uri(name, "1") == source
    client.update_model_version(name, "2", description="two")
    assert client.get_model_version(name, "2").description == "two"

    client.set_model_version_tag(name, "2", "k2", "v2")
    client.delete_model_version_tag(name, "1", "k")
    assert client.get_model_version(name, "1").tags == {}
    assert client.get_model_version(name, "2").tags == {"k2": "v2"}

    copy_name = uniq("mv-copy")
    copied = client.copy_model_version(f"models:/{name}/1", copy_name)
    assert str(copied.version) == "1" and copied.source == f"models:/{name}/1"
    assert copied.run_id == run.info.run_id
    assert client.get_model_version_download_uri(copy_name, "1") == source

    client.transition_model_version_stage(name, "1", "Production")
    client.transition_model_version_stage(name, "2", "production", archive_existing_versions=True)
    assert client.get_model_version(name, "1").current_stage == "Archived"
    latest = client.get_latest_versions(name, stages=["Production"])
    assert [str(v.version) for v in latest] == ["2"]
    assert sorted(str(v.version) for v in client.get_latest_versions(name)) == ["1", "2"]

    client.set_registered_model_alias(name, "champion", "1")
    client.set_registered_model_alias(name, "champion", "2")
    assert str(client.get_model_version_by_alias(name, "champion").version) == "2"
    assert client.get_registered_model(name).aliases == {"champion": "2"}
    assert client.get_model_version(name, "2").aliases == ["champion"]
    raises_code("INVALID_PARAMETER_VALUE", client.set_registered_model_alias, name, "latest", "1")
    raises_code("INVALID_PARAMETER_VALUE", client.set_registered_model_alias, name, "v1", "1")
    client.delete_registered_model_alias(name, "champion")
    raises_code("INVALID_PARAMETER_VALUE", client.get_model_version_by_alias, name, "champion")

    client.set_registered_model_alias(name, "gone", "2")
    client.delete_model_version(name, "2")
    raises_code("RESOURCE_DOES_NOT_EXIST", client.get_model_version, name, "2")
    # MLflow 3 servers drop the aliases of a deleted version; MLflow 2 left them pointing at it
    code = "INVALID_PARAMETER_VALUE" if SERVER_MAJOR >= 3 else "RESOURCE_DOES_NOT_EXIST"
    raises_code(code, client.get_model_version_by_alias, name, "gone")
    v3 = client.create_model_version(name, source, run_id=run.info.run_id)
    assert str(v3.version) == "3"

    raises_code("INVALID_PARAMETER_VALUE", client.transition_model_version_stage, name, "1", "Bogus")
    raises_code("RESOURCE_DOES_NOT_EXIST", client.get_model_version, name, "99")
    raises_code("INVALID_PARAMETER_VALUE", client.create_model_version, name, f"{source}/../../x",
                run_id=run.info.run_id)
    if SERVER_MAJOR >= 3:  # a run's source needs its run_id (MLflow 3 servers check where sources come from)
        raises_code("INVALID_PARAMETER_VALUE", client.create_model_version, name, source)


def test_search_registered_models_and_versions(client):
    prefix = uniq("search")
    for suffix, team in [("a", "x"), ("b", "y"), ("c", "x")]:
        client.create_registered_model(f"{prefix}-{suffix}", tags={"team": team})
        client.create_model_version(f"{prefix}-{suffix}", f"s3://bucket/{suffix}")
    client.create_model_version(f"{prefix}-a", "s3://bucket/a2")

    def names(**kwargs):
        return [m.name for m in client.search_registered_models(**kwargs)]

    assert names(filter_string=f"name LIKE '{prefix}-%'") == [f"{prefix}-a", f"{prefix}-b", f"{prefix}-c"]
    assert names(filter_string=f"name LIKE '{prefix}-%' AND tags.team = 'x'") == [f"{prefix}-a", f"{prefix}-c"]
    assert names(filter_string=f"name LIKE '{prefix}-%'", order_by=["name DESC"])[0] == f"{prefix}-c"
    first = client.search_registered_models(filter_string=f"name LIKE '{prefix}-%'", max_results=2)
    assert len(first) == 2 and first.token
    rest = client.search_registered_models(filter_string=f"name LIKE '{prefix}-%'", max_results=2,
                                           page_token=first.token)
    assert [m.name for m in rest] == [f"{prefix}-c"] and not rest.token

    versions = client.search_model_versions(f"name = '{prefix}-a'", order_by=["version_number ASC"])
    assert [str(v.version) for v in versions] == ["1", "2"]
    assert len(client.search_model_versions(f"name LIKE '{prefix}-%' AND version_number = 1")) == 3
    raises_code("INVALID_PARAMETER_VALUE", client.search_registered_models, filter_string="foo = 'x'")
    raises_code("INVALID_PARAMETER_VALUE", client.search_model_versions, "version_number LIKE '1'")


def test_register_model_from_a_run_and_load_it(client):
    name = uniq("registered")
    mlflow.set_experiment(uniq("registry"))
    with mlflow.start_run() as run:
        _log_adder(2)
    mv = mlflow.register_model(f"runs:/{run.info.run_id}/adder", name)
    assert str(mv.version) == "1" and mv.run_id == run.info.run_id
    again = mlflow.register_model(f"runs:/{run.info.run_id}/adder", name)
    assert str(again.version) == "2"
    client.set_registered_model_alias(name, "champion", "1")
    for uri in (f"models:/{name}/1", f"models:/{name}@champion", f"models:/{name}/latest"):
        assert mlflow.pyfunc.load_model(uri).predict([1, 2]) == [3, 4], uri


def test_log_model_with_registered_model_name(client):
    name = uniq("logged-and-registered")
    mlflow.set_experiment(uniq("registry"))
    with mlflow.start_run() as run:
        info = _log_adder(5, registered_model_name=name)
    assert str(info.registered_model_version) == "1"
    mv = client.get_model_version(name, "1")
    assert mv.run_id == run.info.run_id
    assert mlflow.pyfunc.load_model(f"models:/{name}/1").predict([1]) == [6]
    if MLFLOW_MAJOR >= 3:
        assert info.model_uri.startswith("models:/m-")
        # the server records the version on the logged model it came from (the client then appends its own entry)
        linked = json.loads(client.get_logged_model(info.model_id).tags["mlflow.modelVersions"])
        assert linked[0] == {"name": name, "version": 1}
        mv2 = mlflow.register_model(f"models:/{info.model_id}", name)
        assert str(mv2.version) == "2"
        assert mlflow.pyfunc.load_model(f"models:/{name}/latest").predict([0]) == [5]


def test_registry_error_codes(client):
    raises_code("RESOURCE_DOES_NOT_EXIST", client.get_registered_model, uniq("missing"))
    raises_code("RESOURCE_DOES_NOT_EXIST", client.get_latest_versions, uniq("missing"))
    raises_code("RESOURCE_DOES_NOT_EXIST", client.get_model_version, uniq("missing"), "1")
    if SERVER_MAJOR >= 3:
        raises_code("INVALID_PARAMETER_VALUE", client.get_model_version, "a:b", "1")
    name = uniq("errors")
    client.create_registered_model(name)
    raises_code("INVALID_PARAMETER_VALUE", client.get_model_version, name, "one")
    if SERVER_MAJOR >= 3:  # sources naming another host are refused
        raises_code("INVALID_PARAMETER_VALUE", client.create_model_version, name, "http://example.com/model")
    raises_code("INVALID_PARAMETER_VALUE", client.search_model_versions, max_results=0)


@pytest.mark.skipif(MLFLOW_MAJOR < 3, reason="mlflow.genai prompts are an MLflow 3 API")
def test_prompts(client):
    import mlflow.genai

    name = uniq("greeting").replace("-", "_")
    first = mlflow.genai.register_prompt(name=name, template="Hello {{name}}!", commit_message="first",
                                         tags={"lang": "en"})
    second = mlflow.genai.register_prompt(name=name, template="Hi {{name}}, welcome!")
    assert (first.version, second.version) == (1, 2)
    assert mlflow.genai.load_prompt(f"prompts:/{name}/1").format(name="Ada") == "Hello Ada!"
    mlflow.genai.set_prompt_alias(name, "production", 1)
    assert mlflow.genai.load_prompt(f"prompts:/{name}@production").template == "Hello {{name}}!"
    assert mlflow.genai.load_prompt(f"prompts:/{name}@latest").version == 2

    found = [p.name for p in mlflow.genai.search_prompts(filter_string=f"name = '{name}'")]
    assert found == [name]
    # prompts stay out of model searches, and models out of prompt searches
    assert name not in [m.name for m in client.search_registered_models(filter_string=f"name = '{name}'")]
    model_name = uniq("not-a-prompt")
    client.create_registered_model(model_name)
    assert mlflow.genai.search_prompts(filter_string=f"name = '{model_name}'") == []
    raises_code("RESOURCE_ALREADY_EXISTS", client.create_registered_model, name)
