"""Seeds a live MLflow server through the real Python client for the REST source's tests (MLFLOW_TRACKING_URI and,
for basic-auth servers, MLFLOW_TRACKING_USERNAME/PASSWORD come from the environment). Prints the ids it made as JSON."""

import json
import math
import os

os.environ.setdefault("MLFLOW_ENABLE_ASYNC_TRACE_LOGGING", "false")

import mlflow
import numpy as np
import requests
from mlflow import MlflowClient
from mlflow.entities import Metric

import sys  # noqa: E402

HISTORY_POINTS = 2500
# `minimal`: one experiment with one run, for the servers that only check credentials.
MINIMAL = sys.argv[1:] == ["minimal"]

client = MlflowClient()
uri = os.environ["MLFLOW_TRACKING_URI"]
auth = (os.environ["MLFLOW_TRACKING_USERNAME"], os.environ["MLFLOW_TRACKING_PASSWORD"]) \
    if os.environ.get("MLFLOW_TRACKING_USERNAME") else None

exp = client.create_experiment("rest-src-a", tags={"team": "ml"})
gone = client.create_experiment("rest-src-gone")
mlflow.set_experiment(experiment_id=exp)

with mlflow.start_run(run_name="long") as run:
    mlflow.log_params({"lr": "0.1", "layers": "3"})
    mlflow.set_tags({"stage": "dev"})
    points = [Metric("loss", 1.0 / (i + 1), 1_700_000_000_000 + i, i) for i in range(HISTORY_POINTS)]
    for i in range(0, len(points), 1000):
        client.log_batch(run.info.run_id, metrics=points[i:i + 1000])
    mlflow.log_metric("odd", math.nan, step=0)
    mlflow.log_metric("odd", math.inf, step=1)
    mlflow.log_metric("odd", -math.inf, step=2)
    mlflow.log_input(mlflow.data.from_numpy(np.array([1, 2, 3]), name="train"), context="training")
    mlflow.log_text("hello artifacts", "notes/hello.txt")
    mlflow.log_text("root file", "root.txt")
long_run = run.info.run_id

if MINIMAL:
    print(json.dumps({"experiment": exp, "run": long_run}))
    sys.exit(0)

with mlflow.start_run(run_name="deleted") as run:
    mlflow.log_metric("m", 1.0)
deleted_run = run.info.run_id
client.delete_run(deleted_run)
client.delete_experiment(gone)

model = mlflow.initialize_logged_model(name="lm", model_type="agent", params={"p": "1"}, tags={"t": "a"})

with mlflow.start_span(name="root") as span:
    span.set_inputs({"q": "hi"})
    with mlflow.start_span(name="child") as child:
        child.set_outputs({"a": "yo"})
trace_id = mlflow.get_last_active_trace_id()
mlflow.log_feedback(trace_id=trace_id, name="quality", value=0.5, rationale="ok")
mlflow.log_expectation(trace_id=trace_id, name="expected", value="yo")

import mlflow.genai.datasets as gd  # noqa: E402

dataset = gd.create_dataset(name="rest-src-ds", experiment_id=exp, tags={"k": "v"})
dataset.merge_records([{"inputs": {"n": i}, "expectations": {"double": i * 2}} for i in range(30)])

builtin = ('{"name":"safety","builtin_scorer_class":"Safety","builtin_scorer_pydantic_data":{"name":"safety",'
           '"required_columns":["inputs","outputs"]},"mlflow_version":"3.17.2","serialization_version":1,'
           '"aggregations":null,"call_source":null,"call_signature":null,"original_func_name":null,'
           '"instructions_judge_pydantic_data":null}')
for _ in range(2):
    r = requests.post(f"{uri}/api/3.0/mlflow/scorers/register", auth=auth,
                      json={"experiment_id": exp, "name": "safety", "serialized_scorer": builtin})
    r.raise_for_status()

client.create_registered_model("rest-src-model", tags={"owner": "me"}, description="a model")
for _ in range(2):
    client.create_model_version("rest-src-model", f"runs:/{long_run}/model", run_id=long_run)
client.set_registered_model_alias("rest-src-model", "champion", "2")
client.set_model_version_tag("rest-src-model", "1", "v", "one")
mlflow.genai.register_prompt(name="rest-src-prompt", template="Hello {{name}}")
mlflow.genai.register_prompt(name="rest-src-prompt", template="Hi {{name}}")

client.create_webhook(name="hook", url="http://127.0.0.1:9/x", events=["model_version.created"], secret="s3cr3t")

print(json.dumps({"experiment": exp, "deleted_experiment": gone, "run": long_run, "deleted_run": deleted_run,
                  "logged_model": model.model_id, "trace": trace_id, "dataset": dataset.dataset_id}))
