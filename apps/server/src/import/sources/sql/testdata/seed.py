"""Seeds an MLflow server (MLFLOW_TRACKING_URI) through the real client, for the SQL source's tests.

Runs under the 2.x and the 3.x client: what only 3.x has (logged models, aliases on 2.x too) is guarded.
"""
import math
import sys

import mlflow
from mlflow import MlflowClient
from mlflow.entities import Dataset, DatasetInput, InputTag, Metric, Param, RunTag

client = MlflowClient()
MAJOR = int(mlflow.__version__.split(".")[0])
HISTORY = int(sys.argv[1]) if len(sys.argv) > 1 else 12000

exp = client.create_experiment("sql-source", tags={"team": "vision", "empty": ""})
gone = client.create_experiment("deleted-exp")
client.create_run(gone, run_name="in-deleted-exp")
client.delete_experiment(gone)

# a run with params, tags, a long history (> one batch), NaN and ±Infinity, a dataset input
run = client.create_run(exp, run_name="long", tags={"phase": "train"})
rid = run.info.run_id
client.log_batch(rid, params=[Param("lr", "0.01"), Param("layers", "4")], tags=[RunTag("note", "x" * 300)])
for start in range(0, HISTORY, 1000):
    client.log_batch(
        rid,
        metrics=[Metric("loss", 1.0 / (s + 1), 1_700_000_000_000 + s, s) for s in range(start, min(HISTORY, start + 1000))],
    )
client.log_batch(
    rid,
    metrics=[
        Metric("odd", math.nan, 1_700_000_000_000, 0),
        Metric("odd", math.inf, 1_700_000_000_001, 1),
        Metric("odd", -math.inf, 1_700_000_000_002, 2),
        Metric("odd", 0.0, 1_700_000_000_003, 3),
    ],
)
dataset = Dataset("iris", "abc123", "local", '{"uri": "/data/iris.csv"}', '{"mlflow_colspec": []}', '{"num_rows": 3}')
client.log_inputs(rid, [DatasetInput(dataset, [InputTag("mlflow.data.context", "training")])])
client.set_terminated(rid, "FINISHED")

# a failed run, a deleted run, a run with no params
failed = client.create_run(exp, run_name="failed")
client.log_param(failed.info.run_id, "p", "1")
client.set_terminated(failed.info.run_id, "FAILED")
deleted = client.create_run(exp, run_name="deleted")
client.log_metric(deleted.info.run_id, "m", 3.5, step=7)
client.delete_run(deleted.info.run_id)
client.create_run("0", run_name="default-exp-run")

# registry: a model with versions, tags, an alias, a stage, a deleted version
client.create_registered_model("reg-model", tags={"owner": "ml"}, description="the model")
v1 = client.create_model_version("reg-model", f"runs:/{rid}/model", run_id=rid, tags={"v": "1"}, description="first")
client.create_model_version("reg-model", f"runs:/{rid}/model", run_id=rid)
v3 = client.create_model_version("reg-model", f"runs:/{rid}/model", run_id=rid)
client.delete_model_version("reg-model", v3.version)
client.set_registered_model_alias("reg-model", "champion", v1.version)
client.transition_model_version_stage("reg-model", v1.version, "Production")

if MAJOR >= 3:
    model = client.create_logged_model(exp, name="lm", source_run_id=rid, tags={"t": "1"}, params={"a": "b"})
    client.log_outputs(rid, [mlflow.entities.LoggedModelOutput(model.model_id, 5)])
    client.log_metric(rid, "acc", 0.9, step=1, model_id=model.model_id)

print(exp)
