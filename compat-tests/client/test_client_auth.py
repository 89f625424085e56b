"""`--app-name basic-auth` through the real client: sign-in with MLFLOW_TRACKING_USERNAME/PASSWORD (and tracklite's
API tokens), `mlflow.server.get_app_client("basic-auth")` (AuthServiceClient) for users, grants and roles, and a
permission matrix of users x levels x operations, including DENY and the filtering of searches."""

from __future__ import annotations

import contextlib
import os

import pytest
import requests

from support.clientutil import MLFLOW_MAJOR, TARGET, uniq

if MLFLOW_MAJOR < 3:
    pytest.skip("the 3.x basic-auth app (roles, grants API) is what tracklite serves", allow_module_level=True)

import mlflow  # noqa: E402
from mlflow.exceptions import MlflowException, RestException  # noqa: E402
from mlflow.server import get_app_client  # noqa: E402

from support.servers import AUTH_ADMIN, AUTH_ARGS, AUTH_ENV, start_servers, stop_servers  # noqa: E402


@pytest.fixture(scope="module")
def tracking_server():
    servers = start_servers([TARGET], extra_env=AUTH_ENV, extra_args=AUTH_ARGS)
    try:
        yield servers[0]
    finally:
        stop_servers(servers)


@contextlib.contextmanager
def signed_in(username: str, password: str):
    """The client's credentials for the block (it reads them on every request)."""
    old = {k: os.environ.get(k) for k in ("MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_PASSWORD")}
    os.environ["MLFLOW_TRACKING_USERNAME"] = username
    os.environ["MLFLOW_TRACKING_PASSWORD"] = password
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def as_admin():
    return signed_in(*AUTH_ADMIN)


def new_user(server_url: str, prefix: str) -> tuple[str, str]:
    name, password = uniq(prefix), "a-long-password-1"
    with as_admin():
        get_app_client("basic-auth", tracking_uri=server_url).create_user(name, password)
    return name, password


def test_requests_without_credentials_are_refused(client):
    with pytest.raises(MlflowException) as ei:
        client.search_experiments()
    assert "401" in str(ei.value)
    with signed_in(AUTH_ADMIN[0], "not-the-admin-password"):
        with pytest.raises(MlflowException) as ei:
            client.search_experiments()
        assert "401" in str(ei.value)


def test_auth_service_client_users(client, server_url):
    auth = get_app_client("basic-auth", tracking_uri=server_url)
    name = uniq("user")
    with as_admin():
        user = auth.create_user(name, "first-password-1")
        assert (user.username, user.is_admin, user.password_hash) == (name, False, "REDACTED")
        assert auth.get_user(name).id == user.id
        with pytest.raises(RestException) as ei:
            auth.create_user(name, "first-password-1")
        assert ei.value.error_code == "RESOURCE_ALREADY_EXISTS"
        with pytest.raises(RestException) as ei:
            auth.create_user(uniq("short"), "short")
        assert ei.value.error_code == "INVALID_PARAMETER_VALUE"
        assert "at least 12 characters" in ei.value.message
        auth.update_user_password(name, "second-password-2")
        auth.update_user_admin(name, True)
        assert auth.get_user(name).is_admin is True
        auth.update_user_admin(name, False)
    with signed_in(name, "second-password-2"):
        assert client.search_experiments() is not None
        with pytest.raises(MlflowException) as ei:
            auth.get_user(AUTH_ADMIN[0])
        assert "403" in str(ei.value) and "Permission denied" in str(ei.value)
    with as_admin():
        auth.delete_user(name)
        with pytest.raises(RestException) as ei:
            auth.get_user(name)
        assert ei.value.error_code == "RESOURCE_DOES_NOT_EXIST"


