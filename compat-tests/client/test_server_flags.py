"""`mlflow server`'s remaining flags on a real tracklite process, driven by the real mlflow client:
`--expose-prometheus` (scrape /metrics after logging: counters moved, latency histogram, route labels are
templates), `--static-prefix` (the client pointed at http://127.0.0.1:P/<prefix>), and a refused flag (one line,
exit status 2). The reference serves the same /metrics names (prometheus_flask_exporter, prefix `mlflow`) with
labels method and status; tracklite adds `route`. With COMPAT_TARGET=reference the shared assertions run against
the reference (it needs prometheus-flask-exporter, see requirements-mlflow3.txt)."""

from __future__ import annotations

import os
import re
import subprocess
import time

import pytest
import requests

import mlflow
from mlflow.exceptions import MlflowException

from support.clientutil import MLFLOW_MAJOR, uniq
from support.servers import TRACKLITE_CLI, make_server, start_servers, stop_servers, _node

TARGET = os.environ.get("COMPAT_TARGET", "tracklite").strip() or "tracklite"
PREFIX = "/team/mlflow"
SAMPLE = re.compile(r"^(?P<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?P<labels>.*)\})? (?P<value>\S+)$")


def _samples(text: str) -> list[tuple[str, dict[str, str], float]]:
    """The sample lines of a Prometheus text exposition: (name, labels, value)."""
    out = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = SAMPLE.match(line)
        assert m, f"not a sample line: {line!r}"
        labels = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m["labels"] or ""))
        out.append((m["name"], labels, float(m["value"])))
    return out


def _total(samples, name: str, **labels: str) -> float:
    return sum(v for n, ls, v in samples if n == name and all(ls.get(k) == w for k, w in labels.items()))


@pytest.fixture(scope="module")
def tracking_server(tmp_path_factory):
    """The target with --expose-prometheus (conftest's client fixtures use it)."""
    prom_dir = tmp_path_factory.mktemp("prom") / "metrics"
    servers = start_servers([TARGET], extra_args=["--expose-prometheus", str(prom_dir)])
    try:
        servers[0].prom_dir = prom_dir
        yield servers[0]
    finally:
        stop_servers(servers)


def _scrape(url: str):
    res = requests.get(f"{url}/metrics", timeout=30)
    assert res.status_code == 200, res.text
    assert res.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    return res.text, _samples(res.text)


def test_metrics_move_with_the_client(client, tracking_server):
    url = tracking_server.url
    assert tracking_server.prom_dir.is_dir(), "the directory --expose-prometheus names is created"
    _, before = _scrape(url)
    eid = client.create_experiment(uniq("prom"))
    runs = []
    for i in range(3):
        run = client.create_run(eid)
        runs.append(run.info.run_id)
        client.log_metric(run.info.run_id, "loss", 1.0 / (i + 1), step=i)
        client.log_batch(run.info.run_id, metrics=[mlflow.entities.Metric("acc", 0.5, 0, s) for s in range(4)])
    with pytest.raises(MlflowException):
        client.get_run("0" * 32)
    text, after = _scrape(url)

    # counters moved: 3 runs/create, 3 log-metric, 3 log-batch answered 200; one get of a missing run answered 404
    name = "mlflow_http_request_total"
    assert _total(after, name, method="POST", status="200") - _total(before, name, method="POST", status="200") >= 10
    assert _total(after, name, method="GET", status="404") - _total(before, name, method="GET", status="404") == 1
    # the latency histogram, with the reference's name, buckets and mlflow_version label
    assert "# TYPE mlflow_http_request_duration_seconds histogram" in text
    count = [
        (ls, v) for n, ls, v in after
        if n == "mlflow_http_request_duration_seconds_count" and ls.get("method") == "POST" and ls.get("status") == "200"
    ]
    served = requests.get(f"{url}/version", timeout=30).text
    assert count and all(ls.get("mlflow_version") == served for ls, _ in count)
    assert sum(v for _, v in count) >= 10
    assert 'le="0.005"' in text

    if TARGET != "tracklite":
        return
    # tracklite's route label: the template, never a raw path with ids
    routes = {ls["route"] for n, ls, _ in after if n == name}
    assert "/api/2.0/mlflow/runs/log-batch" in routes
    assert "/api/2.0/mlflow/runs/get" in routes
    assert not any(run_id in text for run_id in runs)
    assert _total(after, name, route="/api/2.0/mlflow/runs/log-batch", status="200") - _total(
        before, name, route="/api/2.0/mlflow/runs/log-batch", status="200") == 3
    # points ingested: 3 x 1 + 3 x 4 metric values
    ingested = "tracklite_metric_values_ingested_total"
    assert _total(after, ingested) - _total(before, ingested) == 15
    assert _total(after, "tracklite_database_bytes") > 0
    assert any(n == "tracklite_writer_queue_depth" for n, _, _ in after)


