"""Artifacts through the mlflow-artifacts proxy: log, list and download with only the tracking URI set."""

import hashlib
import json
import os

import mlflow
import pytest
import requests
import yaml

from support.clientutil import raises_code, uniq


def dest(path):
    """A download folder: 2.x clients want it to exist already."""
    path.mkdir(parents=True, exist_ok=True)
    return str(path)


@pytest.fixture
def run_id(client):
    mlflow.set_experiment(uniq("artifacts"))
    with mlflow.start_run() as run:
        yield run.info.run_id


def test_artifact_uri_is_proxied(client, run_id):
    uri = client.get_run(run_id).info.artifact_uri
    assert uri.startswith("mlflow-artifacts:/") and uri.endswith(f"/{run_id}/artifacts")


def test_log_artifact_and_download(client, run_id, tmp_path):
    src = tmp_path / "notes.txt"
    src.write_text("hello artifacts")
    client.log_artifact(run_id, str(src))
    client.log_artifact(run_id, str(src), artifact_path="nested/deeper")
    # s3rver (the S3 destination's test server) leaves out of a listing any folder holding only folders; real S3 and
    # both servers list it, but a file in each folder keeps the test about the servers.
    client.log_artifact(run_id, str(src), artifact_path="nested")
    top = {f.path: f for f in client.list_artifacts(run_id)}
    assert set(top) == {"notes.txt", "nested"}
    assert top["notes.txt"].file_size == len("hello artifacts") and not top["notes.txt"].is_dir
    assert top["nested"].is_dir
    assert [f.path for f in client.list_artifacts(run_id, "nested/deeper")] == ["nested/deeper/notes.txt"]
    out = client.download_artifacts(run_id, "nested/deeper/notes.txt", dest(tmp_path / "dl"))
    assert open(out).read() == "hello artifacts"


def test_log_artifacts_folder_tree(client, run_id, tmp_path):
    tree = tmp_path / "tree"
    files = {"a.txt": "a", "sub/b.csv": "x,y\n1,2\n", "sub/deep/c.bin": os.urandom(3000).hex()}
    for rel, content in files.items():
        p = tree / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(content)
    client.log_artifacts(run_id, str(tree), artifact_path="data")
    back = client.download_artifacts(run_id, "data", dest(tmp_path / "back"))
    for rel, content in files.items():
        assert open(os.path.join(back, rel)).read() == content


def test_log_text_and_dict(client, run_id, tmp_path):
    # the fixture's run is the active one
    mlflow.log_text("plain text", "texts/t.txt")
    mlflow.log_dict({"lr": 0.1, "layers": [1, 2]}, "config.json")
    mlflow.log_dict({"lr": 0.1, "layers": [1, 2]}, "config.yaml")
    base = dest(tmp_path / "d")
    assert open(client.download_artifacts(run_id, "texts/t.txt", base)).read() == "plain text"
    assert json.load(open(client.download_artifacts(run_id, "config.json", base))) == {"lr": 0.1, "layers": [1, 2]}
    assert yaml.safe_load(open(client.download_artifacts(run_id, "config.yaml", base))) == {"lr": 0.1, "layers": [1, 2]}
    assert mlflow.artifacts.load_text(f"runs:/{run_id}/texts/t.txt") == "plain text"
    assert mlflow.artifacts.load_dict(f"runs:/{run_id}/config.json") == {"lr": 0.1, "layers": [1, 2]}


def _random_file(path, mib):
    """`mib` MiB of random bytes at `path`; returns their sha256."""
    h = hashlib.sha256()
    with open(path, "wb") as f:
        for _ in range(mib):
            chunk = os.urandom(1 << 20)
            h.update(chunk)
            f.write(chunk)
    return h.hexdigest()


def _sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def test_large_file_round_trip_with_checksum(client, run_id, tmp_path):
    src = tmp_path / "big.bin"
    digest = _random_file(src, 200)
    client.log_artifact(run_id, str(src), artifact_path="blobs")
    [entry] = client.list_artifacts(run_id, "blobs")
    assert entry.file_size == 200 << 20
    out = client.download_artifacts(run_id, "blobs/big.bin", dest(tmp_path / "out"))
    os.remove(src)
    assert _sha256_of(out) == digest


