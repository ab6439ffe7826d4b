"""The console's pages: the queue with its counts and filters, and a comment's card."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from flask import render_template, request
from marshmallow import fields, validate
from sqlalchemy.orm import Session

from moderation.api.common import schema, services
from moderation.console import claims
from moderation.console.auth import current
from moderation.console.blueprint import bp
from moderation.console.highlight import Piece, highlight
from moderation.domain.review import REJECTION_REASONS, visible_comment
from moderation.schemas.loading import load
from moderation.schemas.review import QUEUE_NAMES, QueueQuery
from moderation.schemas.text import Text
from moderation.store import card as cards
from moderation.store import review as queues
from moderation.store.console import SignedIn
from moderation.store.models import Comment, Decision

#: Characters of each comment the queue shows; the card shows all.
EXCERPT = 280


class ConsoleQuery(QueueQuery):
    """The queue page's query string: the review API's filters and paging, and more."""

    queue = Text(load_default="held", validate=validate.OneOf(QUEUE_NAMES))
    q = Text(load_default=None, validate=validate.Length(max=200))
    id = Text(load_default=None, validate=validate.Length(max=32))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


@dataclass(frozen=True)
class Row:
    """One comment as the queue lists it."""

    comment: Comment
    site: str
    pieces: list[Piece]
    reasons: list[dict[str, Any]]
    claimed_by: str | None


def story_link(url: str | None) -> str | None:
    """The story's address if it is a web link; anything else (javascript:, data:) is no link."""
    if not url:
        return None
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if scheme in {"http", "https"} else None


def _query() -> dict[str, Any]:
    raw = {k: v for k, v in request.args.items() if v.strip()}
    for key in ("since", "until"):
        if key in raw and len(raw[key]) == 10:  # a date from the form's date field: midnight UTC
            raw[key] += "T00:00:00+00:00"
    loaded: dict[str, Any] = load(schema(ConsoleQuery), raw, "The filters are not valid.")
    return loaded


def card_context(
    session: Session,
    signed: SignedIn,
    comment: Comment,
    known: tuple[str, Decision | None] | None = None,
) -> dict[str, Any]:
    """Everything a comment's card shows; opening it claims the comment for two minutes.

    `known` is the site's name and the decision when the queue has read them already.
    """
    if known is None:
        known = (
            queues.site_name(session, comment.site_id) or "",
            queues.decisions_for(session, [comment]).get(comment.id),
        )
    site, decision = known
    reasons = decision.reasons if decision is not None else []
    return {
        "comment": comment,
        "site": site,
        "decision": decision,
        "reasons": reasons,
        "pieces": highlight(comment.body, reasons),
        "story_url": story_link(comment.story_url),
        "author": cards.author_record(session, comment),
        "reports": cards.reports_on(session, comment.id),
        "revisions": cards.revisions_of(session, comment),
        "claimed_by": claims.claim(services().redis, comment.id, signed.moderator.name),
        "rejection_reasons": REJECTION_REASONS,
    }


def _rows(
    pairs: list[tuple[Comment, str]], decisions: dict[str, Decision], held: dict[str, str]
) -> list[Row]:
    rows = []
    for comment, site in pairs:
        decision = decisions.get(comment.id)
        reasons = decision.reasons if decision is not None else []
        pieces = highlight(comment.body, reasons, limit=EXCERPT)
        rows.append(Row(comment, site, pieces, reasons, held.get(comment.id)))
    return rows


@bp.get("/")
def queue() -> str:
    """A queue (held by default): counts per site, filters, a page of comments, one card open."""
    signed = current()
    query = _query()
    keys = ("site", "story", "section", "author", "category", "since", "until")
    filters = queues.Filters(
        site_ids=signed.site_ids, text=query["q"], **{k: query[k] for k in keys}
    )
    # Reads only (a claim lives in Redis): no transaction, so no BEGIN and COMMIT round trips.
    with services().db.autocommit() as session:
        counts = cards.counts_by_site(session, signed.site_ids)
        pairs, cursor = queues.list_queue(
            session,
            query["queue"],
            filters,
            after=query["cursor"],
            limit=query["limit"],
            newest_first=query["order"] == "newest",
            most_severe=query["order"] == "severe",
        )
        decisions = queues.decisions_for(session, [c for c, _ in pairs])
        rows = _rows(pairs, decisions, claims.holders(services().redis, [c.id for c, _ in pairs]))
        selected = query["id"] or (rows[0].comment.id if rows else None)
        listed = {row.comment.id: (row.site, decisions.get(row.comment.id)) for row in rows}
        card = (
            card_context(
                session,
                signed,
                visible_comment(session, selected, signed.site_ids),
                listed.get(selected),
            )
            if selected
            else None
        )
    kept = {k: v for k, v in request.args.items() if v.strip() and k not in {"cursor", "id"}}
    return render_template(
        "console/queue.html",
        signed=signed,
        query=query,
        counts=counts,
        rows=rows,
        card=card,
        queues=QUEUE_NAMES,
        rejection_reasons=REJECTION_REASONS,
        next_url=f"/console/?{urlencode({**kept, 'cursor': cursor})}" if cursor else None,
        # Where a form sends the browser back to: this page, without the comment just judged.
        here="/console/?"
        + urlencode({**kept, **({"cursor": query["cursor"]} if query["cursor"] else {})}),
        tab=lambda name: "/console/?" + urlencode({**kept, "queue": name}),
    )


def _opened(comment_id: str) -> tuple[SignedIn, dict[str, Any]]:
    signed = current()
    with services().db.autocommit() as session:
        comment = visible_comment(session, comment_id, signed.site_ids)
        return signed, card_context(session, signed, comment)


@bp.get("/comments/<comment_id>")
def comment_page(comment_id: str) -> str:
    """A comment's card on a page of its own (another site's comment is not found)."""
    signed, context = _opened(comment_id)
    return render_template(
        "console/comment.html", signed=signed, card=context, here=request.full_path.rstrip("?")
    )


@bp.get("/comments/<comment_id>/card")
def card_fragment(comment_id: str) -> str:
    """The card alone, for the queue page to swap in without loading a page."""
    signed, context = _opened(comment_id)
    back = request.args.get("back", "/console/")
    return render_template("console/_card.html", signed=signed, card=context, here=back)
