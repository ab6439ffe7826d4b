"""Contract fuzzing: schemathesis drives every documented operation; answers keep the document."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis import Case
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import positive_data_acceptance

from moderation.app import create_app
from tests.conftest import make_settings
from tests.helpers import make_moderator, make_site

#: Settings of the fuzzed app beyond its database and Redis: webhooks may name loopback.
OVERRIDES: dict[str, Any] = {
    "webhook_allow_hosts": "127.0.0.1",
    "webhook_queue_name": "webhooks-test",
}
#: Examples per operation (Hypothesis's default): the module takes about 1.5 minutes here.
MAX_EXAMPLES = 100


class CurrentApp:
    """The WSGI app schemathesis calls, its own probes included: whichever app is set now."""

    def __init__(self) -> None:
        self.app: Flask | None = None

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        assert self.app is not None, "no app is under test"
        return self.app(environ, start_response)


def _load(current: CurrentApp) -> schemathesis.schemas.BaseSchema:
    """The document as the app serves it; its services are never used (they connect lazily)."""
    current.app = create_app(make_settings("sqlite://", "redis://127.0.0.1:1/0", **OVERRIDES))
    try:
        return schemathesis.openapi.from_wsgi("/v1/openapi.json", current)
    finally:
        current.app.extensions["moderation"].close()
        current.app = None


# Loaded at import, not through schemathesis.pytest.from_fixture: under pytest 9.2 that path
# fails at run time ('Function' object has no attribute '_nodeid'; pytest renamed it).
CURRENT = CurrentApp()
schema = _load(CURRENT)


def _negative(case: Case, where: ParameterLocation) -> bool:
    """Was this part of the request generated to break the document?"""
    return case.meta is not None and case.meta.is_negative_at(where)


def _without_dns(case: Case) -> None:
    """A webhook URL's host becomes 127.0.0.1 (allowlisted): the guard resolves a name through
    DNS, and this test must not depend on the network. Only valid bodies: a negative case's
    URL is meant to stay wrong."""
    body = case.body
    if _negative(case, ParameterLocation.BODY):
        return
    if not (isinstance(body, dict) and isinstance(body.get("url"), str)):
        return
    try:
        parts = urlsplit(body["url"])
        port = parts.port
    except ValueError:
        return
    if parts.hostname:
        netloc = "127.0.0.1" + (f":{port}" if port is not None else "")
        case.body = {**body, "url": urlunsplit(parts._replace(netloc=netloc))}


@dataclass(frozen=True)
class Credentials:
    """A site's key and a token of a moderator of that site."""

    site_key: str
    moderator_token: str

    def headers(self, case: Case) -> dict[str, str]:
        """The Authorization the operation documents: a moderator token for the review API.

        Headers generated to break the document keep a missing or malformed Authorization (the
        401 path); one of the right shape carries real credentials, so that the case's other
        header errors reach the app.
        """
        security = case.operation.definition.raw.get("security", [{"siteKey": []}])
        schemes = {name for option in security for name in option}
        sent = str((case.headers or {}).get("Authorization", ""))
        bearer = sent.startswith("Bearer ") and sent[7:].strip()
        if not schemes or (_negative(case, ParameterLocation.HEADER) and not bearer):
            return {}  # public, or a case meant to go without credentials
        token = self.site_key if "siteKey" in schemes else self.moderator_token
        return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def settings(database_url: str, redis_url: str):  # type: ignore[no-untyped-def]
    """The fuzzed app's settings (the conftest's, plus OVERRIDES)."""
    return make_settings(database_url, redis_url, **OVERRIDES)


@pytest.fixture
def credentials(services) -> Credentials:  # type: ignore[no-untyped-def]
    """A site and its moderator."""
    return Credentials(make_site(services, "contract"), make_moderator(services, "m", "contract"))


@pytest.fixture
def current(app: Flask) -> Iterator[CurrentApp]:
    """The test's app, as the one schemathesis calls."""
    CURRENT.app = app
    yield CURRENT
    CURRENT.app = None


@pytest.fixture(scope="module")
def tally(figures: list[str]) -> Iterator[Counter[str]]:
    """Requests sent, by kind and answer, reported at the end of the run (issue 16's figures)."""
    counts: Counter[str] = Counter()
    yield counts
    summary = ", ".join(f"{name} {n}" for name, n in sorted(counts.items()))
    figures.append(f"contract: {sum(counts.values())} requests: {summary}")


def _reused(response: Any) -> bool:
    """A comment id or Idempotency-Key sent before with another body: refused by design (422)."""
    return response.status_code == 422 and str(response.json().get("type", "")).endswith(
        "/idempotency-mismatch"
    )


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
@schema.parametrize()
@hypothesis_settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,  # nothing written to the working tree
    derandomize=True,  # the same cases every run: a CI failure is one a developer can rerun
    # One app and database per operation, shared by its examples, as a real service is.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_answer_keeps_the_documented_contract(
    case: Case, current: CurrentApp, credentials: Credentials, tally: Counter[str]
) -> None:
    _without_dns(case)
    headers = credentials.headers(case)
    response = case.call(headers=headers)
    valid = case.meta is None or not case.meta.generation.mode.is_negative
    tally[f"{'valid' if valid else 'invalid'} {response.status_code // 100}xx"] += 1
    # Examples repeat a comment id with other bodies; the README's idempotency answers that.
    excluded = [positive_data_acceptance] if _reused(response) else []
    case.validate_response(response, headers=headers, excluded_checks=excluded)
