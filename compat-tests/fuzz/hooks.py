"""schemathesis hooks for the fuzz step (loaded through SCHEMATHESIS_HOOKS).

Random ids almost never name a stored run, experiment or model, so the fuzzer would only ever see "does not exist".
These hooks let Hypothesis choose, for every generated body, query and path, between its own values and the same
values with the id fields set to the seeded objects' ids (TRACKLITE_FUZZ_IDS, JSON passed by run_fuzz.py), so that
the deeper code (logging to a real run, versioning a real model) is fuzzed too. Hypothesis makes the choice, so it is
reproducible under the fixed seed and shrinks like any other.
"""

from __future__ import annotations

import json
import os
from typing import Any

import schemathesis
from hypothesis import strategies as st

IDS: dict[str, dict[str, Any]] = json.loads(os.environ.get("TRACKLITE_FUZZ_IDS", "{}"))

# Calls that delete or rename what they name get a set of objects of their own ("doomed"), so that the objects the
# other calls log to stay alive for the whole run.
DESTRUCTIVE_SUFFIXES = ("/delete", "/rename")


def _ids_for(context) -> dict[str, Any]:
    op = context.operation
    destructive = op is not None and (op.method.upper() == "DELETE" or op.path.endswith(DESTRUCTIVE_SUFFIXES))
    return IDS.get("doomed" if destructive else "target", {})


def _either(context, value: Any) -> st.SearchStrategy:
    if not isinstance(value, dict):
        return st.just(value)
    ids = _ids_for(context)
    patched = {key: ids.get(key, v) for key, v in value.items()}
    return st.just(value) if patched == value else st.sampled_from([value, patched])


@schemathesis.hook
def flatmap_body(context, body):
    return _either(context, body)


@schemathesis.hook
def flatmap_query(context, query):
    return _either(context, query)


@schemathesis.hook
def flatmap_path_parameters(context, path_parameters):
    return _either(context, path_parameters)
