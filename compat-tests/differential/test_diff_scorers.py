"""Differential: registered scorers (register, versions, get, list, delete, online scoring configs, and the refusals
with their messages), prompt optimization jobs, scorer/invoke, and the prompt lab's run with its artifacts.

The reference runs with MLFLOW_SERVER_ENABLE_JOB_EXECUTION=false: tracklite has no job runner, and the reference's own
answer without one is the closest to tracklite's (`no-python-runtime` in KNOWN_DIFFERENCES.md)."""

import json
import os

import pytest
import yaml

from support.clientutil import MLFLOW_MAJOR
from support.diff import ServerState
from support.servers import start_servers, stop_servers

# Two servers start (the reference takes a minute or more on a loaded box) and every scenario sends many requests.
pytestmark = pytest.mark.timeout(900)

if MLFLOW_MAJOR < 3:
    pytest.skip("scorers are MLflow 3 RPCs", allow_module_level=True)

S = "/api/3.0/mlflow/scorers"
JOBS = "/api/3.0/mlflow/prompt-optimization/jobs"
PROMPTLAB = "/ajax-api/2.0/mlflow/runs/create-promptlab-run"
# Scorer ids are uuid4s each server draws (no mask rule numbers them), so they are left out of comparisons.
NO_IDS = ("scorer_id", "scorer.scorer_id", "scorers.scorer_id", "config.scorer_id", "configs.scorer_id")


@pytest.fixture(scope="module")
def diff_servers():
    candidate = os.environ.get("COMPAT_DIFF_AGAINST", "tracklite").strip() or "tracklite"
    servers = start_servers(["reference", candidate], extra_env={"MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false"})
    a, b = servers
    try:
        yield servers, [ServerState("reference", a.url), ServerState(candidate, b.url)]
    finally:
        stop_servers(servers)


def judge(name, model="openai:/gpt-4o-mini"):
    return json.dumps({"name": name, "instructions_judge_pydantic_data": {"instructions": "Is {{ outputs }} ok?",
                                                                          "model": model},
                       "builtin_scorer_class": None, "call_source": None, "mlflow_version": "3.17.2",
                       "serialization_version": 1})


def experiment(d, name, var):
    d.post("experiments/create", {"name": name}, save={var: "experiment_id"}, expect_status=200)


def register(d, exp, name, serialized, **kw):
    return d.call("POST", f"{S}/register", {"experiment_id": exp, "name": name, "serialized_scorer": serialized},
                  ignore=NO_IDS, **kw)


