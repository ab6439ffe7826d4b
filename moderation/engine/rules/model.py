"""The `model` rule: the toxicity model's scores against per-attribute hold and reject bands."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from moderation.engine import exemptions
from moderation.engine import normalise as norm
from moderation.engine.decision import Action, Reason
from moderation.engine.model import ATTRIBUTES, Driver, ToxicityModel
from moderation.engine.rules.base import Comment
from moderation.engine.rules.speech import idiom, quoted, retold_to_condemn

BUILTIN = "builtin"  # the model shipped in the package
_DRIVERS = 3  # words or word pairs a reason highlights
# The attributes a long comment takes from its most abusive sentence (features.sentences), in
# ATTRIBUTES order. Insult only: so read, held-back training rows gained 63 toxic rows caught
# (8.23% against 7.27%) for 2 clean ones (0.23% against 0.21%); threat and identity attack
# gained about as many clean rows as toxic ones ("If you poison us do we not die?" was held).
_BY_SENTENCE = tuple(name == "insult" for name in ATTRIBUTES)
# The attribute that says only that a comment is abusive, not how: its reason stands where
# nothing else holds the comment ("Filthy lying scum."); beside an insult, or the lexicon's
# "shit", it would say nothing more.
_GENERAL = "toxicity"
# The attributes abuse of a group raises when it is quoted or retold to condemn it ("people
# who call refugees vermin should be ashamed", "posters here keep calling immigrants
# parasites. Disgusting."): such a reason is dropped. Not insult: "…tell them how disgusting
# and stupid they are" insults whom it names. On the public sets' training rows this took 9
# toxic rows and 1 clean one of 35,259 flagged; of the model's holds of our own counter-speech,
# 5 of 6.
_COUNTERED = ("toxicity", "identity_attack")
# A thing shot down is voted down, or a plane: "The plan should be shot down." scored a threat
# of 0.96 and was rejected. A threat reason driven by words inside such a phrase is dropped.
_THINGS = (
    r"(?:plan|bill|proposal|idea|motion|deal|amendment|measure|budget|law|policy|project|scheme|"
    r"application|bid|offer|suggestion|notion|legislation|initiative|referendum|resolution|"
    r"ordinance|petition|request|rumou?r|theory|argument|claim|drone|plane|jet|balloon|missile|"
    r"aircraft|helicopter)s?"
)
_SHOT_DOWN = re.compile(
    rf"\b{_THINGS}(?:\s+(?:should|must|will|would|could|can|may|might|needs?|deserves?|ought|"
    r"to|be|get|gets|got|was|were|is|are|been|being|has|have|had|quickly|promptly|swiftly|"
    r"rightly|soundly|easily|just|already|finally|all))+\s+(?:shot|shoot)\s+down\b|"
    rf"\b(?:shot|shoot|shoots|shooting)\s+down\s+(?:\w+\s+){{0,2}}?{_THINGS}\b"
)
_WHO = re.compile(r"\b(?:who|whoever|anyone|anybody|everyone|everybody|people|those)\b")
_WHO_REACH = 40  # characters looked back from the thing
# A fire or a storm told, not wished: "the fire burned down three houses" (threat 0.30),
# "lightning struck the church and it burned to the ground". A threat reason whose strongest word
# is one of these verbs in the past is dropped, unless a word before it in its clause wishes or
# foretells it ("that bitch should have burned down", "their bodies to be burned").
_TOLD = frozenset({"burned", "burnt", "struck"})
_WISHED = re.compile(
    r"\b(?:should|must|will|would|could|might|may|shall|ll|d|be|been|being|get|gets|got|"
    r"getting|hope|hoped|wish|want|wanted|deserve|deserves|deserved|need|needs|gonna|let|to)\b"
)
_CLAUSE = re.compile(r"[.!?;,:]")
_TOLD_REACH = 40  # characters looked back from the verb


def strongest(scored: list[tuple[float, ...]]) -> tuple[float, ...]:
    """A comment's scores from its own and its sentences' (the first, then the others'): for
    the attributes read by sentence, its most abusive sentence's."""
    if len(scored) == 1:
        return scored[0]
    best = [max(column) for column in zip(*scored, strict=True)]
    return tuple(
        b if by_sentence else w
        for w, b, by_sentence in zip(scored[0], best, _BY_SENTENCE, strict=True)
    )


@dataclass(frozen=True, slots=True)
class Band:
    """An attribute's thresholds: hold at or above `hold`, reject at or above `reject`, for a
    comment of at least `min_words` words."""

    hold: float | None
    reject: float | None
    min_words: int


@dataclass(frozen=True, slots=True)
class ModelRule:
    """A compiled `model` rule: which model, and each attribute's band."""

    id: str
    model: ToxicityModel
    bands: tuple[tuple[int, str, Band], ...]  # (column, attribute, band) of banded attributes
    severity: int
    # Skeletons of innocent words that hold a slur ("sniggers"), from the lexicon's exceptions:
    # a reason driven by one of them, or by a name ("Kiké Hernández"), is no reason.
    spared: frozenset[str] = frozenset()

    def judge(
        self, c: Comment, values: tuple[float, ...], view: str, held: bool = False
    ) -> tuple[dict[str, float], list[Reason]]:
        """The comment's scores (`values`, from the model), and a reason per band reached.

        `view`: the comment's view as the model reads it (features.view), whose words are
        counted against each band's min_words (counted only when a band is reached). `held`:
        whether the lexicon or a rule has given the comment a reason already.
        """
        scores = {name: round(value, 4) for name, value in zip(ATTRIBUTES, values, strict=True)}
        reasons: list[Reason] = []
        reached: list[tuple[str, Action]] = []
        words: int | None = None
        for col, attribute, band in self.bands:
            value = values[col]
            if band.reject is not None and value >= band.reject:
                action = Action.REJECT
            elif band.hold is not None and value >= band.hold:
                action = Action.HOLD
            else:
                continue
            if words is None:
                words = len(view.split())
            if words >= band.min_words:
                reached.append((attribute, action))
        if held:
            reached = [(a, action) for a, action in reached if a != _GENERAL]
        if reached:
            drivers = self.model.explain_many(view, [a for a, _ in reached], _DRIVERS)
            for attribute, action in reached:
                reason = self._reason(c, attribute, scores[attribute], action, drivers[attribute])
                if reason is not None:
                    reasons.append(reason)
            if len(reasons) > 1:
                reasons = [r for r in reasons if r.attribute != _GENERAL]
        return scores, reasons

    def _reason(
        self, c: Comment, attribute: str, score: float, action: Action, drivers: list[Driver]
    ) -> Reason | None:
        if drivers and self._innocent(c, drivers[0].start, drivers[0].end):
            return None
        if (
            attribute in _COUNTERED
            and drivers
            and retold_to_condemn(c, drivers[0].start, drivers[0].end)
        ):
            return None
        if attribute == "threat" and drivers and _no_threat(c.folded, drivers):
            return None
        spans = [c.span(d.start, d.end) for d in drivers]
        if action is Action.REJECT and any(quoted(c.text, s, e) for s, e in spans[:1]):
            action = Action.HOLD
        start, end = spans[0] if spans else (None, None)
        return Reason(
            self.id,
            f"model_{attribute}",
            attribute,
            self.severity + (action is Action.REJECT),
            action,
            c.text[start:end] if start is not None else None,
            start,
            end,
            spans=tuple(spans),
            attribute=attribute,
            score=score,
        )

    def _innocent(self, c: Comment, start: int, end: int) -> bool:
        """Is the strongest driver a name, or words the lexicon knows as innocent (words that
        hold a slur, a phrase of its allowlist: "a brood bitch and her puppies")?"""
        if any(a <= start and end <= b for a, b, _ in c.allowed):
            return True
        words = norm.lexicon_view(c.folded[start:end]).split()
        if words and all(norm.skeleton(word) in self.spared for word in words):
            return True
        first, last = c.span(start, end)
        return exemptions.is_name(c.text, first, last)


def _no_threat(folded: str, drivers: list[Driver]) -> bool:
    """Is the strongest driver of a threat in a thing shot down, or a fire told; or are the
    drivers in an idiom the threat rules know ("I'll kill you at chess", "I'll shoot you with
    my camera")? The idiom is looked for after the first of them: in "I'll kill you at chess
    tonight" the strongest is "tonight"."""
    first = min(drivers, key=lambda d: d.start)
    return _shot_down(folded, drivers[0]) or idiom(folded, first.end) or _told(folded, drivers[0])


def _told(folded: str, driver: Driver) -> bool:
    """Is the driver a fire or a blow told in the past ("the fire burned down three houses"),
    with nothing before it in its clause that wishes or foretells it?"""
    if folded[driver.start : driver.end] not in _TOLD:
        return False
    before = folded[max(0, driver.start - _TOLD_REACH) : driver.start]
    return _WISHED.search(_CLAUSE.split(before)[-1]) is None


def _shot_down(folded: str, driver: Driver) -> bool:
    """Is the driver inside a thing shot down ("the bill was shot down", "shoot down drones"),
    not a person named by the thing ("anyone who backs this bill should be shot down")?"""
    return any(
        m.start() <= driver.start
        and driver.end <= m.end()
        and _WHO.search(folded, max(0, m.start() - _WHO_REACH), m.start()) is None
        for m in _SHOT_DOWN.finditer(folded)
    )


def compile_rule(
    params: Mapping[str, Any],
    models: Mapping[str, ToxicityModel],
    spared: frozenset[str] = frozenset(),
) -> ModelRule:
    """Build a ModelRule from validated params and the models the loader read."""
    least = params.get("min_words", 3)  # fewer words: a word alone is the lexicon's to judge
    bands = tuple(
        (
            ATTRIBUTES.index(name),
            name,
            Band(band.get("hold"), band.get("reject"), band.get("min_words", least)),
        )
        for name, band in sorted(
            params["thresholds"].items(), key=lambda item: ATTRIBUTES.index(item[0])
        )
    )
    return ModelRule(
        params["id"],
        models[params.get("model", BUILTIN)],
        bands,
        params.get("severity", 2),
        spared,
    )
