"""Differential: the model registry (registered models, versions, tags, aliases, stages, searches) and prompts, which
are registered models tagged `mlflow.prompt.is_prompt`."""

import time

RM = "registered-models/"
MV = "model-versions/"
PROMPT_TAG = "mlflow.prompt.is_prompt"


def _pause():
    # orders on update times break ties by name: keep the servers' times apart the same way
    time.sleep(0.01)


def _run(d, exp_name, var="rid"):
    d.post("experiments/create", {"name": exp_name}, save={"eid": "experiment_id"}, expect_status=200)
    d.post("runs/create", {"experiment_id": "${eid}", "run_name": "src", "start_time": 1_700_000_000_000},
           save={var: "run.info.run_id", f"{var}_root": "run.info.artifact_uri"}, expect_status=200)


def test_registered_models_lifecycle(differ):
    d = differ
    d.post(RM + "create", {"name": "rm-plain"}, expect_status=200)
    d.post(RM + "create", {"name": "rm-plain"}, expect_status=400)
    d.post(RM + "create", {"name": "rm-rich", "description": "about",
                           "tags": [{"key": "b", "value": "1"}, {"key": "a", "value": "2"}, {"key": "c"},
                                    {"key": "b", "value": "3"}]}, expect_status=200)
    d.get(RM + "get", {"name": "rm-rich"}, expect_status=200)
    d.get("/ajax-api/2.0/mlflow/registered-models/get", {"name": "rm-rich"}, expect_status=200)
    # request and name checks
    for body in [{}, {"name": ""}, {"name": " "}, {"name": 5}, {"name": "a/b"}, {"name": "a:b"}, {"name": "."},
                 {"name": "x", "tags": "t"}, {"name": "x", "tags": [{"value": "1"}]},
                 {"name": "x", "tags": [{"key": "a/../b", "value": "1"}]}, {"name": "x", "tags": [{"key": "k" * 251}]},
                 {"name": "x", "description": 5}]:
        d.post(RM + "create", body, expect_status=400)
    for params in [{}, {"name": ""}, {"name": "a/b"}, {"name": "nope"}]:
        d.get(RM + "get", params)
    # rename: versions follow; a taken name, a bad name, a missing one
    d.post(RM + "create", {"name": "rm-old"}, expect_status=200)
    d.post(MV + "create", {"name": "rm-old", "source": "s3://bucket/path/model"}, expect_status=200)
    d.post(RM + "rename", {"name": "rm-old", "new_name": "rm-new"}, expect_status=200)
    d.post(RM + "rename", {"name": "rm-new", "new_name": "rm-new"}, expect_status=200)
    d.post(RM + "rename", {"name": "rm-new", "new_name": "rm-plain"}, expect_status=400)
    d.post(RM + "rename", {"name": "rm-old", "new_name": "x"}, expect_status=404)
    d.post(RM + "rename", {"name": "rm-new"}, expect_status=400)
    d.post(RM + "rename", {"name": "rm-new", "new_name": " "}, expect_status=400)
    d.post(RM + "rename", {"name": "rm-new", "new_name": "a/b"}, expect_status=400)
    d.get(MV + "get", {"name": "rm-new", "version": "1"}, expect_status=200)
    d.get(MV + "get", {"name": "rm-old", "version": "1"}, expect_status=404)
    # update (PATCH): a missing description clears it
    d.call("PATCH", RM + "update", {"name": "rm-new", "description": "d2"}, expect_status=200)
    d.call("PATCH", RM + "update", {"name": "rm-new"}, expect_status=200)
    d.call("PATCH", RM + "update", {"name": "nope", "description": "x"}, expect_status=404)
    d.call("PATCH", RM + "update", {"description": "x"}, expect_status=400)
    d.post(RM + "update", {"name": "rm-new"}, expect_status=405)
    # tags: upsert keeps the first position, delete of a missing key is fine
    d.post(RM + "set-tag", {"name": "rm-rich", "key": "a", "value": "new"}, expect_status=200)
    d.post(RM + "set-tag", {"name": "rm-rich", "key": "z"}, expect_status=200)
    d.call("DELETE", RM + "delete-tag", {"name": "rm-rich", "key": "b"}, expect_status=200)
    d.call("DELETE", RM + "delete-tag", {"name": "rm-rich", "key": "b"}, expect_status=200)
    d.post(RM + "set-tag", {"name": "rm-rich", "key": "b", "value": "back"}, expect_status=200)
    d.get(RM + "get", {"name": "rm-rich"})
    d.post(RM + "set-tag", {"name": "nope", "key": "a", "value": "1"}, expect_status=404)
    d.post(RM + "set-tag", {"name": "rm-rich", "value": "1"}, expect_status=400)
    d.post(RM + "set-tag", {"name": "rm-rich", "key": "a b!", "value": "1"}, expect_status=400)
    d.post(RM + "set-tag", {"name": "rm-rich", "key": "k", "value": "v" * 100_001}, expect_status=400)
    d.post(RM + "set-tag", {"name": "rm-rich", "key": "k", "value": 1}, expect_status=400)
    d.call("DELETE", RM + "delete-tag", {"name": "nope", "key": "a"}, expect_status=404)
    d.call("DELETE", RM + "delete-tag", {"name": "rm-rich", "key": "../x"}, expect_status=400)
    d.call("DELETE", RM + "delete-tag", {"name": "rm-rich"}, expect_status=400)
    # delete: the model, its versions and tags go
    d.call("DELETE", RM + "delete", {"name": "rm-new"}, expect_status=200)
    d.call("DELETE", RM + "delete", {"name": "rm-new"}, expect_status=404)
    d.get(MV + "get", {"name": "rm-new", "version": "1"}, expect_status=404)
    d.post(RM + "create", {"name": "rm-new"}, expect_status=200)
    d.post(MV + "create", {"name": "rm-new", "source": "s3://bucket/path/model"}, expect_status=200)
    d.call("DELETE", RM + "delete", {}, expect_status=400)
    d.assert_equal()


