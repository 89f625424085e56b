"""Write an MLflow SQLite database of a given size, fast, for bench/import.mjs.

The schema is the reference's own: SqlAlchemyStore creates and migrates the file to the installed mlflow's head, then
rows go in with sqlite3's executemany (the same columns the reference's log_batch fills). One experiment per
1,000 runs; each run gets 5 params, 3 tags, `keys` metrics with `steps` points each and their latest values.

    python seed_mlflow_db.py PATH --runs 10000 --keys 10 --steps 100
"""

from __future__ import annotations

import argparse
import math
import os
import sqlite3
import sys
import time
import uuid


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("path")
    ap.add_argument("--runs", type=int, default=10_000)
    ap.add_argument("--keys", type=int, default=10)
    ap.add_argument("--steps", type=int, default=100)
    args = ap.parse_args()
    if os.path.exists(args.path):
        os.remove(args.path)

    from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

    artifacts = os.path.join(os.path.dirname(os.path.abspath(args.path)), "artifacts")
    store = SqlAlchemyStore(f"sqlite:///{args.path}", artifacts)
    store.engine.dispose()

    db = sqlite3.connect(args.path)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    started = time.time()
    base = 1_700_000_000_000
    points = 0
    experiments: dict[int, int] = {}
    for i in range(args.runs):
        group = i // 1000
        if group not in experiments:
            cur = db.execute(
                "INSERT INTO experiments (name, artifact_location, lifecycle_stage, creation_time, last_update_time)"
                " VALUES (?, ?, 'active', ?, ?)",
                (f"bench-{group}", "", base, base),
            )
            eid = cur.lastrowid
            db.execute("UPDATE experiments SET artifact_location = ? WHERE experiment_id = ?", (f"{artifacts}/{eid}", eid))
            experiments[group] = eid
        eid = experiments[group]
        run_uuid = uuid.UUID(int=i + 1).hex
        start = base + i * 1000
        db.execute(
            "INSERT INTO runs (run_uuid, name, source_type, source_name, entry_point_name, user_id, status, start_time,"
            " end_time, source_version, lifecycle_stage, artifact_uri, experiment_id)"
            " VALUES (?, ?, 'LOCAL', '', '', 'bench', 'FINISHED', ?, ?, '', 'active', ?, ?)",
            (run_uuid, f"run-{i}", start, start + 60_000, f"{artifacts}/{eid}/{run_uuid}/artifacts", eid),
        )
        db.executemany(
            "INSERT INTO params (key, value, run_uuid) VALUES (?, ?, ?)",
            [(f"p{k}", str((i * 7 + k) % 13), run_uuid) for k in range(5)],
        )
        db.executemany(
            "INSERT INTO tags (key, value, run_uuid) VALUES (?, ?, ?)",
            [("mlflow.runName", f"run-{i}", run_uuid), ("mlflow.user", "bench", run_uuid), ("team", "a", run_uuid)],
        )
        rows = []
        latest = []
        for k in range(args.keys):
            key = f"metric_{k}"
            for s in range(args.steps):
                rows.append((key, math.sin(i + k + s / 10.0), start + s, run_uuid, s, 0))
            latest.append(rows[-1])
        db.executemany(
            "INSERT INTO metrics (key, value, timestamp, run_uuid, step, is_nan) VALUES (?, ?, ?, ?, ?, ?)", rows
        )
        db.executemany(
            "INSERT INTO latest_metrics (key, value, timestamp, run_uuid, step, is_nan) VALUES (?, ?, ?, ?, ?, ?)",
            latest,
        )
        points += len(rows)
        if (i + 1) % 1000 == 0:
            db.commit()
            print(f"seed: {i + 1} runs, {points} points, {time.time() - started:.0f} s", file=sys.stderr, flush=True)
    db.commit()
    db.close()
    print(f"seed: {args.runs} runs, {points} points in {time.time() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