def test_proxy_multipart_upload(client, run_id, tmp_path, monkeypatch):
    """MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD: presigned parts sent straight to S3, or (local folder) the client's
    fallback to one PUT after the server's NOT_IMPLEMENTED answer. Either way the bytes arrive whole."""
    monkeypatch.setenv("MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD", "true")
    monkeypatch.setenv("MLFLOW_MULTIPART_UPLOAD_MINIMUM_FILE_SIZE", str(5 << 20))
    monkeypatch.setenv("MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE", str(5 << 20))
    src = tmp_path / "parts.bin"
    digest = _random_file(src, 12)
    client.log_artifact(run_id, str(src), artifact_path="mpu")
    out = client.download_artifacts(run_id, "mpu/parts.bin", dest(tmp_path / "out"))
    assert _sha256_of(out) == digest
    # What the client was offered: part URLs pointing at the S3 server itself, or the local folder's refusal.
    root = client.get_run(run_id).info.artifact_uri.removeprefix("mlflow-artifacts:/")
    url = f"{mlflow.get_tracking_uri()}/api/2.0/mlflow-artifacts/mpu/create/{root}/mpu"
    r = requests.post(url, json={"path": "parts.bin", "num_parts": 2}, timeout=30)
    s3_endpoint = os.environ.get("COMPAT_S3_ENDPOINT_URL")
    if s3_endpoint:
        assert r.status_code == 200, r.text
        creds = r.json()["credentials"]
        assert [c["part_number"] for c in creds] == [1, 2]
        assert all(c["url"].startswith(s3_endpoint) for c in creds)
        # (no abort: s3rver has no AbortMultipartUpload; the vitest suite covers it against a stand-in)
    else:
        assert (r.status_code, r.json()["error_code"]) == (501, "NOT_IMPLEMENTED")


def test_download_missing_artifact_fails(client, run_id, tmp_path):
    with pytest.raises(Exception):
        client.download_artifacts(run_id, "does/not/exist.txt", str(tmp_path))


def test_list_artifacts_of_unknown_run(client):
    raises_code("RESOURCE_DOES_NOT_EXIST", client.list_artifacts, "0123456789abcdef0123456789abcdef")


# --- local artifact locations, presigned URLs (artifacts area) ---


def test_proxy_multipart_download(client, run_id, tmp_path, monkeypatch):
    """MLFLOW_ENABLE_PROXY_MULTIPART_DOWNLOAD: with an S3 destination the client fetches a presigned URL from
    `mlflow-artifacts/presigned/<path>` and downloads ranges straight from the bucket; with a local folder the server
    says it cannot, and the client streams through the proxy. Either way the bytes arrive whole."""
    monkeypatch.setenv("MLFLOW_ENABLE_PROXY_MULTIPART_DOWNLOAD", "true")
    monkeypatch.setenv("MLFLOW_MULTIPART_DOWNLOAD_MINIMUM_FILE_SIZE", str(1 << 20))
    monkeypatch.setenv("MLFLOW_MULTIPART_DOWNLOAD_CHUNK_SIZE", str(1 << 20))
    src = tmp_path / "ranges.bin"
    digest = _random_file(src, 3)
    client.log_artifact(run_id, str(src), artifact_path="mpd")
    out = client.download_artifacts(run_id, "mpd/ranges.bin", dest(tmp_path / "out"))
    assert _sha256_of(out) == digest
    root = client.get_run(run_id).info.artifact_uri.removeprefix("mlflow-artifacts:/")
    r = requests.get(f"{mlflow.get_tracking_uri()}/api/2.0/mlflow-artifacts/presigned/{root}/mpd/ranges.bin",
                     timeout=30)
    s3_endpoint = os.environ.get("COMPAT_S3_ENDPOINT_URL")
    if s3_endpoint:
        assert r.status_code == 200, r.text
        assert r.json()["url"].startswith(s3_endpoint) and r.json()["file_size"] == 3 << 20
        assert hashlib.sha256(requests.get(r.json()["url"], timeout=30).content).hexdigest() == digest
    else:
        assert (r.status_code, r.json()["error_code"]) == (501, "NOT_IMPLEMENTED")