def test_auth_service_client_roles_and_grants(client, server_url):
    auth = get_app_client("basic-auth", tracking_uri=server_url)
    name, password = new_user(server_url, "roles")
    with as_admin():
        exp = client.create_experiment(uniq("roles-exp"))
        role = auth.create_role("default", uniq("readers"), description="read only")
        assert auth.get_role(role.id).name == role.name
        assert role.id in [r.id for r in auth.list_roles("default")]
        rp = auth.add_role_permission(role.id, "experiment", exp, "READ")
        assert [p.id for p in auth.list_role_permissions(role.id)] == [rp.id]
        assert auth.update_role_permission(rp.id, "EDIT").permission == "EDIT"
        auth.assign_role(name, role.id)
        assert [r.id for r in auth.list_user_roles(name)] == [role.id]
        assert [a.role_id for a in auth.list_role_users(role.id)] == [role.id]
        got = auth.get_user_permission(name, "experiment", exp)
        assert (got.allowed, got.permission) == (True, "EDIT")
    with signed_in(name, password):
        client.set_experiment_tag(exp, "k", "v")  # EDIT through the role
    with as_admin():
        auth.unassign_role(name, role.id)
        auth.remove_role_permission(rp.id)
        auth.delete_role(role.id)
        auth.grant_user_permission(name, "experiment", exp, "MANAGE")
        assert auth.get_user_permission(name, "experiment", exp).permission == "MANAGE"
        auth.revoke_user_permission(name, "experiment", exp)
        assert auth.get_user_permission(name, "experiment", exp).permission == "READ"
        with pytest.raises(RestException) as ei:
            auth.revoke_user_permission(name, "experiment", exp)
        assert ei.value.error_code == "RESOURCE_DOES_NOT_EXIST"


# level granted on the experiment (None: no grant, so default_permission READ) -> what the user may do
MATRIX = {
    None: {"read": True, "log": False, "update": False, "delete": False, "grant": False},
    "READ": {"read": True, "log": False, "update": False, "delete": False, "grant": False},
    "USE": {"read": True, "log": False, "update": False, "delete": False, "grant": False},
    "EDIT": {"read": True, "log": True, "update": True, "delete": False, "grant": False},
    "MANAGE": {"read": True, "log": True, "update": True, "delete": True, "grant": True},
    "DENY": {"read": False, "log": False, "update": False, "delete": False, "grant": False},
}


def _allowed(fn) -> bool:
    try:
        fn()
        return True
    except MlflowException as e:
        if "403" in str(e) or "Permission denied" in str(e):
            return False
        raise


@pytest.mark.parametrize("level", list(MATRIX), ids=lambda x: x or "none")
def test_permission_matrix(client, server_url, level):
    owner, owner_pw = new_user(server_url, "owner")
    user, user_pw = new_user(server_url, "user")
    other, _ = new_user(server_url, "other")
    auth = get_app_client("basic-auth", tracking_uri=server_url)
    with signed_in(owner, owner_pw):
        exp_name = uniq("matrix")
        exp = client.create_experiment(exp_name)
        runs = [client.create_run(exp).info.run_id for _ in range(2)]
        if level is not None:
            auth.grant_user_permission(user, "experiment", exp, level)
    expected = MATRIX[level]
    with signed_in(user, user_pw):
        actual = {
            "read": _allowed(lambda: client.get_run(runs[0])),
            "log": _allowed(lambda: client.log_metric(runs[0], "m", 1.0)),
            "update": _allowed(lambda: client.set_experiment_tag(exp, "t", "v")),
            "delete": _allowed(lambda: client.delete_run(runs[1])),
            "grant": _allowed(lambda: auth.grant_user_permission(other, "experiment", exp, "READ")),
        }
        listed = [e.experiment_id for e in client.search_experiments(filter_string=f"name = '{exp_name}'")]
        found_runs = client.search_runs([exp])
    assert actual == expected
    assert (exp in listed) == expected["read"]
    assert (len(found_runs) > 0) == expected["read"]


