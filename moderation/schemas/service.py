"""Schemas of the service's own answers: RFC 9457 problem details and the health checks."""

from __future__ import annotations

from marshmallow import Schema, fields

from moderation.errors import PROBLEM_TYPE_BASE
from moderation.schemas.base import OPTIONAL


class ProblemOut(Schema):
    """RFC 9457 problem details; extra members (such as existing_id) may appear."""

    type = fields.String(
        metadata={"description": f"{PROBLEM_TYPE_BASE}<slug>, naming the kind.", "format": "uri"}
    )
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    instance = fields.String(
        metadata={"description": "The request path, percent-encoded.", "format": "uri-reference"}
    )
    errors = fields.Dict(
        metadata={
            "description": "Messages by field, nested like the body; `_schema` is the body as a "
            "whole.",
            **OPTIONAL,
        }
    )


class HealthOut(Schema):
    """The process answers."""

    status = fields.String(metadata={"enum": ["ok"]})


class _ChecksOut(Schema):
    database = fields.Boolean()
    redis = fields.Boolean()


class ReadinessOut(Schema):
    """Whether the database and Redis answer."""

    status = fields.String(metadata={"enum": ["ok", "unavailable"]})
    checks = fields.Nested(_ChecksOut)