def test_scorer_lifecycle(differ):
    d = differ
    experiment(d, "scorers-a", "e1")
    builtin = ('{"name":"safety","builtin_scorer_class":"Safety","builtin_scorer_pydantic_data":{"name":"safety",'
               '"model":null,"required_columns":["outputs"]},"call_source":null,"x":1.0,"u":"\u00e9"}')
    register(d, "${e1}", "safety", builtin, expect_status=200)
    register(d, "${e1}", "polite", judge("polite"), expect_status=200)
    register(d, "${e1}", "polite", judge("polite", "anthropic:/claude"), expect_status=200)
    d.get(f"{S}/list", {"experiment_id": "${e1}"}, ignore=NO_IDS, expect_status=200)
    d.get(f"{S}/list", ignore=NO_IDS, expect_status=200)
    d.get(f"{S}/versions", {"experiment_id": "${e1}", "name": "polite"}, ignore=NO_IDS, expect_status=200)
    d.get(f"{S}/get", {"experiment_id": "${e1}", "name": "polite"}, ignore=NO_IDS, expect_status=200)
    d.get(f"{S}/get", {"experiment_id": "${e1}", "name": "safety", "version": "1"}, ignore=NO_IDS,
          expect_status=200)
    d.get(f"/ajax-api/3.0/mlflow/scorers/get", {"experiment_id": "${e1}", "name": "polite", "version": "1"},
          ignore=NO_IDS, expect_status=200)
    # not found: scorer, version, experiment; bad ids and versions
    d.get(f"{S}/get", {"experiment_id": "${e1}", "name": "nope"}, expect_status=404)
    d.get(f"{S}/get", {"experiment_id": "${e1}", "name": "polite", "version": "9"}, expect_status=404)
    d.get(f"{S}/get", {"experiment_id": "424242", "name": "x"}, expect_status=404)
    d.get(f"{S}/get", {"experiment_id": "abc", "name": "x"}, expect_status=400)
    d.get(f"{S}/get", {"experiment_id": "${e1}", "name": "x", "version": "x"}, expect_status=400)
    d.get(f"{S}/versions", {"experiment_id": "${e1}", "name": "nope"}, expect_status=404)
    d.get(f"{S}/versions", {"experiment_id": "${e1}"}, expect_status=400)
    # delete one version, then everything; registering again starts at 1
    d.call("DELETE", f"{S}/delete", {"experiment_id": "${e1}", "name": "polite", "version": 1}, expect_status=200)
    d.call("DELETE", f"{S}/delete", {"experiment_id": "${e1}", "name": "polite", "version": 1}, expect_status=404)
    d.get(f"{S}/versions", {"experiment_id": "${e1}", "name": "polite"}, ignore=NO_IDS, expect_status=200)
    d.call("DELETE", f"{S}/delete", {"experiment_id": "${e1}", "name": "polite"}, expect_status=200)
    d.call("DELETE", f"{S}/delete", {"experiment_id": "${e1}", "name": "polite"}, expect_status=404)
    d.get(f"{S}/get", {"experiment_id": "${e1}", "name": "polite"}, expect_status=404)
    register(d, "${e1}", "polite", judge("polite"), expect_status=200)
    # several experiments
    experiment(d, "scorers-b", "e2")
    register(d, "${e2}", "b", judge("b"), expect_status=200)
    d.get(f"{S}/list", [("experiment_ids", "${e2}"), ("experiment_ids", "424242")], ignore=NO_IDS,
          expect_status=200)
    d.get(f"{S}/list", [("experiment_id", "${e1}"), ("experiment_ids", "${e2}")], expect_status=400)
    d.get(f"{S}/list", {"experiment_ids": "a b"}, expect_status=400)
    d.get(f"{S}/list", {"experiment_id": "424242"}, expect_status=404)
    # a deleted experiment
    experiment(d, "scorers-gone", "e3")
    d.post("experiments/delete", {"experiment_id": "${e3}"}, expect_status=200)
    register(d, "${e3}", "x", judge("x"), expect_status=400)
    d.get(f"{S}/list", {"experiment_id": "${e3}"}, expect_status=400)
    d.assert_equal()


def test_register_refusals(differ):
    d = differ
    experiment(d, "scorers-refusals", "r")
    register(d, "${r}", "c", json.dumps({"name": "c", "call_source": "return True"}), expect_status=400)
    register(d, "${r}", "c", json.dumps({"name": "c", "ensemble": [{"call_source": "x"}]}), expect_status=400)
    register(d, "${r}", "c", "not json", expect_status=400)
    register(d, "${r}", "c", judge("c", 5), expect_status=400)
    register(d, "${r}", "c", judge("c", "  "), expect_status=400)
    register(d, "${r}", " ", judge("c"), expect_status=400)
    register(d, "${r}", "c", json.dumps({"third_party_scorer_data": {"kwargs": {"x": [["base_url", "h"]]}}}),
             expect_status=400)
    register(d, "${r}", "c", json.dumps({"third_party_scorer_data": {"kwargs": [1]}}), expect_status=400)
    register(d, "${r}", "c", "[1]", expect_status=500)
    register(d, "${r}", "c", json.dumps({"builtin_scorer_pydantic_data": "x"}), expect_status=500)
    # tracklite has no AI Gateway: the reference's "not found", with the reason
    register(d, "${r}", "c", judge("c", "gateway:/my-endpoint"), expect_status=404, known="no-python-runtime")
    d.post(f"{S}/register", {"experiment_id": 1, "name": "c", "serialized_scorer": "{}"}, expect_status=400)
    d.post(f"{S}/register", {"name": "c", "serialized_scorer": "{}"}, expect_status=400)
    d.post(f"{S}/register", {"experiment_id": "${r}", "name": "c"}, expect_status=400)
    d.post(f"{S}/register", {"experiment_id": "${r}", "name": "c", "serialized_scorer": {}}, expect_status=400)
    d.call("GET", f"/api/2.0/mlflow/scorers/list", expect_status=404)
    d.assert_equal()


