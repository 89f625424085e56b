"""Differential: experiments CRUD, search, errors."""


def test_experiments_crud(differ):
    d = differ
    d.post("experiments/create", {"name": "diff-exp-a", "tags": [{"key": "team", "value": "red"}]},
           save={"a": "experiment_id"}, expect_status=200)
    d.post("experiments/create", {"name": "diff-exp-b"}, save={"b": "experiment_id"}, expect_status=200)
    d.post("experiments/create", {"name": "diff-exp-c", "artifact_location": ""}, save={"c": "experiment_id"})
    d.get("experiments/get", {"experiment_id": "${a}"}, expect_status=200)
    d.get("experiments/get", {"experiment_id": "0"}, expect_status=200)
    d.get("experiments/get-by-name", {"experiment_name": "diff-exp-b"}, expect_status=200)
    d.get("experiments/get-by-name", {"experiment_name": "Default"})
    d.post("experiments/set-experiment-tag", {"experiment_id": "${a}", "key": "k1", "value": "v1"}, expect_status=200)
    d.post("experiments/set-experiment-tag", {"experiment_id": "${a}", "key": "k1", "value": "v2"})
    d.post("experiments/update", {"experiment_id": "${b}", "new_name": "diff-exp-b2"}, expect_status=200)
    d.get("experiments/get", {"experiment_id": "${b}"})
    d.get("experiments/get-by-name", {"experiment_name": "diff-exp-b"}, expect_status=404)
    d.post("experiments/delete", {"experiment_id": "${c}"}, expect_status=200)
    d.get("experiments/get", {"experiment_id": "${c}"})
    d.get("experiments/get-by-name", {"experiment_name": "diff-exp-c"})
    d.post("experiments/restore", {"experiment_id": "${c}"}, expect_status=200)
    d.get("experiments/get", {"experiment_id": "${c}"})
    d.assert_equal()


def test_experiment_errors(differ):
    d = differ
    d.post("experiments/create", {"name": "diff-err"}, save={"e": "experiment_id"}, expect_status=200)
    d.post("experiments/create", {"name": "diff-err"}, expect_status=400)  # duplicate
    d.post("experiments/create", {"name": ""}, expect_status=400)
    d.post("experiments/create", {}, expect_status=400)
    d.post("experiments/create", {"name": 123})
    d.post("experiments/create", {"name": "diff-err-tags", "tags": [{"key": "bad!", "value": "x"}]})
    d.get("experiments/get", {}, expect_status=400)
    d.get("experiments/get", {"experiment_id": "987654"}, expect_status=404)
    d.get("experiments/get-by-name", {"experiment_name": "no-such-experiment"}, expect_status=404)
    d.get("experiments/get-by-name", {})
    d.post("experiments/update", {"experiment_id": "${e}", "new_name": ""}, expect_status=400)
    # the reference answers BAD_REQUEST with a raw SQL IntegrityError dump as message
    d.post("experiments/update", {"experiment_id": "${e}", "new_name": "Default"}, expect_status=400)
    d.post("experiments/update", {"experiment_id": "987654", "new_name": "x"})
    d.post("experiments/restore", {"experiment_id": "${e}"}, expect_status=404)  # restoring an active one
    d.post("experiments/delete", {"experiment_id": "${e}"}, expect_status=200)
    d.post("experiments/delete", {"experiment_id": "${e}"}, expect_status=404)  # twice
    d.post("experiments/update", {"experiment_id": "${e}", "new_name": "renamed"}, expect_status=500)
    d.post("experiments/create", {"name": "diff-err"}, expect_status=400)  # name held by deleted one
    d.post("runs/create", {"experiment_id": "${e}"}, expect_status=400)
    d.post("experiments/set-experiment-tag", {"experiment_id": "${e}", "key": "k", "value": "v"})
    d.post("experiments/set-experiment-tag", {"experiment_id": "987654", "key": "k", "value": "v"})
    d.post("experiments/delete", {"experiment_id": "987654"}, expect_status=404)
    d.post("experiments/delete", {}, expect_status=400)
    d.assert_equal()


