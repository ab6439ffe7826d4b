# ruff: noqa: RUF001  -- look-alike letters (Cyrillic, Greek, fullwidth) are the point here
"""Each normalisation step, table-driven: the evasion is caught and its span is exact.

Every row is (step, comment, span): the engine must flag the comment, and one lexicon
reason's offsets must cut exactly `span` out of the ORIGINAL comment (not the folded text).
"""

from __future__ import annotations

import functools
import html
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from moderation.engine import Action, Context, Engine
from moderation.engine import normalise as norm
from moderation.engine.folding import FOLD_TABLE, PLAIN_TABLE

CTX = Context(site="test", author_prior_comments=10)
# People named by a role or a group: a few of the config's lists (config/rules.toml, [words]).
PEOPLE = norm.named("mayor|ref|referee|protester|refugee|cop|editor", "police")
as_pronouns = functools.partial(norm.as_pronouns, people=PEOPLE)
as_addressed = functools.partial(norm.as_addressed, people=PEOPLE)

STEPS = [
    # case folding and NFKC-style compatibility forms
    ("case", "well SHIT happens", "SHIT"),
    ("case", "ShIt happens", "ShIt"),
    ("fullwidth", "you ｆｕｃｋ", "ｆｕｃｋ"),
    ("fullwidth", "ＳＨＩＴ show", "ＳＨＩＴ"),
    ("math alphanumerics", "you 𝐟𝐮𝐜𝐤", "𝐟𝐮𝐜𝐤"),
    ("math alphanumerics", "you 𝒻𝓊𝒸𝓀", "𝒻𝓊𝒸𝓀"),
    ("math alphanumerics", "you 𝕗𝕦𝕔𝕜", "𝕗𝕦𝕔𝕜"),
    ("ligature", "what a ﬁne shit", "shit"),
    # look-alike letters from other scripts, mixed into a Latin word
    ("confusable cyrillic", "you fuсk", "fuсk"),
    ("confusable cyrillic", "that's ѕhit", "ѕhit"),
    ("confusable cyrillic", "a сunt", "сunt"),
    ("confusable greek", "you βitch", "βitch"),
    ("confusable greek", "a ρussy", "ρussy"),
    # accents, precomposed and combining
    ("diacritics", "you fück", "fück"),
    ("diacritics", "shït happens", "shït"),
    ("diacritics", "you fu\u0308ck", "fu\u0308ck"),
    ("diacritics", "a çunt", "çunt"),
    # invisible characters splitting a word
    ("zero-width", "you fu\u200bck", "fu\u200bck"),
    ("zero-width", "you f\u200du\u200dc\u200dk", "f\u200du\u200dc\u200dk"),
    ("zero-width", "you \ufefffuck", "fuck"),
    ("soft hyphen", "sh\u00adit happens", "sh\u00adit"),
    # leetspeak
    ("leetspeak", "sh1t happens", "sh1t"),
    ("leetspeak", "sh!t happens", "sh!t"),
    ("leetspeak", "you a$$hole", "a$$hole"),
    ("leetspeak", "that wh0re", "wh0re"),
    ("leetspeak", "you b1tch", "b1tch"),
    ("starred", "you f*ck", "f*ck"),
    ("starred", "you f**k", "f**k"),
    ("starred", "you f*ck*ng idiot", "f*ck*ng"),  # every vowel starred
    ("starred", "those b*tch*s", "b*tch*s"),
    ("starred", "what an a**hole", "a**hole"),  # two letters side by side
    ("starred", "total bulls**t", "bulls**t"),
    ("starred", "go f*** yourself", "f***"),  # all but the first letter
    ("starred", "a load of s***", "s***"),
    ("v for u", "you fvck", "fvck"),
    # letters split by separators
    ("separated", "you f u c k", "f u c k"),
    ("separated", "you f.u.c.k", "f.u.c.k"),
    ("separated", "you f*u*c*k", "f*u*c*k"),
    ("separated", "a c-u-n-t", "c-u-n-t"),
    ("separated", "S H I T happens", "S H I T"),
    ("separated", "you f  u  c  k", "f  u  c  k"),
    # repeated letters
    ("repeated", "fuuuuck you", "fuuuuck"),
    ("repeated", "shiiiiit", "shiiiiit"),
    ("repeated", "you fuckkkkk", "fuckkkkk"),
    ("repeated", "a cuuuunt", "cuuuunt"),
    ("repeated", "fuuck you", "fuuck"),
    # compounds
    ("compound", "what a shitshow", "shits"),  # the longest term wins
    ("compound", "you motherfuckers", "motherfuckers"),
    ("compound", "total bullshit", "bullshit"),
    # HTML character references (a page shows them as the letter)
    ("html reference", "you f&#117;ck", "f&#117;ck"),
    ("html reference", "you &#x66;uck", "&#x66;uck"),
    # steps combined
    ("combined", "you Ｆ.Ｕ.Ｃ.Ｋ", "Ｆ.Ｕ.Ｃ.Ｋ"),
    ("combined", "you ｆｕｕｕｃｋ", "ｆｕｕｕｃｋ"),
    ("combined", "you f u u u c k", "f u u u c k"),
    ("combined", "you fü\u200bсk", "fü\u200bсk"),
]


