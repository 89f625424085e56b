"""Seeds a tracklite server for the UI end-to-end tests with the real MLflow 3 Python client.

Usage: MLFLOW_TRACKING_URI=http://127.0.0.1:PORT python seed.py
Prints one JSON object (the ids the tests navigate to) as the last line of stdout.

What it logs, so every page of the UI has something to show:
- experiments `team/vision` (the main one: description and tags), `team/nlp`, `sandbox`;
- in `team/vision`: two finished runs with params, tags, a markdown description, `train/loss` and `val/accuracy` over
  200 steps, `system/*` metrics, datasets, artifacts of every preview type, a logged model with a signature; a parent
  run with two children; a FAILED run; a deleted run;
- registered model `vision-classifier` (two versions, alias `champion`, stage Production, tags, description),
  `nlp-sentiment` (one version), and a prompt `summarize-prompt`.
"""

import json
import math
import os
import struct
import sys
import tempfile
import time
import warnings
import zlib

import mlflow
import numpy as np
import pandas as pd
from mlflow.entities import Metric
from mlflow.models import infer_signature
from mlflow.tracking import MlflowClient

warnings.filterwarnings("ignore")
STEPS = 200
# A fixed commit, so the run page shows the same value whether or not the seed runs inside a git checkout.
GIT_COMMIT = "0123456789abcdef0123456789abcdef01234567"
client = MlflowClient()


def tiny_png(width=24, height=16):
    """A valid RGB PNG drawn by hand: a horizontal gradient (no imaging library needed)."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    rows = b"".join(
        b"\x00" + b"".join(bytes((x * 10 % 256, 90, 255 - x * 10 % 256)) for x in range(width)) for _ in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def write(root, rel, data):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb" if isinstance(data, bytes) else "w") as f:
        f.write(data)


def artifact_files(root, run_name):
    """One file per preview type the run page must render."""
    write(root, "images/sample.png", tiny_png())
    write(root, "notes.txt", f"Notes for {run_name}\nplain text preview line 2\n")
    write(root, "logs/train.log", "".join(f"epoch {i} loss={1 / (i + 1):.4f}\n" for i in range(20)))
    write(root, "config.json", json.dumps({"model": "resnet18", "optimizer": {"name": "adam", "lr": 0.01}}))
    write(root, "config.yaml", "model: resnet18\noptimizer:\n  name: adam\n  lr: 0.01\n")
    write(root, "data/predictions.csv", "id,label,score\n1,cat,0.91\n2,dog,0.72\n3,bird,0.55\n")
    write(root, "data/predictions.tsv", "id\tlabel\tscore\n1\tcat\t0.91\n2\tdog\t0.72\n")
    # The script must not run: the UI shows HTML in a sandboxed frame without allow-scripts.
    write(
        root,
        "report.html",
        "<html><body><h1>Evaluation report</h1><p>accuracy 0.93</p>"
        "<script>try{parent.document.title='html-escaped-sandbox'}catch(e){}</script></body></html>",
    )
    line = "0123456789 large file line for the first-bytes preview ............................................\n"
    write(root, "logs/big.log", line * (1_200_000 // len(line) + 1))


class ConstantModel(mlflow.pyfunc.PythonModel):
    """A trivial model: predicts the sum of each row's features."""

    def predict(self, context, model_input, params=None):
        return model_input.sum(axis=1)


def log_curves(run_id, lr, offset=0.0):
    """train/loss falling, val/accuracy rising, over STEPS steps; log_batch keeps it fast."""
    now = int(time.time() * 1000) - STEPS * 1000
    metrics = []
    for s in range(STEPS):
        loss = 2.0 * math.exp(-s * lr * 3) + 0.05 + offset + 0.02 * math.sin(s / 3)
        acc = 0.95 - 0.6 * math.exp(-s * lr * 2) - offset / 2
        metrics.append(Metric("train/loss", loss, now + s * 1000, s))
        metrics.append(Metric("val/accuracy", acc, now + s * 1000, s))
    for i in range(0, len(metrics), 1000):
        client.log_batch(run_id, metrics=metrics[i : i + 1000])


