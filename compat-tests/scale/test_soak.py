"""Replicas behind a real load balancer (issue 16): 3 tracklite processes on one sqld and one S3 bucket, started
together, behind HAProxy; a soak of TRACKLITE_SOAK_SECONDS (default 300) with 16 writers using the real MLflow
client (async `log_metric(..., synchronous=False)` and `log_batch`), readers (search, metric history, the UI's
`/ajax-api` calls and `/`) and a registry webhook, while one replica is SIGTERMed and another SIGKILLed and both are
restarted. Then every acknowledged value is read back, and the webhook receiver counts deliveries by delivery id.

Run: `.venvs/mlflow-3/bin/python -m pytest -q compat-tests/scale -m soak` (built CLI, sqld, haproxy needed).
The figures go to stdout and to test-results/soak.json (TRACKLITE_SOAK_SUMMARY overrides the path).
"""

from __future__ import annotations

import collections
import json
import os
import signal
import threading
import time
from pathlib import Path

import pytest
import requests
from requests.adapters import HTTPAdapter
from urllib3.util import Retry

from scale.cluster import CLI, Cluster
from support.servers import REPO_ROOT
from support.webhook_receiver import Receiver

SOAK_SECONDS = float(os.environ.get("TRACKLITE_SOAK_SECONDS", "300"))
WRITERS = 16
READERS = 4
BATCH_KEYS = 10
MODEL = "soak-model"

pytestmark = pytest.mark.soak


@pytest.fixture(scope="module")
def cluster():
    c = Cluster(replicas=3)
    try:
        yield c
    finally:
        c.stop()


def _journal_entries() -> int:
    built = CLI.parent / "drizzle" / "meta" / "_journal.json"
    source = REPO_ROOT / "packages" / "server" / "drizzle" / "meta" / "_journal.json"
    return len(json.loads((built if built.exists() else source).read_text())["entries"])


def test_replicas_started_together_migrate_once(cluster):
    hashes = [row[0] for row in cluster.sqld.query("SELECT hash FROM __drizzle_migrations")]
    assert len(hashes) == _journal_entries()
    assert len(set(hashes)) == len(hashes), "a migration was applied twice"
    # every replica came up (Cluster waited for each /health) and the lock was released
    assert cluster.sqld.query("SELECT holder FROM tracklite_migration_lock") == []


def _reader_session() -> requests.Session:
    """Plain HTTP for the UI's calls, retried as the MLflow client retries its own (mlflow/utils/request_utils.py:
    every method, connection errors and 429/5xx, with backoff)."""
    s = requests.Session()
    retry = Retry(total=7, connect=7, read=7, status=7, backoff_factor=0.5, allowed_methods=None,
                  status_forcelist=[429, 500, 502, 503, 504], raise_on_status=False)
    s.mount("http://", HTTPAdapter(max_retries=retry))
    return s


class Soak:
    """The shared tallies of one soak; every worker thread records into it."""

    def __init__(self, url: str, deadline: float) -> None:
        self.url = url
        self.deadline = deadline
        self.lock = threading.Lock()
        self.errors: list[str] = []
        # responses whose body was cut off when a replica was SIGKILLed while streaming it (see _is_cut)
        self.cut: list[str] = []
        self.reads = 0
        self.client_retries: collections.Counter[str] = collections.Counter()
        self.events: list[str] = []

    def error(self, where: str, e: BaseException | str) -> None:
        text = f"{time.strftime('%H:%M:%S')} {where}: {e!r}"[:500]
        with self.lock:
            (self.cut if _is_cut(e) else self.errors).append(text)

    def note(self, text: str) -> None:
        with self.lock:
            self.events.append(f"{time.strftime('%H:%M:%S')} {text}")


def _is_cut(e: BaseException | str) -> bool:
    """A response that began (status and headers sent) and then ended before its body did: what a client sees when the
    replica streaming it is SIGKILLed. No load balancer or client can retry it (the answer had started)."""
    return isinstance(e, requests.exceptions.ChunkedEncodingError) or any(
        s in repr(e) for s in ("Response ended prematurely", "IncompleteRead"))


