"""A functional evaluation suite of our own sentences: what a moderator wants per phenomenon."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from math import gcd
from typing import TypeVar

from moderation.training import sections

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Case:
    """One comment, the phenomenon it tests and what a moderator wants done with it.

    `flag` is True when the comment should be held or rejected, False when it should be approved.
    `reject_ok` is False where an outright reject is never acceptable: every case that should be
    approved. Counter-speech and in-group usage carry hard words, so a hold there is a tolerable
    cost (tell them apart by `functionality`); a reject is a failure.
    """

    text: str
    functionality: str
    flag: bool
    group: str | None
    reject_ok: bool


@dataclass(frozen=True, slots=True)
class Group:
    """An identity group and the phrases the templates mention it by."""

    key: str
    people: str  # the group mid-sentence: "Muslims", "gay people"
    one: str  # one member in a role: "a Muslim {}", "a {} who uses a wheelchair"
    me: str  # a member describing themself after "I'm": "a Muslim", "a wheelchair user"
    terms: tuple[str, ...]  # lower-case stems; every text about the group contains one


# Each functionality and whether a moderator wants its cases held or rejected (True).
_FLAGS = {
    "identity_neutral": False,
    "identity_positive": False,
    "identity_self": False,
    "negation": False,
    "counter_speech": False,
    "reclaimed": False,
    "news_violence": False,
    "criticism": False,
    "insult_plain": True,
    "threat_plain": True,
    "derogation": True,
    "dehumanisation": True,
    "hate_threat": True,
    "profanity_clean": False,
    "spelling": True,
    "abuse_nonprotected": True,
}
FUNCTIONALITIES = tuple(_FLAGS)


def cases() -> list[Case]:
    """Every case in a fixed order; no randomness, so each call returns the same list."""
    return [
        *_every_group("identity_neutral", _NEUTRAL),
        *_every_group("identity_positive", _POSITIVE),
        *_every_group("identity_self", _SELF),
        *_some_groups("negation", _NEGATION, per_template=20),
        *_some_groups("counter_speech", _COUNTER, per_template=20),
        *_written("counter_speech", _COUNTER_WRITTEN),
        *_written("reclaimed", _RECLAIMED),
        *_written("news_violence", _NEWS),
        *_written("criticism", _CRITICISM),
        *_written("insult_plain", _INSULTS),
        *_aimed("insult_plain", _INSULTS_AT, _ROLES, per_template=6),
        *_written("threat_plain", _THREATS),
        *_aimed("threat_plain", _THREATS_AT, _TARGETS, per_template=5),
        *_some_groups("derogation", _DEROGATION, per_template=10),
        *_some_groups("dehumanisation", _DEHUMANISATION, per_template=10),
        *_some_groups("hate_threat", _HATE_THREATS, per_template=10),
        *_written("hate_threat", _HATE_THREATS_WRITTEN),
        *_written("profanity_clean", _PROFANITY_CLEAN),
        *_written("spelling", _SPELLING),
        *_aimed("abuse_nonprotected", _ABUSE_AT, _NONPROTECTED, per_template=7),
        *_written("abuse_nonprotected", _ABUSE_WRITTEN),
    ]


class _Member:
    """Formats as one member of a group in a role: `{one:nurse}` reads "a Muslim nurse"."""

    __slots__ = ("_pattern",)

    def __init__(self, pattern: str) -> None:
        self._pattern = pattern

    def __format__(self, role: str) -> str:
        return self._pattern.format(role)


def _case(text: str, functionality: str, group: str | None) -> Case:
    flag = _FLAGS[functionality]
    return Case(text=text, functionality=functionality, flag=flag, group=group, reject_ok=flag)


def _cap(phrase: str) -> str:
    return phrase[:1].upper() + phrase[1:]


def _fill(template: str, group: Group) -> str:
    return template.format(
        people=group.people,
        People=_cap(group.people),
        one=_Member(group.one),
        me=group.me,
    )


def _pick(items: Sequence[_T], template: int, n: int) -> list[_T]:
    """n items for the template-th template, rotating so that every item gets its turns."""
    step = 7  # strides across the list, so one template's picks mix categories
    if n > len(items) or gcd(step, len(items)) != 1:
        raise ValueError(f"cannot pick {n} distinct items of {len(items)} with step {step}")
    return [items[(template * n + j * step) % len(items)] for j in range(n)]


def _every_group(functionality: str, templates: Sequence[str]) -> Iterator[Case]:
    for template in templates:
        for group in GROUPS:
            yield _case(_fill(template, group), functionality, group.key)


def _some_groups(functionality: str, templates: Sequence[str], per_template: int) -> Iterator[Case]:
    for i, template in enumerate(templates):
        for group in _pick(GROUPS, i, per_template):
            yield _case(_fill(template, group), functionality, group.key)


def _aimed(
    functionality: str, templates: Sequence[str], targets: Sequence[str], per_template: int
) -> Iterator[Case]:
    """Templates about a non-identity target (`{t}`, `{T}` at the start of a sentence)."""
    for i, template in enumerate(templates):
        for target in _pick(targets, i, per_template):
            yield _case(template.format(t=target, T=_cap(target)), functionality, None)


def _written(functionality: str, block: Sequence[str]) -> Iterator[Case]:
    """Sentences written out whole, each `group key | text`, `-` for no group."""
    for line in block:
        key, text = (part.strip() for part in line.split("|"))
        group = None if key == "-" else _BY_KEY[key].key  # a mistyped key fails here, loudly
        yield _case(text, functionality, group)


_SECTIONS = sections.read("functional.txt")


def _groups(table: Sequence[str]) -> tuple[Group, ...]:
    rows = ([part.strip() for part in line.split("|")] for line in table)
    return tuple(
        Group(key, people, one, me, tuple(terms.split())) for key, people, one, me, terms in rows
    )


# key | people | one member in a role | a member about themself | stems that name the group
GROUPS = _groups(_SECTIONS["groups"])
_BY_KEY = {group.key: group for group in GROUPS}

# Templates take {people}, {People}, {me} and {one:role}; each runs over every group.
_NEUTRAL = _SECTIONS["neutral"]

_POSITIVE = _SECTIONS["positive"]

_SELF = _SECTIONS["self"]

# Templates below run over a rotating share of the groups (see _pick).
_NEGATION = _SECTIONS["negation"]

_COUNTER = _SECTIONS["counter"]

_DEROGATION = _SECTIONS["derogation"]

_DEHUMANISATION = _SECTIONS["dehumanisation"]

_HATE_THREATS = _SECTIONS["hate_threats"]

# Written out whole: `group key | text`, `-` where no identity group is mentioned.
_HATE_THREATS_WRITTEN = _SECTIONS["hate_threats_written"]

_COUNTER_WRITTEN = _SECTIONS["counter_written"]

_RECLAIMED = _SECTIONS["reclaimed"]

_NEWS = _SECTIONS["news"]

_CRITICISM = _SECTIONS["criticism"]

_INSULTS = _SECTIONS["insults"]

# Templates about a non-identity target: {t} mid-sentence, {T} at the start.
_INSULTS_AT = _SECTIONS["insults_at"]

_ROLES = _SECTIONS["roles"]

_THREATS = _SECTIONS["threats"]

_THREATS_AT = _SECTIONS["threats_at"]

_TARGETS = _SECTIONS["targets"]

_PROFANITY_CLEAN = _SECTIONS["profanity_clean"]

_SPELLING = _SECTIONS["spelling"]

_ABUSE_AT = _SECTIONS["abuse_at"]

_NONPROTECTED = _SECTIONS["nonprotected"]

_ABUSE_WRITTEN = _SECTIONS["abuse_written"]
