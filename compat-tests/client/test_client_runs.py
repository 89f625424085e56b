"""Run lifecycle through the real mlflow client (fluent API + MlflowClient)."""

import mlflow
import pytest
from mlflow.entities import RunStatus, ViewType

from support.clientutil import MLFLOW_MAJOR, assert_recent_ms, now_ms, raises_code, uniq


@pytest.fixture
def exp_id():
    return mlflow.set_experiment(uniq("runs")).experiment_id


def test_start_run_plain(client, exp_id):
    with mlflow.start_run(run_name="plain-run") as run:
        rid = run.info.run_id
        live = client.get_run(rid)
        assert live.info.status == "RUNNING"
        assert live.info.end_time is None
        assert live.info.lifecycle_stage == "active"
    assert len(rid) == 32 and all(c in "0123456789abcdef" for c in rid)
    got = client.get_run(rid)
    assert got.info.experiment_id == exp_id
    assert got.info.run_name == "plain-run"
    assert got.data.tags["mlflow.runName"] == "plain-run"
    assert got.info.status == "FINISHED"
    assert_recent_ms(got.info.start_time)
    assert_recent_ms(got.info.end_time)
    assert got.info.end_time >= got.info.start_time
    assert got.info.artifact_uri == f"mlflow-artifacts:/{exp_id}/{rid}/artifacts"
    # tags the fluent API sets itself
    assert "mlflow.user" in got.data.tags
    assert "mlflow.source.name" in got.data.tags


def test_generated_run_name(client, exp_id):
    with mlflow.start_run() as run:
        pass
    got = client.get_run(run.info.run_id)
    assert got.info.run_name and got.data.tags["mlflow.runName"] == got.info.run_name


def test_nested_runs_parent_tag(client, exp_id):
    with mlflow.start_run(run_name="parent") as parent:
        with mlflow.start_run(run_name="child", nested=True) as child:
            assert mlflow.active_run().info.run_id == child.info.run_id
        assert mlflow.active_run().info.run_id == parent.info.run_id
    got = client.get_run(child.info.run_id)
    assert got.data.tags["mlflow.parentRunId"] == parent.info.run_id
    assert "mlflow.parentRunId" not in client.get_run(parent.info.run_id).data.tags
    found = client.search_runs([exp_id], f"tags.mlflow.parentRunId = '{parent.info.run_id}'")
    assert [r.info.run_id for r in found] == [child.info.run_id]


def test_resume_run_by_id(client, exp_id):
    with mlflow.start_run() as run:
        mlflow.log_metric("m", 1.0, step=0)
        mlflow.log_param("p", "v")
    rid = run.info.run_id
    first_end = client.get_run(rid).info.end_time
    assert client.get_run(rid).info.status == "FINISHED"
    with mlflow.start_run(run_id=rid) as resumed:
        assert resumed.info.run_id == rid
        assert client.get_run(rid).info.status == "RUNNING"
        mlflow.log_metric("m", 2.0, step=1)
        mlflow.log_param("p", "v")  # same value again: fine
    got = client.get_run(rid)
    assert got.info.status == "FINISHED"
    assert got.info.end_time >= first_end
    assert [(m.step, m.value) for m in client.get_metric_history(rid, "m")] == [(0, 1.0), (1, 2.0)]
    assert got.data.params == {"p": "v"}


@pytest.mark.parametrize("status", ["FINISHED", "FAILED", "KILLED"])
def test_end_run_status(client, exp_id, status):
    run = mlflow.start_run()
    mlflow.end_run(status=status)
    got = client.get_run(run.info.run_id)
    assert got.info.status == status
    assert_recent_ms(got.info.end_time)


def test_set_terminated_with_explicit_end_time(client, exp_id):
    run = client.create_run(exp_id, start_time=1_600_000_000_000)
    assert run.info.start_time == 1_600_000_000_000
    client.set_terminated(run.info.run_id, status="KILLED", end_time=1_600_000_123_456)
    got = client.get_run(run.info.run_id)
    assert (got.info.status, got.info.end_time) == ("KILLED", 1_600_000_123_456)
    assert RunStatus.is_terminated(RunStatus.from_string(got.info.status))


