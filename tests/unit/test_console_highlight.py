"""The console's highlighting: each reason's spans marked, overlaps merged, bad offsets ignored."""

from __future__ import annotations

from moderation.console.highlight import Piece, highlight


def test_a_reasons_spans_are_marked_in_the_original_text():
    body = "You FUCKING idiot, fuuuck off."
    reasons = [{"code": "strong_profanity", "start": 4, "end": 11, "spans": [[4, 11], [19, 25]]}]

    assert highlight(body, reasons) == [
        Piece("You "),
        Piece("FUCKING", "strong_profanity"),
        Piece(" idiot, "),
        Piece("fuuuck", "strong_profanity"),
        Piece(" off."),
    ]


def test_overlapping_reasons_make_one_mark_naming_both():
    reasons = [
        {"code": "model_insult", "spans": [[0, 12]]},
        {"code": "strong_profanity", "start": 4, "end": 12},
    ]
    assert highlight("You fucking idiot", reasons) == [
        Piece("You fucking ", "model_insult, strong_profanity"),
        Piece("idiot"),
    ]


def test_offsets_outside_the_text_or_of_the_wrong_type_are_ignored():
    reasons = [{"code": "a", "spans": [[5, 99], [-1, 2], ["0", "2"], [3, 3], [1]]}]
    assert highlight("short", reasons) == [Piece("short")]
    assert highlight("short", None) == [Piece("short")]


def test_an_excerpt_is_cut_with_an_ellipsis_and_keeps_marks_before_the_cut():
    body = "fuck " + "a" * 50 + " shit"
    reasons = [{"code": "p", "spans": [[0, 4], [56, 60]]}]
    assert highlight(body, reasons, limit=10) == [
        Piece("fuck", "p"),
        Piece(" aaaaa"),
        Piece("…"),
    ]