def test_model_versions_lifecycle(differ):
    d = differ
    _run(d, "diff-reg-versions")
    d.post(RM + "create", {"name": "mv"}, expect_status=200)
    _pause()
    d.post(MV + "create", {"name": "mv", "source": "${rid_root}/model", "run_id": "${rid}"}, expect_status=200)
    _pause()
    d.post(MV + "create", {"name": "mv", "source": "s3://bucket/m", "description": "second", "run_link": "http://x",
                           "tags": [{"key": "t", "value": "1"}, {"key": "u", "value": "2"}]}, expect_status=200)
    _pause()
    d.post(MV + "create", {"name": "mv", "source": "runs:/${rid}/model", "run_id": "${rid}"}, expect_status=200)
    d.post(MV + "create", {"name": "nope", "source": "s3://bucket/m"}, expect_status=404)
    d.get(MV + "get", {"name": "mv", "version": "2"}, expect_status=200)
    d.get(RM + "get", {"name": "mv"}, expect_status=200)
    for params in [{"name": "mv"}, {"version": "1"}, {"name": "mv", "version": "x"}, {"name": "mv", "version": "1.0"},
                   {"name": "mv", "version": " 1 "}, {"name": "mv", "version": "+2"}, {"name": "mv", "version": "9"},
                   {"name": "a:b", "version": "1"}]:
        d.get(MV + "get", params)
    # update
    d.call("PATCH", MV + "update", {"name": "mv", "version": "1", "description": "first"}, expect_status=200)
    d.call("PATCH", MV + "update", {"name": "mv", "version": "2"}, expect_status=200)
    d.call("PATCH", MV + "update", {"name": "mv", "version": "7", "description": "x"}, expect_status=404)
    d.call("PATCH", MV + "update", {"name": "mv", "version": 1, "description": "x"}, expect_status=400)
    # stages
    d.post(MV + "transition-stage", {"name": "mv", "version": "1", "stage": "staging"}, expect_status=200)
    _pause()
    d.post(MV + "transition-stage", {"name": "mv", "version": "2", "stage": "Production"}, expect_status=200)
    _pause()
    d.post(MV + "transition-stage", {"name": "mv", "version": "3", "stage": "Staging",
                                     "archive_existing_versions": True}, expect_status=200)
    d.post(MV + "transition-stage", {"name": "mv", "version": "3", "stage": "Bogus"}, expect_status=400)
    d.post(MV + "transition-stage", {"name": "mv", "version": "3", "stage": "None",
                                     "archive_existing_versions": True})
    d.post(MV + "transition-stage", {"name": "mv", "version": "3", "stage": "Archived",
                                     "archive_existing_versions": "yes"}, expect_status=400)
    d.post(MV + "transition-stage", {"name": "mv", "version": "3"}, expect_status=400)
    d.post(MV + "transition-stage", {"name": "mv", "version": "9", "stage": "Staging"}, expect_status=404)
    d.get(RM + "get", {"name": "mv"})
    for body in [{"name": "mv"}, {"name": "mv", "stages": ["production", "Archived"]}, {"name": "mv", "stages": []},
                 {"name": "mv", "stages": ["None"]}, {"name": "mv", "stages": ["bogus"]}, {"name": "mv", "stages": "x"},
                 {"name": "nope"}, {"name": "nope", "stages": ["bogus"]}, {}]:
        d.post(RM + "get-latest-versions", body)
    d.get(RM + "get-latest-versions", [("name", "mv"), ("stages", "Staging"), ("stages", "Production")],
          expect_status=200)
    # aliases: set, move, reserved names, get by alias and `latest`
    d.post(RM + "alias", {"name": "mv", "alias": "champion", "version": "1"}, expect_status=200)
    d.post(RM + "alias", {"name": "mv", "alias": "beta", "version": "1"}, expect_status=200)
    d.post(RM + "alias", {"name": "mv", "alias": "champion", "version": "2"}, expect_status=200)
    for body in [{"name": "mv", "alias": "latest", "version": "1"}, {"name": "mv", "alias": "LATEST", "version": "1"},
                 {"name": "mv", "alias": "v3", "version": "1"}, {"name": "mv", "alias": "V12", "version": "1"},
                 {"name": "mv", "alias": "a b", "version": "1"}, {"name": "mv", "alias": "x" * 256, "version": "1"},
                 {"name": "mv", "alias": "ok", "version": "9"}, {"name": "mv", "alias": "ok", "version": "two"},
                 {"name": "mv", "alias": "ok"}, {"name": "nope", "alias": "ok", "version": "1"}]:
        d.post(RM + "alias", body)
    d.get(RM + "alias", {"name": "mv", "alias": "champion"}, expect_status=200)
    d.get(RM + "alias", {"name": "mv", "alias": "latest"}, expect_status=200)
    d.get(RM + "alias", {"name": "mv", "alias": "Latest"}, expect_status=200)
    d.get(RM + "alias", {"name": "mv", "alias": "nope"}, expect_status=400)
    d.get(RM + "alias", {"name": "nope", "alias": "latest"}, expect_status=404)
    d.get(RM + "alias", {"name": "mv", "alias": "a b"}, expect_status=400)
    d.get(MV + "get", {"name": "mv", "version": "1"})
    d.get(RM + "get", {"name": "mv"})
    d.call("DELETE", RM + "alias", {"name": "mv", "alias": "beta"}, expect_status=200)
    d.call("DELETE", RM + "alias", {"name": "mv", "alias": "beta"}, expect_status=200)
    d.call("DELETE", RM + "alias", {"name": "nope", "alias": "beta"}, expect_status=404)
    d.call("DELETE", RM + "alias", {"name": "mv", "alias": ""}, expect_status=400)
    # version tags
    d.post(MV + "set-tag", {"name": "mv", "version": "2", "key": "u", "value": "changed"}, expect_status=200)
    d.post(MV + "set-tag", {"name": "mv", "version": "2", "key": "new"}, expect_status=200)
    d.call("DELETE", MV + "delete-tag", {"name": "mv", "version": "2", "key": "t"}, expect_status=200)
    d.call("DELETE", MV + "delete-tag", {"name": "mv", "version": "2", "key": "t"}, expect_status=200)
    d.get(MV + "get", {"name": "mv", "version": "2"})
    d.post(MV + "set-tag", {"name": "mv", "version": "9", "key": "k", "value": "v"}, expect_status=404)
    d.post(MV + "set-tag", {"name": "mv", "version": "x", "key": "k", "value": "v"}, expect_status=400)
    d.post(MV + "set-tag", {"name": "mv", "version": "2", "key": "bad key!", "value": "v"}, expect_status=400)
    d.post(MV + "set-tag", {"name": "mv", "version": "2", "key": "mlflow.prompt.text", "value": "p" * 100_001},
           expect_status=400)
    d.call("DELETE", MV + "delete-tag", {"name": "mv", "version": "9", "key": "k"}, expect_status=404)
    # download URI and files
    d.get(MV + "get-download-uri", {"name": "mv", "version": "1"}, expect_status=200)
    d.get(MV + "get-download-uri", {"name": "mv", "version": "9"}, expect_status=404)
    d.get(MV + "get-download-uri", {}, expect_status=400)
    d.get(MV + "get-download-uri", {"name": "mv"}, expect_status=400)
    d.call("PUT", "/api/2.0/mlflow-artifacts/artifacts/${eid}/${rid}/artifacts/model/MLmodel", raw_body="flavors: {}\n",
           expect_status=200)
    d.call("PUT", "/api/2.0/mlflow-artifacts/artifacts/${eid}/${rid}/artifacts/model/sub/w.txt", raw_body="w")
    art = "/model-versions/get-artifact"
    d.call("GET", art, params={"name": "mv", "version": "1", "path": "MLmodel"}, body_mode="text", expect_status=200)
    d.call("GET", art, params={"name": "mv", "version": "1", "path": "sub/w.txt"}, body_mode="text")
    d.call("GET", art, params={"name": "mv", "version": "1", "path": "missing"})
    d.call("GET", art, params={"name": "mv", "version": "1", "path": "../../x"}, expect_status=400)
    d.call("GET", art, params={"name": "mv", "version": "9", "path": "MLmodel"}, expect_status=404)
    # delete a version: gone from reads, its aliases too; numbers are not reused
    d.call("DELETE", MV + "delete", {"name": "mv", "version": "2"}, expect_status=200)
    d.call("DELETE", MV + "delete", {"name": "mv", "version": "2"}, expect_status=404)
    d.call("DELETE", MV + "delete", {"name": "mv", "version": "x"}, expect_status=400)
    d.get(MV + "get", {"name": "mv", "version": "2"}, expect_status=404)
    d.get(RM + "alias", {"name": "mv", "alias": "champion"}, expect_status=400)
    d.get(RM + "get", {"name": "mv"})
    d.post(MV + "create", {"name": "mv", "source": "s3://bucket/again"}, expect_status=200)
    d.post(RM + "get-latest-versions", {"name": "mv"})
    d.assert_equal()