def log_system_metrics(run_id):
    """What MLflow's system-metrics monitor logs (system/ prefix, step per sample), written deterministically."""
    now = int(time.time() * 1000) - 30_000
    metrics = []
    for s in range(30):
        metrics.append(Metric("system/cpu_utilization_percentage", 40 + 20 * math.sin(s / 4), now + s * 1000, s))
        metrics.append(Metric("system/system_memory_usage_megabytes", 2048 + 10 * s, now + s * 1000, s))
        metrics.append(Metric("system/system_memory_usage_percentage", 25 + s / 10, now + s * 1000, s))
    client.log_batch(run_id, metrics=metrics)


def main():
    out = {"git_commit": GIT_COMMIT, "experiments": {}, "runs": {}, "models": {}, "logged_models": {}}

    vision = mlflow.set_experiment("team/vision")
    out["experiments"]["team/vision"] = vision.experiment_id
    mlflow.set_experiment_tag("mlflow.note.content", "Image classifiers on **CIFAR-mini**.")
    mlflow.set_experiment_tag("owner", "vision-team")

    features = np.arange(40, dtype=np.float64).reshape(10, 4)
    train_ds = mlflow.data.from_numpy(features, targets=np.arange(10), source="s3://bucket/cifar-mini", name="cifar-mini")
    val_df = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [0.5, 0.25, 0.125], "label": [0, 1, 0]})
    val_ds = mlflow.data.from_pandas(val_df, source="s3://bucket/val.parquet", name="val-split", targets="label")

    for name, lr, opt, offset in (("resnet-baseline", 0.01, "adam", 0.0), ("resnet-wide", 0.02, "sgd", 0.03)):
        with mlflow.start_run(run_name=name) as run:
            rid = run.info.run_id
            out["runs"][name] = rid
            mlflow.log_params({"lr": lr, "optimizer": opt, "batch_size": 32, "epochs": STEPS})
            mlflow.set_tags({"team": "vision", "priority": "high" if name == "resnet-baseline" else "low"})
            mlflow.set_tag("mlflow.source.git.commit", GIT_COMMIT)
            mlflow.set_tag(
                "mlflow.note.content",
                f"## {name}\nA **ResNet** run trained with `{opt}`.\n\n- lr {lr}\n- 200 steps",
            )
            log_curves(rid, lr, offset)
            log_system_metrics(rid)
            mlflow.log_input(train_ds, context="training")
            mlflow.log_input(val_ds, context="validation")
            with tempfile.TemporaryDirectory() as tmp:
                artifact_files(tmp, name)
                mlflow.log_artifacts(tmp)
            x = pd.DataFrame({"f1": [1.0, 2.0], "f2": [3.0, 4.0]})
            signature = infer_signature(x, ConstantModel().predict(None, x))
            info = mlflow.pyfunc.log_model(name="model", python_model=ConstantModel(), signature=signature)
            out["logged_models"][name] = info.model_id
            # MLflow 3 keeps a logged model's files under the logged model, not the run: also put a saved copy in the
            # run's artifacts so the artifacts browser has an MLmodel file and "Register model" has a source.
            with tempfile.TemporaryDirectory() as tmp:
                path = os.path.join(tmp, "model")
                mlflow.pyfunc.save_model(path, python_model=ConstantModel(), signature=signature)
                mlflow.log_artifacts(path, "model")

    with mlflow.start_run(run_name="sweep") as parent:
        out["runs"]["sweep"] = parent.info.run_id
        mlflow.log_param("search", "grid")
        for i, lr in enumerate((0.005, 0.05), start=1):
            with mlflow.start_run(run_name=f"sweep-trial-{i}", nested=True) as child:
                out["runs"][f"sweep-trial-{i}"] = child.info.run_id
                mlflow.log_params({"lr": lr, "optimizer": "adam", "batch_size": 64})
                log_curves(child.info.run_id, lr, 0.01 * i)
        mlflow.log_metric("best_val_accuracy", 0.94)

    failed = mlflow.start_run(run_name="diverged")
    out["runs"]["diverged"] = failed.info.run_id
    mlflow.log_param("lr", 5.0)
    mlflow.log_metric("train/loss", float("nan"), step=0)
    mlflow.log_metric("train/loss", 1e6, step=1)
    mlflow.end_run(status="FAILED")

    with mlflow.start_run(run_name="deleted-run") as gone:
        out["runs"]["deleted-run"] = gone.info.run_id
        mlflow.log_param("lr", 0.1)
    client.delete_run(out["runs"]["deleted-run"])

    nlp = mlflow.set_experiment("team/nlp")
    out["experiments"]["team/nlp"] = nlp.experiment_id
    with mlflow.start_run(run_name="bert-small") as run:
        out["runs"]["bert-small"] = run.info.run_id
        mlflow.log_params({"lr": 3e-5, "optimizer": "adamw"})
        mlflow.log_metric("val/f1", 0.81)
        nlp_model = mlflow.pyfunc.log_model(name="model", python_model=ConstantModel())
        out["logged_models"]["bert-small"] = nlp_model.model_id

    sandbox = mlflow.set_experiment("sandbox")
    out["experiments"]["sandbox"] = sandbox.experiment_id

    # Registry: versions from the baseline's and the wide run's model (the run-artifact copy, runs:/ URIs).
    name = "vision-classifier"
    client.create_registered_model(name, description="Classifies **CIFAR-mini** images.", tags={"task": "vision"})
    v1 = mlflow.register_model(f"runs:/{out['runs']['resnet-baseline']}/model", name)
    v2 = mlflow.register_model(f"runs:/{out['runs']['resnet-wide']}/model", name)
    client.set_registered_model_alias(name, "champion", v2.version)
    client.transition_model_version_stage(name, v1.version, "Production")
    client.set_model_version_tag(name, v1.version, "validated", "true")
    client.update_model_version(name, v2.version, description="Wider network, sgd.")
    out["models"][name] = {"versions": [v1.version, v2.version], "alias": "champion", "production": v1.version}

    m = mlflow.register_model(f"models:/{out['logged_models']['bert-small']}", "nlp-sentiment")
    out["models"]["nlp-sentiment"] = {"versions": [m.version]}

    prompt = mlflow.genai.register_prompt(name="summarize-prompt", template="Summarize in one line: {{text}}")
    out["prompt"] = {"name": prompt.name, "version": prompt.version}

    out["genai"] = seed_genai()  # genai-ui (issue 15)
    seed_prompts(out)  # prompts-ui (issue 15)
    seed_models_ui(out)  # models-ui (issue 15)
    seed_image_grid(out)  # image-grid (issue 15)
    seed_scale(out)  # chart-scale (issue 15)
    seed_chart_builder(out)  # chart-builder (issue 15)
    seed_links(out)  # links (issue 15)
    print(json.dumps(out))


