"""Odd input at every endpoint that takes a body, on both stores: a problem answer, never a 500."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.conftest import make_settings
from tests.helpers import auth, comment_json, make_moderator

#: What a careless or hostile client sends in place of each value: too long, too large, the
#: wrong type, text the store may not hold, text that looks like something else.
ODD = (
    "x" * 5000,
    "é" * 300,  # within most length limits in characters, over them in bytes
    10**30,
    -1,
    1.5,
    None,
    [],
    {},
    True,
    "",
    "9999-12-31T23:59:59-14:00",
    "2026-13-45T99:00:00+00:00",
    "' OR 1=1 --",
    "%s",
    "\ud800",  # a lone surrogate: half of an emoji that browser code cut
    "cut \udc00 emoji",
)


@pytest.fixture
def settings(database_url, redis_url):
    """Loopback webhooks allowed, so one can be registered and then changed."""
    return make_settings(database_url, redis_url, webhook_allow_hosts="127.0.0.1")


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in a JSON value, the whole value included."""
    yield path
    if isinstance(value, dict | list):
        for key, item in value.items() if isinstance(value, dict) else enumerate(value):
            yield from _paths(item, (*path, key))


def _with(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    changed = copy.deepcopy(value)
    holder = changed
    for key in path[:-1]:
        holder = holder[key]
    holder[path[-1]] = new
    return changed


@pytest.fixture
def requests(client, services, site_key):
    """A valid request per endpoint with a body: method, path, credentials, body."""
    moderator = make_moderator(services, "mo", "daily-planet")
    site = auth(site_key)
    comment_id = client.post("/v1/comments", json=comment_json(), headers=site).get_json()["id"]
    hook = {"url": "http://127.0.0.1:9/h", "events": ["comment.decided"], "description": "CMS"}
    hook_id = client.post("/v1/webhooks", json=hook, headers=site).get_json()["id"]
    mod = auth(moderator)
    comment = comment_json(
        "c-2", created_at="2026-11-26T10:00:00+00:00", language="en", parent_id="c-1"
    )
    return [
        ("POST", "/v1/comments", site, comment),
        ("POST", "/v1/comments/batch", site, {"comments": [comment]}),
        ("PUT", f"/v1/comments/{comment_id}", site, {"body": "Edited."}),
        ("POST", f"/v1/comments/{comment_id}/reports", site,
         {"reporter_id": "r1", "reason": "spam", "text": "Ads."}),
        ("POST", f"/v1/review/comments/{comment_id}/approve", mod,
         {"note": "n", "public_note": "p"}),
        ("POST", f"/v1/review/comments/{comment_id}/reject", mod,
         {"reason": "incivility", "note": "n", "public_note": "p"}),
        ("POST", "/v1/review/actions", mod,
         {"action": "approve", "ids": [comment_id], "note": "n"}),
        ("POST", "/v1/review/authors", mod,
         {"site": "daily-planet", "author_id": "reader-1", "action": "premoderate",
          "reason": "r", "reject_existing": False}),
        ("POST", "/v1/webhooks", site, hook),
        ("PATCH", f"/v1/webhooks/{hook_id}", site, {**hook, "enabled": True}),
        ("POST", "/v1/moderate/check", site,
         {"body": "Hello.", "section": "news", "author_id": "a", "author_prior_comments": 3}),
    ]  # fmt: skip


def test_odd_values_anywhere_in_a_body_are_never_a_500(client, requests):
    failures = []
    for method, path, headers, body in requests:
        for place in _paths(body):
            for odd in ODD:
                sent = _with(body, place, odd)
                response = client.open(path, method=method, json=sent, headers=headers)
                if response.status_code >= 500:
                    failures.append(f"{method} {path} {place}={odd!r:.30}: {response.status_code}")
    assert failures == []


def test_odd_ids_and_queries_are_never_a_500(client, services, site_key):
    moderator = auth(make_moderator(services, "mo", "daily-planet"))
    site = auth(site_key)
    lookups = []
    for odd in ("x" * 3000, "é" * 100, "..", "-1", "1e999"):
        lookups += [
            ("GET", f"/v1/comments/{odd}", site),
            ("GET", f"/v1/comments/by-site-id/{odd}", site),
            ("GET", f"/v1/comments/{odd}/history", moderator),
            ("GET", f"/v1/reports/{odd}", site),
            ("GET", f"/v1/review/comments/{odd}", moderator),
            ("GET", f"/v1/review/queues/{odd}", moderator),
            ("GET", f"/v1/webhooks/{odd}/deliveries", site),
            ("DELETE", f"/v1/webhooks/{odd}", site),
        ]
    for name in ("limit", "cursor", "since", "until", "site", "story", "category", "order"):
        for odd in ("x" * 3000, "-1", "99999999999999999999", "2026-13-45", "é", ""):
            lookups.append(("GET", f"/v1/review/queues/flagged?{name}={odd}", moderator))
            lookups.append(("GET", f"/v1/review/queues?{name}={odd}", moderator))
    failures = [
        f"{method} {path[:60]}: {status}"
        for method, path, headers in lookups
        if (status := client.open(path, method=method, headers=headers).status_code) >= 500
    ]
    assert failures == []


def _value(value: Any, place: tuple[Any, ...]) -> Any:
    for key in place:
        value = value[key]
    return value


def _at(errors: Any, place: tuple[Any, ...]) -> Any:
    """The messages a problem's `errors` holds for one place in the body (JSON keys are text)."""
    for key in place:
        errors = errors[str(key)]
    return errors


def test_a_lone_surrogate_in_any_text_is_a_422_naming_its_field(client, requests):
    failures = []
    for method, path, headers, body in requests:
        for place in _paths(body):
            if not (place and isinstance(_value(body, place), str)):
                continue
            sent = _with(body, place, "ok \ud83d")
            response = client.open(path, method=method, json=sent, headers=headers)
            answer = response.get_json()
            if path.endswith("/batch") and response.status_code == 200:
                answer, place = answer["results"][place[1]], place[2:]  # the item's own result
            try:
                named = answer["status"] == 422 and _at(answer["errors"], place)
            except (KeyError, TypeError):
                named = False
            if not named:
                failures.append(f"{method} {path} {place}: {response.status_code} {answer}")
    assert failures == []


def test_a_lone_surrogate_sinks_only_its_own_item_of_a_batch(client, site_key):
    items = [comment_json("b-1"), comment_json("b-2", body="Cut \ud83d"), comment_json("b-3")]
    response = client.post("/v1/comments/batch", json={"comments": items}, headers=auth(site_key))

    assert response.status_code == 200
    answer = response.get_json()
    assert (answer["accepted"], answer["rejected"]) == (2, 1)
    bad = answer["results"][1]
    assert bad["type"].endswith("/validation-failed")
    assert set(bad["errors"]) == {"body"}
    assert bad["errors"]["body"][0].startswith("Holds a lone surrogate (U+D83D) at character 4")
    kept = client.get("/v1/comments/by-site-id/b-3", headers=auth(site_key))
    assert kept.status_code == 200


def test_a_nul_sinks_only_its_own_item_of_a_batch(client, site_key):
    items = [comment_json("n-1"), comment_json("n-2", body="Cut\x00"), comment_json("n-3")]
    items[2]["story"]["title\x00"] = "odd key"  # a NUL in a field's name as well

    response = client.post("/v1/comments/batch", json={"comments": items}, headers=auth(site_key))

    assert response.status_code == 200
    answer = response.get_json()
    assert (answer["accepted"], answer["rejected"]) == (1, 2)
    assert answer["results"][1]["errors"] == {"body": ["Holds the NUL character (U+0000)."]}
    assert "title\x00" in answer["results"][2]["errors"]["story"]


@pytest.mark.parametrize("offset", ["+17:52", "-23:59", "+00:00"])
def test_any_rfc3339_offset_is_taken_and_kept_as_utc(client, services, site_key, offset):
    """PostgreSQL refuses offsets past ±15:59; RFC 3339, and so the document, allows ±23:59."""
    posted = client.post(
        "/v1/comments",
        json=comment_json("t-1", created_at=f"2026-11-26T10:00:00{offset}"),
        headers=auth(site_key),
    )
    moderator = auth(make_moderator(services, "mo", "daily-planet"))
    since = quote(f"2026-11-26T00:00:00{offset}")
    listed = client.get(f"/v1/review/queues/held?since={since}", headers=moderator)

    assert posted.status_code == 202, posted.get_json()
    assert listed.status_code == 200, listed.get_json()
    with services.db.session() as session:
        from moderation.store.models import Comment

        created = session.get(Comment, posted.get_json()["id"]).created_at
    assert created.utcoffset().total_seconds() == 0


def test_the_calendars_first_and_last_days_are_refused_as_documented(client, site_key):
    """An offset could carry them past the years Python can hold; the document says so."""
    for when in ("9999-12-31T23:00:00-23:00", "0001-01-01T00:30:00+01:00"):
        answer = client.post(
            "/v1/comments", json=comment_json(created_at=when), headers=auth(site_key)
        )
        assert answer.status_code == 422
        assert set(answer.get_json()["errors"]) == {"created_at"}


#: Any JSON value: what a fuzzer, a broken client or an attacker may put in any field.
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(st.characters() | st.characters(categories=["Cs"])),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
COMMENT_PLACES = [place for place in _paths(comment_json()) if place]


@hypothesis_settings(
    max_examples=40,
    deadline=None,
    database=None,  # nothing written to the working tree
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(place=st.sampled_from([*COMMENT_PLACES, ("extra",), ("story", "extra")]), value=JSON_VALUES)
def test_any_json_value_in_any_field_of_a_comment_is_never_a_500(client, site_key, place, value):
    sent = _with(comment_json(), place, value)
    response = client.post("/v1/comments", json=sent, headers=auth(site_key))
    assert response.status_code < 500, (place, value, response.get_json())
