"""Differential: GraphQL at /graphql. The queries MLflow's own UI sends (GetRun, MlflowGetExperimentQuery, SearchRuns,
GetMetricHistoryBulkInterval) and its tests send (list artifacts, search model versions, search datasets), the schema's
type and field names by introspection, bad requests, and the attacks the reference refuses before running a query:
too deep, too many selections, too many root fields or aliases (also spread over fragments), batched arrays. Then the
per-call permission checks with `--app-name basic-auth`.

GraphQL answers name fields in camelCase: the masking reads each key as its snake_case twin (``experimentId`` is an
``experiment_id``, ``startTime`` a time), so ids and times are masked as in the REST scenarios."""

from __future__ import annotations

import json
import re

import pytest
import requests

from support.clientutil import MLFLOW_MAJOR
from support.diff import Differ
from support.servers import AUTH_ADMIN, AUTH_ARGS, AUTH_ENV, start_servers, stop_servers

if MLFLOW_MAJOR < 3:
    pytest.skip("GraphQL is compared with MLflow 3's server", allow_module_level=True)

GET_RUN = """
  query GetRun($data: MlflowGetRunInput!) @component(name: "MLflow.ExperimentRunTracking") {
    mlflowGetRun(input: $data) {
      apiError { helpUrl code message }
      run {
        info { runName status runUuid experimentId artifactUri endTime lifecycleStage startTime userId }
        experiment { experimentId name tags { key value } artifactLocation lifecycleStage lastUpdateTime }
        modelVersions { status version name source }
        data { metrics { key value step timestamp } params { key value } tags { key value } }
        inputs {
          datasetInputs { dataset { digest name profile schema source sourceType } tags { key value } }
          modelInputs { modelId }
        }
        outputs { modelOutputs { modelId step } }
      }
    }
  }
"""

GET_EXPERIMENT = """
  query MlflowGetExperimentQuery($input: MlflowGetExperimentInput!) @component(name: "MLflow.ExperimentRunTracking") {
    mlflowGetExperiment(input: $input) {
      apiError { code message }
      experiment {
        artifactLocation creationTime effectiveTraceArchivalRetention experimentId lastUpdateTime lifecycleStage name
        tags { key value }
      }
    }
  }
"""

SEARCH_RUNS = """
  query SearchRuns($data: MlflowSearchRunsInput!) {
    mlflowSearchRuns(input: $data) {
      apiError { helpUrl code message }
      runs {
        info { runName status runUuid experimentId artifactUri endTime lifecycleStage startTime userId }
        experiment { experimentId name tags { key value } artifactLocation lifecycleStage lastUpdateTime }
        data { metrics { key value step timestamp } params { key value } tags { key value } }
        inputs {
          datasetInputs { dataset { digest name profile schema source sourceType } tags { key value } }
          modelInputs { modelId }
        }
        outputs { modelOutputs { modelId step } }
        modelVersions { version name creationTimestamp status source }
      }
    }
  }
"""

BULK_INTERVAL = """
  query GetMetricHistoryBulkInterval($data: MlflowGetMetricHistoryBulkIntervalInput!)
  @component(name: "MLflow.ExperimentRunTracking") {
    mlflowGetMetricHistoryBulkInterval(input: $data) {
      __typename
      metrics { timestamp step runId key value }
      apiError { code message }
    }
  }
"""

LIST_ARTIFACTS = """
  query ListArtifacts($input: MlflowListArtifactsInput!) {
    files: mlflowListArtifacts(input: $input) { rootUri nextPageToken files { path isDir fileSize } }
  }
"""

MODEL_VERSION_FIELDS = """
  name version creationTimestamp lastUpdatedTimestamp userId currentStage description source runId status
  statusMessage tags { key value } runLink aliases modelId modelParams { name value } modelMetrics { key value }
"""

SEARCH_MODEL_VERSIONS = f"""
  query Versions($input: MlflowSearchModelVersionsInput) {{
    mlflowSearchModelVersions(input: $input) {{ nextPageToken apiError {{ code }} modelVersions {{ {MODEL_VERSION_FIELDS} }} }}
  }}
"""

