"""Seeds an MLflow 3 tracking server for the import end-to-end tests, through the real Python client.

Usage: MLFLOW_TRACKING_URI=http://127.0.0.1:PORT python seed.py [HISTORY [BULK_RUNS]]
Prints one JSON object (ids and counts the tests check against) as the last line of stdout.

It logs one of everything `tracklite import` carries over, with the shapes the compat suite's client modules use:
- experiments `import/alpha` (tags, a description) and `import/beta`, and `import/gone` (deleted);
- in alpha: a finished run with params, tags, a dataset input, a long metric history (3 keys x HISTORY steps, a NaN
  and a metric over several steps with the same step and other timestamps), a nested child run, a FAILED run, a
  deleted run; a logged model with params, tags and a metric linked to it (the run's output);
- the registry: `import-model` (tags, description, two versions with a tag, a stage, a description, alias `champion`),
  a prompt `import-prompt` (two versions, alias `production`);
- in beta: two traces with spans, one with feedback (one overridden, so invalid) and an expectation assessment;
- a GenAI evaluation dataset with records, in beta;
- `import/bulk`: BULK_RUNS runs with 3 x HISTORY points each (so that an import can be killed half-way);
- a webhook on registry events (created last, so no event is sent to its address).
"""

from __future__ import annotations

import json
import math
import sys
import time
import warnings

import mlflow
import numpy as np
from mlflow.entities import Metric, Param, RunTag
from mlflow.tracking import MlflowClient
from seed_runs import bulk_runs, failed_and_deleted_runs, run_in_deleted_experiment

warnings.filterwarnings("ignore")
HISTORY = int(sys.argv[1]) if len(sys.argv) > 1 else 300
BULK_RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 12
client = MlflowClient()


def seed() -> dict:
    out: dict = {"experiments": {}, "runs": {}, "logged_models": {}, "traces": [], "points": 0}
    alpha = client.create_experiment("import/alpha", tags={"team": "vision", "mlflow.note.content": "Alpha **notes**"})
    beta = client.create_experiment("import/beta", tags={"team": "genai"})
    gone = client.create_experiment("import/gone")
    out["experiments"] = {"alpha": alpha, "beta": beta, "gone": gone}

    mlflow.set_experiment(experiment_id=alpha)
    base = int(time.time() * 1000) - HISTORY * 1000
    with mlflow.start_run(run_name="baseline") as run:
        rid = run.info.run_id
        out["runs"]["baseline"] = rid
        mlflow.log_params({"lr": 0.01, "optimizer": "adam", "layers": 4})
        mlflow.set_tags({"team": "vision", "mlflow.note.content": "The **baseline**."})
        metrics = []
        for s in range(HISTORY):
            metrics.append(Metric("train/loss", 2.0 * math.exp(-s / 50) + 0.05, base + s * 1000, s))
            metrics.append(Metric("val/accuracy", 0.95 - 0.6 * math.exp(-s / 80), base + s * 1000, s))
            metrics.append(Metric("lr", 0.01 / (1 + s // 100), base + s * 1000, s))
        for i in range(0, len(metrics), 1000):
            client.log_batch(rid, metrics=metrics[i : i + 1000])
        client.log_batch(rid, metrics=[Metric("spiky", float("nan"), base, 0), Metric("spiky", 1.5, base + 5, 0),
                                       Metric("spiky", -3.25, base + 10, 1)])
        out["points"] += len(metrics) + 3
        features = np.arange(20, dtype=np.float64).reshape(5, 4)
        ds = mlflow.data.from_numpy(features, targets=np.arange(5), source="s3://bucket/mini", name="mini")
        mlflow.log_input(ds, context="training")
        model = mlflow.initialize_logged_model(name="baseline-model", model_type="classifier",
                                               tags={"framework": "none"}, params={"depth": "4"})
        mlflow.log_metric("accuracy", 0.91, model_id=model.model_id, step=0, timestamp=base)
        out["points"] += 1
        client.finalize_logged_model(model.model_id, "READY")
        out["logged_models"]["baseline"] = model.model_id
        with mlflow.start_run(run_name="child", nested=True) as child:
            out["runs"]["child"] = child.info.run_id
            client.log_batch(child.info.run_id, params=[Param("trial", "1")], tags=[RunTag("kind", "trial")],
                             metrics=[Metric("score", 0.5, base, 0), Metric("score", 0.75, base + 1000, 1)])
            out["points"] += 2

    failed_and_deleted_runs(client, alpha, base, out)

    bulk_runs(client, BULK_RUNS, HISTORY, base, out)
    run_in_deleted_experiment(client, gone, base, out)

    # registry
    name = "import-model"
    client.create_registered_model(name, tags={"task": "vision"}, description="Imported **model**.")
    v1 = client.create_model_version(name, f"runs:/{rid}/model", run_id=rid, tags={"validated": "true"})
    v2 = client.create_model_version(name, f"models:/{model.model_id}", run_id=rid, model_id=model.model_id,
                                     description="Second version.")
    client.transition_model_version_stage(name, v1.version, "Production")
    client.set_registered_model_alias(name, "champion", v2.version)
    client.set_model_version_tag(name, v2.version, "reviewed", "no")
    out["registered_model"] = {"name": name, "versions": [v1.version, v2.version]}
    p1 = mlflow.genai.register_prompt(name="import-prompt", template="Summarize: {{text}}", commit_message="first",
                                      tags={"team": "genai"})
    mlflow.genai.register_prompt(name="import-prompt", template="Summarize briefly: {{text}}")
    mlflow.genai.set_prompt_alias("import-prompt", "production", p1.version)

    # traces with assessments
    mlflow.set_experiment(experiment_id=beta)
    for question in ("What is 2 + 2?", "What is the capital of France?"):
        with mlflow.start_span(name="answer", span_type="CHAIN") as span:
            span.set_inputs({"question": question})
            with mlflow.start_span(name="llm", span_type="LLM") as inner:
                inner.set_inputs({"prompt": question})
                inner.set_outputs({"text": "4" if "2" in question else "Paris"})
                inner.set_attribute("model", "stand-in")
            span.set_outputs({"answer": "4" if "2" in question else "Paris"})
            out["traces"].append(span.trace_id)
    mlflow.flush_trace_async_logging() if hasattr(mlflow, "flush_trace_async_logging") else None
    tid = out["traces"][0]
    mlflow.log_feedback(trace_id=tid, name="correct", value=True, rationale="the sum is right")
    # a feedback corrected by a reviewer: the first stays, invalid (`valid: false` must come across)
    wrong = mlflow.log_feedback(trace_id=tid, name="concise", value=False, rationale="first look")
    mlflow.override_feedback(trace_id=tid, assessment_id=wrong.assessment_id, value=True, rationale="on review")
    mlflow.log_expectation(trace_id=tid, name="expected_answer", value="4")

    # GenAI evaluation dataset
    from mlflow.genai import datasets as gd

    dataset = gd.create_dataset(name="import-golden", experiment_id=beta, tags={"stage": "dev"})
    dataset.merge_records([
        {"inputs": {"question": f"What is {n} + {n}?"}, "expectations": {"answer": str(2 * n)}} for n in range(12)
    ])
    out["dataset_id"] = dataset.dataset_id

    hook = client.create_webhook(name="import-hook", url="http://127.0.0.1:9/mlflow-hook",
                                 events=["registered_model.created", "model_version.created"],
                                 description="carried over by import")
    out["webhook_id"] = hook.webhook_id
    return out


if __name__ == "__main__":
    print(json.dumps(seed()))