# chart-builder (issue 15): a small sweep for the chart builder's e2e test — params that vary (lr, depth), metrics
# logged once per run (accuracy, f1: drawn as bars), a loss over steps (a line), and images over steps for two runs.
def seed_chart_builder(out):
    exp = mlflow.set_experiment("charts/builder")
    ids = {}
    trials = (("cb-alpha", 0.001, 2, 0.81, 0.78), ("cb-beta", 0.01, 4, 0.86, 0.84), ("cb-gamma", 0.03, 6, 0.91, 0.9),
              ("cb-delta", 0.1, 8, 0.88, 0.85))
    now = int(time.time() * 1000)
    for name, lr, depth, acc, f1 in trials:
        with mlflow.start_run(run_name=name) as run:
            ids[name] = run.info.run_id
            mlflow.log_params({"lr": lr, "depth": depth, "optimizer": "adam"})
            mlflow.log_metrics({"accuracy": acc, "f1": f1})
            loss = [Metric("loss", 1.0 / (1 + s * lr * 10) + (1 - acc), now + s * 1000, s) for s in range(20)]
            client.log_batch(run.info.run_id, metrics=loss)
            if name in ("cb-alpha", "cb-beta"):
                from PIL import Image

                for step in (0, 5):
                    mlflow.log_image(Image.new("RGB", (32, 24), (60 * step, 120, 200)), key="samples", step=step)
    out["chart_builder"] = {"experiment": exp.experiment_id, "runs": ids}