SEARCH_DATASETS = """
  mutation Datasets($input: MlflowSearchDatasetsInput!) {
    mlflowSearchDatasets(input: $input) { datasetSummaries { experimentId name digest context } }
  }
"""

INTROSPECTION = """
  {
    __schema {
      queryType { name } mutationType { name } subscriptionType { name }
      directives { name locations args { name type { kind name ofType { kind name } } } }
      types {
        kind name description
        fields { name args { name type { kind name ofType { kind name } } }
                 type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }
        inputFields { name defaultValue type { kind name ofType { kind name ofType { kind name } } } }
        enumValues { name }
      }
    }
  }
"""


def _snake(key: str) -> str:
    return re.sub(r"[A-Z]", lambda m: "_" + m.group(0).lower(), key)


class GraphqlDiffer(Differ):
    """Masks camelCase keys as their snake_case twins (ids, times, page tokens)."""

    def _mask_value(self, srv, v, key):
        if key == "types" and isinstance(v, list):  # introspection lists the schema's types in no set order
            v = sorted(v, key=lambda t: t.get("name", "") if isinstance(t, dict) else "")
        return super()._mask_value(srv, v, _snake(key) if isinstance(key, str) else key)


@pytest.fixture
def gdiffer(diff_servers) -> GraphqlDiffer:
    (a, b), states = diff_servers
    return GraphqlDiffer(a.url, b.url, states=states)


def gql(d: Differ, query: str, variables: dict | None = None, *, label: str, path: str = "/graphql", **kw):
    body = {"query": query}
    if variables is not None:
        body["variables"] = variables
    return d.post(path, body, label=f"graphql {label}", **kw)


def _seed(d: Differ, name: str) -> None:
    """An experiment with a tag, a named run with metrics (NaN among them), a param, a dataset input, two artifacts
    (one in a folder), a registered model with a version of the run."""
    d.post("experiments/create", {"name": name, "tags": [{"key": "team", "value": "a"}]}, save={"eid": "experiment_id"},
           expect_status=200)
    d.post("runs/create", {"experiment_id": "${eid}", "run_name": "g1", "start_time": 1_700_000_000_000},
           save={"rid": "run.info.run_id"}, expect_status=200)
    d.post("runs/create", {"experiment_id": "${eid}", "run_name": "g2", "start_time": 1_700_000_001_000},
           save={"rid2": "run.info.run_id"}, expect_status=200)
    metrics = [{"key": "loss", "value": 1.0 / (s + 1), "timestamp": 1000 + s, "step": s} for s in range(12)]
    metrics += [{"key": "nan", "value": "NaN", "timestamp": 5, "step": 0}]
    d.post("runs/log-batch", {"run_id": "${rid}", "metrics": metrics, "params": [{"key": "p", "value": "1"}],
                              "tags": [{"key": "t1", "value": "v1"}]}, expect_status=200)
    d.post("runs/log-batch", {"run_id": "${rid2}", "metrics": [
        {"key": "loss", "value": float(s), "timestamp": 2000 + s, "step": s} for s in range(5)]}, expect_status=200)
    d.post("runs/log-inputs", {"run_id": "${rid}", "datasets": [{
        "dataset": {"name": "ds", "digest": "abc", "source_type": "local", "source": '{"uri": "x"}',
                    "schema": '{"a": 1}', "profile": '{"n": 2}'},
        "tags": [{"key": "mlflow.data.context", "value": "train"}]}]}, expect_status=200)
    for path, text in (("a.txt", "hello"), ("sub/b.txt", "x")):
        d.call("PUT", f"/api/2.0/mlflow-artifacts/artifacts/${{eid}}/${{rid}}/artifacts/{path}", raw_body=text,
               expect_status=200)
    d.post("registered-models/create", {"name": f"{name}-model"}, expect_status=200)
    d.post("model-versions/create", {"name": f"{name}-model", "source": "runs:/${rid}/model", "run_id": "${rid}"},
           expect_status=200)


