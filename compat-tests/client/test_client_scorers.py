"""Registered scorers through the real mlflow client: a built-in scorer and a make_judge() judge registered, listed,
read, versioned and deleted; @scorer functions refused (and stored once the server allows them); online scoring
refused with a message the client shows, and stopping it stored."""

import pytest

from support.clientutil import MLFLOW_MAJOR, uniq

if MLFLOW_MAJOR < 3:
    pytest.skip("registered scorers are an MLflow 3 feature", allow_module_level=True)

import mlflow  # noqa: E402
from mlflow.exceptions import MlflowException  # noqa: E402
from mlflow.genai.judges import make_judge  # noqa: E402
from mlflow.genai.scorers import (  # noqa: E402
    Safety,
    ScorerSamplingConfig,
    delete_scorer,
    get_scorer,
    list_scorers,
    scorer,
)
from mlflow.genai.scorers.registry import list_scorer_versions  # noqa: E402

from conftest import _target  # noqa: E402
from support.servers import start_servers, stop_servers  # noqa: E402


@pytest.fixture
def experiment_id():
    return mlflow.create_experiment(uniq("scorers"))


def polite_judge(name="polite"):
    return make_judge(name=name, instructions="Is {{ outputs }} polite? Answer yes or no.",
                      model="openai:/gpt-4o-mini", feedback_value_type=str)


def test_register_builtin_and_judge_then_list_get_versions(experiment_id):
    safety = Safety().register(name="safety", experiment_id=experiment_id)
    assert safety.name == "safety"
    judge = polite_judge().register(experiment_id=experiment_id)
    assert judge.name == "polite"
    polite_judge().register(experiment_id=experiment_id)  # version 2

    listed = list_scorers(experiment_id=experiment_id)
    assert sorted(s.name for s in listed) == ["polite", "safety"]
    got = get_scorer(name="polite", experiment_id=experiment_id)
    assert got.name == "polite"
    assert "polite" in got.instructions
    assert got.model == "openai:/gpt-4o-mini"
    assert type(get_scorer(name="safety", experiment_id=experiment_id)).__name__ == "Safety"
    versions = list_scorer_versions(name="polite", experiment_id=experiment_id)
    assert [v for _, v in versions] == [1, 2]
    old = get_scorer(name="polite", experiment_id=experiment_id, version=1)
    assert old.name == "polite"


def test_delete_one_version_then_all(experiment_id):
    for _ in range(3):
        polite_judge("gone").register(experiment_id=experiment_id)
    delete_scorer(name="gone", experiment_id=experiment_id, version=2)
    assert [v for _, v in list_scorer_versions(name="gone", experiment_id=experiment_id)] == [1, 3]
    delete_scorer(name="gone", experiment_id=experiment_id, version="all")
    with pytest.raises(MlflowException, match="Scorer with name 'gone' not found for experiment"):
        get_scorer(name="gone", experiment_id=experiment_id)
    assert list_scorers(experiment_id=experiment_id) == []


def test_missing_scorer_and_version(experiment_id):
    with pytest.raises(MlflowException, match="Scorer with name 'nope' not found") as e:
        get_scorer(name="nope", experiment_id=experiment_id)
    assert e.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    polite_judge("one").register(experiment_id=experiment_id)
    with pytest.raises(MlflowException, match="Scorer with name 'one' and version 5 not found"):
        get_scorer(name="one", experiment_id=experiment_id, version=5)


@scorer
def is_short(outputs) -> bool:
    return len(str(outputs)) < 100


def test_decorator_scorer_refused_by_default(experiment_id):
    with pytest.raises(MlflowException, match="MLFLOW_SERVER_ENABLE_CUSTOM_SCORERS") as e:
        is_short.register(experiment_id=experiment_id)
    assert e.value.error_code == "INVALID_PARAMETER_VALUE"


def test_start_is_refused_with_a_clear_message_and_stop_is_stored(experiment_id):
    judge = polite_judge("online").register(experiment_id=experiment_id)
    with pytest.raises(MlflowException, match="does not use a gateway model") as e:
        judge.start(sampling_config=ScorerSamplingConfig(sample_rate=0.5))
    if _target() == "tracklite":
        assert "tracklite has no AI Gateway and runs no judges" in e.value.message
    stopped = judge.stop()
    assert stopped.sample_rate == 0
    again = get_scorer(name="online", experiment_id=experiment_id)
    assert again.sample_rate == 0


def test_gateway_model_needs_an_endpoint(experiment_id):
    judge = make_judge(name="gw", instructions="Is {{ outputs }} ok?", model="gateway:/my-endpoint",
                       feedback_value_type=str)
    with pytest.raises(MlflowException, match=r"GatewayEndpoint not found \(name='my-endpoint'\)"):
        judge.register(experiment_id=experiment_id)


@pytest.fixture
def custom_scorer_server(monkeypatch):
    servers = start_servers([_target()], extra_env={"MLFLOW_SERVER_ENABLE_CUSTOM_SCORERS": "true"})
    url = servers[0].url
    monkeypatch.setenv("MLFLOW_TRACKING_URI", url)
    # The client rebuilds a listed @scorer from its source only when allowed too.
    monkeypatch.setenv("MLFLOW_SERVER_ENABLE_CUSTOM_SCORERS", "true")
    mlflow.set_tracking_uri(url)
    try:
        yield url
    finally:
        stop_servers(servers)


def test_decorator_scorer_stored_when_the_server_allows_it(custom_scorer_server):
    exp = mlflow.create_experiment(uniq("custom"))
    is_short.register(experiment_id=exp)
    [listed] = list_scorers(experiment_id=exp)
    assert listed.name == "is_short"
    assert get_scorer(name="is_short", experiment_id=exp).name == "is_short"
