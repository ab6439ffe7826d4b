"""Strict marshmallow schemas for config/rules.toml: unknown keys are errors."""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from moderation.engine.model import ATTRIBUTES

ACTIONS = ("approve", "hold", "reject")
_ACTION = validate.OneOf(ACTIONS)
_SOME = validate.Length(min=1)


def _word_lists(description: str) -> fields.Dict:
    """Named lists of phrases, as a rule's `words` and the file's shared `[words]` hold."""
    return fields.Dict(
        keys=fields.String(validate=validate.Regexp(r"^[a-z_]+$")),
        values=fields.List(fields.String(validate=validate.Length(min=1)), validate=_SOME),
        metadata={"description": description},
    )


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class PolicySchema(_Strict):
    """Site policy: how strong profanity is treated and the moderation mode."""

    strong_profanity = fields.String(
        validate=validate.OneOf(("hold", "reject")),
        metadata={"description": "action for the strong tier"},
    )
    censor = fields.Boolean(metadata={"description": "return a censored copy of the text"})
    mode = fields.String(
        validate=validate.OneOf(("pre", "post")),
        metadata={"description": "pre: hold every comment for review"},
    )
    new_author_hold = fields.Integer(
        # Also bounds how much of an author's past each decision counts.
        validate=validate.Range(min=0, max=100),
        metadata={"description": "hold an author's first N comments"},
    )


class _Rule(_Strict):
    id = fields.String(required=True, validate=validate.Regexp(r"^[a-z0-9][a-z0-9_.-]*$"))
    type = fields.String(required=True)
    action = fields.String(validate=_ACTION)
    severity = fields.Integer(validate=validate.Range(min=0, max=5))
    description = fields.String()


class TermsRule(_Rule):
    """banned_terms (reject) and suspect_terms (hold): whole words or phrases."""

    terms = fields.List(fields.String(validate=validate.Length(min=1)), required=True)


class RegexRule(_Rule):
    """A user pattern, compiled with RE2 (linear time)."""

    pattern = fields.String(required=True, validate=validate.Length(min=1, max=4000))
    code = fields.String()
    category = fields.String(validate=validate.Length(min=1))


class LinksRule(_Rule):
    """Links: count, blocked and allowed domains, link-only comments."""

    max_links = fields.Integer(validate=validate.Range(min=0))
    blocked_domains = fields.List(fields.String())
    allowed_domains = fields.List(fields.String())
    blocked_action = fields.String(validate=_ACTION)
    link_only_action = fields.String(validate=_ACTION)


class PersonalDataRule(_Rule):
    """Email addresses, phone numbers, street addresses."""

    email = fields.Boolean()
    phone = fields.Boolean()
    address = fields.Boolean()


class PatternsRule(_Rule):
    """RE2 patterns run only when a trigger word is present (`threats`: of violence)."""

    triggers = fields.List(
        fields.String(validate=validate.Length(min=2)),
        required=True,
        metadata={"description": 'words; "{name}": the last word of each phrase of list `name`'},
    )
    patterns = fields.List(fields.String(validate=validate.Length(min=1)), required=True)
    code = fields.String()
    category = fields.String(validate=validate.Length(min=1))
    asserted_only = fields.Boolean(
        metadata={"description": "pass over matches quoted or denied (counter-speech)"}
    )
    typos = fields.Boolean(
        metadata={"description": "also match the triggers and word lists' words mistyped"}
    )
    unhedged = fields.Boolean(
        metadata={"description": 'also match the text without hedging words ("honestly")'}
    )
    roles = fields.List(
        fields.String(validate=validate.Regexp(r"^[a-z_]+$")),
        validate=validate.Length(min=1, max=2),
        metadata={
            "description": 'word lists of roles: also match with a person so named read as "him"'
            ' ("the referee"), or, of the second list, as "them" ("the police")'
        },
    )
    addressed = fields.Boolean(
        metadata={"description": 'also match with what is said of "him" read as said to "you"'}
    )
    marks = fields.List(
        fields.String(validate=validate.Regexp(r"^[a-z_]+$")),
        validate=validate.Length(max=4),
        metadata={"description": "word lists found once per comment, each mention marked"},
    )
    words = _word_lists('word lists a pattern names as "{name}": phrases, alternatives')

    @validates_schema
    def _addressed_holds(self, data: dict[str, Any], **_: Any) -> None:
        # Said of another, read as said to you: a moderator's to judge, never rejected unread.
        if data.get("addressed") and data.get("action") == "reject":
            raise ValidationError("a rule that reads 'addressed' must hold", "addressed")


class SpamRule(_Rule):
    """Advertising phrases, repeated characters, shouting, repeated posts."""

    phrases = fields.List(fields.String(validate=validate.Length(min=1)))
    # RE2 caps a counted repetition at 1,000.
    max_repeated_chars = fields.Integer(validate=validate.Range(min=0, max=999))
    repeat_ignore = fields.String(
        metadata={"description": "characters whose runs are not spam (ellipses, rules: .-_=)"}
    )
    caps_ratio = fields.Float(validate=validate.Range(min=0, max=1))
    caps_min_letters = fields.Integer(validate=validate.Range(min=1))
    duplicate_limit = fields.Integer(validate=validate.Range(min=0))


