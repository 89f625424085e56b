"""Seeds a FileStore folder with the MLflow 2.x client (the legacy `mlruns/` layout), for the import tests.

Usage: python seed_v2.py /path/to/mlruns [HISTORY [BULK_RUNS]]   (run with .venvs/mlflow-2's python)
Prints one JSON object (ids and counts) as the last line of stdout.

What MLflow 2's FileStore holds: experiments with tags (one deleted: it moves to `.trash`), runs with params, tags,
metric histories (one file per key), dataset inputs, BULK_RUNS runs of 3 x HISTORY points in `import/bulk`, a nested run, a FAILED run and a deleted run; the file registry
(`mlruns/models/`): a model with tags, description, two versions with tags, a stage and an alias.
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
folder = sys.argv[1]
HISTORY = int(sys.argv[2]) if len(sys.argv) > 2 else 300
BULK_RUNS = int(sys.argv[3]) if len(sys.argv) > 3 else 12
uri = f"file:{folder}"
mlflow.set_tracking_uri(uri)
mlflow.set_registry_uri(uri)
client = MlflowClient(tracking_uri=uri, registry_uri=uri)


def seed() -> dict:
    out: dict = {"experiments": {}, "runs": {}, "points": 0}
    alpha = client.create_experiment("import/alpha", tags={"team": "vision", "mlflow.note.content": "Alpha notes"})
    beta = client.create_experiment("import/beta", tags={"team": "nlp"})
    gone = client.create_experiment("import/gone")
    out["experiments"] = {"alpha": alpha, "beta": beta, "gone": gone}

    mlflow.set_experiment(experiment_id=alpha)
    base = int(time.time() * 1000) - HISTORY * 1000
    with mlflow.start_run(run_name="baseline") as run:
        rid = run.info.run_id
        out["runs"]["baseline"] = rid
        mlflow.log_params({"lr": 0.01, "optimizer": "adam", "layers": 4})
        mlflow.set_tags({"team": "vision"})
        metrics = []
        for s in range(HISTORY):
            metrics.append(Metric("train/loss", 2.0 * math.exp(-s / 50) + 0.05, base + s * 1000, s))
            metrics.append(Metric("val/accuracy", 0.95 - 0.6 * math.exp(-s / 80), base + s * 1000, s))
        for i in range(0, len(metrics), 1000):
            client.log_batch(rid, metrics=metrics[i : i + 1000])
        client.log_batch(rid, metrics=[Metric("spiky", float("nan"), base, 0), Metric("spiky", -3.25, base + 10, 1)])
        out["points"] += len(metrics) + 2
        ds = mlflow.data.from_numpy(np.arange(20, dtype=np.float64).reshape(5, 4), source="s3://bucket/mini",
                                    name="mini")
        mlflow.log_input(ds, context="training")
        with mlflow.start_run(run_name="child", nested=True) as child:
            out["runs"]["child"] = child.info.run_id
            client.log_batch(child.info.run_id, params=[Param("trial", "1")], tags=[RunTag("kind", "trial")],
                             metrics=[Metric("score", 0.5, base, 0), Metric("score", 0.75, base + 1000, 1)])
            out["points"] += 2

    failed_and_deleted_runs(client, alpha, base, out)

    other = client.create_run(beta, run_name="bert", start_time=base)
    client.log_batch(other.info.run_id, params=[Param("lr", "3e-5")], metrics=[Metric("f1", 0.81, base, 0)])
    client.set_terminated(other.info.run_id, end_time=base + 1000)
    out["points"] += 1
    out["runs"]["bert"] = other.info.run_id

    bulk_runs(client, BULK_RUNS, HISTORY, base, out)
    run_in_deleted_experiment(client, gone, base, out)

    name = "import-model"
    client.create_registered_model(name, tags={"task": "vision"}, description="Imported model.")
    v1 = client.create_model_version(name, f"runs:/{rid}/model", run_id=rid, tags={"validated": "true"})
    v2 = client.create_model_version(name, f"runs:/{rid}/model", run_id=rid, description="Second version.")
    client.transition_model_version_stage(name, v1.version, "Production")
    client.set_registered_model_alias(name, "champion", v2.version)
    out["registered_model"] = {"name": name, "versions": [v1.version, v2.version]}
    return out


if __name__ == "__main__":
    print(json.dumps(seed()))
