"""Schemas of the engine's answers: reasons, scores and decisions, recorded or only checked."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from moderation.engine import Action
from moderation.engine.model.scorer import ATTRIBUTES
from moderation.schemas.base import OPTIONAL
from moderation.store.models import CommentStatus

#: A comment's statuses: queued until a worker decides, then one per action.
STATUSES = tuple(CommentStatus)
ACTIONS = tuple(action.value for action in Action)


def _probability() -> fields.Float:
    return fields.Float(validate=validate.Range(min=0, max=1))


class _ScoresOut(Schema):
    toxicity = _probability()
    insult = _probability()
    threat = _probability()
    identity_attack = _probability()
    obscene = _probability()


def scores() -> fields.Nested:
    """The `scores` of a decision."""
    return fields.Nested(
        _ScoresOut,
        allow_none=True,
        metadata={
            "description": "Calibrated probabilities from the toxicity model (0 to 1, 4 decimals); "
            "null when the site's rules do not run it, and on decisions recorded before it."
        },
    )


class ReasonOut(Schema):
    """One rule or term, however often it hit; offsets are into the original text.

    A term found many times (in any spelling) is one reason with its count. Decisions recorded
    before count and spans existed lack them (read: one occurrence, at start/end).
    """

    rule_id = fields.String(metadata={"description": "The rule that hit."})
    code = fields.String(
        metadata={"description": "Machine-readable reason code.", "examples": ["strong_profanity"]}
    )
    category = fields.String(
        metadata={
            "description": "Category of the hit (profanity, spam, …).",
            "examples": ["profanity"],
        }
    )
    severity = fields.Integer()
    action = fields.String(
        validate=validate.OneOf(ACTIONS), metadata={"description": "What this hit alone asks for."}
    )
    term = fields.String(
        allow_none=True,
        metadata={
            "description": "The first occurrence's text, for rules that match "
            "(at most 100 characters)."
        },
    )
    start = fields.Integer(
        allow_none=True,
        metadata={"description": "Offset of the first occurrence's first character."},
    )
    end = fields.Integer(
        allow_none=True, metadata={"description": "Offset just past the first occurrence."}
    )
    count = fields.Integer(
        validate=validate.Range(min=1),
        metadata={"description": "How many times this term or rule hit.", **OPTIONAL},
    )
    spans = fields.List(
        fields.List(fields.Integer(), validate=validate.Length(equal=2)),
        validate=validate.Length(max=10),
        metadata={
            "description": "[start, end] of the first occurrences, at most 10, the first being "
            "start/end (for highlighting); empty when the reason has no place in the text. For "
            "the toxicity model's reasons: the words and word pairs that drove the score, "
            "strongest first.",
            **OPTIONAL,
        },
    )
    attribute = fields.String(
        validate=validate.OneOf(ATTRIBUTES),
        metadata={
            "description": "The toxicity model's reasons only: the attribute whose band was "
            "reached.",
            **OPTIONAL,
        },
    )
    score = fields.Float(
        validate=validate.Range(min=0),
        metadata={
            "description": "The toxicity model's reasons only: the attribute's score.",
            **OPTIONAL,
        },
    )


class CheckResultOut(Schema):
    """The engine's decision, computed now and recorded nowhere."""

    action = fields.String(validate=validate.OneOf(ACTIONS))
    reasons = fields.List(fields.Nested(ReasonOut))
    ruleset_version = fields.String(metadata={"description": "Content hash of the rules used."})
    censored = fields.String(
        allow_none=True, metadata={"description": "The text with matched terms masked."}
    )
    scores = scores()


class DecisionOut(CheckResultOut):
    """The engine's recorded decision on a comment's current revision."""

    censored = fields.String(
        allow_none=True,
        metadata={
            "description": "The text with matched terms masked, when the site's policy asks for it."
        },
    )
    decided_at = fields.DateTime()
