"""The fuzz step of `npm test`: schemathesis against a real tracklite process, from its own OpenAPI document.

Starts the built CLI on 127.0.0.1 (a free port, a temporary folder), seeds an experiment, a run with metrics, a
logged model and a registered model with a version (twice for the fuzzer to aim at, see hooks.py, and once as a
witness it is never told about), runs schemathesis on `/api/openapi.json` with a bounded number of examples per
operation and a fixed seed, then checks that `/health` still answers OK and that the witness data are intact. Writes a
JSON summary (`passed`/`failed`: one per operation, one for the post-run checks; what failed) for scripts/test-all.mjs.

Run it with the fuzz venv's Python: `.venvs/fuzz/bin/python compat-tests/fuzz/run_fuzz.py --summary out.json`
(`npm run test:fuzz` does, after a build). With TRACKLITE_FUZZ_KEEP=1 the temporary folder stays: the database, the
server's logs and `requests.har`, every request sent and its answer.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import requests

FUZZ_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(FUZZ_DIR.parent))

from support.servers import TRACKLITE_READY_TIMEOUT, ServerProcess, free_port, tracklite_command  # noqa: E402

# Operations left out of the run, with the reason. Empty: every operation is fuzzed (the 500s another branch fixes are
# only not counted, see hooks.py).
EXCLUDED_OPERATIONS: dict[str, str] = {}

# Webhooks may only point at a scheme nothing speaks, so that no generated URL is ever resolved or called: the fuzz
# run makes no traffic beyond loopback. Webhook requests are still fuzzed up to URL validation.
SERVER_ENV = {"MLFLOW_WEBHOOK_ALLOWED_SCHEMES": "x-tracklite-fuzz-never"}

# Stateful testing is left out: it follows ids found in answers (search results), so it would also delete the witness
# data whose survival the step checks, and its scenarios vary with timing.
PHASES = "examples,coverage,fuzzing"

# A bound on the whole schemathesis run (it takes 1-2 min on 2 cores), so that a hung server cannot hang `npm test`.
RUN_TIMEOUT = 600


def call(base: str, method: str, path: str, body: dict | None = None) -> dict:
    url = f"{base}/api/2.0/mlflow{path}"
    r = requests.get(url, params=body, timeout=10) if method == "GET" else requests.request(method, url, json=body, timeout=10)
    if r.status_code != 200:
        raise RuntimeError(f"{method} {path}: {r.status_code} {r.text[:300]}")
    return r.json()


def seed(base: str, tag: str) -> dict:
    """One experiment, one run with metrics and a param, a logged model, a registered model with a version."""
    experiment_id = call(base, "POST", "/experiments/create", {"name": f"fuzz-{tag}"})["experiment_id"]
    run = call(base, "POST", "/runs/create", {"experiment_id": experiment_id, "start_time": 1})["run"]["info"]
    run_id = run["run_id"]
    metrics = [{"key": "loss", "value": 1.0 / (s + 1), "timestamp": 1000 + s, "step": s} for s in range(5)]
    call(base, "POST", "/runs/log-batch", {"run_id": run_id, "metrics": metrics, "params": [{"key": "lr", "value": "0.1"}]})
    model_id = call(base, "POST", "/logged-models", {"experiment_id": experiment_id, "name": f"lm-{tag}"})["model"]["info"]["model_id"]
    name = f"fuzz-model-{tag}"
    call(base, "POST", "/registered-models/create", {"name": name})
    version = call(base, "POST", "/model-versions/create", {"name": name, "source": f"runs:/{run_id}/model", "run_id": run_id})
    return {
        "experiment_id": experiment_id,
        "experiment_ids": [experiment_id],
        "run_id": run_id,
        "run_uuid": run_id,
        "run_ids": [run_id],
        "model_id": model_id,
        "name": name,
        "version": version["model_version"]["version"],
        "metric_key": "loss",
        "key": "loss",
    }


def intact(base: str, ids: dict) -> list[str]:
    """What is wrong with the witness data (none of whose ids the fuzzer knew); empty when all is well."""
    problems = []
    try:
        health = requests.get(f"{base}/health", timeout=10)
        if health.status_code != 200 or health.text != "OK":
            problems.append(f"/health answered {health.status_code} {health.text[:100]!r}")
        run = call(base, "GET", "/runs/get", {"run_id": ids["run_id"]})["run"]
        if run["data"].get("params") != [{"key": "lr", "value": "0.1"}]:
            problems.append(f"witness run params changed: {run['data'].get('params')}")
        history = call(base, "GET", "/metrics/get-history", {"run_id": ids["run_id"], "metric_key": "loss"})["metrics"]
        if sorted((m["step"], m["value"]) for m in history) != [(s, 1.0 / (s + 1)) for s in range(5)]:
            problems.append(f"witness metric history changed: {history}")
        call(base, "GET", "/experiments/get", {"experiment_id": ids["experiment_id"]})
        call(base, "GET", f"/logged-models/{ids['model_id']}")
        mv = call(base, "GET", "/model-versions/get", {"name": ids["name"], "version": ids["version"]})["model_version"]
        if mv["run_id"] != ids["run_id"]:
            problems.append(f"witness model version changed: {mv}")
    except (RuntimeError, requests.RequestException, KeyError) as e:
        problems.append(str(e))
    return problems


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--summary", type=Path, required=True, help="where to write the JSON summary")
    parser.add_argument("--junit", type=Path, help="where to keep schemathesis' JUnit report")
    parser.add_argument("--max-examples", type=int, default=int(os.environ.get("TRACKLITE_FUZZ_EXAMPLES", "40")))
    parser.add_argument("--seed", type=int, default=20261206)
    # One worker: with two, the order in which requests change the database varies from run to run.
    parser.add_argument("--workers", default="1")
    parser.add_argument("--checks", default="not_a_server_error,status_code_conformance,response_schema_conformance")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="tracklite-fuzz-"))
    port = free_port()
    server = ServerProcess(
        "tracklite",
        # With workspaces on, so that the workspace calls (3.0 only) are served and fuzzed, not answered 503.
        [*tracklite_command(port, tmp), "--enable-workspaces"],
        port,
        tmp,
        TRACKLITE_READY_TIMEOUT,
        env={**os.environ, **SERVER_ENV},
    )
    junit = tmp / "schemathesis.xml"
    failures: list[str] = []
    passed = 0
    started = time.monotonic()
    try:
        server.spawn()
        server.wait_ready()
        base = server.url
        targets = {"target": seed(base, "target"), "doomed": seed(base, "doomed")}
        witness = seed(base, "witness")
        cmd = [
            str(Path(sys.executable).parent / "schemathesis"),
            "--config-file", str(FUZZ_DIR / "schemathesis.toml"),
            "run", f"{base}/api/openapi.json",
            "--checks", args.checks,
            "--phases", PHASES,
            "--max-examples", str(args.max_examples),
            "--seed", str(args.seed),
            "--workers", args.workers,
            "--generation-database", "none",
            # Path parameters must be non-empty and slash-free, so many generated ones are dropped; that is expected.
            "--suppress-health-check", "filter_too_much",
            "--report", "junit,har", "--report-junit-path", str(junit), "--report-har-path", str(tmp / "requests.har"),
            "--request-timeout", "10",
            "--no-color",
        ]
        for op in EXCLUDED_OPERATIONS:
            cmd += ["--exclude-operation-id", op]
        env = {
            **os.environ,
            "SCHEMATHESIS_HOOKS": "hooks",
            "PYTHONPATH": os.pathsep.join([str(FUZZ_DIR), os.environ.get("PYTHONPATH", "")]),
            "TRACKLITE_FUZZ_IDS": json.dumps(targets),
        }
        print("$", " ".join(cmd), flush=True)
        try:
            subprocess.run(cmd, env=env, cwd=tmp, check=False, timeout=RUN_TIMEOUT)
        except subprocess.TimeoutExpired:
            failures.append(f"schemathesis did not finish in {RUN_TIMEOUT} s")
        if junit.exists():
            if args.junit:
                shutil.copyfile(junit, args.junit)
            for case in ET.parse(junit).getroot().iter("testcase"):
                bad = case.find("failure") if case.find("failure") is not None else case.find("error")
                if bad is None:
                    passed += 1
                else:
                    failures.append(f"{case.get('name')}: {(bad.text or bad.get('message') or '')[:2000]}")
        else:
            failures.append("schemathesis wrote no JUnit report")
        problems = intact(base, witness)
        if problems:
            failures.append("after fuzzing: " + "; ".join(problems))
        else:
            passed += 1
        stderr = server.stderr_text()
        if server.proc is not None and server.proc.poll() is not None:
            failures.append(f"tracklite exited with {server.proc.returncode}: {stderr[-2000:]}")
    finally:
        server.stop()
        if not os.environ.get("TRACKLITE_FUZZ_KEEP"):
            shutil.rmtree(tmp, ignore_errors=True)
    summary = {"passed": passed, "failed": len(failures), "failures": failures, "seconds": round(time.monotonic() - started, 1)}
    args.summary.write_text(json.dumps(summary, indent=2))
    print(f"\nfuzz: {passed} passed, {len(failures)} failed in {summary['seconds']} s")
    for f in failures:
        print(" -", f[:500])
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
