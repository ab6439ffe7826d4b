"""The engine: one shared matcher plus per-site profiles, folded into a Decision."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Sequence
from itertools import compress
from operator import itemgetter
from pathlib import Path
from typing import Any

from moderation.engine import exemptions
from moderation.engine import normalise as norm
from moderation.engine import rules as rulemod
from moderation.engine.decision import Action, Context, Decision, Reason, Work, most_severe
from moderation.engine.entries import TIER_SEVERITY
from moderation.engine.loader import Config, ConfigError, load, merge_override, validate_rule
from moderation.engine.matcher import Entry, Hit, Matcher
from moderation.engine.model import ToxicityModel, features
from moderation.engine.rules.model import ModelRule, compile_rule, strongest
from moderation.engine.rules.speech import named_alone, retold_to_condemn, said_of_self
from moderation.engine.tally import Span, Tally, censor, most_specific

_MILD = TIER_SEVERITY["mild"]
_TIER_CODES = {"slur": "slur", "mild": "disguised_profanity"}
# Digits or symbols standing for letters between two letters of a word the lexicon matched
# ("pr1ck", "cr@p"; not "$50b" or a code such as "GA1"). Not a star: "d*mn" is a courtesy.
_DISGUISED = re.compile(r"[a-z][0-9@$!]+[a-z]", re.IGNORECASE)
_ENTRY = itemgetter(2)  # a hit's entry index
_TOO_COSTLY = Reason("engine", "too_costly", "cost", 2, Action.HOLD)
_TERM_CODES = {
    "banned_terms": ("banned_term", "banned_term"),
    "suspect_terms": ("suspect_term", "suspect_term"),
    "spam": ("spam_phrase", "spam"),
}


@dataclasses.dataclass(frozen=True, slots=True)
class Profile:
    """A site's resolved policy and rules."""

    strong_profanity: Action
    censor: bool
    mode: str
    new_author_hold: int
    rules: tuple[int, ...]  # indexes into Engine._rules
    checks: tuple[rulemod.Check, ...]  # those rules' checks, in order
    wanted: frozenset[int] | None  # matcher entries that apply; None = all
    sections: dict[str, Section]
    model: ModelRule | None


@dataclasses.dataclass(frozen=True, slots=True)
class Section:
    """What a section of a site changes: its mode, its model thresholds."""

    mode: str | None
    model: ModelRule | None


@dataclasses.dataclass(slots=True)
class _Draft:
    """A comment between its rules and its model score (comments are scored in batches)."""

    comment: rulemod.Comment
    profile: Profile
    model: ModelRule | None
    mode: str
    view: str
    reasons: list[Reason]
    masks: list[Span]
    scores: dict[str, float] | None = None


