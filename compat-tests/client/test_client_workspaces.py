"""Workspaces through the real mlflow client: a tracklite started with --enable-workspaces, the client's
`mlflow.set_workspace` / MLFLOW_WORKSPACE selecting one, and what each workspace sees."""

import os

import pytest

from support.clientutil import MLFLOW_MAJOR

if MLFLOW_MAJOR < 3:
    pytest.skip("the MLflow 2 client has no workspaces", allow_module_level=True)

import mlflow  # noqa: E402
from mlflow.exceptions import MlflowException  # noqa: E402

from support.servers import start_servers, stop_servers  # noqa: E402


@pytest.fixture(scope="module")
def tracking_server():
    """This module's own server: the target with --enable-workspaces (conftest's client fixtures use it)."""
    target = os.environ.get("COMPAT_TARGET", "tracklite").strip() or "tracklite"
    servers = start_servers([target], extra_args=["--enable-workspaces"])
    try:
        yield servers[0]
    finally:
        stop_servers(servers)


@pytest.fixture(autouse=True)
def _no_workspace(monkeypatch):
    """Every test starts in no workspace (the server's default) and leaves none set."""
    monkeypatch.delenv("MLFLOW_WORKSPACE", raising=False)
    mlflow.set_workspace(None)
    yield
    mlflow.set_workspace(None)


@pytest.fixture(scope="module")
def two_workspaces(tracking_server):
    mlflow.set_tracking_uri(tracking_server.url)
    for name in ("ws-red", "ws-blue"):
        mlflow.create_workspace(name, description=f"the {name} team")
    return "ws-red", "ws-blue"


def test_workspace_crud(two_workspaces):
    names = [w.name for w in mlflow.list_workspaces()]
    assert names == ["default", "ws-blue", "ws-red"]
    assert mlflow.get_workspace("ws-red").description == "the ws-red team"
    mlflow.update_workspace("ws-blue", description="renamed")
    assert mlflow.get_workspace("ws-blue").description == "renamed"
    mlflow.create_workspace("ws-tmp")
    mlflow.delete_workspace("ws-tmp")
    with pytest.raises(MlflowException, match="Workspace 'ws-tmp' not found"):
        mlflow.get_workspace("ws-tmp")
    with pytest.raises(MlflowException, match="reserved"):
        mlflow.create_workspace("default")


def test_same_experiment_name_in_two_workspaces(client, two_workspaces):
    red, blue = two_workspaces
    ids = {}
    for ws in (red, blue):
        mlflow.set_workspace(ws)
        exp = mlflow.set_experiment("training")
        assert exp.workspace == ws
        assert exp.artifact_location == f"mlflow-artifacts:/workspaces/{ws}/{exp.experiment_id}"
        with mlflow.start_run() as run:
            mlflow.log_param("team", ws)
            mlflow.log_metric("loss", 0.5 if ws == red else 0.25)
            mlflow.log_text(f"hello {ws}", "notes/hello.txt")
        ids[ws] = (exp.experiment_id, run.info.run_id)
    assert ids[red][0] != ids[blue][0]

    mlflow.set_workspace(red)
    found = mlflow.search_runs(experiment_names=["training"], output_format="list")
    assert [r.info.run_id for r in found] == [ids[red][1]]
    assert found[0].data.params == {"team": red}
    assert mlflow.artifacts.load_text(f"runs:/{ids[red][1]}/notes/hello.txt") == f"hello {red}"
    assert [e.name for e in client.search_experiments()] == ["training"]
    # another workspace's run is not found from here
    with pytest.raises(MlflowException, match=f"Run with id={ids[blue][1]} not found"):
        client.get_run(ids[blue][1])

    mlflow.set_workspace(None)
    default_names = [e.name for e in client.search_experiments()]
    assert default_names == ["Default"]
    with pytest.raises(MlflowException, match="No Experiment with id="):
        client.get_experiment(ids[red][0])


def test_mlflow_workspace_env(client, two_workspaces, monkeypatch):
    red, _ = two_workspaces
    monkeypatch.setenv("MLFLOW_WORKSPACE", red)
    assert [e.name for e in client.search_experiments()] == ["training"]
    monkeypatch.setenv("MLFLOW_WORKSPACE", "ws-none")
    with pytest.raises(MlflowException, match="Workspace 'ws-none' not found"):
        client.search_experiments()


def test_registered_models_per_workspace(client, two_workspaces):
    red, blue = two_workspaces
    for ws in (red, blue):
        mlflow.set_workspace(ws)
        client.create_registered_model("classifier", description=ws)
    mlflow.set_workspace(red)
    client.create_registered_model("red-only")
    assert sorted(m.name for m in client.search_registered_models()) == ["classifier", "red-only"]
    assert client.get_registered_model("classifier").description == red
    mlflow.set_workspace(blue)
    assert [m.name for m in client.search_registered_models()] == ["classifier"]
    assert client.get_registered_model("classifier").description == blue
    with pytest.raises(MlflowException, match="Registered Model with name=red-only not found"):
        client.get_registered_model("red-only")