def test_create_run_with_tags_and_name(client, exp_id):
    run = client.create_run(exp_id, tags={"a": "1", "b": "two"}, run_name="named")
    got = client.get_run(run.info.run_id)
    assert got.data.tags == {"a": "1", "b": "two", "mlflow.runName": "named"}
    assert got.info.user_id == run.info.user_id


def test_update_run_name(client, exp_id):
    run = client.create_run(exp_id, run_name="before")
    client.update_run(run.info.run_id, name="after")
    got = client.get_run(run.info.run_id)
    assert got.info.run_name == "after"
    assert got.data.tags["mlflow.runName"] == "after"
    assert got.info.status == "RUNNING"
    client.update_run(run.info.run_id, status="FAILED")
    got = client.get_run(run.info.run_id)
    assert (got.info.status, got.info.run_name) == ("FAILED", "after")


def test_delete_and_restore_run(client, exp_id):
    keep = client.create_run(exp_id).info.run_id
    rid = client.create_run(exp_id).info.run_id
    client.delete_run(rid)
    assert client.get_run(rid).info.lifecycle_stage == "deleted"
    ids = lambda vt: {r.info.run_id for r in client.search_runs([exp_id], run_view_type=vt)}  # noqa: E731
    assert ids(ViewType.ACTIVE_ONLY) == {keep}
    assert ids(ViewType.DELETED_ONLY) == {rid}
    assert ids(ViewType.ALL) == {keep, rid}
    client.restore_run(rid)
    assert client.get_run(rid).info.lifecycle_stage == "active"
    assert ids(ViewType.ACTIVE_ONLY) == {keep, rid}


def test_logging_to_deleted_run_fails(client, exp_id):
    rid = client.create_run(exp_id).info.run_id
    client.delete_run(rid)
    msg = f"The run {rid} must be in the 'active' state. Current state is deleted."
    raises_code("INVALID_PARAMETER_VALUE", client.log_param, rid, "p", "1", match=msg)
    raises_code("INVALID_PARAMETER_VALUE", client.log_metric, rid, "m", 1.0, match=msg)
    raises_code("INVALID_PARAMETER_VALUE", client.set_tag, rid, "t", "v", match=msg)
    raises_code("INVALID_PARAMETER_VALUE", client.set_terminated, rid, match=msg)
    # reading it is still fine
    assert client.get_run(rid).info.lifecycle_stage == "deleted"


def test_unknown_run_id(client):
    missing = "0123456789abcdef0123456789abcdef"
    raises_code("RESOURCE_DOES_NOT_EXIST", client.get_run, missing, match=f"Run with id={missing} not found")
    raises_code("RESOURCE_DOES_NOT_EXIST", client.log_param, missing, "p", "1")
    raises_code("RESOURCE_DOES_NOT_EXIST", client.log_metric, missing, "m", 1.0)
    raises_code("RESOURCE_DOES_NOT_EXIST", client.set_tag, missing, "t", "v")
    raises_code("RESOURCE_DOES_NOT_EXIST", client.delete_run, missing)
    # (surprising) the history of an unknown run is just empty
    assert client.get_metric_history(missing, "m") == []


def test_runs_in_deleted_or_unknown_experiment(client):
    eid = client.create_experiment(uniq("gone"))
    client.delete_experiment(eid)
    raises_code("INVALID_PARAMETER_VALUE", client.create_run, eid,
                match=f"The experiment {eid} must be in the 'active' state. Current state is deleted.")
    raises_code("RESOURCE_DOES_NOT_EXIST", client.create_run, "424242", match="No Experiment with id=424242 exists")


def test_start_time_is_client_supplied(client, exp_id):
    before = now_ms()
    with mlflow.start_run() as run:
        pass
    got = client.get_run(run.info.run_id)
    assert before - 5000 <= got.info.start_time <= now_ms()
