"""Experiments through the real mlflow client."""

import mlflow
import pytest
from mlflow.entities import ViewType

from support.clientutil import MLFLOW_MAJOR, assert_recent_ms, raises_code, uniq


def test_set_experiment_creates_then_reuses(client):
    name = uniq("setexp")
    assert client.get_experiment_by_name(name) is None
    exp = mlflow.set_experiment(name)
    assert exp.name == name
    assert exp.lifecycle_stage == "active"
    assert exp.experiment_id not in ("", "0")
    assert exp.artifact_location == f"mlflow-artifacts:/{exp.experiment_id}"
    assert_recent_ms(exp.creation_time)
    assert_recent_ms(exp.last_update_time)

    again = mlflow.set_experiment(name)
    assert again.experiment_id == exp.experiment_id
    by_id = mlflow.set_experiment(experiment_id=exp.experiment_id)
    assert by_id.name == name
    with mlflow.start_run() as run:
        pass
    assert run.info.experiment_id == exp.experiment_id
    assert client.get_experiment_by_name(name).experiment_id == exp.experiment_id


def test_default_experiment_exists(client):
    exp = client.get_experiment("0")
    assert exp.name == "Default"
    assert exp.lifecycle_stage == "active"
    assert client.get_experiment_by_name("Default").experiment_id == "0"


def test_create_experiment_with_tags_and_get(client):
    name = uniq("tagged")
    eid = client.create_experiment(name, tags={"team": "core", "priority": "1"})
    exp = client.get_experiment(eid)
    assert exp.name == name
    assert exp.tags == {"team": "core", "priority": "1"}
    ids = {int(client.create_experiment(uniq("seq"))) for _ in range(3)}
    assert len(ids) == 3 and all(i > int(eid) for i in ids), "experiment ids are increasing integers"


def test_experiment_tags_set_and_delete(client):
    eid = client.create_experiment(uniq("exptags"))
    client.set_experiment_tag(eid, "a", "1")
    client.set_experiment_tag(eid, "a", "2")  # overwriting an experiment tag is allowed
    client.set_experiment_tag(eid, "b", "x")
    assert client.get_experiment(eid).tags == {"a": "2", "b": "x"}
    if MLFLOW_MAJOR >= 3:
        client.delete_experiment_tag(eid, "a")
        assert client.get_experiment(eid).tags == {"b": "x"}


def test_duplicate_experiment_name(client):
    name = uniq("dup")
    client.create_experiment(name)
    e = raises_code("RESOURCE_ALREADY_EXISTS", client.create_experiment, name)
    assert f"Experiment(name={name}) already exists" in e.message


def test_create_experiment_named_like_deleted_one(client):
    name = uniq("deleted-name")
    eid = client.create_experiment(name)
    client.delete_experiment(eid)
    raises_code("RESOURCE_ALREADY_EXISTS", client.create_experiment, name)
    # the deleted experiment still owns the name
    got = client.get_experiment_by_name(name)
    assert got.experiment_id == eid and got.lifecycle_stage == "deleted"


def test_empty_experiment_name_rejected(client):
    raises_code("INVALID_PARAMETER_VALUE", client.create_experiment, "")


def test_rename_experiment(client):
    old, new = uniq("old"), uniq("new")
    eid = client.create_experiment(old)
    before = client.get_experiment(eid)
    client.rename_experiment(eid, new)
    after = client.get_experiment(eid)
    assert after.name == new
    assert after.last_update_time >= before.last_update_time
    assert client.get_experiment_by_name(old) is None
    assert client.get_experiment_by_name(new).experiment_id == eid


def test_rename_to_existing_name_fails(client):
    a, b = uniq("ren-a"), uniq("ren-b")
    eid = client.create_experiment(a)
    client.create_experiment(b)
    # the reference surfaces the UNIQUE constraint violation as BAD_REQUEST (HTTP 400)
    raises_code("BAD_REQUEST", client.rename_experiment, eid, b)
    assert client.get_experiment(eid).name == a


def test_delete_and_restore_experiment(client):
    name = uniq("delres")
    eid = client.create_experiment(name)
    run = client.create_run(eid)
    client.delete_experiment(eid)
    exp = client.get_experiment(eid)
    assert exp.lifecycle_stage == "deleted"
    # deleting an experiment marks its runs deleted too
    assert client.get_run(run.info.run_id).info.lifecycle_stage == "deleted"
    active = [e.experiment_id for e in client.search_experiments(view_type=ViewType.ACTIVE_ONLY)]
    deleted = [e.experiment_id for e in client.search_experiments(view_type=ViewType.DELETED_ONLY)]
    assert eid not in active and eid in deleted
    # logging into a deleted experiment is refused
    raises_code("INVALID_PARAMETER_VALUE", client.create_run, eid)
    # a deleted experiment can't be set active
    with pytest.raises(mlflow.exceptions.MlflowException):
        mlflow.set_experiment(name)

    client.restore_experiment(eid)
    assert client.get_experiment(eid).lifecycle_stage == "active"
    assert client.get_run(run.info.run_id).info.lifecycle_stage == "active"
    assert mlflow.set_experiment(name).experiment_id == eid


def test_delete_twice_and_restore_active_are_not_found(client):
    eid = client.create_experiment(uniq("twice"))
    # restoring an *active* experiment answers RESOURCE_DOES_NOT_EXIST
    raises_code("RESOURCE_DOES_NOT_EXIST", client.restore_experiment, eid, match=f"No Experiment with id={eid} exists")
    client.delete_experiment(eid)
    raises_code("RESOURCE_DOES_NOT_EXIST", client.delete_experiment, eid, match=f"No Experiment with id={eid} exists")