def test_model_version_sources(differ):
    d = differ
    _run(d, "diff-reg-sources")
    d.post("runs/create", {"experiment_id": "${eid}", "run_name": "other", "start_time": 1_700_000_000_001},
           save={"other": "run.info.run_id"}, expect_status=200)
    d.post("logged-models", {"experiment_id": "${eid}", "name": "lm", "source_run_id": "${rid}"},
           save={"mid": "model.info.model_id", "mroot": "model.info.artifact_uri"}, expect_status=200)
    d.post("logged-models", {"experiment_id": "${eid}", "name": "lm2"}, save={"mid2": "model.info.model_id"},
           expect_status=200)
    d.post(RM + "create", {"name": "src"}, expect_status=200)
    bodies = [
        # from a logged model
        {"source": "${mroot}", "model_id": "${mid}"},
        {"source": "models:/${mid}", "model_id": "${mid}"},
        {"source": "models:/${mid2}", "model_id": "${mid2}"},
        {"source": "models:/${mid}"},
        {"source": "models:/${mid}", "model_id": "${mid2}"},
        {"source": "models:/${mid}", "run_id": "${rid}"},
        {"source": "${mroot}"},
        {"source": "${mroot}/sub", "model_id": "${mid}"},
        {"source": "${mroot}", "model_id": "m-00000000000000000000000000000000"},
        {"source": "runs:/${rid}/model", "model_id": "${mid}"},
        {"source": "/tmp/local", "model_id": "${mid}"},
        # from a run
        {"source": "${rid_root}/model", "run_id": "${other}"},
        {"source": "${rid_root}/model", "run_id": "00000000000000000000000000000000"},
        {"source": "runs:/${rid}/model", "run_id": "${other}"},
        {"source": "runs:/${rid}/model"},
        {"source": "runs://host/${rid}/model", "run_id": "${rid}"},
        {"source": "mlflow-artifacts:/other/path"},
        # traversal and hosts
        {"source": "${rid_root}/../../x", "run_id": "${rid}"},
        {"source": "${rid_root}/%2e%2e/x", "run_id": "${rid}"},
        {"source": "${rid_root}/%252e%252e/x", "run_id": "${rid}"},
        {"source": "s3://bucket/a/../b"},
        {"source": "s3://bucket/a/./b"},
        {"source": "s3://bucket/a%00b"},
        {"source": "s3://bucket"},
        {"source": "s3://bucket/a//b/"},
        {"source": "relative/path"},
        {"source": "/abs/path"},
        {"source": "file:///abs/path", "run_id": "${rid}"},
        {"source": "http://example.com/model"},
        {"source": "https://example.com/api/2.0/mlflow-artifacts/artifacts/x"},
        {"source": "mlflow-artifacts://host:5000/x"},
        {"source": "ftp://host/x"},
        # from another registered version
        {"source": "models:/src/1"},
        {"source": "models:/src/1", "run_id": ""},
        {"source": "models:/src/1", "run_id": "${rid}"},
        {"source": "models:/src/1", "model_id": "${mid}"},
        {"source": "models:/src/latest"},
        {"source": "models:/src/None"},
        {"source": "models:/src/Production"},
        {"source": "models:/src/Bogus"},
        {"source": "models:/src@champ"},
        {"source": "models:/src@nope"},
        {"source": "models:/src/99"},
        {"source": "models:/nope/1"},
        {"source": "models://host/src/1"},
        {"source": "models:/a/b/c"},
        {"source": "models:/"},
        # requests
        {"source": ""},
        {},
        {"source": 5},
        {"source": "s3://bucket/x", "run_id": 5},
        {"source": "s3://bucket/x", "tags": [{"key": "k"}]},
        {"source": "s3://bucket/x", "tags": [{"key": "bad key!", "value": "v"}]},
    ]
    for body in bodies:
        if body.get("source") == "models:/src@champ":
            d.post(RM + "alias", {"name": "src", "alias": "champ", "version": "1"}, expect_status=200)
        d.post(MV + "create", {"name": "src", **body}, label=f"create {body}")
    d.get("logged-models/${mid}", expect_status=200)
    d.get("logged-models/${mid2}", expect_status=200)
    d.get(MV + "search", {"filter": "name = 'src'", "order_by": ["version_number"]}, expect_status=200)
    d.get(MV + "get-download-uri", {"name": "src", "version": "1"}, expect_status=200)
    d.get(MV + "get-download-uri", {"name": "src", "version": "2"}, expect_status=200)
    d.assert_equal()