# prompts-ui (issue 15): prompts with several versions (text and chat), aliases, tags, commit messages and a model
# config, linked to an experiment of their own (the client tags a prompt with the active experiment's id).
PROMPTS_UI_QA_V1 = "Answer the question below.\nQuestion: {{question}}\nBe brief and polite."
PROMPTS_UI_QA_V2 = (
    "You are a careful assistant.\n"
    "Answer the question below using only the context.\n"
    "Context: {{ context }}\n"
    "Question: {{question}}\n"
    "Be brief and cite the context."
)
PROMPTS_UI_QA_V3 = PROMPTS_UI_QA_V2.replace("a careful assistant", "a careful, friendly assistant")


def seed_prompts(out):
    exp = mlflow.set_experiment("prompts-ui")
    qa = "qa-answer"
    v1 = mlflow.genai.register_prompt(name=qa, template=PROMPTS_UI_QA_V1, commit_message="First draft", tags={"team": "search"})
    v2 = mlflow.genai.register_prompt(
        name=qa, template=PROMPTS_UI_QA_V2, commit_message="Ground answers in the context", tags={"author": "ana"}
    )
    v3 = mlflow.genai.register_prompt(name=qa, template=PROMPTS_UI_QA_V3, commit_message="Friendlier")
    mlflow.genai.set_prompt_alias(qa, "production", v2.version)
    mlflow.genai.set_prompt_alias(qa, "staging", v1.version)
    mlflow.genai.set_prompt_tag(qa, "task", "qa")

    chat = "support-chat"
    c1 = mlflow.genai.register_prompt(
        name=chat,
        template=[
            {"role": "system", "content": "You help customers of {{ product }}."},
            {"role": "user", "content": "{{ question }}"},
        ],
        commit_message="Chat version",
    )
    c2 = mlflow.genai.register_prompt(
        name=chat,
        template=[
            {"role": "system", "content": "You help customers of {{ product }}. Reply in {{ language }}."},
            {"role": "user", "content": "{{ question }}"},
        ],
        commit_message="Reply in the customer's language",
        model_config={"model_name": "gpt-4o-mini", "temperature": 0.2},
    )
    mlflow.genai.set_prompt_alias(chat, "champion", c2.version)

    out["prompts_ui"] = {
        "experiment": exp.experiment_id,
        "qa": {
            "name": qa,
            "versions": [v1.version, v2.version, v3.version],
            "v1": PROMPTS_UI_QA_V1,
            "v2": PROMPTS_UI_QA_V2,
            "v3": PROMPTS_UI_QA_V3,
        },
        "chat": {"name": chat, "versions": [c1.version, c2.version]},
    }


