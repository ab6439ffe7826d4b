"""Schemas of a comment's history: every step, and the bodies its edits replaced."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from moderation.schemas.decisions import STATUSES


class _ActorOut(Schema):
    type = fields.String(
        metadata={"description": "Who acted: site, engine, reporter, moderator, system, …"}
    )
    id = fields.String(
        allow_none=True, metadata={"description": "The moderator's name, reporter's id, …"}
    )


class HistoryEntryOut(Schema):
    """One step of a comment's history.

    `action` is `received` (always first), `decided`, `reported`, `flagged_by_reports`,
    `approved`, `rejected`, `rejected_by_ban`, `edited`, ….
    """

    at = fields.DateTime()
    actor = fields.Nested(_ActorOut)
    action = fields.String()
    from_status = fields.String(allow_none=True)
    to_status = fields.String(allow_none=True)
    reason = fields.String(
        allow_none=True, metadata={"description": "A reason code, or the rule that decided."}
    )
    note = fields.String(allow_none=True)
    ruleset_version = fields.String(
        allow_none=True, metadata={"description": "For engine decisions."}
    )
    data = fields.Dict(
        allow_none=True,
        metadata={"description": "Details of the step (revision, report id, weights, …)."},
    )


class _RevisionOut(Schema):
    revision = fields.Integer(validate=validate.Range(min=1))
    body = fields.String()
    replaced_at = fields.DateTime(metadata={"description": "When an edit replaced it."})


class HistoryOut(Schema):
    """Everything that happened to a comment, oldest first."""

    comment_id = fields.String()
    status = fields.String(validate=validate.OneOf(STATUSES))
    revision = fields.Integer(validate=validate.Range(min=1))
    entries = fields.List(fields.Nested(HistoryEntryOut))
    revisions = fields.List(
        fields.Nested(_RevisionOut),
        metadata={"description": "Earlier bodies, oldest first; the current one is not repeated."},
    )
