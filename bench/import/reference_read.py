"""The reference's own way to read a history out, for bench/import.mjs to set beside `tracklite import`.

`store PATH [MAX_RUNS]`: MLflow's SqlAlchemyStore on the database file (what an export script built on mlflow's
Python API does): the runs of every experiment (the first MAX_RUNS), their params and tags, every point of every
metric (get_metric_history per key).
`rest URL EXPERIMENT`: the same for one experiment through a live server's REST API (MlflowClient).
Prints one JSON line: {"runs": N, "points": N, "seconds": S}.
"""

from __future__ import annotations

import json
import sys
import time

from mlflow.entities import ViewType


def read_all(client, experiment_ids: list[str], max_runs: int | None = None) -> tuple[int, int]:
    runs = points = 0
    for eid in experiment_ids:
        if max_runs is not None and runs >= max_runs:
            break
        token = None
        while True:
            page = client.search_runs([eid], filter_string="", run_view_type=ViewType.ALL, max_results=1000, page_token=token)
            for run in page:
                if max_runs is not None and runs >= max_runs:
                    break
                runs += 1
                for key in run.data.metrics:
                    points += len(client.get_metric_history(run.info.run_id, key))
            token = page.token
            if not token or (max_runs is not None and runs >= max_runs):
                break
    return runs, points


def main() -> None:
    mode = sys.argv[1]
    started = time.time()
    if mode == "store":
        from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

        store = SqlAlchemyStore(f"sqlite:///{sys.argv[2]}", "/tmp/unused-artifacts")
        ids = [e.experiment_id for e in store.search_experiments(view_type=ViewType.ALL, max_results=50000)]
        runs, points = read_all(store, ids, int(sys.argv[3]) if len(sys.argv) > 3 else None)
    else:
        from mlflow import MlflowClient

        client = MlflowClient(tracking_uri=sys.argv[2])
        exp = client.get_experiment_by_name(sys.argv[3])
        runs, points = read_all(client, [exp.experiment_id])
    print(json.dumps({"runs": runs, "points": points, "seconds": time.time() - started}))


if __name__ == "__main__":
    main()
