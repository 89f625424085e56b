"""Small helpers shared by the client tests."""

from __future__ import annotations

import os
import time
import uuid

import mlflow
import pytest
from mlflow.exceptions import MlflowException

MLFLOW_MAJOR = int(mlflow.__version__.split(".")[0])
# the server the client tests talk to (conftest.py)
TARGET = os.environ.get("COMPAT_TARGET", "tracklite").strip() or "tracklite"
# the MLflow major version whose server semantics apply: the reference runs the client's own version, tracklite
# serves MLflow 3's behaviour to every client
SERVER_MAJOR = MLFLOW_MAJOR if TARGET == "reference" else 3


def uniq(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def now_ms() -> int:
    return int(time.time() * 1000)


def assert_recent_ms(value, slack_ms: int = 600_000) -> None:
    """A server/client generated timestamp: epoch milliseconds close to now."""
    assert isinstance(value, int), f"expected int epoch millis, got {value!r}"
    assert abs(value - now_ms()) < slack_ms, f"{value} is not a recent epoch-millis timestamp"


def raises_code(code: str, fn, *args, match: str | None = None, **kwargs) -> MlflowException:
    with pytest.raises(MlflowException) as ei:
        fn(*args, **kwargs)
    assert ei.value.error_code == code, f"expected {code}, got {ei.value.error_code}: {ei.value.message}"
    if match is not None:
        assert match in ei.value.message, ei.value.message
    return ei.value