def _writer(soak: Soak, run_id: str, expected: dict, ops: list) -> None:
    from mlflow import MlflowClient
    from mlflow.entities import Metric, Param

    client = MlflowClient(tracking_uri=soak.url)
    step = 0
    try:
        while time.monotonic() < soak.deadline:
            ts = int(time.time() * 1000)
            value = step * 0.5
            ops.append(client.log_metric(run_id, "async_loss", value, timestamp=ts, step=step, synchronous=False))
            expected.setdefault("async_loss", {})[step] = value
            metrics = [Metric(f"batch_{k}", step + k / 10, ts, step) for k in range(BATCH_KEYS)]
            params = [Param(f"p{step}", str(step))] if step % 25 == 0 else []
            client.log_batch(run_id, metrics=metrics, params=params, synchronous=True)
            for m in metrics:
                expected.setdefault(m.key, {})[step] = m.value
            for p in params:
                expected.setdefault("params", {})[p.key] = p.value
            step += 1
    except Exception as e:  # noqa: BLE001 (recorded and asserted)
        soak.error(f"writer {run_id}", e)


def _reader(soak: Soak, index: int, experiment_id: str, run_ids: list[str]) -> None:
    from mlflow import MlflowClient

    client = MlflowClient(tracking_uri=soak.url)
    http = _reader_session()
    ajax = f"{soak.url}/ajax-api/2.0/mlflow"
    i = index
    while time.monotonic() < soak.deadline:
        run_id = run_ids[i % len(run_ids)]
        kind = i % 6
        i += 1
        try:
            if kind == 0:
                client.search_runs([experiment_id], max_results=50, order_by=["attributes.start_time DESC"])
            elif kind == 1:
                client.get_metric_history(run_id, "async_loss")
            else:
                if kind == 2:
                    r = http.post(f"{ajax}/runs/search", json={"experiment_ids": [experiment_id], "max_results": 100})
                elif kind == 3:
                    r = http.get(f"{ajax}/metrics/get-history-bulk-interval",
                                 params={"run_ids": run_ids[:5], "metric_key": "batch_0", "max_results": 320})
                elif kind == 4:
                    r = http.get(f"{ajax}/experiments/get", params={"experiment_id": experiment_id})
                else:
                    r = http.get(f"{soak.url}/")
                history = getattr(getattr(r.raw, "retries", None), "history", ()) or ()
                with soak.lock:
                    for h in history:
                        soak.client_retries[str(h.status or h.error)] += 1
                if r.status_code != 200:
                    soak.error(f"reader {r.request.method} {r.url}", f"HTTP {r.status_code} {r.text[:200]}")
                elif kind == 5 and "<html" not in r.text.lower():
                    soak.error("reader /", "not the UI's page")
            with soak.lock:
                soak.reads += 1
        except Exception as e:  # noqa: BLE001
            soak.error(f"reader kind {kind}", e)


def _registry(soak: Soak, run_ids: list[str], created: list[str]) -> None:
    from mlflow import MlflowClient

    client = MlflowClient(tracking_uri=soak.url)
    i = 0
    while time.monotonic() < soak.deadline:
        try:
            mv = client.create_model_version(MODEL, source=f"runs:/{run_ids[i % len(run_ids)]}/model",
                                             run_id=run_ids[i % len(run_ids)])
            created.append(str(mv.version))
        except Exception as e:  # noqa: BLE001
            soak.error("registry", e)
        i += 1
        time.sleep(1.0)


def _chaos(soak: Soak, cluster: Cluster, start: float, report: dict) -> None:
    """SIGTERM replica 1 at 30 % of the soak, SIGKILL replica 2 at 60 %; each restarted on its port at once."""
    plan = [(0.3, 1, signal.SIGTERM), (0.6, 2, signal.SIGKILL)]
    for at, index, sig in plan:
        time.sleep(max(0.0, start + at * SOAK_SECONDS - time.monotonic()))
        replica = cluster.replicas[index]
        name = signal.Signals(sig).name
        t0 = time.monotonic()
        soak.note(f"{name} replica {index}")
        try:
            status = replica.signal(sig)
            stopped = time.monotonic() - t0
            cluster.restart(replica)
            ready = time.monotonic() - t0
            report[name] = {"replica": index, "exit_status": status, "stopped_s": round(stopped, 2),
                            "back_s": round(ready, 2)}
            soak.note(f"{name} replica {index}: exit {status} after {stopped:.2f} s, serving again after {ready:.2f} s")
        except Exception as e:  # noqa: BLE001
            soak.error(f"chaos {name}", e)