def test_unknown_experiment_id(client):
    raises_code("RESOURCE_DOES_NOT_EXIST", client.get_experiment, "987654", match="No Experiment with id=987654 exists")
    raises_code("RESOURCE_DOES_NOT_EXIST", client.create_run, "987654")
    raises_code("RESOURCE_DOES_NOT_EXIST", client.delete_experiment, "987654")
    assert client.get_experiment_by_name(uniq("never-created")) is None


@pytest.fixture(scope="module")
def search_fixture(tracking_server):
    c = mlflow.MlflowClient(tracking_uri=tracking_server.url)
    prefix = uniq("srch")
    ids = {}
    for suffix, tags in [
        ("alpha", {"team": "red", "tier": "1"}),
        ("beta", {"team": "blue", "tier": "2"}),
        ("gamma", {"team": "red"}),
        ("Delta", {"team": "green"}),
    ]:
        ids[suffix] = c.create_experiment(f"{prefix}-{suffix}", tags=tags)
    gone = c.create_experiment(f"{prefix}-zdeleted", tags={"team": "red"})
    c.delete_experiment(gone)
    ids["zdeleted"] = gone
    return prefix, ids


def _names(exps):
    return [e.name for e in exps]


def test_search_experiments_filters(client, search_fixture):
    prefix, ids = search_fixture
    res = client.search_experiments(filter_string=f"name LIKE '{prefix}-%'", order_by=["name ASC"])
    assert _names(res) == [f"{prefix}-{s}" for s in ("Delta", "alpha", "beta", "gamma")]
    res = client.search_experiments(filter_string=f"name ILIKE '{prefix}-d%'", view_type=ViewType.ALL, order_by=["name"])
    assert _names(res) == [f"{prefix}-Delta"]
    res = client.search_experiments(filter_string=f"name LIKE '{prefix}-d%'", view_type=ViewType.ALL)
    assert _names(res) == [], "LIKE is case-sensitive"
    res = client.search_experiments(filter_string=f"name ILIKE '%{prefix[-4:]}-ZDEL%'", view_type=ViewType.ALL)
    assert _names(res) == [f"{prefix}-zdeleted"]
    res = client.search_experiments(filter_string=f"name = '{prefix}-beta'")
    assert [e.experiment_id for e in res] == [ids["beta"]]
    res = client.search_experiments(filter_string=f"name LIKE '{prefix}%' AND tags.team = 'red'", order_by=["name DESC"])
    assert _names(res) == [f"{prefix}-gamma", f"{prefix}-alpha"]
    res = client.search_experiments(filter_string=f"name LIKE '{prefix}%' AND tags.tier != '1'")
    assert _names(res) == [f"{prefix}-beta"]
    res = client.search_experiments(filter_string=f"name LIKE '{prefix}%' AND tags.`team` LIKE 'b%'")
    assert _names(res) == [f"{prefix}-beta"]
    res = client.search_experiments(filter_string=f"name != '{prefix}-alpha' AND name LIKE '{prefix}%'", order_by=["name"])
    assert _names(res) == [f"{prefix}-{s}" for s in ("Delta", "beta", "gamma")]


def test_search_experiments_view_type(client, search_fixture):
    prefix, ids = search_fixture
    f = f"name LIKE '{prefix}%'"
    active = {e.experiment_id for e in client.search_experiments(filter_string=f, view_type=ViewType.ACTIVE_ONLY)}
    deleted = {e.experiment_id for e in client.search_experiments(filter_string=f, view_type=ViewType.DELETED_ONLY)}
    both = {e.experiment_id for e in client.search_experiments(filter_string=f, view_type=ViewType.ALL)}
    assert deleted == {ids["zdeleted"]}
    assert active == {ids[k] for k in ("alpha", "beta", "gamma", "Delta")}
    assert both == active | deleted


def test_search_experiments_order_and_paging(client, search_fixture):
    prefix, ids = search_fixture
    f = f"name LIKE '{prefix}%'"
    # default order: last_update_time DESC (creation order reversed here)
    default = client.search_experiments(filter_string=f)
    assert [e.experiment_id for e in default] == [ids[k] for k in ("Delta", "gamma", "beta", "alpha")]
    by_id = client.search_experiments(filter_string=f, order_by=["experiment_id ASC"])
    assert [e.experiment_id for e in by_id] == [ids[k] for k in ("alpha", "beta", "gamma", "Delta")]
    by_time = client.search_experiments(filter_string=f, order_by=["creation_time DESC"])
    assert [e.experiment_id for e in by_time] == [ids[k] for k in ("Delta", "gamma", "beta", "alpha")]

    seen = []
    token = None
    pages = 0
    while True:
        page = client.search_experiments(filter_string=f, max_results=3, order_by=["name ASC"], page_token=token)
        pages += 1
        seen.extend(e.name for e in page)
        token = page.token
        if not token:
            break
        assert len(page) == 3
    assert pages == 2
    assert seen == [f"{prefix}-{s}" for s in ("Delta", "alpha", "beta", "gamma")]


def test_search_experiments_invalid_filter(client):
    raises_code("INVALID_PARAMETER_VALUE", client.search_experiments, filter_string="name = ")
    raises_code("INVALID_PARAMETER_VALUE", client.search_experiments, filter_string="foo.bar = 'x'")
    raises_code("INVALID_PARAMETER_VALUE", client.search_experiments, order_by=["nosuchcol ASC"])
