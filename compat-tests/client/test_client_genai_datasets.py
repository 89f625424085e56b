"""GenAI evaluation datasets through the real mlflow client: create_dataset, get_dataset (by id and by name),
search_datasets, delete_dataset, merge_records (from dicts, a DataFrame and traces), to_df, tags and experiment
links, all through `mlflow.genai.datasets` and the dataset entity, unchanged."""

import pytest

from support.clientutil import MLFLOW_MAJOR, uniq

if MLFLOW_MAJOR < 3:
    pytest.skip("evaluation datasets are an MLflow 3 feature", allow_module_level=True)

import mlflow  # noqa: E402
import pandas as pd  # noqa: E402
from mlflow.exceptions import MlflowException  # noqa: E402
from mlflow.genai import datasets as gd  # noqa: E402

from support.tracing import flush, fresh_tracer, no_export_failures  # noqa: E402,F401


def records_of(dataset_id):
    """The dataset's records, as the entity the tracking client returns loads them (every page)."""
    return mlflow.MlflowClient().get_dataset(dataset_id).records


@pytest.fixture
def experiment_id():
    return mlflow.create_experiment(uniq("genai-ds"))


def test_create_get_and_delete(experiment_id):
    name = uniq("ds")
    ds = gd.create_dataset(name=name, experiment_id=experiment_id, tags={"team": "ml", "stage": "dev"})
    assert ds.dataset_id.startswith("d-") and len(ds.dataset_id) == 34
    assert ds.name == name
    assert ds.tags["team"] == "ml" and ds.tags["stage"] == "dev"
    assert ds.experiment_ids == [experiment_id]
    assert len(ds.digest) == 8

    got = gd.get_dataset(dataset_id=ds.dataset_id)
    assert (got.dataset_id, got.name, got.digest) == (ds.dataset_id, name, ds.digest)
    assert got.created_time == ds.created_time and got.last_update_time == ds.last_update_time
    assert got.experiment_ids == [experiment_id]
    assert gd.get_dataset(name=name).dataset_id == ds.dataset_id

    gd.delete_dataset(dataset_id=ds.dataset_id)
    with pytest.raises(MlflowException, match="not found") as e:
        gd.get_dataset(dataset_id=ds.dataset_id)
    assert e.value.error_code == "RESOURCE_DOES_NOT_EXIST"


def test_merge_records_dedupes_and_merges(experiment_id):
    ds = gd.create_dataset(name=uniq("ds"), experiment_id=experiment_id)
    ds.merge_records([
        {"inputs": {"question": "What is MLflow?"}, "expectations": {"answer": "a platform", "score": 1}},
        {"inputs": {"question": "What is a run?"}, "expectations": {"answer": "an execution"}},
    ])
    # Same inputs (keys in another order are the same record): expectations and tags merge, outputs replace.
    ds.merge_records([
        {"inputs": {"question": "What is MLflow?"}, "expectations": {"score": 2.5, "extra": True},
         "tags": {"reviewed": "yes"}, "outputs": "an answer"},
        {"inputs": {"question": "What is an experiment?"}},
    ])
    got = gd.get_dataset(dataset_id=ds.dataset_id)
    records = {r.inputs["question"]: r for r in records_of(ds.dataset_id)}
    assert set(records) == {"What is MLflow?", "What is a run?", "What is an experiment?"}
    first = records["What is MLflow?"]
    assert first.expectations == {"answer": "a platform", "score": 2.5, "extra": True}
    assert first.tags["reviewed"] == "yes"
    assert first.outputs == "an answer"
    assert first.last_update_time >= first.created_time
    assert got.profile is not None and '"num_records": 3' in got.profile
    assert got.schema is not None and '"question": "string"' in got.schema
    assert got.digest != ds.digest

    df = got.to_df()
    assert len(df) == 3
    assert {"inputs", "expectations", "outputs", "source_type"} <= set(df.columns)


def test_merge_records_from_dataframe(experiment_id):
    ds = gd.create_dataset(name=uniq("ds"), experiment_id=experiment_id)
    df = pd.DataFrame([
        {"inputs": {"q": "one"}, "expectations": {"a": "1"}},
        {"inputs": {"q": "two"}, "expectations": {"a": "2"}},
    ])
    ds.merge_records(df)
    out = gd.get_dataset(dataset_id=ds.dataset_id).to_df()
    assert sorted(i["q"] for i in out["inputs"]) == ["one", "two"]
    assert sorted(e["a"] for e in out["expectations"]) == ["1", "2"]