def test_search_experiments(differ):
    d = differ
    for name, tags in [("srch-alpha", [{"key": "team", "value": "red"}]),
                       ("srch-beta", [{"key": "team", "value": "blue"}, {"key": "tier", "value": "1"}]),
                       ("srch-Gamma", [{"key": "team", "value": "red"}]),
                       ("srch-delta", [])]:
        d.post("experiments/create", {"name": name, "tags": tags}, expect_status=200, save={name.split("-")[1].lower(): "experiment_id"})
    d.post("experiments/delete", {"experiment_id": "${delta}"}, expect_status=200)
    # without max_results: 3.x answers 400 ("Invalid value 0 for parameter 'max_results'")
    d.post("experiments/search", {"filter": "name LIKE 'srch-%'"})
    d.post("experiments/search", {"filter": "name LIKE 'srch-%'", "max_results": 100}, expect_status=200)
    d.post("experiments/search", {"max_results": 100, "filter": "name LIKE 'srch-%'", "order_by": ["name ASC"]})
    d.post("experiments/search", {"max_results": 100, "filter": "name ILIKE 'SRCH-g%'"})
    d.post("experiments/search", {"max_results": 100, "filter": "name = 'srch-beta'"})
    d.post("experiments/search", {"max_results": 100, "filter": "name != 'srch-beta' AND name LIKE 'srch%'", "order_by": ["name DESC"]})
    d.post("experiments/search", {"max_results": 100, "filter": "tags.team = 'red'", "order_by": ["experiment_id ASC"]})
    d.post("experiments/search", {"max_results": 100, "filter": "tags.`team` LIKE 'b%'"})
    d.post("experiments/search", {"max_results": 100, "filter": "tags.tier = '1' AND name LIKE 'srch%'"})
    d.post("experiments/search", {"max_results": 100, "filter": "name LIKE 'srch%'", "view_type": "DELETED_ONLY"})
    d.post("experiments/search", {"max_results": 100, "filter": "name LIKE 'srch%'", "view_type": "ALL", "order_by": ["creation_time DESC"]})
    d.post("experiments/search", {"max_results": 100, "filter": "name LIKE 'srch%'", "view_type": "ACTIVE_ONLY", "order_by": ["last_update_time ASC"]})
    d.post("experiments/search", {"max_results": 2, "order_by": ["name ASC"]}, save={"tok": "next_page_token"})
    d.post("experiments/search", {"max_results": 2, "order_by": ["name ASC"], "page_token": "${tok}"}, save={"tok2": "next_page_token"})
    d.post("experiments/search", {"max_results": 2, "order_by": ["name ASC"], "page_token": "${tok2}"})
    d.get("experiments/search", [("max_results", "3"), ("filter", "name LIKE 'srch%'"), ("order_by", "name DESC")])
    d.get("experiments/search", [("order_by", "name DESC"), ("order_by", "experiment_id ASC"), ("max_results", "100")])
    d.get("experiments/search", {"view_type": "ALL", "max_results": "1000"})
    # invalid input
    d.post("experiments/search", {"max_results": 100, "filter": "name = "}, expect_status=400)
    d.post("experiments/search", {"max_results": 100, "filter": "foo.bar = 'x'"}, expect_status=400)
    d.post("experiments/search", {"max_results": 100, "filter": "name > 'a'"})
    d.post("experiments/search", {"max_results": 100, "order_by": ["nosuchcol ASC"]}, expect_status=400)
    d.post("experiments/search", {"max_results": 100, "order_by": ["name SIDEWAYS"]})
    d.post("experiments/search", {"max_results": 0})
    d.post("experiments/search", {"max_results": 50001}, expect_status=400)
    d.post("experiments/search", {"max_results": 100, "page_token": "not-a-token"}, expect_status=400)
    d.post("experiments/search", {"max_results": 100, "view_type": "BOGUS"})
    d.assert_equal()