# models-ui (issue 15): registered names and versions in the runs table, aliases, the logged model page, version
# tags and "compare versions". Its own experiment, so the other tests' counts do not change.
def seed_models_ui(out):
    """Experiment `models-ui/wine`: two runs, each logging a model registered as `wine-classifier` (v1, v2) with model
    params and metrics, aliases @champion (v2) and @challenger (v1), version tags; and a run whose model is logged but
    not registered (`unregistered-model`)."""
    exp = mlflow.set_experiment("models-ui/wine")
    ids = {"experiment": exp.experiment_id, "runs": {}, "logged_models": {}, "versions": {}}
    x = pd.DataFrame({"alcohol": [13.2, 12.1], "acidity": [2.1, 3.4]})
    signature = infer_signature(x, ConstantModel().predict(None, x))
    for name, depth, acc in (("wine-rf-shallow", 4, 0.912), ("wine-rf-deep", 12, 0.947)):
        with mlflow.start_run(run_name=name) as run:
            ids["runs"][name] = run.info.run_id
            mlflow.log_params({"max_depth": depth, "n_estimators": 100})
            info = mlflow.pyfunc.log_model(
                name="wine-model",
                python_model=ConstantModel(),
                signature=signature,
                params={"max_depth": depth, "criterion": "gini"},
                tags={"framework": "sklearn"},
                model_type="classifier",
                registered_model_name="wine-classifier",
            )
            ids["logged_models"][name] = info.model_id
            ids["versions"][name] = str(info.registered_model_version)
            mlflow.log_metric("accuracy", acc, model_id=info.model_id)
            mlflow.log_metric("f1", acc - 0.02, model_id=info.model_id)
    with mlflow.start_run(run_name="wine-unregistered") as run:
        ids["runs"]["wine-unregistered"] = run.info.run_id
        info = mlflow.pyfunc.log_model(name="unregistered-model", python_model=ConstantModel())
        ids["logged_models"]["wine-unregistered"] = info.model_id
    v_shallow, v_deep = ids["versions"]["wine-rf-shallow"], ids["versions"]["wine-rf-deep"]
    client.set_registered_model_alias("wine-classifier", "champion", v_deep)
    client.set_registered_model_alias("wine-classifier", "challenger", v_shallow)
    client.set_model_version_tag("wine-classifier", v_deep, "validation", "passed")
    client.set_model_version_tag("wine-classifier", v_shallow, "validation", "pending")
    out["models_ui"] = ids


# image-grid (issue 15): runs of their own experiment with images logged over steps and image artifacts.
IMAGE_GRID_STEPS = {"img-alpha": (0, 5, 10), "img-beta": (0, 10), "img-gamma": (0, 5, 10)}


def image_grid_color(run_index, step):
    """The solid colour of a run's `samples` image at a step, so the e2e test can tell every image apart."""
    return (40 + 80 * run_index, 20 * step, 200 - 60 * run_index)


def seed_image_grid(out):
    """`log_image(key=…, step=…)` for three runs (img-beta skips step 5), a second key, and a PNG artifact each."""
    from PIL import Image, ImageDraw

    exp = mlflow.set_experiment("image-grid")
    runs = {}
    for i, (name, steps) in enumerate(IMAGE_GRID_STEPS.items()):
        with mlflow.start_run(run_name=name) as run:
            runs[name] = run.info.run_id
            mlflow.log_param("index", i)
            for step in steps:
                image = Image.new("RGB", (64, 48), image_grid_color(i, step))
                # A caption in the top-left corner (the test reads the colour at the centre).
                ImageDraw.Draw(image).text((3, 2), f"{name[4:]} {step}", fill=(255, 255, 255))
                mlflow.log_image(image, key="samples", step=step)
            mlflow.log_image(Image.new("RGB", (32, 32), (0, 150, 60 * i)), key="val/masks", step=0)
            mlflow.log_image(Image.new("RGB", (40, 30), (250, 220, 50 * i)), artifact_file="plots/confusion.png")
    out["image_grid"] = {
        "experiment": exp.experiment_id,
        "runs": runs,
        "steps": {k: list(v) for k, v in IMAGE_GRID_STEPS.items()},
        "colors": {
            name: {str(s): list(image_grid_color(i, s)) for s in steps}
            for i, (name, steps) in enumerate(IMAGE_GRID_STEPS.items())
        },
    }
