"""The runs both import seeds write the same way (seed.py with MLflow 3, seed_v2.py with MLflow 2): a FAILED run and a
deleted one, the bulk experiment a test kills an import in, and a run inside an experiment that is then deleted.

Plain client calls that exist in both client versions; each function adds what it made to `out` (ids, point count).
"""

from __future__ import annotations

from mlflow.entities import Metric


def failed_and_deleted_runs(client, experiment_id: str, base: int, out: dict) -> None:
    failed = client.create_run(experiment_id, run_name="diverged", start_time=base)
    client.log_metric(failed.info.run_id, "train/loss", 1e6, timestamp=base, step=0)
    out["points"] += 1
    client.set_terminated(failed.info.run_id, status="FAILED", end_time=base + 2000)
    out["runs"]["diverged"] = failed.info.run_id

    deleted = client.create_run(experiment_id, run_name="deleted-run", start_time=base)
    client.log_param(deleted.info.run_id, "lr", "0.1")
    client.delete_run(deleted.info.run_id)
    out["runs"]["deleted"] = deleted.info.run_id


def bulk_runs(client, runs: int, history: int, base: int, out: dict) -> None:
    """`import/bulk`: many runs with long histories, so that an import takes long enough to be killed half-way."""
    bulk = client.create_experiment("import/bulk")
    out["experiments"]["bulk"] = bulk
    for r in range(runs):
        run_ = client.create_run(bulk, run_name=f"bulk-{r}", start_time=base + r)
        points = [Metric(f"m{k}", (s * 7 + k + r) % 101 / 10, base + s, s) for k in range(3) for s in range(history)]
        for i in range(0, len(points), 1000):
            client.log_batch(run_.info.run_id, metrics=points[i : i + 1000])
        client.set_terminated(run_.info.run_id, end_time=base + history)
        out["points"] += len(points)
        out["runs"][f"bulk-{r}"] = run_.info.run_id


def run_in_deleted_experiment(client, experiment_id: str, base: int, out: dict) -> None:
    """A finished run in `experiment_id`, which is then deleted (its runs stay, as MLflow keeps them)."""
    in_gone = client.create_run(experiment_id, run_name="in-deleted-experiment", start_time=base)
    client.log_param(in_gone.info.run_id, "k", "v")
    client.set_terminated(in_gone.info.run_id, end_time=base + 1000)
    out["runs"]["in_gone"] = in_gone.info.run_id
    client.delete_experiment(experiment_id)
