"""Fixture chain of all tests: redis_url, database_url → settings → services → app → client."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from redis import Redis
from sqlalchemy import create_engine, text

from moderation.app import create_app
from moderation.services import Services, build_services
from moderation.settings import Settings

REDIS_HOST_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379")
POSTGRES_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
CLAIM_KEY = "moderation-tests:claimed-by"
ROOT = Path(__file__).resolve().parent.parent
#: Lines of figures tests report (chaos table, contract counts), printed after the run.
FIGURES = pytest.StashKey[list[str]]()


def pytest_configure(config: pytest.Config) -> None:
    """Room for the figures this run's tests report."""
    config.stash[FIGURES] = []


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:  # type: ignore[no-untyped-def]
    """The figures tests reported, after the run: they would be lost in captured output."""
    lines = config.stash.get(FIGURES, [])
    if lines:
        terminalreporter.section("figures")
        for line in lines:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def figures(pytestconfig: pytest.Config) -> list[str]:
    """Where a test puts lines of figures for the end of the run (see pytest_terminal_summary)."""
    return pytestconfig.stash[FIGURES]


@pytest.fixture(scope="session")
def redis_db() -> Iterator[str]:
    """A Redis database number this run owns: the first one found empty, claimed with a key."""
    token = secrets.token_hex(8)
    for number in range(15, 0, -1):
        client = Redis.from_url(f"{REDIS_HOST_URL}/{number}")
        # Claim only an empty database, atomically, so we never flush someone else's data.
        if client.dbsize() == 0 and client.set(CLAIM_KEY, token, nx=True):
            if client.dbsize() == 1:
                break
            client.delete(CLAIM_KEY)
        client.close()
    else:
        pytest.fail("no empty Redis database (1-15) at " + REDIS_HOST_URL)
    try:
        yield f"{REDIS_HOST_URL}/{number}"
    finally:
        if client.get(CLAIM_KEY) == token.encode():
            client.flushdb()
        client.close()


@pytest.fixture
def redis_url(redis_db: str) -> Iterator[str]:
    """The run's Redis database, emptied (but for our claim) after each test."""
    yield redis_db
    client = Redis.from_url(redis_db)
    claim = client.get(CLAIM_KEY)
    assert claim is not None, "our Redis claim vanished: someone else uses this database"
    client.flushdb()
    client.set(CLAIM_KEY, claim)
    client.close()


def _postgres_schema_url() -> Iterator[str]:
    schema = "mt_" + secrets.token_hex(6)
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: an SQLite file, then a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'moderation.sqlite3'}"
    else:
        yield from _postgres_schema_url()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL schema, for tests that need row locks across processes."""
    yield from _postgres_schema_url()


def make_settings(database_url: str, redis_url: str, **overrides: object) -> Settings:
    """Settings for a test: its own database and Redis, a queue name of its own."""
    values: dict[str, object] = {
        "database_url": database_url,
        "redis_url": redis_url,
        "config_dir": ROOT / "config",
        "queue_name": "moderation-test",
        "sweep_after": 60,
        "job_retries": 0,
        "key_cache_seconds": 0,
    }
    values.update(overrides)
    settings = Settings(**values)  # type: ignore[arg-type]
    settings.check()
    return settings


def settings_env(settings: Settings) -> dict[str, str]:
    """The environment that reproduces these settings in a child process."""
    env = dict(os.environ)
    for field, name in Settings.env_names().items():
        env[name] = str(getattr(settings, field))
    return env


@pytest.fixture
def settings(database_url: str, redis_url: str) -> Settings:
    """Settings on the test's database and Redis."""
    return make_settings(database_url, redis_url)


@pytest.fixture
def services(settings: Settings) -> Iterator[Services]:
    """Services on a migrated database."""
    built = build_services(settings)
    built.db.upgrade()
    yield built
    built.close()


@pytest.fixture
def app(services: Services):  # type: ignore[no-untyped-def]
    """The web application around the test's services."""
    return create_app(services=services)


@pytest.fixture
def client(app):  # type: ignore[no-untyped-def]
    """A Flask test client."""
    return app.test_client()


@pytest.fixture
def site_key(services: Services) -> str:
    """The API key of a freshly registered site."""
    from moderation.store.sites import create_site

    with services.db.session() as session:
        return create_site(session, "daily-planet").api_key