# GenAI views (issue 15, genai-ui): evaluation datasets, judges, a labeling session over traces, label schemas, issues.
def seed_genai():
    """Seeds experiment `genai/eval` with the real client's GenAI APIs; returns the ids the genai e2e tests open.

    - datasets `qa-golden` (30 records: `What is n + n?` → `answer` 2n, tag `split` train/test; tags team, stage),
      `smoke` (2 records, one with outputs) and `to-delete` (empty);
    - judges `safety` (built-in Safety, v1) and `politeness` (make_judge, v1 and v2 with other instructions);
    - label schemas `Correct?` (pass/fail Yes/No) and `Tone` (categorical calm/rude);
    - review queue `Week 1 review` (users alice, bob) over three traces: completed by alice, declined by bob, pending;
      `Week 2 review` (carol), empty;
    - issues `Wrong sums` (high, resolved) and `Slow answers` (pending).
    """
    from mlflow.entities.issue import IssueSeverity, IssueStatus
    from mlflow.genai import datasets as gd
    from mlflow.genai import label_schemas, review_queues
    from mlflow.genai.judges import make_judge
    from mlflow.genai.label_schemas import InputCategorical, InputPassFail
    from mlflow.genai.scorers import Safety
    from mlflow.tracking._tracking_service.utils import _get_store

    exp = mlflow.set_experiment("genai/eval")
    eid = exp.experiment_id
    out = {"experiment_id": eid}

    golden = gd.create_dataset(name="qa-golden", experiment_id=eid, tags={"team": "genai", "stage": "dev"})
    golden.merge_records([
        {"inputs": {"question": f"What is {n} + {n}?"}, "expectations": {"answer": str(2 * n)},
         "tags": {"split": "train" if n % 2 else "test"}}
        for n in range(30)
    ])
    smoke = gd.create_dataset(name="smoke", experiment_id=eid)
    smoke.merge_records([
        {"inputs": {"question": "What is MLflow?"}, "expectations": {"expected_facts": ["open source", "ML lifecycle"]}},
        {"inputs": {"question": "Who makes tracklite?"}, "outputs": {"answer": "Us."}, "expectations": {"answer": "Us"}},
    ])
    doomed = gd.create_dataset(name="to-delete", experiment_id=eid)
    out["datasets"] = {"qa-golden": golden.dataset_id, "smoke": smoke.dataset_id, "to-delete": doomed.dataset_id}

    Safety().register(name="safety", experiment_id=eid)
    for text in ("Is {{ outputs }} polite? Answer yes or no.", "Is {{ outputs }} polite and concise? Answer yes or no."):
        judge = make_judge(name="politeness", instructions=text, model="openai:/gpt-4o-mini", feedback_value_type=str)
        judge.register(experiment_id=eid)

    correct = label_schemas.create_label_schema(
        "Correct?", type="feedback", input=InputPassFail(positive_label="Yes", negative_label="No"),
        instruction="Is the answer right?", enable_comment=True)
    tone = label_schemas.create_label_schema("Tone", type="expectation", input=InputCategorical(options=["calm", "rude"]))

    traces = []
    for q in ("What is 1 + 1?", "What is 2 + 2?", "What is 3 + 3?"):
        with mlflow.start_span(name="answer") as span:
            span.set_inputs({"question": q})
            span.set_outputs({"answer": "42"})
            traces.append(span.trace_id)
    mlflow.flush_trace_async_logging()
    queue = review_queues.create_review_queue("Week 1 review", queue_type="custom", users=["alice", "bob"],
                                              schema_ids=[correct.schema_id, tone.schema_id])
    review_queues.add_items_to_review_queue(queue.queue_id, item_ids=traces)
    review_queues.set_review_queue_item_status(queue.queue_id, item_id=traces[0], status="complete",
                                               completed_by="alice")
    review_queues.set_review_queue_item_status(queue.queue_id, item_id=traces[1], status="declined",
                                               completed_by="bob")
    empty = review_queues.create_review_queue("Week 2 review", queue_type="custom", users=["carol"])
    out["review"] = {"queue_id": queue.queue_id, "empty_queue_id": empty.queue_id, "traces": traces}

    store = _get_store()
    issue = store.create_issue(experiment_id=eid, name="Wrong sums", description="Adds numbers wrongly",
                               severity=IssueSeverity.HIGH, categories=["quality"])
    store.create_issue(experiment_id=eid, name="Slow answers", description="Over 5 s")
    store.update_issue(issue.issue_id, status=IssueStatus.RESOLVED)
    return out


# --- chart-scale: runs at the scale where MLflow's UI breaks (own experiment, so other tests' counts stay) ---
SCALE_METRICS = 3000
SCALE_PARAMS_PER_RUN = 4500
SCALE_STEPS = 4


