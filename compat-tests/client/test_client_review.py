"""Label schemas, review queues and issues through the real mlflow client: mlflow.genai.label_schemas,
mlflow.genai.review_queues (review queues and their items), and the tracking store's issue calls (the client has
no public issue API; the issue-detection UI and jobs call these)."""

import time

import pytest
import requests

from support.clientutil import MLFLOW_MAJOR, uniq

if MLFLOW_MAJOR < 3:
    pytest.skip("label schemas, review queues and issues are MLflow 3 features", allow_module_level=True)

import mlflow  # noqa: E402
from mlflow.exceptions import MlflowException  # noqa: E402

label_schemas = pytest.importorskip("mlflow.genai.label_schemas")
review_queues = pytest.importorskip("mlflow.genai.review_queues")


@pytest.fixture
def experiment_id():
    exp = mlflow.create_experiment(uniq("review"))
    mlflow.set_experiment(experiment_id=exp)
    return exp


def start_trace(server_url, exp):
    r = requests.post(f"{server_url}/api/2.0/mlflow/traces", json={"experiment_id": exp, "timestamp_ms": 1700000000000})
    r.raise_for_status()
    tid = r.json()["trace_info"]["request_id"]
    requests.patch(f"{server_url}/api/2.0/mlflow/traces/{tid}",
                   json={"timestamp_ms": 1700000000100, "status": "OK"}).raise_for_status()
    return tid


def test_label_schema_lifecycle(experiment_id):
    from mlflow.genai.label_schemas import InputCategorical, InputNumeric, InputPassFail, InputText

    pf = label_schemas.create_label_schema(
        "Correct?", type="feedback", input=InputPassFail(positive_label="Yes", negative_label="No"),
        instruction="Is the answer right?", enable_comment=True)
    assert pf.schema_id.startswith("ls-")
    assert pf.experiment_id == experiment_id
    assert pf.input == InputPassFail(positive_label="Yes", negative_label="No")
    assert pf.enable_comment is True and pf.instruction == "Is the answer right?" and pf.is_default is False
    time.sleep(0.01)
    cat = label_schemas.create_label_schema("Tone", type="expectation",
                                            input=InputCategorical(options=["calm", "rude"], multi_select=True))
    assert cat.input.options == ["calm", "rude"] and cat.input.multi_select is True
    time.sleep(0.01)
    num = label_schemas.create_label_schema("Score", type="feedback", input=InputNumeric(min_value=0, max_value=10))
    assert (num.input.min_value, num.input.max_value) == (0, 10)
    time.sleep(0.01)
    label_schemas.create_label_schema("Notes", type="feedback", input=InputText(max_length=200))

    got = label_schemas.get_label_schema(schema_id=pf.schema_id)
    assert got.name == "Correct?" and got.created_at == pf.created_at
    assert label_schemas.get_label_schema("Tone", experiment_id=experiment_id).schema_id == cat.schema_id

    listed = label_schemas.list_label_schemas()
    # the experiment's protected default question comes first (seeded by the first list)
    assert [s.name for s in listed] == ["Feedback", "Notes", "Score", "Tone", "Correct?"]
    assert listed[0].is_default
    page = label_schemas.list_label_schemas(max_results=2)
    assert len(page) == 2 and page.token
    rest = label_schemas.list_label_schemas(max_results=10, page_token=page.token)
    assert [s.name for s in rest] == ["Score", "Tone", "Correct?"]

    updated = label_schemas.update_label_schema(cat.schema_id, name="Tone of voice",
                                                input=InputCategorical(options=["calm"], multi_select=True))
    assert updated.name == "Tone of voice" and updated.input.options == ["calm"]
    with pytest.raises(MlflowException, match="input type cannot be changed"):
        label_schemas.update_label_schema(cat.schema_id, input=InputText())
    with pytest.raises(MlflowException, match="already exists"):
        label_schemas.create_label_schema("Score", type="feedback", input=InputText())
    with pytest.raises(MlflowException, match="reserved for the experiment's default question"):
        label_schemas.create_label_schema("feedback", type="feedback", input=InputText())
    with pytest.raises(MlflowException, match="default question cannot be deleted"):
        label_schemas.delete_label_schema(schema_id=listed[0].schema_id)

    label_schemas.delete_label_schema(schema_id=num.schema_id)
    with pytest.raises(MlflowException, match="not found") as e:
        label_schemas.get_label_schema(schema_id=num.schema_id)
    assert e.value.error_code == "RESOURCE_DOES_NOT_EXIST"


