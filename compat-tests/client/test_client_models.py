"""Models and rich artifacts through tracklite: sklearn log_model / load_model, autolog, figures, images, tables."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import mlflow  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402
from sklearn.datasets import load_iris  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from support.clientutil import MLFLOW_MAJOR, uniq  # noqa: E402


@pytest.fixture
def iris():
    X, y = load_iris(return_X_y=True, as_frame=True)
    return X, y


def _log_sklearn(model, X):
    kwargs = {"name": "model"} if MLFLOW_MAJOR >= 3 else {"artifact_path": "model"}
    return mlflow.sklearn.log_model(model, input_example=X.head(3), **kwargs)


def test_sklearn_log_and_load(client, iris):
    X, y = iris
    mlflow.set_experiment(uniq("sklearn"))
    model = LogisticRegression(max_iter=300).fit(X, y)
    with mlflow.start_run() as run:
        info = _log_sklearn(model, X)
    expected = model.predict(X.head(10))
    assert info.signature is not None
    for uri in {info.model_uri, f"runs:/{run.info.run_id}/model"}:
        loaded = mlflow.pyfunc.load_model(uri)
        assert list(loaded.predict(X.head(10))) == list(expected), uri
        assert loaded.metadata.signature == info.signature
    native = mlflow.sklearn.load_model(info.model_uri)
    assert list(native.predict(X.head(10))) == list(expected)
    if MLFLOW_MAJOR >= 3:
        assert info.model_uri.startswith("models:/m-")
        from mlflow.entities import LoggedModelStatus

        assert client.get_logged_model(info.model_id).status == LoggedModelStatus.READY


def test_sklearn_autolog(client, iris):
    X, y = iris
    mlflow.set_experiment(uniq("autolog"))
    mlflow.sklearn.autolog(log_input_examples=False, silent=True)
    try:
        with mlflow.start_run() as run:
            LogisticRegression(max_iter=200, C=0.5).fit(X, y)
    finally:
        mlflow.sklearn.autolog(disable=True)
    data = client.get_run(run.info.run_id).data
    assert data.params["C"] == "0.5" and data.params["max_iter"] == "200"
    assert "training_accuracy_score" in data.metrics
    assert data.tags["estimator_name"] == "LogisticRegression"
    if MLFLOW_MAJOR >= 3:
        models = client.search_logged_models(experiment_ids=[run.info.experiment_id])
        assert len(models) == 1
        loaded = mlflow.pyfunc.load_model(f"models:/{models[0].model_id}")
    else:
        loaded = mlflow.pyfunc.load_model(f"runs:/{run.info.run_id}/model")
    assert len(loaded.predict(X.head(4))) == 4


def test_figure_image_and_table(client, tmp_path):
    mlflow.set_experiment(uniq("rich"))
    with mlflow.start_run() as run:
        fig, ax = plt.subplots()
        ax.plot([0, 1, 2], [2, 1, 3])
        mlflow.log_figure(fig, "plots/curve.png")
        plt.close(fig)
        mlflow.log_image(np.zeros((8, 8, 3), dtype=np.uint8), "images/black.png")
        mlflow.log_image(Image.new("RGB", (4, 4), color=(255, 0, 0)), "images/red.png")
        mlflow.log_table(pd.DataFrame({"a": [1, 2], "b": ["x", "y"]}), "tables/t.json")
    rid = run.info.run_id
    names = {f.path for f in client.list_artifacts(rid, "plots")} | {f.path for f in client.list_artifacts(rid, "images")}
    assert {"plots/curve.png", "images/black.png", "images/red.png"} <= names
    red = Image.open(client.download_artifacts(rid, "images/red.png", str(tmp_path)))
    assert red.size == (4, 4) and red.getpixel((0, 0))[:3] == (255, 0, 0)
    table = mlflow.load_table("tables/t.json", run_ids=[rid])
    assert list(table["a"]) == [1, 2] and list(table["b"]) == ["x", "y"]
    assert "mlflow.loggedArtifacts" in client.get_run(rid).data.tags


def _linear_onnx_model():
    """A tiny ONNX graph, y = x·W + b, built with onnx's own helpers (no converter needed)."""
    from onnx import TensorProto, helper, numpy_helper

    w = numpy_helper.from_array(np.array([[1.0], [2.0], [3.0], [4.0]], dtype=np.float32), "W")
    b = numpy_helper.from_array(np.array([0.5], dtype=np.float32), "B")
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "W"], ["xw"]), helper.make_node("Add", ["xw", "B"], ["y"])],
        "linear",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, 4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [None, 1])],
        initializer=[w, b],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def test_onnx_log_and_load(client):
    pytest.importorskip("onnxruntime")  # in the 3.x pin's requirements only
    model = _linear_onnx_model()
    x = np.array([[1, 1, 1, 1], [0, 1, 0, 0]], dtype=np.float32)
    mlflow.set_experiment(uniq("onnx"))
    kwargs = {"name": "onnx_model"} if MLFLOW_MAJOR >= 3 else {"artifact_path": "onnx_model"}
    with mlflow.start_run() as run:
        info = mlflow.onnx.log_model(model, **kwargs)
    for uri in {info.model_uri, f"runs:/{run.info.run_id}/onnx_model"}:
        loaded = mlflow.onnx.load_model(uri)
        assert [n.op_type for n in loaded.graph.node] == ["MatMul", "Add"]
        out = mlflow.pyfunc.load_model(uri).predict({"x": x})
        assert np.allclose(np.asarray(out["y"]).ravel(), [10.5, 2.5])