def test_ui_queries(gdiffer):
    d = gdiffer
    _seed(d, "gql-ui")
    gql(d, GET_RUN, {"data": {"runId": "${rid}"}}, label="GetRun", expect_status=200)
    gql(d, GET_RUN, {"data": {"runUuid": "${rid2}"}}, label="GetRun by run_uuid")
    gql(d, GET_RUN, {"data": {"runId": "0123456789abcdef0123456789abcdef"}}, label="GetRun of a missing run")
    gql(d, GET_RUN, {"data": {}}, label="GetRun without an id")
    gql(d, GET_EXPERIMENT, {"input": {"experimentId": "${eid}"}}, label="MlflowGetExperimentQuery")
    gql(d, GET_EXPERIMENT, {"input": {"experimentId": "987654"}}, label="MlflowGetExperimentQuery of a missing one")
    gql(d, SEARCH_RUNS, {"data": {"experimentIds": ["${eid}"]}}, label="SearchRuns")
    gql(d, SEARCH_RUNS, {"data": {"experimentIds": ["${eid}"], "filter": "metrics.loss < 0.5", "maxResults": 1,
                                  "orderBy": ["attributes.start_time DESC"]}},
        label="SearchRuns filtered, ordered, one per page")
    # the reference fails on any runViewType ("Failed to parse run_view_type field: int() argument must be ...")
    gql(d, SEARCH_RUNS, {"data": {"experimentIds": ["${eid}"], "runViewType": "ALL"}}, label="SearchRuns of ALL",
        known="graphql-field-errors")
    gql(d, SEARCH_RUNS, {"data": {"experimentIds": ["${eid}"], "filter": "nonsense ==="}}, label="SearchRuns bad filter")
    gql(d, BULK_INTERVAL, {"data": {"runIds": ["${rid}", "${rid2}"], "metricKey": "loss"}},
        label="GetMetricHistoryBulkInterval", sorted_by_run_id=None)
    # the reference reads max_results and the step range from the URL, not from the input
    gql(d, BULK_INTERVAL, {"data": {"runIds": ["${rid}"], "metricKey": "loss", "maxResults": 3, "startStep": 2,
                                    "endStep": 4}}, label="GetMetricHistoryBulkInterval input limits (unused)")
    gql(d, BULK_INTERVAL, {"data": {"runIds": ["${rid}"], "metricKey": "loss"}}, label="bulk interval, URL limits",
        path="/graphql?start_step=2&end_step=6")
    gql(d, BULK_INTERVAL, {"data": {"runIds": ["${rid}"], "metricKey": "loss"}}, label="bulk interval, one URL step",
        path="/graphql?start_step=2")
    gql(d, BULK_INTERVAL, {"data": {"runIds": ["${rid}"], "metricKey": "nope"}}, label="bulk interval, no such metric")
    gql(d, BULK_INTERVAL, {"data": {"runIds": ["0123456789abcdef0123456789abcdef"], "metricKey": "loss"}},
        label="bulk interval, missing run")
    # a NaN point: the reference's Float fails on it (an error beside the null value); tracklite answers the null
    gql(d, BULK_INTERVAL, {"data": {"runIds": ["${rid}"], "metricKey": "nan"}}, label="bulk interval of NaN",
        known="graphql-field-errors")
    gql(d, LIST_ARTIFACTS, {"input": {"runId": "${rid}"}}, label="list artifacts")
    gql(d, LIST_ARTIFACTS, {"input": {"runId": "${rid}", "path": "sub"}}, label="list artifacts in a folder")
    gql(d, LIST_ARTIFACTS, {"input": {"runId": "${rid}", "path": "../x"}}, label="list artifacts, unsafe path")
    gql(d, LIST_ARTIFACTS, {"input": {}}, label="list artifacts without a run")
    gql(d, SEARCH_MODEL_VERSIONS, {"input": {"filter": "name='gql-ui-model'"}}, label="search model versions")
    gql(d, SEARCH_MODEL_VERSIONS, {"input": {"filter": "run_id='${rid}'", "maxResults": "5",
                                             "orderBy": ["version_number DESC"]}}, label="versions of a run")
    gql(d, SEARCH_MODEL_VERSIONS, {"input": {"filter": "bad filter ==="}}, label="search model versions bad filter")
    # the deployment job state's enums cannot represent an unset (0) value in the reference: errors beside nulls
    gql(d, "{ mlflowSearchModelVersions(input: {filter: \"name='gql-ui-model'\"}) { modelVersions { "
        "deploymentJobState { jobId runId jobState runState currentTaskName } } } }",
        label="deployment job state", known="graphql-field-errors")
    gql(d, 'mutation M { mlflowSearchRuns(input: {experimentIds: ["${eid}"]}) { runs { info { runId } } } }',
        label="search runs as a mutation")
    gql(d, 'query testQuery {test(inputString: "abc") { output }}', label="test echo")
    gql(d, 'mutation { testMutation(inputString: "abc") { output } }', label="test mutation")
    gql(d, INTROSPECTION, label="introspection")
    d.assert_equal()


