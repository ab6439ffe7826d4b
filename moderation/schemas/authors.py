"""Schemas of an author's export and erasure (GDPR Art. 15 and 17): answers only."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from moderation.schemas.decisions import STATUSES, DecisionOut

_REPORT_STATES = ("open", "upheld", "dismissed")


class _StandingOut(Schema):
    premoderate = fields.Boolean(metadata={"description": "Moderators hold all their comments."})
    banned = fields.Boolean()


class _ReviewOut(Schema):
    at = fields.DateTime(allow_none=True)
    reason = fields.String(allow_none=True, metadata={"description": "A rejection's reason code."})
    note = fields.String(allow_none=True, metadata={"description": "The moderator's note to them."})


class _RevisionOut(Schema):
    revision = fields.Integer(validate=validate.Range(min=1))
    body = fields.String()
    replaced_at = fields.DateTime()


class _ExportDecisionOut(DecisionOut):
    revision = fields.Integer(validate=validate.Range(min=1))


class _ReceivedReportOut(Schema):
    """A report on the author's comment, without who filed it or what they wrote."""

    id = fields.String()
    reason = fields.String()
    state = fields.String(validate=validate.OneOf(_REPORT_STATES))
    created_at = fields.DateTime()


class _ExportCommentOut(Schema):
    id = fields.String(metadata={"description": "The service's id of the comment."})
    site_comment_id = fields.String()
    story_id = fields.String()
    section = fields.String(allow_none=True)
    parent_id = fields.String(allow_none=True)
    author_name = fields.String(allow_none=True)
    body = fields.String()
    language = fields.String(allow_none=True)
    status = fields.String(validate=validate.OneOf(STATUSES))
    revision = fields.Integer(validate=validate.Range(min=1))
    created_at = fields.DateTime(allow_none=True)
    received_at = fields.DateTime()
    decided_at = fields.DateTime(allow_none=True)
    review = fields.Nested(_ReviewOut)
    revisions = fields.List(
        fields.Nested(_RevisionOut), metadata={"description": "Earlier bodies."}
    )
    decisions = fields.List(
        fields.Nested(_ExportDecisionOut), metadata={"description": "One per revision decided."}
    )
    reports = fields.List(fields.Nested(_ReceivedReportOut))


class _FiledReportOut(Schema):
    id = fields.String()
    comment_id = fields.String(metadata={"description": "The comment reported."})
    reason = fields.String()
    text = fields.String(allow_none=True)
    state = fields.String(validate=validate.OneOf(_REPORT_STATES))
    public_note = fields.String(allow_none=True)
    created_at = fields.DateTime()
    resolved_at = fields.DateTime(allow_none=True)


class AuthorExportOut(Schema):
    """Everything the service holds of an author on the site (GDPR Art. 15)."""

    author_id = fields.String()
    exported_at = fields.DateTime()
    standing = fields.Nested(_StandingOut, metadata={"description": "Moderators' orders."})
    comments = fields.List(
        fields.Nested(_ExportCommentOut), metadata={"description": "Oldest first."}
    )
    reports_filed = fields.List(
        fields.Nested(_FiledReportOut), metadata={"description": "Reports the author filed."}
    )


class _ErasedCountsOut(Schema):
    comments = fields.Integer(validate=validate.Range(min=0))
    revisions = fields.Integer(validate=validate.Range(min=0))
    decisions = fields.Integer(validate=validate.Range(min=0))
    reports = fields.Integer(validate=validate.Range(min=0))
    webhook_deliveries = fields.Integer(validate=validate.Range(min=0))


class AuthorErasureOut(Schema):
    """What the erasure touched, by kind of row."""

    author_id = fields.String()
    erased_at = fields.DateTime()
    erased = fields.Nested(_ErasedCountsOut)