def _search_fixture(d, prefix):
    _run(d, f"{prefix}-exp")
    d.post("runs/create", {"experiment_id": "${eid}", "run_name": "r2", "start_time": 1_700_000_000_002},
           save={"rid2": "run.info.run_id"}, expect_status=200)
    models = [("alpha", "a", "1"), ("Beta", "a", "2"), ("gamma", "b", "3"), ("delta_x", "b", None)]
    for name, team, tier in models:
        tags = [{"key": "team", "value": team}] + ([{"key": "tier", "value": tier}] if tier else [])
        d.post(RM + "create", {"name": f"{prefix}-{name}", "tags": tags}, expect_status=200)
        _pause()
    for name, count in [("alpha", 3), ("gamma", 2), ("Beta", 1)]:
        for i in range(count):
            body = {"name": f"{prefix}-{name}", "source": f"s3://bucket/{name}/{i}",
                    "tags": [{"key": "i", "value": str(i)}]}
            if i == 0:
                body.update(source="runs:/${rid}/m", run_id="${rid}")
            elif i == 1:
                body.update(source="runs:/${rid2}/m", run_id="${rid2}")
            d.post(MV + "create", body, expect_status=200)
            _pause()
    d.post(MV + "transition-stage", {"name": f"{prefix}-alpha", "version": "2", "stage": "Staging"}, expect_status=200)
    _pause()
    d.post(MV + "transition-stage", {"name": f"{prefix}-alpha", "version": "1", "stage": "Production"},
           expect_status=200)
    _pause()
    d.call("DELETE", MV + "delete", {"name": f"{prefix}-gamma", "version": "2"}, expect_status=200)
    # a prompt: hidden from model searches unless asked for
    d.post(RM + "create", {"name": f"{prefix}-prompt", "tags": [{"key": PROMPT_TAG, "value": "true"}]},
           expect_status=200)
    d.post(MV + "create", {"name": f"{prefix}-prompt", "source": "dummy-source",
                           "tags": [{"key": PROMPT_TAG, "value": "true"},
                                    {"key": "mlflow.prompt.text", "value": "hi"}]},
           expect_status=200)