def test_search_datasets(gdiffer):
    """mlflowSearchDatasets answers through the REST `experiments/search-datasets` of the datasets area."""
    d = gdiffer
    probe = requests.post(d.servers[1].base_url + "/ajax-api/2.0/mlflow/experiments/search-datasets",
                          json={"experiment_ids": ["0"]}, timeout=60)
    if probe.status_code == 404:
        pytest.skip("this tracklite has no experiments/search-datasets yet (the datasets area)")
    _seed(d, "gql-datasets")
    gql(d, SEARCH_DATASETS, {"input": {"experimentIds": ["${eid}"]}}, label="search datasets")
    gql(d, SEARCH_DATASETS, {"input": {"experimentIds": []}}, label="search datasets of no experiment")
    d.assert_equal()


def test_bad_requests(gdiffer):
    d = gdiffer
    gql(d, "{ nope }", label="unknown field")
    gql(d, "{ mlflowGetRun(input: {runId: 5}) { run { info { runId } } } }", label="wrong input type",
        ignore=("errors",))  # graphql-core's and graphql-js's wording differ (see KNOWN_DIFFERENCES.md)
    gql(d, 'query A { test(inputString: "a") { output } } query B { test(inputString: "b") { output } }',
        label="two operations, no operationName")
    gql(d, 'query A { test(inputString: "a") { output } }', label="unknown operationName", ignore=("errors",))
    d.post("/graphql", {"query": 'query A { test(inputString: "a") { output } }', "operationName": "A"},
           label="operationName")
    gql(d, "subscription { test }", label="a subscription")
    gql(d, "{ test(inputString: ", label="syntax error")  # its 500 HTML page, our 400: no-5xx-for-client-errors
    d.post("/graphql", [{"query": '{ test(inputString: "a") { output } }'}], label="batched array",
           known="no-5xx-for-client-errors")
    d.post("/graphql", {}, label="no query", known="no-5xx-for-client-errors")
    d.post("/graphql", {"query": 5}, label="query not a string", known="no-5xx-for-client-errors")
    d.call("POST", "/graphql", raw_body="garbage", label="not JSON", known="no-5xx-for-client-errors")
    d.call("PUT", "/graphql", {"query": "{ nope }"}, label="PUT")
    d.call("POST", "/graphql", raw_body='{"query": "{ test(inputString: \\"x\\") { output } }"}',
           headers={"Content-Type": "text/plain"}, label="text/plain")
    # (a GET: the reference reads its JSON body, tracklite its URL; see KNOWN_DIFFERENCES.md graphql-requests)
    d.assert_equal()


def _aliases(n: int) -> str:
    return " ".join(f"experiment_{i}: experiment {{ name }}" for i in range(n))