def test_review_queue_lifecycle(experiment_id, server_url):
    from mlflow.genai.label_schemas import InputText

    schema = label_schemas.create_label_schema("Q", type="feedback", input=InputText())
    t1, t2 = start_trace(server_url, experiment_id), start_trace(server_url, experiment_id)
    foreign = start_trace(server_url, mlflow.create_experiment(uniq("review-other")))

    q = review_queues.create_review_queue("Batch 1", queue_type="custom", users=["Alice", "bob"],
                                          schema_ids=[schema.schema_id])
    assert q.queue_id.startswith("rq-") and q.name == "Batch 1"
    assert q.users == ["alice", "bob"] and q.schema_ids == [schema.schema_id]
    time.sleep(0.01)
    mine = review_queues.get_or_create_user_queue("Carol")
    assert mine.name == "carol" and str(mine.queue_type) == "user" and mine.users == ["carol"]
    assert review_queues.get_or_create_user_queue("carol").queue_id == mine.queue_id

    assert review_queues.get_review_queue(q.queue_id).name == "Batch 1"
    assert review_queues.get_review_queue(name="batch 1", experiment_id=experiment_id).queue_id == q.queue_id
    assert [x.name for x in review_queues.list_review_queues()] == ["carol", "Batch 1"]
    assert [x.name for x in review_queues.list_review_queues(user="BOB")] == ["Batch 1"]

    with pytest.raises(MlflowException, match="do not exist in experiment") as e:
        review_queues.add_items_to_review_queue(q.queue_id, item_ids=[foreign])
    assert e.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    items = review_queues.add_items_to_review_queue(q.queue_id, item_ids=[t1, t2, t1])
    assert [i.item_id for i in items] == [t1, t2]
    assert all(str(i.status) == "pending" for i in items)

    done = review_queues.set_review_queue_item_status(q.queue_id, item_id=t1, status="complete", completed_by="Bob")
    assert str(done.status) == "complete" and done.completed_by == "bob" and done.completed_time_ms
    assert [i.item_id for i in review_queues.list_review_queue_items(q.queue_id, status="complete")] == [t1]
    reopened = review_queues.set_review_queue_item_status(q.queue_id, item_id=t1, status="pending")
    assert reopened.completed_by is None

    with pytest.raises(MlflowException, match="questions are locked"):
        review_queues.update_review_queue(q.queue_id, schema_ids=[])
    renamed = review_queues.update_review_queue(q.queue_id, name="Batch A", users=["dan"])
    assert renamed.name == "Batch A" and renamed.users == ["dan"]

    review_queues.remove_items_from_review_queue(q.queue_id, item_ids=[t1])
    assert [i.item_id for i in review_queues.list_review_queue_items(q.queue_id)] == [t2]
    review_queues.delete_review_queue(q.queue_id)
    with pytest.raises(MlflowException, match="not found"):
        review_queues.get_review_queue(q.queue_id)


def test_issues_through_the_tracking_store(experiment_id):
    from mlflow.entities.issue import IssueSeverity, IssueStatus
    from mlflow.tracking._tracking_service.utils import _get_store

    store = _get_store()
    run = mlflow.MlflowClient().create_run(experiment_id)
    a = store.create_issue(experiment_id=experiment_id, name="Hallucination", description="makes things up",
                           severity=IssueSeverity.HIGH, root_causes=["no retrieval"], categories=["quality"],
                           source_run_id=run.info.run_id, created_by="detector")
    assert a.issue_id.startswith("iss-") and a.status == IssueStatus.PENDING
    assert a.root_causes == ["no retrieval"] and a.categories == ["quality"] and a.source_run_id == run.info.run_id
    time.sleep(0.01)
    b = store.create_issue(experiment_id=experiment_id, name="Slow", description="latency")
    assert b.severity is None and b.root_causes is None

    got = store.get_issue(a.issue_id)
    assert got.name == "Hallucination" and got.created_by == "detector"
    updated = store.update_issue(b.issue_id, status=IssueStatus.RESOLVED, severity=IssueSeverity.LOW, name="Slower")
    assert (updated.status, updated.severity, updated.name) == (IssueStatus.RESOLVED, IssueSeverity.LOW, "Slower")

    found = store.search_issues(experiment_id=experiment_id)
    assert [i.name for i in found] == ["Hallucination", "Slower"]
    counted = store.search_issues(experiment_id=experiment_id, include_trace_count=True)
    assert [i.trace_count for i in counted] == [0, 0]
    assert [i.name for i in store.search_issues(experiment_id=experiment_id, filter_string="status = 'resolved'")] == \
        ["Slower"]
    first = store.search_issues(experiment_id=experiment_id, max_results=1)
    assert len(first) == 1 and first.token
    assert [i.name for i in store.search_issues(experiment_id=experiment_id, page_token=first.token)] == ["Slower"]
    with pytest.raises(MlflowException, match="not found") as e:
        store.get_issue("iss-nope")
    assert e.value.error_code == "RESOURCE_DOES_NOT_EXIST"