class Engine:
    """Moderates comments against one loaded config; immutable and thread-safe."""

    def __init__(self, config: Config) -> None:
        """Compile `config` (raises ConfigError)."""
        self._version = config.version
        settings = config.data.get("settings", {})
        self.duplicate_window_seconds: int = settings.get("duplicate_window_seconds", 3600)
        entries: list[Entry] = [_lexicon_entry(row) for row in config.terms]
        entries += [Entry(term, "allow", mode="exact") for term in config.allowlist]
        shared = len(entries)
        self._rules: list[rulemod.Rule] = []
        rule_keys: dict[str, int] = {}
        self._owner_rule: dict[int, int] = {}  # entry index -> rule index
        site_entries: dict[str, list[int]] = {}
        profiles: dict[str, tuple[dict[str, Any], list[int], list[int]]] = {}
        model_params: dict[str, dict[str, Any] | None] = {}
        self.models: dict[str, ToxicityModel] = config.models
        for slug, site in [("", {}), *config.sites.items()]:
            policy = {
                **config.data["policy"],
                **{
                    k: v
                    for k, v in site.items()
                    if k in ("strong_profanity", "censor", "mode", "new_author_hold")
                },
            }
            disabled = set(site.get("disable", []))
            overrides = site.get("rule_overrides", {})
            where = f"{config.files[0]}: sites.{slug}" if slug else str(config.files[0])
            for rid in [*disabled, *overrides]:
                if rid not in {r["id"] for r in config.data["rules"]}:
                    raise ConfigError(f"{where}: no rule {rid!r} to disable or override")
            params_list = [
                validate_rule(merge_override(r, overrides.get(r["id"], {})), where)
                for r in config.data["rules"]
                if r["id"] not in disabled
            ] + list(site.get("rules", []))
            rule_ids: list[int] = []
            extra: list[int] = []
            models = [p for p in params_list if p["type"] == "model"]
            if len(models) > 1:
                raise ConfigError(f"{where}: at most one model rule applies to a site")
            model_params[slug] = models[0] if models else None
            for params in params_list:
                if params["type"] == "model":
                    continue
                key = json.dumps(params, sort_keys=True)
                if key not in rule_keys:
                    try:
                        rule = rulemod.build(params)
                    except ValueError as exc:
                        raise ConfigError(f"{where}: rule {params['id']!r}: {exc}") from exc
                    rule_keys[key] = len(self._rules)
                    self._rules.append(rule)
                    for term in rule.terms:
                        self._owner_rule[len(entries)] = rule_keys[key]
                        entries.append(Entry(term, f"rule:{rule_keys[key]}", mode="word"))
                rule_ids.append(rule_keys[key])
            for term in site.get("allowlist", []):
                extra.append(len(entries))
                entries.append(Entry(term, "allow", mode="exact"))
            profiles[slug] = (policy, rule_ids, extra)
            site_entries[slug] = extra
        self._entries = entries
        # Words that hold a slur but are none ("sniggers"): a model reason they drive is dropped.
        # Not the exceptions of other tiers: "scumbag" is one of mild "scum"'s, and an insult.
        self._spared = frozenset(
            x for e in entries if e.owner == "lexicon" and e.tier == "slur" for x in e.exceptions
        )
        # Per entry: its tier's severity, or -1 for a rule's term (allowlist entries never hit).
        self._severity = [
            TIER_SEVERITY.get(e.tier, 0) if e.owner == "lexicon" else -1 for e in entries
        ]
        triggers = {t for rule in self._rules for t in rule.triggers}
        self._matcher = Matcher(entries, sorted(triggers), self._severity)
        self._clean = Decision(Action.APPROVE, (), self._version, None)
        self._profiles: dict[str, Profile] = {}
        for slug, (policy, rule_ids, extra) in profiles.items():
            mine = set(range(shared)) | set(extra)
            for idx, ridx in self._owner_rule.items():
                if ridx in rule_ids:
                    mine.add(idx)
            wanted = None if len(mine) == len(entries) else frozenset(mine)
            where = f"{config.files[0]}: sites.{slug}" if slug else str(config.files[0])
            model = self._model(model_params[slug], {}, config, where)
            sections = {
                name: Section(
                    section.get("mode"),
                    self._model(model_params[slug], section, config, f"{where}.sections.{name}")
                    if section.get("rule_overrides")
                    else model,
                )
                for name, section in config.sites.get(slug, {}).get("sections", {}).items()
            }
            self._profiles[slug] = Profile(
                Action(policy.get("strong_profanity", "hold")),
                policy.get("censor", False),
                policy.get("mode", "post"),
                policy.get("new_author_hold", 0),
                tuple(rule_ids),
                tuple(self._rules[i].check for i in rule_ids if not self._rules[i].matcher_only),
                wanted,
                sections,
                model,
            )
        #: The most earlier comments any policy asks an author for: counting further changes
        #: no decision, so the store counts an author's past up to this and no more.
        self.new_author_hold_max: int = max(p.new_author_hold for p in self._profiles.values())

    @classmethod
    def from_directory(cls, path: Path) -> Engine:
        """Load and compile the config directory at `path`."""
        return cls(load(Path(path)))

    @property
    def version(self) -> str:
        """Content hash of the config files this engine was built from."""
        return self._version

    def moderate(self, text: str, context: Context) -> Decision:
        """Return the decision for one comment."""
        return self.moderate_many([(text, context)])[0]

    def moderate_many(self, items: Sequence[tuple[str, Context]]) -> list[Decision]:
        """Return the decisions for many comments; the model scores them all in one pass."""
        drafts = [self._draft(text, context, None) for text, context in items]
        self._score(drafts)
        return [self._finish(draft) for draft in drafts]

    def measure(self, text: str, context: Context) -> tuple[Decision, Work]:
        """Decide as moderate() does, and say what it took (for tests and benchmarks)."""
        tally = [0, 0, 0]
        draft = self._draft(text, context, tally)
        self._score([draft])
        return self._finish(draft), Work(tally[0], tally[1], bool(tally[2]))

    def _draft(self, text: str, context: Context, tally: list[int] | None) -> _Draft:
        """Everything but the model: lexicon, terms-of-use rules, the section's mode."""
        profile = self._profiles.get(context.site) or self._profiles[""]
        folded = norm.fold(text)
        scan = self._matcher.scan(folded, profile.wanted)
        comment = rulemod.Comment(text, folded, context, scan.signals, scan.allowed)
        reasons: list[Reason] = []
        masks: list[Span] = []
        checked = 0
        if scan.hits:
            checked = self._term_reasons(scan.hits, comment, profile, reasons, masks)
        if tally is not None:
            tally[:] = [scan.matches, checked, scan.exhausted]
        for check in profile.checks:
            found = check(comment)
            if found:
                reasons += found
        if scan.exhausted:
            reasons.append(_TOO_COSTLY)
        mode, model = profile.mode, profile.model
        section = profile.sections.get(context.section or "") if profile.sections else None
        if section is not None:
            mode, model = section.mode or mode, section.model
        return _Draft(comment, profile, model, mode, scan.view, reasons, masks)

    def _score(self, drafts: list[_Draft]) -> None:
        """Run each model over the comments it applies to, all in one batch per model."""
        by_model: dict[int, tuple[ToxicityModel, list[tuple[_Draft, ModelRule]]]] = {}
        for draft in drafts:
            if draft.model is not None:
                model = draft.model.model
                by_model.setdefault(id(model), (model, []))[1].append((draft, draft.model))
        for model, group in by_model.values():
            views = [features.view(draft.comment.folded, draft.view) for draft, _ in group]
            # Each comment, then its sentences (see strongest).
            sentences = [
                features.sentences(draft.comment.folded, view)
                for (draft, _), view in zip(group, views, strict=True)
            ]
            values = model.score_parts(views, sentences)
            for (draft, rule), scored, view in zip(group, values, views, strict=True):
                draft.scores, reasons = rule.judge(
                    draft.comment, strongest(scored), view, bool(draft.reasons)
                )
                draft.reasons += reasons

    def _finish(self, draft: _Draft) -> Decision:
        """Fold a scored draft into its decision."""
        reasons, profile, text = draft.reasons, draft.profile, draft.comment.text
        if draft.mode == "pre":
            reasons.append(
                Reason("premoderation", "premoderation", "premoderation", 1, Action.HOLD)
            )
        if draft.comment.context.author_prior_comments < profile.new_author_hold:
            reasons.append(Reason("premoderation", "new_author", "premoderation", 1, Action.HOLD))
        if not reasons and draft.scores is None and not profile.censor:
            return self._clean  # frozen and shared: nothing in it depends on the comment
        action = most_severe(r.action for r in reasons)
        censored = censor(text, draft.masks) if profile.censor else None
        return Decision(action, tuple(reasons), self._version, censored, draft.scores)

    def _model(
        self,
        params: dict[str, Any] | None,
        section: dict[str, Any],
        config: Config,
        where: str,
    ) -> ModelRule | None:
        """The site's model rule, with a section's overrides of it merged in."""
        overrides = section.get("rule_overrides", {})
        for rid in overrides:
            if params is None or rid != params["id"]:
                raise ConfigError(f"{where}: rule_overrides: only the model rule, per section")
        if params is None:
            return None
        merged = validate_rule(merge_override(params, overrides.get(params["id"], {})), where)
        return compile_rule(merged, config.models, self._spared)

    def _term_reasons(
        self, hits: list[Hit], c: rulemod.Comment, p: Profile, out: list[Reason], masks: list[Span]
    ) -> int:
        """Add one reason per lexicon entry and rule term that hit; return the hits checked."""
        entries, severity = self._entries, self._severity
        kept, terms = most_specific(hits, severity)
        tallies: dict[int, Tally] = {}
        checked = self._check_lexicon(kept, c, p, tallies, masks)
        # In the order one reason per hit had: longest first, then most severe, then first.
        for idx, tally in sorted(tallies.items(), key=lambda item: item[1].key):
            entry = entries[idx]
            action = {"strong": p.strong_profanity, "mild": Action.HOLD}.get(
                entry.tier, Action.REJECT
            )
            # Counter-speech ("calling someone a r****d is never acceptable"), reclaimed use
            # ("we f*gs have to stick together") and a word named in quotation marks ('the word
            # "r****d" hurts people'): held, not rejected.
            _, _, first, last = tally.key  # its first hit, in folded text
            if action is Action.REJECT and (
                retold_to_condemn(c, first, last)
                or said_of_self(c.folded, first)
                or named_alone(c.text, *c.span(first, last))
            ):
                action = Action.HOLD
            code = _TIER_CODES.get(entry.tier) or f"{entry.tier}_profanity"
            out.append(tally.reason(c.text, "lexicon", code, entry.category, severity[idx], action))
        tallies = {}
        for start, end, idx in terms:
            tally = tallies.get(idx) or tallies.setdefault(idx, Tally())
            tally.add(None if tally.full else c.span(start, end))
        for idx, tally in tallies.items():
            rule = self._rules[self._owner_rule[idx]]
            code, category = _TERM_CODES[rule.type]
            out.append(tally.reason(c.text, rule.id, code, category, rule.severity, rule.action))
        return checked

    def _check_lexicon(
        self,
        kept: list[Hit],
        c: rulemod.Comment,
        p: Profile,
        tallies: dict[int, Tally],
        masks: list[Span],
    ) -> int:
        """Tally the hits that are the commenter's words, not names, handles or cut-offs."""
        entries, severity = self._entries, self._severity
        handles = exemptions.Handles(c.text, c.folded)
        names = exemptions.Names(c.text)
        checked = 0
        ids = list(map(_ENTRY, kept))
        # Term by term, in the order each first hit: a term's hits are checked until enough
        # are confirmed to report it, and the rest are only counted, in C (a comment packed
        # with one word costs no exemption test, and no Python step, for each).
        disguised: bool | None = None  # does the text hold a disguise anywhere? (once)
        for idx in dict.fromkeys(ids):
            entry = entries[idx]
            # A mild word counts only disguised ("pr1ck", "cr@p"): whoever hides a word
            # knows it gives offence.
            mild = severity[idx] == _MILD
            if mild:
                if disguised is None:
                    disguised = _DISGUISED.search(c.text) is not None
                if not disguised or _DISGUISED.search(entry.term):
                    continue
            tally: Tally | None = None
            total, seen = ids.count(idx), 0
            hits = compress(kept, map(idx.__eq__, ids))
            for first, last, _ in hits:
                seen += 1
                start, end = c.span(first, last)
                if mild and not _DISGUISED.search(c.text, start, end):
                    continue
                checked += 1
                if entry.name and names.spare(start, end):
                    continue
                if handles.spare(start, end):
                    continue
                if entry.mode == "word" and exemptions.is_cut_off(c.text, end):
                    continue
                if tally is None:
                    tally = tallies[idx] = Tally()
                    tally.key = (first - last, -severity[idx], first, last)
                tally.add((start, end))
                if p.censor:
                    masks.append((start, end))
                if tally.full:
                    break
            if tally is not None and seen < total:
                tally.count += total - seen
                if p.censor:
                    masks += [c.span(first, last) for first, last, _ in hits]
        return checked


def _lexicon_entry(row: dict[str, str]) -> Entry:
    exceptions = frozenset(row["exceptions"].split())
    return Entry(
        row["term"],
        "lexicon",
        row["tier"],
        row["category"],
        row["mode"],
        exceptions,
        row["elongate"] == "yes",
        row["name"] == "yes",
        row["tier"] != "mild",
    )