RM_FILTERS = [
    "name = 'rs-alpha'", "name != 'rs-alpha'", "name LIKE 'rs-%a'", "name LIKE 'RS-%'", "name ILIKE 'RS-B%'",
    "name like 'rs-b%'", "name IN ('rs-alpha', 'rs-gamma')", "name NOT IN ('rs-alpha')", "name in ('rs-alpha')",
    "name LIKE 'rs-delta_x'", "name LIKE 'rs-delta\\_x'", 'name = "rs-alpha"', "attribute.name = 'rs-alpha'",
    "tags.team = 'a'", "tag.team = 'b'", "tags.`team` = 'a'", 'tags."team" = \'a\'', "tags.team != 'a'",
    "tags.tier LIKE '%'", "tags.team ILIKE 'A'", "tags.team = 'a' AND tags.tier = '2'",
    "tags.team = 'a' AND tags.team = 'b'",
    "tags.nope = 'x'", "name LIKE 'rs-%' AND tags.team = 'b'",
    f"tags.`{PROMPT_TAG}` = 'true'", f"tags.`{PROMPT_TAG}` = 'TRUE'", f"tags.`{PROMPT_TAG}` != 'false'",
    f"tags.`{PROMPT_TAG}` != 'true'", f"tags.`{PROMPT_TAG}` = 'false'", f"tags.`{PROMPT_TAG}` LIKE 'x%'",
    f"tags.`{PROMPT_TAG}` = 'true' AND name LIKE '%prompt'",
    # errors
    "`name` = 'x'", "name = x", "name = 5", "name > 'a'", "name <> 'a'", "name NOT LIKE 'a'", "tags.team > 'a'",
    "tags.team IN ('a')", "tags.team = 5", "foo = 'a'", "creation_timestamp > 0", "metrics.x > 1", "run_id = 'x'",
    "name = 'a' OR name = 'b'", "name", "name = 'a'; name = 'b'", "name IN ()", "name IN (1, 2)", "name IN ('a',",
    "name = ('a', 'b')", "tags.team IS NULL", "   ",
]


