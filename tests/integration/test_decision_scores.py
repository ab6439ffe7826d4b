"""The toxicity model's scores: recorded with a decision on both write paths, served as recorded."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from moderation.engine import Action
from moderation.engine import Decision as Verdict
from moderation.store import decisions as store
from moderation.store.models import Decision
from moderation.store.pending import load_batch
from tests.api.test_openapi import check_shape
from tests.helpers import auth, comment_json, make_moderator, make_site

SCORES = {
    "toxicity": 0.9731,
    "insult": 0.8812,
    "threat": 0.0123,
    "identity_attack": 0.0004,
    "obscene": 0.6,
}


def _outcome(scores: dict[str, float] | None = None) -> Verdict:
    # Built here, not by the engine: the store must keep whatever scores a decision carries.
    return Verdict(action=Action.HOLD, reasons=(), ruleset_version="test", scores=scores)


def _record_alone(services, outcomes) -> list:  # type: ignore[no-untyped-def]
    return store.record_alone(
        services.db, outcomes, now=datetime.now(UTC), decided_by="test-worker"
    )


def _record_in_session(services, outcomes) -> list:  # type: ignore[no-untyped-def]
    with services.db.session() as session:
        return store.record_decisions(
            session.connection(), outcomes, now=datetime.now(UTC), decided_by="test-worker"
        )


# Alone (each statement committing by itself) and in a session, as when webhook events commit
# with the decisions.
@pytest.mark.parametrize("record", [_record_alone, _record_in_session])
def test_scores_are_served_as_recorded_and_null_without_them(client, services, record):
    key = make_site(services, "planet")
    moderator = auth(make_moderator(services, "lois", "planet"))
    ids = []
    for external_id in ("scored", "unscored", "null-scored"):
        posted = client.post("/v1/comments", json=comment_json(external_id), headers=auth(key))
        assert posted.status_code == 202
        ids.append(posted.get_json()["id"])
    pending, _ = load_batch(services.db, ids, window=0, prior_limit=1)
    scored, unscored, null_scored = pending

    recorded = record(
        services,
        [
            (scored, _outcome(scores=SCORES)),
            (unscored, _outcome()),  # rules that run no model
            (null_scored, _outcome(scores=None)),
        ],
    )

    assert len(recorded) == 3
    spec = client.get("/v1/openapi.json").get_json()
    expected = dict(zip(ids, [SCORES, None, None], strict=True))
    for comment_id, scores in expected.items():
        status = client.get(f"/v1/comments/{comment_id}", headers=auth(key)).get_json()
        review = client.get(f"/v1/review/comments/{comment_id}", headers=moderator).get_json()
        assert status["decision"]["scores"] == scores
        assert review["decision"]["scores"] == scores
        check_shape(spec, "Decision", status["decision"])
    queue = client.get("/v1/review/queues/held", headers=moderator).get_json()
    assert {item["id"]: item["decision"]["scores"] for item in queue["items"]} == expected
    with services.db.session() as session:
        # No scores is SQL NULL, as on decisions recorded before the column, not JSON null.
        nulls = session.scalar(
            select(func.count()).select_from(Decision).where(Decision.scores.is_(None))
        )
    assert nulls == 2