def test_online_scoring_configs(differ):
    d = differ
    experiment(d, "scorers-online", "o")
    register(d, "${o}", "online", judge("online"), save={"sid": "scorer_id"}, expect_status=200)
    put = f"{S}/online-config"
    d.call("PUT", put, {"experiment_id": "${o}", "name": "online", "sample_rate": 0,
                        "filter_string": "trace.status = 'OK'"}, ignore=NO_IDS, expect_status=200)
    d.get(f"{S}/online-configs", [("scorer_ids", "${sid}"), ("scorer_ids", "unknown")], ignore=NO_IDS,
          expect_status=200)
    d.call("PUT", put, {"experiment_id": "${o}", "name": "online", "sample_rate": "0"}, ignore=NO_IDS,
           expect_status=200)
    d.get(f"{S}/online-configs", {"scorer_ids": "${sid}"}, ignore=NO_IDS, expect_status=200)
    # a rate above 0 needs judges the server runs: refused by both, tracklite saying why
    d.call("PUT", put, {"experiment_id": "${o}", "name": "online", "sample_rate": 0.5}, expect_status=400,
           known="no-python-runtime")
    d.call("PUT", put, {"experiment_id": "${o}", "name": "online", "sample_rate": 2}, expect_status=400)
    d.call("PUT", put, {"experiment_id": "${o}", "name": "online", "sample_rate": -0.5}, expect_status=400)
    d.call("PUT", put, {"experiment_id": "${o}", "name": "online", "sample_rate": 0, "filter_string": 5},
           expect_status=400)
    d.call("PUT", put, {"experiment_id": "${o}", "name": "online", "sample_rate": "x"}, expect_status=500)
    d.call("PUT", put, {"experiment_id": "${o}", "name": "nope", "sample_rate": 0}, expect_status=404)
    d.call("PUT", put, {"experiment_id": "${o}", "name": "online"}, expect_status=400)
    d.get(f"{S}/online-configs", expect_status=400)
    # deleting the scorer deletes its configuration
    d.call("DELETE", f"{S}/delete", {"experiment_id": "${o}", "name": "online"}, expect_status=200)
    d.get(f"{S}/online-configs", {"scorer_ids": "${sid}"}, expect_status=200)
    d.assert_equal()


def test_prompt_optimization_jobs_and_invoke(differ):
    d = differ
    experiment(d, "optimize", "p")
    d.get(f"{JOBS}/search", {"experiment_id": "${p}"}, expect_status=200)
    d.post(f"{JOBS}/search", {"experiment_id": "${p}"}, expect_status=200)
    d.get(f"{JOBS}/search", {"experiment_id": "424242"}, expect_status=200)
    d.post(f"{JOBS}/search", {}, expect_status=400)
    d.post(f"{JOBS}/search", {"experiment_id": 1}, expect_status=400)
    d.get(f"{JOBS}/j-1", expect_status=404)
    d.call("DELETE", f"{JOBS}/j-1", expect_status=404)
    d.post(f"{JOBS}/j-1/cancel", {}, expect_status=404)
    config = {"optimizer_type": "OPTIMIZER_TYPE_GEPA", "scorers": ["Correctness"]}
    d.post(JOBS, {}, expect_status=400)
    d.post(JOBS, {"source_prompt_uri": "prompts:/p/1"}, expect_status=400)
    d.post(JOBS, {"source_prompt_uri": "prompts:/p/1", "config": {}}, expect_status=400)
    d.post(JOBS, {"source_prompt_uri": "prompts:/p/1", "config": {"optimizer_type": 7}}, expect_status=400)
    d.post(JOBS, {"source_prompt_uri": "prompts:/p/1", "config": config}, expect_status=400)
    d.post(JOBS, {"experiment_id": " ", "source_prompt_uri": "prompts:/p/1", "config": config}, expect_status=400)
    d.post(JOBS, {"experiment_id": "424242", "source_prompt_uri": "prompts:/p/1", "config": config},
           expect_status=404)
    # the reference (without its job runner) refuses after creating the job's run; tracklite refuses first
    d.post(JOBS, {"experiment_id": "${p}", "source_prompt_uri": "prompts:/p/1", "config": config},
           expect_status=500, known="no-python-runtime")

    invoke = "/ajax-api/3.0/mlflow/scorer/invoke"
    d.post(invoke, {}, expect_status=400)
    d.post(invoke, {"experiment_id": "${p}"}, expect_status=400)
    d.post(invoke, {"experiment_id": "${p}", "serialized_scorer": judge("j")}, expect_status=400)
    d.post(invoke, {"experiment_id": "${p}", "serialized_scorer": judge("j"), "trace_ids": [1]}, expect_status=400)
    d.post(invoke, {"experiment_id": "${p}", "serialized_scorer": judge("j"), "trace_ids": ["tr-1"],
                    "scorer_name": "j"}, expect_status=400)
    d.post(invoke, {"experiment_id": "${p}", "serialized_scorer": json.dumps({"call_source": "x"}),
                    "trace_ids": ["tr-1"]}, expect_status=400)
    d.assert_equal()