def test_search_filtering_pages_through_denied_rows(client, server_url):
    auth = get_app_client("basic-auth", tracking_uri=server_url)
    owner, owner_pw = new_user(server_url, "pager")
    user, user_pw = new_user(server_url, "reader")
    prefix = uniq("page")
    with signed_in(owner, owner_pw):
        ids = [client.create_experiment(f"{prefix}-{i}") for i in range(7)]
        for i in (0, 2, 3, 6):
            auth.grant_user_permission(user, "experiment", ids[i], "DENY")
        for i in range(4):
            client.create_registered_model(f"{prefix}-model-{i}")
        auth.grant_user_permission(user, "registered_model", f"{prefix}-model-1", "DENY")
    with signed_in(user, user_pw):
        names, token = [], None
        while True:
            page = client.search_experiments(filter_string=f"name LIKE '{prefix}-%'", max_results=2, page_token=token)
            if page.token:
                assert len(page) == 2
            names += [e.name for e in page]
            token = page.token
            if not token:
                break
        assert sorted(names) == [f"{prefix}-{i}" for i in (1, 4, 5)]
        models = client.search_registered_models(filter_string=f"name LIKE '{prefix}-model-%'", max_results=2)
        assert [m.name for m in models] == [f"{prefix}-model-0", f"{prefix}-model-2"]
        with pytest.raises(MlflowException):
            client.get_registered_model(f"{prefix}-model-1")


def test_registered_model_creator_manages_it(client, server_url):
    owner, owner_pw = new_user(server_url, "rm-owner")
    user, user_pw = new_user(server_url, "rm-user")
    name = uniq("rm")
    with signed_in(owner, owner_pw):
        client.create_registered_model(name)
    with signed_in(user, user_pw):
        assert client.get_registered_model(name).name == name
        assert not _allowed(lambda: client.update_registered_model(name, description="x"))
    with signed_in(owner, owner_pw):
        client.update_registered_model(name, description="mine")
        client.delete_registered_model(name)


@pytest.mark.skipif(TARGET != "tracklite", reason="API tokens are tracklite's")
def test_api_token_signs_the_client_in(client, server_url, monkeypatch):
    user, password = new_user(server_url, "token")
    r = requests.post(f"{server_url}/api/2.0/tracklite/users/tokens/create", json={"name": "ci"},
                      auth=(user, password), timeout=30)
    assert r.status_code == 200, r.text
    token = r.json()["token"]
    monkeypatch.setenv("MLFLOW_TRACKING_TOKEN", token)
    exp = client.create_experiment(uniq("token-exp"))
    assert client.get_experiment(exp).name.startswith("token-exp")
    monkeypatch.delenv("MLFLOW_TRACKING_TOKEN")
    with as_admin():
        auth = get_app_client("basic-auth", tracking_uri=server_url)
        assert auth.get_user_permission(user, "experiment", exp).permission == "MANAGE"


@pytest.mark.skipif(TARGET != "tracklite", reason="starts tracklite's CLI")
def test_refuses_to_start_without_an_admin_password(tmp_path):
    """No default admin password: the first start needs one, and says so in one line (the reference's words)."""
    import subprocess

    from support.servers import TRACKLITE_CLI, _node, _server_env, free_port

    env = {k: v for k, v in _server_env().items() if not k.startswith("MLFLOW_AUTH_")}
    cmd = [_node(), str(TRACKLITE_CLI), "server", "--port", str(free_port()), "--backend-store-uri",
           f"file:{tmp_path}/t.db", "--artifacts-destination", str(tmp_path / "a"), "--app-name", "basic-auth"]
    done = subprocess.run(cmd, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "MLflow Authentication needs a password to create the admin user 'admin', but none is configured (or it is "
        "empty). MLflow ships no default admin password. Set the MLFLOW_AUTH_ADMIN_PASSWORD environment variable, or "
        "set `admin_password` in the configuration file referenced by MLFLOW_AUTH_CONFIG_PATH, and restart the server."
    )
    other = subprocess.run([*cmd[:-1], "oidc"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert other.returncode == 2
    assert other.stderr.strip() == "Error: Invalid value for '--app-name': 'oidc' is not one of 'basic-auth'."