@pytest.mark.skipif(MLFLOW_MAJOR < 3, reason="MLflow 3's tracing")
def test_spans_ingested_counter(client, tracking_server):
    url = tracking_server.url
    _, before = _scrape(url)
    eid = client.create_experiment(uniq("prom-spans"))
    span_count = 3
    mlflow.set_experiment(experiment_id=eid)

    @mlflow.trace
    def leaf(x):
        return x + 1

    @mlflow.trace
    def root(x):
        return leaf(leaf(x))

    root(1)
    # the client sends the spans to /v1/traces (OTLP) after the root span ends, possibly in the background
    trace_id = mlflow.get_last_active_trace_id()
    assert trace_id
    deadline = time.monotonic() + 20
    while True:
        _, after = _scrape(url)
        moved = _total(after, "mlflow_spans_ingested_total", protocol="otlp") - _total(
            before, "mlflow_spans_ingested_total", protocol="otlp")
        if moved >= span_count or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert moved == span_count


def test_metrics_endpoint_checks_the_host(tracking_server):
    """As the reference's, /metrics sits behind the security middleware's Host check."""
    res = requests.get(f"{tracking_server.url}/metrics", headers={"Host": "evil.example"}, timeout=30)
    assert res.status_code == 403


# --------------------------------------------------------------------------- --static-prefix


def _wait_ready(server, path: str) -> None:
    deadline = time.monotonic() + server.ready_timeout
    while time.monotonic() < deadline:
        assert server.proc.poll() is None, server.stderr_text()
        try:
            if requests.get(server.url + path, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.05)
    raise AssertionError(f"not ready at {path}:\n{server.stderr_text()}")


@pytest.fixture(scope="module")
def prefixed_server():
    server = make_server(TARGET, extra_args=["--static-prefix", PREFIX])
    server.spawn()
    try:
        _wait_ready(server, f"{PREFIX}/health")
        yield server
    finally:
        server.stop()


def test_static_prefix_serves_the_client(prefixed_server, monkeypatch):
    base = f"{prefixed_server.url}{PREFIX}"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", base)
    mlflow.set_tracking_uri(base)
    client = mlflow.MlflowClient(tracking_uri=base)
    eid = client.create_experiment(uniq("prefixed"))
    with mlflow.start_run(experiment_id=eid) as run:
        mlflow.log_param("p", "v")
        mlflow.log_metric("m", 2.5, step=1)
        mlflow.log_text("hello", "notes/hello.txt")
    got = client.get_run(run.info.run_id)
    assert got.data.params == {"p": "v"} and got.data.metrics == {"m": 2.5}
    assert [f.path for f in client.list_artifacts(run.info.run_id, "notes")] == ["notes/hello.txt"]
    assert mlflow.artifacts.load_text(f"runs:/{run.info.run_id}/notes/hello.txt") == "hello"
    assert [r.info.run_id for r in client.search_runs([eid])] == [run.info.run_id]

    # outside the prefix nothing is served
    assert requests.get(f"{prefixed_server.url}/api/2.0/mlflow/experiments/get?experiment_id={eid}",
                        timeout=30).status_code == 404
    assert requests.get(f"{prefixed_server.url}/health", timeout=30).status_code == 404
    # the ajax routes (the UI's) and the UI are under it too
    res = requests.get(f"{base}/ajax-api/2.0/mlflow/experiments/get", params={"experiment_id": eid}, timeout=30)
    assert res.status_code == 200 and res.json()["experiment"]["experiment_id"] == eid
    if TARGET == "tracklite":
        ui = requests.get(f"{base}/", timeout=30)
        assert ui.status_code == 200 and "<tl-app>" in ui.text
        asset = re.search(r'src="\./(assets/[^"]+)"', ui.text)
        assert asset, "the UI's assets are relative to its folder"
        assert requests.get(f"{base}/{asset[1]}", timeout=30).status_code == 200


# --------------------------------------------------------------------------- refused flags


@pytest.mark.skipif(TARGET != "tracklite", reason="the reference runs under gunicorn when asked")
@pytest.mark.parametrize("argv", [["--gunicorn-opts", "--timeout 60"], ["--dev"], ["--uvicorn-opts", "--reload"]])
def test_refused_flag_exits_with_one_line(argv, tmp_path):
    proc = subprocess.run([_node(), str(TRACKLITE_CLI), "server", "--backend-store-uri", f"file:{tmp_path}/t.db", *argv],
                          capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert re.search(r"is not supported|has no --dev mode", lines[0]), lines[0]
    assert not (tmp_path / "t.db").exists(), "nothing is started"