def test_merge_records_from_traces(experiment_id):
    mlflow.set_experiment(experiment_id=experiment_id)

    @mlflow.trace
    def answer(question: str) -> str:
        return f"answer to {question}"

    answer("first?")
    answer("second?")
    flush()
    traces = mlflow.search_traces(locations=[experiment_id], return_type="list")
    assert len(traces) == 2
    mlflow.log_expectation(trace_id=traces[0].info.trace_id, name="expected", value="yes")
    traces = mlflow.search_traces(locations=[experiment_id], return_type="list")

    ds = gd.create_dataset(name=uniq("ds"), experiment_id=experiment_id)
    ds.merge_records(traces)
    records = records_of(ds.dataset_id)
    assert sorted(r.inputs["question"] for r in records) == ["first?", "second?"]
    for r in records:
        assert r.source.source_type == "TRACE"
        assert r.source_id in {t.info.trace_id for t in traces}
        assert r.outputs == f"answer to {r.inputs['question']}"
    by_trace = {r.source_id: r for r in records}
    assert by_trace[traces[0].info.trace_id].expectations == {"expected": "yes"}

    # The DataFrame search_traces returns works too, and merges into the same records.
    ds.merge_records(mlflow.search_traces(locations=[experiment_id]))
    assert len(records_of(ds.dataset_id)) == 2


def test_search_filters_order_and_paging(experiment_id):
    other = mlflow.create_experiment(uniq("genai-ds-other"))
    prefix = uniq("srch")
    made = [gd.create_dataset(name=f"{prefix}-{i}", experiment_id=experiment_id, tags={"i": str(i)})
            for i in range(5)]
    gd.create_dataset(name=f"{prefix}-elsewhere", experiment_id=other)

    found = gd.search_datasets(experiment_ids=[experiment_id])
    assert {d.dataset_id for d in found} == {d.dataset_id for d in made}
    # Newest first by default.
    assert [d.name for d in found] == [f"{prefix}-{i}" for i in reversed(range(5))]

    by_name = gd.search_datasets(experiment_ids=[experiment_id], order_by=["name ASC"])
    assert [d.name for d in by_name] == [f"{prefix}-{i}" for i in range(5)]

    assert [d.name for d in gd.search_datasets(filter_string="tags.i = '3'", experiment_ids=[experiment_id])] == [
        f"{prefix}-3"
    ]
    like = gd.search_datasets(filter_string=f"name LIKE '{prefix}-%'")
    assert len(like) == 6

    # max_results pages through everything (the client follows the page tokens itself).
    paged = gd.search_datasets(experiment_ids=[experiment_id], max_results=2)
    assert len(paged) == 2
    client = mlflow.MlflowClient()
    page = client.search_datasets(experiment_ids=[experiment_id], max_results=2)
    assert len(page) == 2 and page.token
    rest = client.search_datasets(experiment_ids=[experiment_id], max_results=10, page_token=page.token)
    assert len(rest) == 3

    with pytest.raises(MlflowException, match="Invalid attribute key"):
        gd.search_datasets(filter_string="color = 'red'")


def test_tags_and_experiment_links(experiment_id):
    ds = gd.create_dataset(name=uniq("ds"), experiment_id=experiment_id, tags={"keep": "1", "drop": "2"})
    gd.set_dataset_tags(dataset_id=ds.dataset_id, tags={"keep": "updated", "new": "3"})
    gd.delete_dataset_tag(dataset_id=ds.dataset_id, key="drop")
    tags = gd.get_dataset(dataset_id=ds.dataset_id).tags
    assert tags["keep"] == "updated" and tags["new"] == "3" and "drop" not in tags

    second = mlflow.create_experiment(uniq("genai-ds-2"))
    linked = gd.add_dataset_to_experiments(dataset_id=ds.dataset_id, experiment_ids=[second])
    assert sorted(linked.experiment_ids) == sorted([experiment_id, second])
    assert {d.dataset_id for d in gd.search_datasets(experiment_ids=[second])} == {ds.dataset_id}
    unlinked = gd.remove_dataset_from_experiments(dataset_id=ds.dataset_id, experiment_ids=[experiment_id])
    assert unlinked.experiment_ids == [second]
    assert gd.search_datasets(experiment_ids=[experiment_id]) == []

    with pytest.raises(MlflowException, match="No Experiment with id=987654"):
        gd.add_dataset_to_experiments(dataset_id=ds.dataset_id, experiment_ids=["987654"])


def test_records_page_through_large_dataset(experiment_id):
    ds = gd.create_dataset(name=uniq("ds"), experiment_id=experiment_id)
    # In several calls: the reference upserts row by row, and one call of 1205 records can outlast the client's timeout.
    for start in range(0, 1205, 241):
        ds.merge_records([{"inputs": {"n": i}, "expectations": {"double": i * 2}} for i in range(start, start + 241)])
    records = records_of(ds.dataset_id)
    assert len(records) == 1205
    assert sorted(r.inputs["n"] for r in records) == list(range(1205))


def test_delete_records(experiment_id):
    ds = gd.create_dataset(name=uniq("ds"), experiment_id=experiment_id)
    ds.merge_records([{"inputs": {"q": q}} for q in ("keep", "drop1", "drop2")])
    ids = {r.inputs["q"]: r.dataset_record_id for r in records_of(ds.dataset_id)}
    assert ds.delete_records([ids["drop1"], ids["drop2"], "dr-unknown"]) == 2
    assert [r.inputs["q"] for r in records_of(ds.dataset_id)] == ["keep"]
    assert '"num_records": 1' in gd.get_dataset(dataset_id=ds.dataset_id).profile
