"""The import end-to-end tests (issue 17): marker `import_e2e`, their own `npm test` stage (not in pytest.ini's
default testpaths). Each module seeds one kind of MLflow source through the real client, imports it with the built
`tracklite import`, and compares a reference server on the source with tracklite on the result, route by route."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def pytest_configure(config):
    config.addinivalue_line("markers", "import_e2e: tracklite import end to end (a source, the CLI, both servers)")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if Path(str(item.fspath)).resolve().parent == HERE:
            item.add_marker(pytest.mark.import_e2e)
            # the first test of a module also seeds its source through a reference server (minutes on a busy box)
            item.add_marker(pytest.mark.timeout(900))


@pytest.fixture(scope="session")
def seeded_sqlite_reference():
    """One reference server on a SQLite file, seeded once by seed.py: the SQLite module imports its file, the REST
    module imports over its API. Yields (server, tmpdir, what seed.py printed)."""
    from import_harness import reference_server, rmtree, seed, tmp_dir

    tmp = tmp_dir("sqlite-source")
    server = reference_server(tmp, f"sqlite:///{tmp}/mlflow.db", str(tmp / "artifacts"))
    try:
        yield server, tmp, seed(server.url)
    finally:
        server.stop()
        rmtree(tmp)
