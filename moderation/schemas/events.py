"""Schemas of the webhook events a site receives: an envelope, and the data of each type."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from moderation.schemas.base import OPTIONAL
from moderation.schemas.decisions import ACTIONS, STATUSES, ReasonOut, scores


class EventCommentOut(Schema):
    """The comment an event is about, as every event carries it."""

    id = fields.String(metadata={"description": "The service's id of the comment."})
    site_comment_id = fields.String(metadata={"description": "The site's own id."})
    story_id = fields.String()
    author_id = fields.String()
    status = fields.String(
        validate=validate.OneOf(STATUSES), metadata={"description": "After the event."}
    )
    revision = fields.Integer(validate=validate.Range(min=1))


class _EventDecisionOut(Schema):
    action = fields.String(validate=validate.OneOf(ACTIONS))
    reasons = fields.List(fields.Nested(ReasonOut))
    ruleset_version = fields.String(metadata={"description": "Content hash of the rules used."})
    scores = scores()


class _DecidedOut(Schema):
    comment = fields.Nested(EventCommentOut)
    decision = fields.Nested(_EventDecisionOut)


class _ActorOut(Schema):
    type = fields.String(metadata={"enum": ["moderator"]})
    id = fields.String(metadata={"description": "The moderator's name."})


class _StatusChangedOut(Schema):
    comment = fields.Nested(EventCommentOut)
    from_status = fields.String(validate=validate.OneOf(STATUSES))
    to_status = fields.String(validate=validate.OneOf(STATUSES))
    reason = fields.String(
        allow_none=True,
        metadata={"description": "The moderator's rejection reason, or `reported`."},
    )
    actor = fields.Nested(
        _ActorOut, metadata={"description": "The moderator, when one acted.", **OPTIONAL}
    )


class _ReportOut(Schema):
    id = fields.String(metadata={"description": "The report's id (GET /v1/reports/{id})."})
    reason = fields.String()
    weight = fields.Float(metadata={"description": "Its weight, from the reporter's record."})


class _ReportedOut(Schema):
    comment = fields.Nested(EventCommentOut)
    report = fields.Nested(_ReportOut)


class _ErasedOut(Schema):
    author_id = fields.String(metadata={"description": "The site's id of the author."})
    erased_at = fields.DateTime()
    comments = fields.Integer(
        validate=validate.Range(min=0), metadata={"description": "Comments tombstoned."}
    )


class _TestOut(Schema):
    endpoint_id = fields.String()
    message = fields.String()


def _type(event_type: str) -> fields.String:
    return fields.String(metadata={"enum": [event_type]})


class _EnvelopeOut(Schema):
    type = fields.String(metadata={"description": "The event type."})
    timestamp = fields.DateTime(metadata={"description": "When the event happened."})


class DecidedEventOut(_EnvelopeOut):
    """A worker recorded the engine's decision on a comment, or on its edited text."""

    type = _type("comment.decided")
    data = fields.Nested(_DecidedOut)


class StatusChangedEventOut(_EnvelopeOut):
    """A comment's status changed after its decision.

    A moderator's verdict moved it, or reports hid an approved comment on a site that hides
    reported comments.
    """

    type = _type("comment.status_changed")
    data = fields.Nested(_StatusChangedOut)


class ReportedEventOut(_EnvelopeOut):
    """A reader reported a comment."""

    type = _type("comment.reported")
    data = fields.Nested(_ReportedOut)


class AuthorErasedEventOut(_EnvelopeOut):
    """The site erased an author's personal data (DELETE /v1/authors/{author_id}).

    Copies the site keeps of the author's comments (caches, search indexes, archives) should go
    too.
    """

    type = _type("author.erased")
    data = fields.Nested(_ErasedOut)


class TestEventOut(_EnvelopeOut):
    """A test delivery, sent by POST /v1/webhooks/{endpoint_id}/test whatever the subscription."""

    type = _type("webhook.test")
    data = fields.Nested(_TestOut)


#: Each event type and the body its deliveries carry.
EVENTS: dict[str, type[Schema]] = {
    "comment.decided": DecidedEventOut,
    "comment.status_changed": StatusChangedEventOut,
    "comment.reported": ReportedEventOut,
    "author.erased": AuthorErasedEventOut,
    "webhook.test": TestEventOut,
}