class LengthRule(_Rule):
    """Minimum (after trimming) and maximum length in characters."""

    min = fields.Integer(validate=validate.Range(min=0))
    max = fields.Integer(validate=validate.Range(min=1))


class BandSchema(_Strict):
    """One attribute's thresholds: hold at or above `hold`, reject at or above `reject`."""

    hold = fields.Float(validate=validate.Range(min=0, max=1))
    reject = fields.Float(validate=validate.Range(min=0, max=1))
    min_words = fields.Integer(
        validate=validate.Range(min=1),
        metadata={
            "description": "fewer words: no hold or reject for this attribute (default: "
            "the rule's min_words)"
        },
    )

    @validates_schema
    def _ordered(self, data: dict[str, Any], **_: Any) -> None:
        if "hold" in data and "reject" in data and data["hold"] > data["reject"]:
            raise ValidationError("hold must not be above reject", "hold")


class ModelRuleSchema(_Rule):
    """The toxicity model: which model file, and each attribute's thresholds."""

    model = fields.String(
        validate=validate.Length(min=1),
        metadata={"description": "builtin, or a model file relative to the config directory"},
    )
    min_words = fields.Integer(
        validate=validate.Range(min=1),
        metadata={
            "description": "fewer words: scores only, no hold or reject (default 3; an "
            "attribute's band may ask for more)"
        },
    )
    thresholds = fields.Dict(
        keys=fields.String(validate=validate.OneOf(ATTRIBUTES)),
        values=fields.Nested(BandSchema),
        required=True,
    )


RULE_SCHEMAS: dict[str, type[_Rule]] = {
    "banned_terms": TermsRule,
    "suspect_terms": TermsRule,
    "regex": RegexRule,
    "links": LinksRule,
    "personal_data": PersonalDataRule,
    "threats": PatternsRule,
    "patterns": PatternsRule,
    "spam": SpamRule,
    "length": LengthRule,
    "model": ModelRuleSchema,
}


class SectionSchema(_Strict):
    """Per-section policy: the moderation mode and rule overrides (model thresholds, say)."""

    mode = fields.String(validate=validate.OneOf(("pre", "post")))
    rule_overrides = fields.Dict(keys=fields.String(), values=fields.Dict())


class SiteSchema(PolicySchema):
    """Per-site overrides of policy and rules."""

    allowlist = fields.List(fields.String(validate=validate.Length(min=1)))
    disable = fields.List(fields.String())
    rules = fields.List(fields.Dict())
    rule_overrides = fields.Dict(keys=fields.String(), values=fields.Dict())
    sections = fields.Dict(keys=fields.String(), values=fields.Nested(SectionSchema))


class SettingsSchema(_Strict):
    """Engine-wide settings."""

    duplicate_window_seconds = fields.Integer(validate=validate.Range(min=0))


class LexiconSchema(_Strict):
    """Where the lexicon files are, relative to the config directory."""

    terms = fields.String(required=True)
    allowlist = fields.String()


class RulesFileSchema(_Strict):
    """The whole rules file."""

    settings = fields.Nested(SettingsSchema)
    lexicon = fields.Nested(LexiconSchema, required=True)
    policy = fields.Nested(PolicySchema, required=True)
    rules = fields.List(fields.Dict(), required=True)
    words = _word_lists("word lists every patterns rule may name, as its own words")
    sites = fields.Dict(
        keys=fields.String(validate=validate.Regexp(r"^[A-Za-z0-9_.-]+$")), values=fields.Dict()
    )

    @validates_schema
    def _unique_ids(self, data: dict[str, Any], **_: Any) -> None:
        ids = [r.get("id") for r in data.get("rules", [])]
        dupes = sorted({i for i in ids if ids.count(i) > 1 and i is not None})
        if dupes:
            raise ValidationError(f"duplicate rule ids: {', '.join(map(str, dupes))}", "rules")


TERM_COLUMNS = ("term", "tier", "category", "mode", "elongate", "name", "exceptions", "source")


class TermRowSchema(_Strict):
    """One row of lexicon/terms.tsv."""

    term = fields.String(required=True, validate=validate.Length(min=1))
    tier = fields.String(
        required=True, validate=validate.OneOf(("mild", "strong", "severe", "slur"))
    )
    category = fields.String(required=True)
    mode = fields.String(required=True, validate=validate.OneOf(("word", "exact", "prefix", "any")))
    elongate = fields.String(required=True, validate=validate.OneOf(("yes", "no")))
    name = fields.String(required=True, validate=validate.OneOf(("yes", "no")))
    exceptions = fields.String(required=True)
    source = fields.String(required=True)
