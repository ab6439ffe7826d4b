"""Composed training sentences: fixed, balanced, grammatical enough, and apart from the suite."""

from __future__ import annotations

import re

from moderation.training import composed, functional, templates


def test_the_same_rows_every_run() -> None:
    assert list(composed.examples()) == list(composed.examples())


def test_every_kind_has_as_many_innocent_twins_as_abusive_rows() -> None:
    for kind, attribute in (
        (composed.insults, "insult"),
        (composed.threats, "threat"),
        (composed.derogation, "identity_attack"),
    ):
        rows = list(kind())
        abusive = [e for e in rows if e.labels["toxicity"] == 1.0]
        assert all(e.labels[attribute] == 1.0 for e in abusive)
        clean = [e for e in rows if not any(e.labels.values())]
        assert len(abusive) == len(clean) == len(rows) / 2
        assert len({e.text for e in rows}) > 0.95 * len(rows)  # few repeats


def test_every_word_of_abuse_is_used() -> None:
    text = " ".join(e.text for e in composed.examples())
    for part in (
        *composed.BAD_ADJECTIVES,
        *composed.BAD_NOUNS,
        *composed.CONTEMPT,
        *composed.PUNISHMENTS,
        *composed.REMEDIES,
    ):
        assert part in text, part
    for scorn in (*composed.SCORN, *composed.REGARD):
        head = scorn.split("{")[0] or scorn.split("}")[1].split("{")[0]
        assert head in text, scorn
    for act in composed.VIOLENCE:
        head = act.split("{")[0]
        assert head in text, act


def test_no_slot_is_left_unfilled_and_articles_agree() -> None:
    for example in composed.examples():
        assert "{" not in example.text, example.text
        assert "}" not in example.text, example.text
        assert not re.search(r"\ba [aeiou]", example.text), example.text


def test_none_is_a_sentence_of_the_evaluation_suite() -> None:
    suite = {case.text.lower() for case in functional.cases()}
    ours = [*composed.examples(), *templates.examples()]
    assert not [e.text for e in ours if e.text.lower() in suite]


def test_the_blame_taught_as_clean_names_no_group() -> None:
    rows = list(composed.grievances())
    assert rows
    assert not any(any(e.labels.values()) for e in rows)
    named = {w.lower() for g in templates.GROUPS for w in (g.people, g.adjective)}
    for e in rows:
        words = set(re.findall(r"[a-z]+", e.text.lower()))
        assert not words & named, e.text