RM_ORDERS = [
    ["name"], ["name DESC"], ["name ASC"], ["`name` DESC"], ["timestamp"], ["timestamp DESC"],
    ["last_updated_timestamp DESC"], ["timestamp", "name DESC"],
    # errors
    ["`name`"], ["creation_timestamp"], ["foo"], ["tags.team"], ["name BAD"], ["name DESC x"], ["name", "name"],
    ["timestamp", "last_updated_timestamp"], [""],
]


def test_search_registered_models(differ):
    d = differ
    _search_fixture(d, "rs")
    d.get(RM + "search", {"filter": "name LIKE 'rs-%'"}, expect_status=200)
    for f in RM_FILTERS:
        d.get(RM + "search", {"filter": f}, label=f"filter {f}")
    for order_by in RM_ORDERS:
        d.get(RM + "search", [("filter", "name LIKE 'rs-%'")] + [("order_by", o) for o in order_by],
              label=f"order_by {order_by}")
    # pages: each server continues with its own token
    page = [("filter", "name LIKE 'rs-%'"), ("max_results", "2")]
    d.get(RM + "search", page, save={"t1": "next_page_token"}, expect_status=200)
    d.get(RM + "search", page + [("page_token", "${t1}")], save={"t2": "next_page_token"})
    d.get(RM + "search", page + [("page_token", "${t2}")])
    for extra in [[("max_results", "0")], [("max_results", "1000")], [("max_results", "1001")],
                  [("max_results", "x")], [("page_token", "garbage")], [("page_token", "bm90anNvbg==")],
                  [("page_token", "eyJvZmZzZXQiOiAwfQ==")], [("page_token", "eyJhIjogMX0=")],
                  [("page_token", "eyJvZmZzZXQiOiAieCJ9")], [("page_token", "eyJvZmZzZXQiOiAiMyJ9")]]:
        d.get(RM + "search", [("filter", "name LIKE 'rs-%'")] + extra, label=f"search {extra}")
    d.get(RM + "search", [("filter", "name LIKE 'rs-%'"), ("max_results", "-1")], known="registry-edges")
    d.get("/ajax-api/2.0/mlflow/registered-models/search", {"filter": "name = 'rs-gamma'"}, expect_status=200)
    d.post(RM + "search", {"filter": "name = 'rs-gamma'"}, expect_status=405)
    d.assert_equal()