def _haproxy_totals(cluster: Cluster) -> dict:
    stats = cluster.haproxy.stats()
    servers = [row for key, row in stats.items() if key.startswith("replicas/") and key != "replicas/BACKEND"]
    fe = stats["tracking/FRONTEND"]
    n = lambda row, col: int(row.get(col) or 0)  # noqa: E731
    return {
        "requests": n(fe, "req_tot"),
        "responses_5xx_to_clients": n(fe, "hrsp_5xx"),
        # 5xx the replicas answered (each retried on another replica: `retry-on ... 503`), e.g. 503 "database is
        # locked" when writers of several replicas contend for sqld's write lock, as MLflow answers OperationalError
        "responses_5xx_from_replicas": sum(n(r, "hrsp_5xx") for r in servers),
        "retries": sum(n(r, "wretr") for r in servers),
        "redispatches": sum(n(r, "wredis") for r in servers),
        "per_replica_requests": {r["svname"]: n(r, "stot") for r in servers},
    }


@pytest.mark.timeout(SOAK_SECONDS + 600)
def test_soak(cluster, monkeypatch, request):
    import mlflow
    from mlflow import MlflowClient

    monkeypatch.setenv("MLFLOW_TRACKING_URI", cluster.url)
    # one pooled connection per thread (the client shares one session per process; its default pool holds 10)
    monkeypatch.setenv("MLFLOW_HTTP_POOL_MAXSIZE", str(WRITERS + READERS + 8))
    mlflow.set_tracking_uri(cluster.url)
    client = MlflowClient(tracking_uri=cluster.url)
    receiver = Receiver()
    try:
        experiment_id = client.create_experiment(f"soak-{int(time.time())}")
        run_ids = [client.create_run(experiment_id, run_name=f"writer-{i}").info.run_id for i in range(WRITERS)]
        client.create_registered_model(MODEL)
        client.create_webhook(name="soak", url=f"{receiver.url}/ok/soak", events=["model_version.created"])

        start = time.monotonic()
        soak = Soak(cluster.url, start + SOAK_SECONDS)
        expected = [dict() for _ in run_ids]
        ops: list[list] = [[] for _ in run_ids]
        created: list[str] = []
        chaos: dict = {}
        threads = [threading.Thread(target=_writer, args=(soak, r, expected[i], ops[i])) for i, r in enumerate(run_ids)]
        threads += [threading.Thread(target=_reader, args=(soak, i, experiment_id, run_ids)) for i in range(READERS)]
        threads.append(threading.Thread(target=_registry, args=(soak, run_ids, created)))
        threads.append(threading.Thread(target=_chaos, args=(soak, cluster, start, chaos)))
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        # the async writes are acknowledged once their operations complete
        for i, run_ops in enumerate(ops):
            for op in run_ops:
                try:
                    op.wait()
                except Exception as e:  # noqa: BLE001
                    soak.error(f"async log_metric {run_ids[i]}", e)
        elapsed = time.monotonic() - start
        lb = _haproxy_totals(cluster)
        aborted = cluster.haproxy.aborted_mid_body()

        # every acknowledged value is read back (through the load balancer)
        writes = lost = 0
        for run_id, exp in zip(run_ids, expected):
            params = exp.pop("params", {})
            run = client.get_run(run_id)
            writes += len(params)
            lost += sum(1 for k, v in params.items() if run.data.params.get(k) != v)
            for key, by_step in exp.items():
                got = {m.step: m.value for m in client.get_metric_history(run_id, key)}
                writes += len(by_step)
                lost += sum(1 for step, v in by_step.items() if got.get(step) != v)

        # each model version's webhook arrives once, with its own delivery id
        versions = [mv.version for mv in client.search_model_versions(f"name='{MODEL}'")]
        deadline = time.monotonic() + 20
        while len(receiver.at("/ok/soak")) < len(versions) and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.0)  # a late duplicate would show up here
        deliveries = receiver.at("/ok/soak")
        ids = collections.Counter(
            {k.lower(): v for k, v in d.headers.items()}.get("x-mlflow-delivery-id") for d in deliveries)
        per_version = collections.Counter(str(d.payload["data"]["version"]) for d in deliveries)
        duplicate_deliveries = sum(n - 1 for n in ids.values() if n > 1)
        duplicate_versions = sum(n - 1 for n in per_version.values() if n > 1)
        undelivered = sorted(set(map(str, versions)) - set(per_version), key=int)

        summary = {
            "seconds": round(elapsed, 1),
            # after the deadline: the writers' last calls and the async queue's backlog
            "drain_s": round(elapsed - SOAK_SECONDS, 1),
            "replicas": len(cluster.replicas),
            "writers": WRITERS,
            "readers": READERS,
            "writes": writes,
            "writes_per_s": round(writes / elapsed, 1),
            "reads": soak.reads,
            "reads_per_s": round(soak.reads / elapsed, 1),
            "requests_via_haproxy": lb["requests"],
            "requests_per_s": round(lb["requests"] / elapsed, 1),
            "errors": len(soak.errors),
            "responses_cut_by_sigkill": len(soak.cut),
            "haproxy_aborted_mid_body": aborted,
            "lost": lost,
            "model_versions": len(versions),
            "model_versions_acknowledged": len(created),
            "webhook_deliveries": len(deliveries),
            "duplicate_deliveries": duplicate_deliveries,
            "duplicate_version_deliveries": duplicate_versions,
            "undelivered_versions": undelivered,
            "restarts": chaos,
            "haproxy": lb,
            "client_retries_seen_by_readers": dict(soak.client_retries),
            "events": soak.events,
            "error_samples": soak.errors[:20],
            "cut_samples": soak.cut[:20],
        }
        _report(summary, request.config.pluginmanager.get_plugin("capturemanager"))
        assert soak.errors == [], "\n".join(soak.errors[:20])
        # The one failure allowed: a body cut off by the SIGKILL, and only as many as HAProxy saw the killed replica
        # abort mid-body ("SD" in its log). The SIGTERMed replica must finish every answer it started.
        killed = f"r{chaos.get('SIGKILL', {}).get('replica')}"
        assert set(aborted) <= {killed}, f"a replica that was not SIGKILLed cut an answer short: {aborted}"
        assert len(soak.cut) <= aborted.get(killed, 0), soak.cut
        assert lost == 0, f"{lost} acknowledged writes not read back"
        assert duplicate_deliveries == 0 and duplicate_versions == 0
        # a SIGKILL can take one delivery that was not sent yet down with the process; nothing else may be missing
        assert len(undelivered) <= 1, f"model versions without a webhook delivery: {undelivered}"
        assert chaos.get("SIGTERM", {}).get("exit_status") == 0, chaos
        assert "SIGKILL" in chaos, chaos
        assert len(created) <= len(versions)
    finally:
        receiver.stop()


def _report(summary: dict, capture) -> None:
    path = Path(os.environ.get("TRACKLITE_SOAK_SUMMARY") or REPO_ROOT / "test-results" / "soak.json")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(summary, indent=2) + "\n")
    line = (f"soak: {summary['seconds']} s, {summary['replicas']} replicas: {summary['writes']} writes "
            f"({summary['writes_per_s']}/s), {summary['reads']} reads ({summary['reads_per_s']}/s), "
            f"{summary['requests_via_haproxy']} requests ({summary['requests_per_s']} req/s), "
            f"{summary['errors']} errors ({summary['responses_cut_by_sigkill']} answers cut by the SIGKILL), "
            f"{summary['lost']} lost, {summary['duplicate_deliveries']} duplicate "
            f"deliveries; restarts {json.dumps(summary['restarts'])}")
    # past pytest's capture: the figures belong in the stage's log
    with capture.global_and_fixture_disabled():
        print(f"\n{line}\nsoak summary: {path}", flush=True)