def test_attacks(gdiffer):
    """The reference's limits answer 200 with the refusal as the only error; both must refuse the same way."""
    d = gdiffer
    roots = " ".join(f'key_{i}: test(inputString: "abc") {{ output }}' for i in range(12))
    gql(d, f"query testQuery {{{roots}}}", label="12 root fields")
    gql(d, " ".join(f'query Q{i} {{ test(inputString: "a") {{ output }} }}' for i in range(11)),
        label="root fields over 11 operations")
    gql(d, f'query testQuery {{mlflowGetExperiment(input: {{experimentId: "123"}}) {{ {_aliases(12)} }}}}',
        label="12 aliases")
    gql(d, f'query {{mlflowGetExperiment(input: {{experimentId: "123"}}) {{ {_aliases(10)} }}}}', label="10 aliases")
    # aliases spread over sibling fragments count together
    gql(d, 'query { mlflowGetExperiment(input: {experimentId: "0"}) { ...A ...B ... on MlflowGetExperimentResponse { '
        f'{_aliases(4).replace("experiment_", "c_")} }} }} }}'
        f' fragment A on MlflowGetExperimentResponse {{ {_aliases(4)} }}'
        f' fragment B on MlflowGetExperimentResponse {{ {_aliases(4).replace("experiment_", "b_")} }}',
        label="aliases spread over fragments")
    inner = "name"
    for _ in range(12):
        inner = f"name {{ {inner} }}"
    gql(d, f'query testQuery {{ mlflowGetExperiment(input: {{experimentId: "123"}}) {{ experiment {{ {inner} }} }} }}',
        label="too deep")
    fields = " ".join(f"field_{i} {{ name }}" for i in range(1002))
    gql(d, f'query {{ mlflowGetExperiment(input: {{experimentId: "123"}}) {{ experiment {{ {fields} }} }} }}',
        label="too many selections")
    gql(d, 'query { mlflowGetExperiment(input: {experimentId: "0"}) { ...F } } '
        "fragment F on MlflowGetExperimentResponse { experiment { tags { key } } ...F }", label="a fragment cycle",
        ignore=("errors",))  # both refuse it; the message is the validator's, worded by each library
    gql(d, '{ test(inputString: "a") { output @include(if: false) } }', label="@include is unknown",
        known="graphql-requests")
    d.post("/graphql", [{"query": '{ test(inputString: "a") { output } }'}] * 50, label="batch of 50",
           known="no-5xx-for-client-errors")
    d.assert_equal()


# ---------------------------------------------------------------------------------------------------------- auth

@pytest.fixture(scope="module")
def auth_servers():
    started = start_servers(["reference", "tracklite"], extra_env=AUTH_ENV, extra_args=AUTH_ARGS)
    try:
        yield started
    finally:
        stop_servers(started)


def _auth_call(url: str, who: tuple[str, str] | None, method: str, path: str, body=None):
    return requests.request(method, url + path, json=body, auth=who, timeout=60)


TIME_FIELDS = {"startTime", "lastUpdateTime", "creationTime", "creationTimestamp", "lastUpdatedTimestamp", "timestamp"}


def _masked(v, ids: dict[str, str], key: str | None = None):
    """The answer with each server's own ids named by role and times masked."""
    if isinstance(v, dict):
        return {k: _masked(x, ids, k) for k, x in v.items()}
    if isinstance(v, list):
        return [_masked(x, ids, key) for x in v]
    if isinstance(v, str):
        if key in TIME_FIELDS:
            return "<time>"
        for real, placeholder in ids.items():
            v = placeholder if v == real else (v.replace(real, placeholder) if len(real) == 32 else v)
    return v


