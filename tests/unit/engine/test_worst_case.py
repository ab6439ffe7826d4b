"""Packed and hostile text: work linear in the length, reasons small, a budget that holds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from moderation.engine import Action, Context, Engine, Reason
from moderation.engine.decision import SPAN_LIMIT, TERM_LIMIT
from moderation.engine.matcher import WORK_BASE, WORK_PER_CHAR

CTX = Context(site="test", author_prior_comments=10)


def _not_model(reasons: tuple[Reason, ...]) -> list[Reason]:
    """The lexicon's and the rules' reasons (the toxicity model may add its own)."""
    return [r for r in reasons if r.attribute is None]


def _packed(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


SHAPES = [
    "fuck ",
    "fuck",
    "shit fuck cunt bitch asshole ",
    "f u c k ",
    "fuuuuck ",
    "sh!t f*ck ",
    "fu\u0441k ",  # Cyrillic es
    "f&#117;ck ",
    "@fuck",
    "fuck\u2026 ",
    "i will kill you ",
    "Dick Van Dyke ",
    "http://bit.ly/x ",
    "mail a@b.co ",
    "a@",
    "a.",
    "a-",
    "aaaa",
]


@pytest.mark.parametrize("size", [10_000, 100_000])
@pytest.mark.parametrize("unit", SHAPES)
def test_packed_text_costs_work_linear_in_its_length(engine: Engine, unit: str, size: int) -> None:
    text = _packed(unit, size)
    decision, work = engine.measure(text, CTX)
    # Matches examined: at most one per character, every pass of the matcher counted.
    assert work.matches <= len(text)
    assert not work.exhausted
    # Once ten occurrences of a term are confirmed the rest are only counted.
    assert work.checked <= SPAN_LIMIT * len(decision.reasons) + 1
    # The lexicon's and the rules' reasons, and one per model attribute with a band (3).
    assert len(decision.reasons) <= 8 + 3
    assert len(json.dumps(decision.to_dict())) < 4_000


@pytest.mark.parametrize("size", [10_000, 100_000])
def test_names_all_spared_are_each_checked_and_cost_linear_work(engine: Engine, size: int) -> None:
    text = _packed("Dick ", size)  # a Title Case name beside another: never confirmed
    decision, work = engine.measure(text, CTX)
    assert [r.code for r in _not_model(decision.reasons)] == ["too_long"]
    assert work.checked == size // 5
    assert work.matches <= len(text)


def test_a_term_hit_often_is_one_reason_with_its_count_and_first_spans(engine: Engine) -> None:
    text = "fuck FUCK fuuuck f.u.c.k " * 25
    decision = engine.moderate(text, CTX)
    (reason,) = _not_model(decision.reasons)
    assert reason.count == 100
    assert len(reason.spans) == SPAN_LIMIT
    assert reason.spans[0] == (reason.start, reason.end) == (0, 4)
    assert [text[s:e] for s, e in reason.spans[:4]] == ["fuck", "FUCK", "fuuuck", "f.u.c.k"]
    data = reason.to_dict()
    assert data["count"] == 100
    assert data["spans"][:2] == [[0, 4], [5, 9]]


@pytest.mark.parametrize("text", ["fuck " * 2_000, "fuck" * 2_000, "x fuck " * 1_000 + "fuck"])
def test_every_occurrence_is_counted_to_the_last(engine: Engine, text: str) -> None:
    (reason,) = [r for r in engine.moderate(text, CTX).reasons if r.rule_id == "lexicon"]
    assert reason.count == text.count("fuck")


def test_each_term_keeps_its_own_reason_in_the_order_of_old(engine: Engine) -> None:
    decision = engine.moderate("shit you cunt, shit, motherfucker cunt", CTX)
    assert [(r.term, r.count) for r in _not_model(decision.reasons)] == [
        ("motherfucker", 1),
        ("cunt", 2),
        ("shit", 2),
    ]


def test_a_single_hit_lists_its_one_span(engine: Engine) -> None:
    (reason,) = engine.moderate("well shit", CTX).reasons
    assert (reason.count, reason.spans) == (1, ((5, 9),))


def test_rules_fold_their_matches_per_code(engine: Engine) -> None:
    text = "click here http://bit.ly/a click here http://bit.ly/b a@b.co c@d.co http://x.org"
    text += " click here"
    reasons = {r.code: r for r in engine.moderate(text, CTX).reasons}
    assert (reasons["spam_phrase"].count, reasons["spam_phrase"].term) == (3, "click here")
    assert reasons["blocked_domain"].count == 2
    assert [text[s:e] for s, e in reasons["blocked_domain"].spans] == [
        "http://bit.ly/a",
        "http://bit.ly/b",
    ]
    assert reasons["email"].count == 2
    assert reasons["too_many_links"].count == 1
    assert reasons["too_many_links"].term == "http://x.org"


def test_a_long_match_is_quoted_short_and_located_whole(engine: Engine) -> None:
    text = "so " + "F" * 4_000 + " there"
    reasons = {r.code: r for r in engine.moderate(text, CTX).reasons}
    spam = reasons["repeated_characters"]
    assert (spam.start, spam.end) == (3, 4_003)
    assert spam.term is not None
    assert len(spam.term) == TERM_LIMIT


def test_censoring_masks_every_occurrence_not_only_the_listed_ones() -> None:
    engine = Engine.from_directory(Path(__file__).resolve().parents[3] / "config")
    site = Context(site="example-gazette", author_prior_comments=9)
    text = "fuckfuck shit " * 40
    decision = engine.moderate(text, site)
    assert decision.censored == "******** **** " * 40


def _engine_with(tmp_path: Path, terms: list[str]) -> Engine:
    (tmp_path / "lexicon").mkdir()
    rows = "".join(f"{term}\tmild\tprofanity\tany\tno\tno\t\ttest\n" for term in terms)
    (tmp_path / "lexicon" / "terms.tsv").write_text(
        "term\ttier\tcategory\tmode\telongate\tname\texceptions\tsource\n" + rows,
        encoding="utf-8",
    )
    (tmp_path / "rules.toml").write_text(
        'rules = []\n[lexicon]\nterms = "lexicon/terms.tsv"\n[policy]\nstrong_profanity = "hold"\n',
        encoding="utf-8",
    )
    return Engine.from_directory(tmp_path)


def test_a_text_past_the_work_budget_is_held_as_too_costly(tmp_path: Path) -> None:
    # Terms nested in one another ("x", "xx", … ) make every character end a dozen matches.
    engine = _engine_with(tmp_path, ["xy" * n for n in range(1, 13)])
    text = "xy" * 5_000
    decision, work = engine.measure(text, CTX)
    assert work.exhausted
    assert work.matches == WORK_PER_CHAR * len(text) + WORK_BASE + 1
    assert decision.action is Action.HOLD
    assert [r.code for r in decision.reasons] == ["too_costly"]
    assert decision.reasons[0].to_dict()["category"] == "cost"
    # The same terms in ordinary measure are decided as usual.
    assert engine.measure("xy xy xy", CTX)[1].exhausted is False
