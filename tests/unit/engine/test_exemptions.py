"""Lexicon hits spared as someone else's words: credited handles, previews cut off mid-word."""

from __future__ import annotations

import pytest

from moderation.engine import Action, Context, Engine, exemptions

CTX = Context(site="test", author_prior_comments=10)


# (text, action, the lexicon spans still reported)
CASES = [
    # A handle credited as a source is a name chosen elsewhere.
    ("RT @hoes: Emma Watson", Action.APPROVE, []),
    ("rt @hoes Emma Watson", Action.APPROVE, []),
    ("Great shot (via @shithead)", Action.APPROVE, []),
    ("MT @fuckface: the vote is today", Action.APPROVE, []),
    ("h/t @cuntface for the story", Action.APPROVE, []),
    # Aimed at someone, the whole handle is still an insult; a credit elsewhere spares nothing.
    ("@hoes you are", Action.HOLD, ["hoes"]),
    ("@fuckface: no", Action.HOLD, ["fuckface"]),
    ("RT @news: you fucking idiot", Action.HOLD, ["fucking"]),
    ("you shithead RT @news", Action.REJECT, ["shithead"]),
    # A whole-word term cut off by a closing ellipsis may be the start of another word.
    ("stolen from his house last nig…", Action.APPROVE, []),
    ("stolen from his house last nig&#8230;", Action.APPROVE, []),
    ("stolen from his house last nig… https://t.co/abc", Action.APPROVE, []),
    ("The full title: Tit…  ", Action.APPROVE, []),
    # Not at the end, typed dots, or a term no ordinary word begins with: still caught.
    ("you nig… and more", Action.REJECT, ["nig"]),
    ("you are a nig...", Action.REJECT, ["nig"]),
    ("what a load of shit…", Action.HOLD, ["shit"]),
    ("you little cunt…", Action.REJECT, ["cunt"]),
    ("yet to enter injun…", Action.HOLD, ["injun"]),
    ("you nigs…", Action.REJECT, ["nigs"]),
    # A name is two Title Case words side by side, but a handle before a word is a reply to it.
    ("Senator Dick Durbin spoke", Action.APPROVE, []),
    ("@USER Dick move, mate.", Action.HOLD, ["Dick"]),
]


@pytest.mark.parametrize(("text", "action", "spans"), CASES, ids=[c[0] for c in CASES])
def test_spared_hits_with_offsets(
    engine: Engine, text: str, action: Action, spans: list[str]
) -> None:
    decision = engine.moderate(text, CTX)
    assert decision.action is action, decision.reasons
    found = [
        text[r.start : r.end]
        for r in decision.reasons
        if r.rule_id == "lexicon" and r.start is not None and r.end is not None
    ]
    assert found == spans
    assert [r.term for r in decision.reasons if r.rule_id == "lexicon"] == spans


# (text, hit start, hit end, spared?) for the handle test on its own
HANDLES = [
    ("@RobertCDick said", 7, 11, True),  # inside a handle
    ("@hoes you", 1, 5, False),  # the whole handle, aimed
    ("RT @hoes: hi", 4, 8, True),  # the whole handle, credited
    ("(via @hoes) hi", 6, 10, True),
    ("survivor @hoes hi", 10, 14, False),  # "or" is no credit
    ("see https://x.com/shit here", 18, 22, True),  # inside a link
    ("shit @hoes", 0, 4, False),  # not in a handle at all
]


@pytest.mark.parametrize(("text", "start", "end", "spared"), HANDLES)
def test_in_handle(text: str, start: int, end: int, spared: bool) -> None:
    assert exemptions.in_handle(text, start, end) is spared


# (text, hit end, cut off?)
CUT_OFF = [
    ("last nig…", 8, True),
    ("last nig&#8230;", 8, True),
    ("last nig&hellip;", 8, True),
    ("last nig…\n", 8, True),
    ("last nig… http://t.co/x", 8, True),
    ("last nig… http://t.co/x more", 8, False),
    ("last nig… more", 8, False),
    ("last nig...", 8, False),
    ("last nig", 8, False),
    ("last nigs…", 8, False),
]


@pytest.mark.parametrize(("text", "end", "cut"), CUT_OFF)
def test_is_cut_off(text: str, end: int, cut: bool) -> None:
    assert exemptions.is_cut_off(text, end) is cut
