"""A reply on social media: mentions before it, links, tags and emoji after it."""

from __future__ import annotations

import pytest

from moderation.engine import Action, Context, Engine
from moderation.engine.normalise import read_leet
from moderation.engine.rules.readings import untailed

CTX = Context(site="s", author_prior_comments=10)


@pytest.mark.parametrize(
    "text",
    [
        "@jo_smith Idiot. https://t.co/Ab12Cd",
        "@USER @USER Idiot URL",
        "Drop dead #maga",
        "What a complete loser :)",
        "You are a joke 🤡",
        "@jo_smith Go d1e https://t.co/Ab12Cd",
        "@jo_smith Idiot! http://a.example/x www.b.example #tag @ann 😂",
    ],
)
def test_a_reply_is_judged_by_its_words_not_what_trails_them(engine: Engine, text: str) -> None:
    decision = engine.moderate(text, CTX)
    assert "personal_attack" in {r.code for r in decision.reasons}
    assert decision.action is Action.HOLD


def test_a_threat_that_opens_a_comment_opens_a_reply_too(engine: Engine) -> None:
    for text in ("Sleep with one eye open.", "@jo_smith Sleep with one eye open."):
        assert "threat_harm" in {r.code for r in engine.moderate(text, CTX).reasons}, text


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        # The link is what the spam pattern asks for: it still sees it.
        ("Earn $5,000 a week from home! Click http://example.net/j", {"money_spam"}),
        ("Great reporting, thank you https://t.co/Ab12Cd", set()),
        ("The idiot proof design won https://t.co/Ab12Cd #design", set()),
    ],
)
def test_what_trails_a_reply_is_still_read_where_it_counts(
    engine: Engine, text: str, codes: set[str]
) -> None:
    reasons = engine.moderate(text, CTX).reasons
    assert {r.code for r in reasons} - {"toxicity"} == codes


def test_untailed_blanks_only_what_ends_the_text_and_keeps_offsets() -> None:
    text = "@jo idiot. https://t.co/x #tag 😂 "
    cut = untailed(text)
    assert cut == "@jo idiot.".ljust(len(text))
    assert untailed("idiot, see https://t.co/x and more") is None
    assert untailed("idiot") is None
    # More asides than a reply holds: left as written.
    assert untailed("idiot" + " #tag" * 9) is None


def test_the_mentions_a_reply_opens_with_are_names_not_leetspeak() -> None:
    assert read_leet("@jo_smith go d1e") == "@jo_smith go die"
    assert read_leet("@jo @ann: sh1t") == "@jo @ann: shit"
    assert read_leet("what an @sshole") == "what an asshole"
    assert read_leet("ki11 yourse1f, pr1ck") == "kill yourself, prick"
    assert read_leet("since 2011") == "since 2011"


def test_the_words_a_reason_shows_stop_before_what_trails_them(engine: Engine) -> None:
    text = "@jo_smith Go d1e https://t.co/Ab12Cd #tag"
    (reason,) = [r for r in engine.moderate(text, CTX).reasons if r.code == "personal_attack"]
    assert reason.end <= text.index(" https")
    assert "http" not in reason.term