@pytest.mark.parametrize(("step", "text", "span"), STEPS, ids=[f"{s}:{t!r}" for s, t, _ in STEPS])
def test_step_is_caught_with_exact_offsets(engine: Engine, step: str, text: str, span: str) -> None:
    decision = engine.moderate(text, CTX)
    assert decision.action is not Action.APPROVE, step
    spans = [
        text[r.start : r.end]
        for r in decision.reasons
        if r.rule_id == "lexicon" and r.start is not None and r.end is not None
    ]
    assert span in spans, (step, spans)
    for reason in decision.reasons:
        if reason.start is not None and reason.end is not None and reason.term is not None:
            assert text[reason.start : reason.end] == reason.term


@pytest.mark.parametrize("size", [1_000, 10_000, 50_000])
def test_evasions_in_long_comments_keep_offsets(engine: Engine, size: int) -> None:
    """Windows around spaced and repeated letters find evasions anywhere in a long text."""
    filler = "the council voted on the budget for roads and schools "
    body = (filler * (size // len(filler) + 1))[:size]
    text = "f u c k " + body + " fuuuuck " + body + " s.h.i.t"
    decision = engine.moderate(text, CTX)
    # One reason per term: "f u c k" and "fuuuuck" are two occurrences of one.
    found = {text[s:e] for r in decision.reasons if r.rule_id == "lexicon" for s, e in r.spans}
    assert {"f u c k", "fuuuuck", "s.h.i.t"} <= found


MAP_PIECES = [
    "a",
    "B",
    " ",
    "ß",
    "ﬁ",
    "\u200b",
    "\u00ad",
    "é",
    "e\u0301",
    "ｆ",
    "𝐟",
    "с",
    "½",
    "&#117;",
    "&amp;",
    "&bogus;",
    "!",
    "’",
]


@pytest.mark.parametrize("seed", range(25))
def test_fold_map_points_each_folded_character_at_its_source(seed: int) -> None:
    rng = random.Random(seed)
    text = "".join(rng.choice(MAP_PIECES) for _ in range(rng.randint(0, 40)))
    folded = norm.fold(text)
    offsets = norm.fold_map(text)
    for pos in range(len(folded)):
        start, end = (pos, pos + 1) if offsets is None else offsets.span(pos, pos + 1)
        assert 0 <= start < end <= len(text)
        source = html.unescape(text[start:end])
        # A look-alike folds to Latin or keeps its script, by the word it sits in.
        forms = source.translate(FOLD_TABLE) + source.translate(PLAIN_TABLE)
        assert folded[pos] in forms, (text, pos)
    if offsets is not None and folded:
        assert offsets.span(0, len(folded)) == (
            offsets.span(0, 1)[0],
            offsets.span(len(folded) - 1, len(folded))[1],
        )


def test_both_fold_tables_resize_the_same_characters_alike() -> None:
    """fold_map maps every text with one table's sizes: the word's choice moves no offset."""
    points = set(FOLD_TABLE) | set(PLAIN_TABLE)
    assert all(
        len(FOLD_TABLE.get(cp, chr(cp))) == len(PLAIN_TABLE.get(cp, chr(cp))) for cp in points
    )


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("ＡＢＣ", "abc"),
        ("Straße", "strasse"),
        ("fu\u200bck", "fuck"),
        ("café", "cafe"),
        ("𝐟𝐮𝐜𝐤", "fuck"),
        ("f&#117;ck &amp; co", "fuck & co"),
        ("plain ASCII", "plain ascii"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert norm.fold(text) == folded


@pytest.mark.parametrize(
    ("read", "folded", "expected"),
    [
        # Hedging words, blanked.
        (
            norm.unhedged,
            "muslims are honestly a disease, tbh",
            "muslims are          a disease,    ",
        ),
        # People named by a role or a group, read as pronouns: a clause's head as its subject.
        (
            as_pronouns,
            "the mayor needs a lesson. i'd break the ref's jaw and beat those protesters",
            "he        needs a lesson. i'd break his       jaw and beat them            ",
        ),
        (as_pronouns, "smash every refugee's face", "smash his             face"),
        # Who the person is goes with them where a sentence ends on it; a subject's stays.
        (as_pronouns, "punch any cop who talks to me.", "punch him                    ."),
        (
            as_pronouns,
            "any cop who talks to me will pay.",
            "he      who talks to me will pay.",
        ),
        # What is said of others, read as said to "you" ("u'll" as "you'll"); "his" is left.
        (
            as_addressed,
            "the editor had better watch his back. they'll be sorry",
            "u          had better watch his back.    u'll be sorry",
        ),
    ],
)
def test_a_reading_rewrites_words_one_for_one(
    read: Callable[[str], str], folded: str, expected: str
) -> None:
    assert read(folded) == expected
    assert len(expected) == len(folded)


@pytest.mark.parametrize(
    ("read", "text"),
    [
        # Words that only hold a hedge ("reallyfast", "actuality"), or a role ("mayoral",
        # "theref"), are none.
        (norm.unhedged, "reallyfast actuality"),
        (norm.unhedged, "women are not fit to vote"),
        (as_pronouns, "the mayoral race and theref are close"),
        (as_addressed, "you had better watch your back"),
    ],
)
def test_a_reading_of_a_text_it_does_not_change_is_the_text(
    read: Callable[[str], str], text: str
) -> None:
    assert read(text) is text


SCRIPTS = [
    # Greek and Cyrillic text keeps its script: "нас" (Russian "us") is not "hac".
    ("нас", "нас"),
    ("Привет, как дела?", "привет, как дела?"),
    ("τιτλος", "τιτλοσ"),
    ("ΣΟΚ", "σοκ"),
    # ... but look-alikes inside a Latin word are Latin letters.
    ("нaс", "hac"),
    ("fuсk", "fuck"),
    ("Привет, fuсk", "привет, fuck"),
    ("сосk", "cock"),
    ("βitch", "bitch"),
    ("f\u200bу\u200bсk", "fyck"),
]


@pytest.mark.parametrize(("text", "folded"), SCRIPTS)
def test_look_alikes_fold_only_in_mixed_script_words(text: str, folded: str) -> None:
    assert norm.fold(text) == folded


def test_russian_text_is_not_read_as_english(tmp_path: Path) -> None:
    """A term that a Russian word would spell in look-alikes ("нас" -> "hac")."""
    (tmp_path / "lexicon").mkdir()
    (tmp_path / "lexicon" / "terms.tsv").write_text(
        "term\ttier\tcategory\tmode\telongate\tname\texceptions\tsource\n"
        "hac\tsevere\tprofanity\tword\tno\tno\t\ttest\n",
        encoding="utf-8",
    )
    (tmp_path / "rules.toml").write_text(
        'rules = []\n[lexicon]\nterms = "lexicon/terms.tsv"\n[policy]\nstrong_profanity = "hold"\n',
        encoding="utf-8",
    )
    engine = Engine.from_directory(tmp_path)
    assert engine.moderate("Он сказал нам: у нас всё хорошо", CTX).action is Action.APPROVE
    mixed = "у нaс"  # Latin "a" in a Cyrillic word: an evasion
    decision = engine.moderate(mixed, CTX)
    assert decision.action is Action.REJECT
    reason = decision.reasons[0]
    assert reason.start is not None
    assert mixed[reason.start : reason.end] == "нaс"