def promptlab_body(exp):
    return {"experiment_id": exp, "run_name": "pl", "prompt_template": "Hello {{name}}, é: 'x' #y",
            "prompt_parameters": [{"key": "name", "value": "Bob"}, {"key": "n", "value": 3}],
            "model_route": "chat", "model_parameters": [{"key": "temperature", "value": 0.5},
                                                        {"key": "max_tokens", "value": 100}],
            "model_input": "Hello Bob", "model_output": "Hi!",
            "model_output_parameters": [{"key": "latency", "value": 12}],
            "mlflow_version": "3.17.2", "user_id": "me", "start_time": 1700000000000}


def test_promptlab_run(differ):
    d = differ
    experiment(d, "promptlab", "l")
    # the history tag holds a time and a uuid of each server's: compared below, field by field
    ra, rb = d.post(PROMPTLAB, promptlab_body("${l}"), save={"plrun": "run.info.run_id"}, ignore=("run.data.tags",),
                    expect_status=200)
    tags = [{t["key"]: t["value"] for t in r.body["run"]["data"]["tags"]} for r in (ra, rb)]
    assert tags[0].keys() == tags[1].keys()
    for key in tags[0]:
        if key != "mlflow.log-model.history":
            assert tags[0][key] == tags[1][key], key
    histories = [json.loads(t["mlflow.log-model.history"]) for t in tags]
    for h, r in zip(histories, (ra, rb)):
        assert [set(m) for m in h] == [{"run_id", "artifact_path", "utc_time_created", "model_uuid", "flavors"}]
        assert h[0]["run_id"] == r.body["run"]["info"]["run_id"] and h[0]["flavors"] == {}
    d.get("artifacts/list", {"run_id": "${plrun}"}, expect_status=200)
    # the YAML files' sizes differ by their quoting (their content is compared below)
    d.get("artifacts/list", {"run_id": "${plrun}", "path": "model"}, expect_status=200, known="promptlab-environment")
    for path in ("eval_results_table.json", "model/input_example.json", "model/serving_input_example.json",
                 "model/requirements.txt"):
        d.call("GET", "/get-artifact", params={"run_id": "${plrun}", "path": path}, body_mode="text",
               expect_status=200)
    # YAML files: the same content (tracklite quotes request strings; its Python environment is a fixed one)
    docs = []
    for path in ("model/MLmodel", "model/parameters.yaml", "model/conda.yaml", "model/python_env.yaml"):
        ya, yb = d.call("GET", "/get-artifact", params={"run_id": "${plrun}", "path": path}, body_mode="status",
                        expect_status=200)
        docs.append((yaml.safe_load(ya.raw), yaml.safe_load(yb.raw)))
    (ma, mb), (pa, pb), (ca, cb), (ea, eb) = docs
    for m, r, h in zip((ma, mb), (ra, rb), histories):
        assert m["run_id"] == r.body["run"]["info"]["run_id"]
        assert (m["model_uuid"], m["utc_time_created"]) == (h[0]["model_uuid"], h[0]["utc_time_created"])
        for k in ("run_id", "model_uuid", "utc_time_created"):
            m.pop(k)
    assert ma == mb
    assert pa == pb
    assert ca == cb and ea == eb
    # refusals, in the reference's order
    base = promptlab_body("${l}")
    for field in ("experiment_id", "prompt_template", "prompt_parameters", "model_route", "model_input",
                  "mlflow_version"):
        d.post(PROMPTLAB, {k: v for k, v in base.items() if k != field}, expect_status=400)
    d.post(PROMPTLAB, {**base, "experiment_id": "424242"}, expect_status=404)
    d.post(PROMPTLAB, {**base, "tags": [{"key": "a", "value": "b"}]}, expect_status=500)
    d.call("POST", "/ajax-api/3.0/mlflow/runs/create-promptlab-run", base, expect_status=404)
    d.assert_equal()