def test_local_artifact_location_is_served(client, tmp_path):
    """An experiment whose artifact_location is a local folder: the client writes there itself, and the server lists
    and serves the files (the UI's view) from there, MLmodel as text/plain."""
    location = tmp_path / "local-location"
    exp_id = client.create_experiment(uniq("local-location"), artifact_location=str(location))
    run_id = client.create_run(exp_id).info.run_id
    model = tmp_path / "MLmodel"
    model.write_text("flavors: {}\n")
    client.log_artifact(run_id, str(model), artifact_path="model")
    client.log_text(run_id, "hello", "notes/hello.txt")
    assert (location / run_id / "artifacts" / "model" / "MLmodel").exists()
    assert {f.path for f in client.list_artifacts(run_id)} == {"model", "notes"}
    assert open(mlflow.artifacts.download_artifacts(run_id=run_id, artifact_path="notes/hello.txt",
                                                    dst_path=dest(tmp_path / "dl"))).read() == "hello"

    base = mlflow.get_tracking_uri()
    listing = requests.get(f"{base}/api/2.0/mlflow/artifacts/list", params={"run_id": run_id, "path": "model"},
                           timeout=30).json()
    assert listing == {"root_uri": f"{location}/{run_id}/artifacts",
                       "files": [{"path": "model/MLmodel", "is_dir": False, "file_size": 12}]}
    got = requests.get(f"{base}/get-artifact", params={"run_uuid": run_id, "path": "model/MLmodel"}, timeout=30)
    assert got.status_code == 200 and got.text == "flavors: {}\n"
    assert got.headers["Content-Type"].split(";")[0] == "text/plain"
    # The UI's upload lands in the same folder, and nothing leaves it.
    up = requests.post(f"{base}/ajax-api/2.0/mlflow/upload-artifact", params={"run_uuid": run_id, "path": "ui.txt"},
                       data=b"from the UI", timeout=30)
    assert up.status_code == 200
    assert (location / run_id / "artifacts" / "ui.txt").read_text() == "from the UI"
    escape = requests.get(f"{base}/get-artifact", params={"run_id": run_id, "path": "../../../etc/passwd"},
                          timeout=30)
    assert escape.status_code == 400


@pytest.fixture(scope="module")
def no_serve_server():
    from support.servers import start_servers, stop_servers

    target = os.environ.get("COMPAT_TARGET", "").strip() or "tracklite"
    servers = start_servers([target], extra_args=["--no-serve-artifacts"])
    try:
        yield servers[0]
    finally:
        stop_servers(servers)


def test_no_serve_artifacts_server(no_serve_server, tmp_path, monkeypatch):
    """`--no-serve-artifacts`: new experiments keep their artifacts in ./mlruns under the server's folder, which the
    client writes and reads directly; the server serves them to the UI, and its proxy is off."""
    base = no_serve_server.url
    monkeypatch.setenv("MLFLOW_TRACKING_URI", base)
    mlflow.set_tracking_uri(base)
    client = mlflow.MlflowClient(base)
    exp_id = client.create_experiment(uniq("no-serve"))
    run_id = client.create_run(exp_id).info.run_id
    uri = client.get_run(run_id).info.artifact_uri
    assert uri == f"{no_serve_server.tmpdir.resolve()}/mlruns/{exp_id}/{run_id}/artifacts"
    src = tmp_path / "conda.yaml"
    src.write_text("name: env\n")
    client.log_artifact(run_id, str(src))
    assert [f.path for f in client.list_artifacts(run_id)] == ["conda.yaml"]
    got = requests.get(f"{base}/get-artifact", params={"run_id": run_id, "path": "conda.yaml"}, timeout=30)
    assert (got.status_code, got.text, got.headers["Content-Type"].split(";")[0]) == (200, "name: env\n",
                                                                                      "text/plain")
    proxy = requests.get(f"{base}/api/2.0/mlflow-artifacts/artifacts", timeout=30)
    assert proxy.status_code == 503 and "--no-serve-artifacts" in proxy.text
    info = requests.get(f"{base}/api/3.0/mlflow/server-info", timeout=30).json()
    assert info["multipart_uploads_enabled"] is False