MV_FILTERS = [
    "name = 'vs-alpha'", "name != 'vs-alpha'", "name LIKE 'vs-%a'", "name ILIKE 'VS-b%'",
    "name IN ('vs-alpha', 'vs-gamma')", "name NOT IN ('vs-alpha')", "version_number = 2", "version_number > 1",
    "version_number <= 1", "version_number != 1",
    "version_number = '2'", "version_number = -1", "name = 'vs-alpha' AND version_number >= 2",
    "run_id = '${rid}'", "run_id != '${rid}'", "run_id IN ('${rid}', '${rid2}')", "run_id NOT IN ('${rid}')",
    "run_id = ''", "source_path = 's3://bucket/alpha/2'", "source_path LIKE 's3://%'", "source_path ILIKE 'RUNS:%'",
    "tags.i = '0'", "tags.i != '0'", "tags.i LIKE '%'", "tag.i = '1'", "tags.`i` = '2'", "tags.nope = 'x'",
    "attribute.version_number = 1",
    f"tags.`{PROMPT_TAG}` = 'true'", f"tags.`{PROMPT_TAG}` != 'true'", f"tags.`{PROMPT_TAG}` = 'false'",
    # errors
    "version_number = 2.0", "version_number = 1e3", "version_number = 'abc'", "version_number LIKE '1'",
    "version_number IN ('1')", "version_number = abc", "source_path IN ('x')", "name > 'a'", "tags.i > '1'",
    "tags.i IN ('1')", "name = 5", "run_id = 5", "source = 'x'", "version = 1", "current_stage = 'None'",
    "creation_timestamp > 0", "`name` = 'x'", "metrics.a > 1", "name = 'a' OR name = 'b'", "tags.i IS NOT NULL",
]


MV_ORDERS = [
    ["name"], ["name DESC"], ["version_number"], ["version_number DESC", "name"], ["creation_timestamp DESC"],
    ["last_updated_timestamp"], ["`version_number` DESC"], ["attribute.name DESC"], ["tags.name DESC"],
    # errors
    ["timestamp"], ["run_id"], ["source_path"], ["tags.i"], ["foo"], ["metrics.x"], ["name", "name"],
    ["name BAD"], ["version_number ASC DESC"],
]