def auth_outcome(url: str) -> dict:
    """A user READ on one experiment (the default) and DENY on another and on a registered model: what they and an
    admin get from GraphQL calls. A refused call is null without an error; searches keep what the user may read."""
    # (run against two servers by test_auth; also by hand: auth_outcome("http://127.0.0.1:5000") on fresh servers)
    alice = ("alice", "alice-password-1")
    ids: dict[str, str] = {}

    def call(who, method, path, body=None):
        return _auth_call(url, who, method, path, body)

    assert call(AUTH_ADMIN, "POST", "/api/2.0/mlflow/users/create",
                {"username": alice[0], "password": alice[1]}).status_code == 200
    exps = []
    for i, name in enumerate(("open", "closed")):
        eid = call(AUTH_ADMIN, "POST", "/api/2.0/mlflow/experiments/create", {"name": f"gql-{name}"}).json()[
            "experiment_id"]
        # distinct start times: runs that tie are ordered by their (random) ids
        rid = call(AUTH_ADMIN, "POST", "/api/2.0/mlflow/runs/create",
                   {"experiment_id": eid, "start_time": 1_700_000_000_000 + i}).json()["run"]["info"]["run_id"]
        call(AUTH_ADMIN, "POST", "/api/2.0/mlflow/runs/log-metric",
             {"run_id": rid, "key": "m", "value": 1, "timestamp": 1, "step": 0})
        call(AUTH_ADMIN, "POST", "/api/2.0/mlflow/registered-models/create", {"name": f"gql-{name}-model"})
        call(AUTH_ADMIN, "POST", "/api/2.0/mlflow/model-versions/create",
             {"name": f"gql-{name}-model", "source": f"runs:/{rid}/m", "run_id": rid})
        ids[eid], ids[rid] = f"<exp-{name}>", f"<run-{name}>"
        exps.append((eid, rid))
    (open_eid, open_rid), (closed_eid, closed_rid) = exps
    # a version of the denied model made from the readable run: left out of that run's modelVersions
    call(AUTH_ADMIN, "POST", "/api/2.0/mlflow/model-versions/create",
         {"name": "gql-closed-model", "source": f"runs:/{open_rid}/m", "run_id": open_rid})
    for kind, resource in (("experiment", closed_eid), ("registered_model", "gql-closed-model")):
        r = call(AUTH_ADMIN, "POST", "/api/3.0/mlflow/users/permissions/grant",
                 {"username": alice[0], "resource_type": kind, "resource_id": resource, "permission": "DENY"})
        assert r.status_code == 200, r.text

    def ask(who, query, variables=None):
        r = call(who, "POST", "/graphql", {"query": query, "variables": variables})
        return {"status": r.status_code, **(_masked(r.json(), ids) if r.status_code == 200 else {})}

    run_q = ("query Q($id: String) { mlflowGetRun(input: {runId: $id}) { run { info { runId } "
             "experiment { name } modelVersions { name } } } }")
    exp_q = "query Q($id: String) { mlflowGetExperiment(input: {experimentId: $id}) { experiment { name } } }"
    search_q = ("query Q($ids: [String]) { mlflowSearchRuns(input: {experimentIds: $ids}) "
                "{ runs { info { runId experimentId } modelVersions { name } } } }")
    bulk_q = ("query Q($ids: [String]) { mlflowGetMetricHistoryBulkInterval(input: {runIds: $ids, metricKey: \"m\"}) "
              "{ metrics { runId value } } }")
    versions_q = "{ mlflowSearchModelVersions(input: {filter: \"name LIKE 'gql-%'\"}) { modelVersions { name } } }"
    return {
        "anonymous": ask(None, '{ test(inputString: "a") { output } }')["status"],
        "test": ask(alice, '{ test(inputString: "a") { output } }'),
        "open run": ask(alice, run_q, {"id": open_rid}),
        "closed run": ask(alice, run_q, {"id": closed_rid}),
        "closed run, admin": ask(AUTH_ADMIN, run_q, {"id": closed_rid}),
        "closed experiment": ask(alice, exp_q, {"id": closed_eid}),
        "open experiment": ask(alice, exp_q, {"id": open_eid}),
        "search both": ask(alice, search_q, {"ids": [open_eid, closed_eid]}),
        "search closed": ask(alice, search_q, {"ids": [closed_eid]}),
        "search both, admin": ask(AUTH_ADMIN, search_q, {"ids": [open_eid, closed_eid]}),
        "bulk interval": ask(alice, bulk_q, {"ids": [open_rid, closed_rid]}),
        "bulk interval, open": ask(alice, bulk_q, {"ids": [open_rid]}),
        "artifacts": ask(alice, "query Q($id: String) { mlflowListArtifacts(input: {runId: $id}) { files { path } } }",
                         {"id": closed_rid}),
        "versions": ask(alice, versions_q),
        "versions, admin": ask(AUTH_ADMIN, versions_q),
    }


@pytest.mark.timeout(900)  # two servers with basic auth start slowly on a busy machine
def test_auth(auth_servers):
    reference, candidate = (auth_outcome(server.url) for server in auth_servers)
    assert reference["closed run"]["data"] == {"mlflowGetRun": None}, reference  # the scenario refuses something
    diffs = {k: (reference[k], candidate[k]) for k in reference if reference[k] != candidate[k]}
    assert not diffs, json.dumps(diffs, indent=1)
