"""Writes a FileStore through the real MLflow client (2.x or 3.x), for the file-store source's tests.

Usage: python seed-file-store.test-fixture.py <folder>
Everything goes through the public client API with a `file:` tracking URI, as a team's own scripts would have.
"""

import math
import os
import sys

os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"

import mlflow  # noqa: E402
from mlflow.entities import Dataset, DatasetInput, InputTag, Metric, Param, RunTag  # noqa: E402
from mlflow.tracking import MlflowClient  # noqa: E402

root = os.path.abspath(sys.argv[1])
uri = "file://" + root
mlflow.set_tracking_uri(uri)
mlflow.set_registry_uri(uri)
client = MlflowClient(uri, uri)
major = int(mlflow.__version__.split(".")[0])

exp_a = client.create_experiment("exp-a", tags={"team": "vision", "multi/part": "x y"})
with mlflow.start_run(experiment_id=exp_a, run_name="first") as run:
    mlflow.log_params({"lr": "0.01", "layers": "3", "path/like": "a b"})
    mlflow.set_tags({"stage": "dev", "note": "line1\nline2"})
    for step in range(5):
        mlflow.log_metric("loss", 1.0 / (step + 1), step=step)
    mlflow.log_metric("odd", float("nan"), step=0)
    mlflow.log_metric("odd", math.inf, step=1)
    mlflow.log_metric("odd", -math.inf, step=2)
    mlflow.log_metric("nested/acc", 0.5, step=3)
    mlflow.log_text("hello", "notes/hello.txt")
    client.log_inputs(
        run.info.run_id,
        [
            DatasetInput(
                Dataset(name="train", digest="abc123", source_type="local", source='{"uri": "x"}',
                        schema='{"mlflow_colspec": []}', profile='{"num_rows": 3}'),
                [InputTag("mlflow.data.context", "training")],
            )
        ],
    )
    first_run_id = run.info.run_id

# A run logged with log_batch, many points, and one run ended as FAILED.
run2 = client.create_run(exp_a, run_name="batch")
client.log_batch(
    run2.info.run_id,
    metrics=[Metric("m", float(i), 1700000000000 + i, i) for i in range(1000)],
    params=[Param("p", "v")],
    tags=[RunTag("t", "v")],
)
client.set_terminated(run2.info.run_id, "FAILED")

# A deleted run and a deleted experiment with a run.
run3 = client.create_run(exp_a, run_name="gone")
client.log_metric(run3.info.run_id, "x", 1.0)
client.delete_run(run3.info.run_id)
exp_b = client.create_experiment("exp-b")
run4 = client.create_run(exp_b, run_name="in-deleted")
client.log_param(run4.info.run_id, "k", "v")
client.log_text(run4.info.run_id, "kept", "kept.txt")
client.set_terminated(run4.info.run_id)
client.delete_experiment(exp_b)

# Registry: a model with versions, tags, an alias, a stage, a description, a deleted version.
client.create_registered_model("reg-model", tags={"owner": "me"}, description="a model")
v1 = client.create_model_version("reg-model", f"runs:/{first_run_id}/model", first_run_id)
v2 = client.create_model_version("reg-model", f"runs:/{first_run_id}/model", first_run_id,
                                 tags={"k": "v"}, description="second")
v3 = client.create_model_version("reg-model", f"runs:/{first_run_id}/model", first_run_id)
client.set_registered_model_alias("reg-model", "champion", v2.version)
client.transition_model_version_stage("reg-model", v1.version, "Production")
client.delete_model_version("reg-model", v3.version)
client.create_registered_model("empty-model")

# A trace (MLflow 2.x writes its v2 form: request_id, timestamp_ms, spans with hex ids).
mlflow.set_experiment(experiment_id=exp_a)
with mlflow.start_span(name="root") as span:
    span.set_inputs({"q": "hi"})
    with mlflow.start_span(name="child") as child:
        child.set_outputs({"a": 1})
        child.set_attribute("n", 3)
    span.set_outputs({"answer": "hello"})
    trace_id = span.trace_id if major >= 3 else span.request_id
if hasattr(mlflow, "flush_trace_async_logging"):
    mlflow.flush_trace_async_logging()
client.set_trace_tag(trace_id, "reviewed", "yes")

if major >= 3:
    # MLflow 3: a logged model with params, tags and a metric linked to it; assessments; a prompt.
    model = client.create_logged_model(exp_a, name="lm", params={"alpha": "1"}, tags={"kind": "test"},
                                       source_run_id=first_run_id)
    client.log_metric(first_run_id, "model_acc", 0.9, step=1, model_id=model.model_id,
                      dataset_name="train", dataset_digest="abc123")
    client.finalize_logged_model(model.model_id, "READY")
    from mlflow.entities import LoggedModelInput, LoggedModelOutput

    client.log_outputs(first_run_id, [LoggedModelOutput(model.model_id, 1)])
    client.log_inputs(first_run_id, models=[LoggedModelInput(model.model_id)])
    deleted_model = client.create_logged_model(exp_a, name="lm-gone")
    client.delete_logged_model(deleted_model.model_id)
    mlflow.log_feedback(trace_id=trace_id, name="quality", value=True, rationale="fine")
    mlflow.log_expectation(trace_id=trace_id, name="expected", value="hello")
    mlflow.genai.register_prompt(name="greet", template="Hello {{name}}", commit_message="first")

print("seeded", root)