def seed_scale(out):
    """Experiment `scale/wide`: two runs sharing 3,000 metric keys (4 steps each) with 4,500 params of their own
    each, so the runs table has 12,000 param/metric columns; long names that share a prefix (the name column)."""
    from mlflow.entities import Param
    exp = mlflow.set_experiment("scale/wide")
    names = ["scale-sweep-random-forest-n_estimators-200-max_depth-12-alpha",
             "scale-sweep-random-forest-n_estimators-200-max_depth-12-beta"]
    ids = []
    now = int(time.time() * 1000) - 60_000
    for r, name in enumerate(names):
        run = client.create_run(exp.experiment_id, run_name=name)
        rid = run.info.run_id
        ids.append(rid)
        metrics = [
            Metric(f"loss_{k:04d}", 1.0 / (k + 1) + 0.1 * r + 0.01 * s, now + s * 1000, s)
            for k in range(SCALE_METRICS)
            for s in range(SCALE_STEPS)
        ]
        for i in range(0, len(metrics), 1000):
            client.log_batch(rid, metrics=metrics[i : i + 1000])
        params = [Param(f"p{r}_{k:04d}", str(k)) for k in range(SCALE_PARAMS_PER_RUN)]
        for i in range(0, len(params), 100):
            client.log_batch(rid, params=params[i : i + 100])
        client.set_terminated(rid)
    out["scale"] = {
        "experiment": exp.experiment_id,
        "runs": ids,
        "names": names,
        "metric_keys": SCALE_METRICS,
        "params_per_run": SCALE_PARAMS_PER_RUN,
        "last_metric": f"loss_{SCALE_METRICS - 1:04d}",
        "last_param": f"p{len(names) - 1}_{SCALE_PARAMS_PER_RUN - 1:04d}",
    }


# links (issue 15): MLflow's own UI URLs opened in tracklite. Its own experiment, so the other tests' counts do not
# change.
def seed_links(out):
    """Experiment `links/mlflow-urls`: runs `links-alpha` and `links-beta` on git branch `feature/mlflow-links`, each with
    a 10-step `loss`, system metrics and `reports/summary.txt`; alpha's model registered as `links-model` (v1, alias
    @prod); a trace `links-answer` in the experiment."""
    exp = mlflow.set_experiment("links/mlflow-urls")
    ids = {"experiment": exp.experiment_id, "runs": {}}
    now = int(time.time() * 1000)
    for name, lr in (("links-alpha", 0.1), ("links-beta", 0.3)):
        with mlflow.start_run(run_name=name) as run:
            rid = run.info.run_id
            ids["runs"][name] = rid
            mlflow.set_tags({"mlflow.source.git.branch": "feature/mlflow-links", "mlflow.source.git.commit": GIT_COMMIT})
            mlflow.log_param("lr", lr)
            client.log_batch(rid, metrics=[Metric("loss", round(1.0 / (s + 1) + lr, 4), now + s, s) for s in range(10)])
            log_system_metrics(rid)
            with tempfile.TemporaryDirectory() as tmp:
                write(tmp, "reports/summary.txt", f"{name} summary: lr {lr}\n")
                mlflow.log_artifacts(tmp)
    with mlflow.start_run(run_id=ids["runs"]["links-alpha"]):
        info = mlflow.pyfunc.log_model(
            name="links-model", python_model=ConstantModel(), registered_model_name="links-model"
        )
    ids["logged_model"] = info.model_id
    ids["version"] = str(info.registered_model_version)
    client.set_registered_model_alias("links-model", "prod", ids["version"])

    @mlflow.trace(name="links-answer")
    def links_answer(question):
        return f"answer to {question}"

    links_answer("where do MLflow links go?")
    ids["trace"] = mlflow.get_last_active_trace_id()
    out["links"] = ids


if __name__ == "__main__":
    if not os.environ.get("MLFLOW_TRACKING_URI"):
        sys.exit("set MLFLOW_TRACKING_URI to the tracklite server")
    main()