def test_search_model_versions(differ):
    d = differ
    _search_fixture(d, "vs")
    d.get(MV + "search", {"filter": "name LIKE 'vs-%'"}, expect_status=200)
    for f in MV_FILTERS:
        d.get(MV + "search", {"filter": f"{f} AND name LIKE 'vs-%'" if "OR" not in f else f},
              label=f"filter {f}")
    for order_by in MV_ORDERS:
        d.get(MV + "search", [("filter", "name LIKE 'vs-%'")] + [("order_by", o) for o in order_by],
              label=f"order_by {order_by}")
    page = [("filter", "name LIKE 'vs-%'"), ("max_results", "2")]
    d.get(MV + "search", page, save={"t1": "next_page_token"}, expect_status=200)
    d.get(MV + "search", page + [("page_token", "${t1}")], save={"t2": "next_page_token"})
    d.get(MV + "search", page + [("page_token", "${t2}")], save={"t3": "next_page_token"})
    for extra in [[("max_results", "0")], [("max_results", "200000")], [("max_results", "200001")],
                  [("max_results", "-3")], [("page_token", "!!!")], [("page_token", "eyJvZmZzZXQiOiAwfQ==")]]:
        d.get(MV + "search", [("filter", "name LIKE 'vs-%'")] + extra, label=f"search {extra}")
    d.assert_equal()


def test_prompts_through_the_registry(differ):
    d = differ
    tags = [{"key": PROMPT_TAG, "value": "true"}, {"key": "_mlflow_prompt_type", "value": "text"}]
    d.post(RM + "create", {"name": "greet", "tags": tags, "description": "say hi"}, expect_status=200)
    d.post(RM + "create", {"name": "greet", "tags": tags}, expect_status=400)
    d.post(RM + "create", {"name": "greet"}, expect_status=400)
    d.post(RM + "create", {"name": "plain-model"}, expect_status=200)
    d.post(RM + "create", {"name": "plain-model", "tags": tags}, expect_status=400)
    version_tags = [{"key": PROMPT_TAG, "value": "true"}, {"key": "mlflow.prompt.text", "value": "Hi {{name}}"},
                    {"key": "_mlflow_prompt_type", "value": "text"}]
    d.post(MV + "create", {"name": "greet", "source": "prompt-template", "tags": version_tags}, expect_status=200)
    d.post(MV + "create", {"name": "greet", "source": "dummy-source", "tags": version_tags, "description": "v2"},
           expect_status=200)
    d.post(MV + "create", {"name": "greet", "source": "s3://bucket/x", "tags": version_tags}, expect_status=400)
    d.post(MV + "create", {"name": "greet", "source": "dummy-source",
                           "tags": version_tags + [{"key": PROMPT_TAG, "value": "false"}]}, expect_status=400)
    d.post(MV + "create", {"name": "plain-model", "source": "models:/greet/1"}, expect_status=400)
    d.post(RM + "alias", {"name": "greet", "alias": "production", "version": "2"}, expect_status=200)
    d.get(RM + "alias", {"name": "greet", "alias": "production"}, expect_status=200)
    d.post(MV + "set-tag", {"name": "greet", "version": "1", "key": "note", "value": "x"}, expect_status=200)
    d.get(MV + "get", {"name": "greet", "version": "1"}, expect_status=200)
    d.get(RM + "search", {"filter": f"tags.`{PROMPT_TAG}` = 'true'"}, expect_status=200)
    d.get(RM + "search", {"filter": f"tags.`{PROMPT_TAG}` = 'true' AND name ILIKE 'GR%'"})
    d.get(RM + "search", {"filter": f"tags.`{PROMPT_TAG}` != 'true'"})
    d.get(RM + "search", {})
    d.get(MV + "search", {"filter": "name = 'greet'"})
    d.get(MV + "search", {"filter": f"name = 'greet' AND tags.`{PROMPT_TAG}` = 'true'"})
    d.get(RM + "get", {"name": "greet"}, expect_status=200)
    d.call("DELETE", MV + "delete", {"name": "greet", "version": "1"}, expect_status=200)
    d.get(RM + "alias", {"name": "greet", "alias": "latest"}, expect_status=200)
    d.assert_equal()
