"""The engine: one shared matcher plus per-site profiles, folded into a Decision."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from moderation.engine import exemptions
from moderation.engine import normalise as norm
from moderation.engine import rules as rulemod
from moderation.engine.decision import Action, Context, Decision, Reason, most_severe
from moderation.engine.loader import Config, ConfigError, load, validate_rule
from moderation.engine.matcher import Entry, Hit, Matcher

TIER_SEVERITY = {"mild": 1, "strong": 2, "severe": 3, "slur": 4}
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
    sections: dict[str, str]


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
                validate_rule({**r, **overrides.get(r["id"], {})}, where)
                for r in config.data["rules"]
                if r["id"] not in disabled
            ] + list(site.get("rules", []))
            rule_ids: list[int] = []
            extra: list[int] = []
            for params in params_list:
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
        triggers = {t for rule in self._rules for t in rule.triggers}
        self._matcher = Matcher(entries, sorted(triggers))
        self._clean = Decision(Action.APPROVE, (), self._version, None)
        self._profiles: dict[str, Profile] = {}
        for slug, (policy, rule_ids, extra) in profiles.items():
            mine = set(range(shared)) | set(extra)
            for idx, ridx in self._owner_rule.items():
                if ridx in rule_ids:
                    mine.add(idx)
            wanted = None if len(mine) == len(entries) else frozenset(mine)
            sections = {
                k: v["mode"] for k, v in config.sites.get(slug, {}).get("sections", {}).items()
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
        profile = self._profiles.get(context.site) or self._profiles[""]
        folded = norm.fold(text)
        hits, signals = self._matcher.scan(folded, profile.wanted)
        comment = rulemod.Comment(text, folded, context, signals)
        reasons = self._term_reasons(hits, comment, profile) if hits else []
        for check in profile.checks:
            found = check(comment)
            if found:
                reasons += found
        sections = profile.sections
        mode = sections.get(context.section or "", profile.mode) if sections else profile.mode
        if mode == "pre":
            reasons.append(
                Reason("premoderation", "premoderation", "premoderation", 1, Action.HOLD)
            )
        if context.author_prior_comments < profile.new_author_hold:
            reasons.append(Reason("premoderation", "new_author", "premoderation", 1, Action.HOLD))
        if not reasons:
            if profile.censor:
                return Decision(Action.APPROVE, (), self._version, text)
            return self._clean  # frozen and shared: nothing in it depends on the comment
        action = most_severe(r.action for r in reasons)
        censored = _censor(text, reasons) if profile.censor else None
        return Decision(action, tuple(reasons), self._version, censored)

    def _term_reasons(self, hits: list[Hit], c: rulemod.Comment, p: Profile) -> list[Reason]:
        entries = self._entries
        lex = [h for h in hits if entries[h.entry].owner == "lexicon"]
        out: list[Reason] = []
        taken: set[tuple[int, int]] = set()
        # Most specific first: the longest term wins ("pissed" is mild, "piss" is not), then
        # the most severe tier for the same span.
        lex.sort(key=lambda h: (h.start - h.end, -TIER_SEVERITY[entries[h.entry].tier]))
        for hit in lex:
            entry = entries[hit.entry]
            if (hit.start, hit.end) in taken or any(
                s <= hit.start and hit.end <= e for s, e in taken
            ):
                continue
            taken.add((hit.start, hit.end))
            if entry.tier == "mild":
                continue
            start, end = c.span(hit.start, hit.end)
            if entry.name and exemptions.is_name(c.text, start, end):
                continue
            if exemptions.in_handle(c.text, start, end):
                continue
            if entry.mode == "word" and exemptions.is_cut_off(c.text, end):
                continue
            action = p.strong_profanity if entry.tier == "strong" else Action.REJECT
            code = "slur" if entry.tier == "slur" else f"{entry.tier}_profanity"
            out.append(
                Reason(
                    "lexicon",
                    code,
                    entry.category,
                    TIER_SEVERITY[entry.tier],
                    action,
                    c.text[start:end],
                    start,
                    end,
                )
            )
        for hit in hits:
            entry = entries[hit.entry]
            if entry.owner == "lexicon":
                continue
            rule = self._rules[self._owner_rule[hit.entry]]
            code, category = _TERM_CODES[rule.type]
            start, end = c.span(hit.start, hit.end)
            out.append(
                Reason(
                    rule.id,
                    code,
                    category,
                    rule.severity,
                    rule.action,
                    c.text[start:end],
                    start,
                    end,
                )
            )
        return out


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


def _censor(text: str, reasons: list[Reason]) -> str | None:
    spans = [
        (r.start, r.end)
        for r in reasons
        if r.rule_id == "lexicon" and r.start is not None and r.end is not None
    ]
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        while start > 0 and text[start - 1].isalnum():
            start -= 1
        while end < len(text) and text[end].isalnum():
            end += 1
        for i in range(start, end):
            if not chars[i].isspace():
                chars[i] = "*"
    return "".join(chars)
