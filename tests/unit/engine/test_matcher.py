"""The matcher alone: spaced-out letters found from a cheap signal, one entry per span."""

from __future__ import annotations

from moderation.engine import normalise as norm
from moderation.engine.matcher import Entry, Matcher


def _found(matcher: Matcher, text: str) -> list[tuple[str, str]]:
    folded = norm.fold(text)
    return [(folded[s:e], matcher.entries[i].term) for s, e, i in matcher.scan(folded).hits]


def test_spaced_out_letters_are_found_whatever_letters_they_are() -> None:
    matcher = Matcher([Entry("fuck", "lexicon", "strong"), Entry("diss", "lexicon", "strong")])
    assert _found(matcher, "well f u c k that") == [("f u c k", "fuck")]
    assert _found(matcher, "f*u*c*k") == [("f*u*c*k", "fuck")]
    # Letters English also has alone ("a", "I", "it's", "I'd") are found spaced out too.
    assert _found(matcher, "they d i s s me") == [("d i s s", "diss")]
    assert _found(matcher, "it's a dismal day, I'd say") == []


def test_of_entries_found_on_one_span_only_the_first_highest_ranked_is_reported() -> None:
    entries = [
        Entry("feck", "lexicon", "mild", variants=True),
        Entry("fuck", "lexicon", "strong", variants=True),
        Entry("fick", "lexicon", "strong", variants=True),
        Entry("fuck", "rule:0"),
    ]
    every = Matcher(entries)
    ranked = Matcher(entries, rank=[1, 3, 3, -1])
    assert sorted(t for _, t in _found(every, "f*ck")) == ["feck", "fick", "fuck"]
    assert _found(ranked, "f*ck") == [("f*ck", "fuck")]
    # A rule's term always stands beside the lexicon's.
    assert sorted(t for _, t in _found(ranked, "fuck")) == ["fuck", "fuck"]


def test_two_starred_letters_stand_for_a_word_only_where_its_readings_agree_in_tier() -> None:
    matcher = Matcher(
        [
            Entry("asshole", "lexicon", "strong", variants=True),
            Entry("azzhole", "lexicon", "strong", variants=True),
            Entry("cocksucker", "lexicon", "strong", variants=True),
            Entry("clits", "lexicon", "strong", variants=True),
            Entry("cunts", "lexicon", "severe", variants=True),
            Entry("fucking", "lexicon", "strong", variants=True),
        ]
    )
    assert sorted(t for _, t in _found(matcher, "what an a**hole")) == ["asshole", "azzhole"]
    assert _found(matcher, "f**king") == [("f**king", "fucking")]
    # "c**ts" could be either of two tiers: no reading is taken for it.
    assert _found(matcher, "those c**ts") == []
    # Words past nine letters have no such spellings: thousands, for rare compounds.
    assert _found(matcher, "c**ksucker") == []


def test_a_word_starred_but_for_its_first_letter_is_read_as_the_mildest_word_it_could_be() -> None:
    matcher = Matcher(
        [
            Entry("fags", "lexicon", "slur", variants=True),
            Entry("fuck", "lexicon", "strong", variants=True),
            Entry("feck", "lexicon", "strong", variants=True),
            Entry("nigger", "lexicon", "slur", variants=True),
        ]
    )
    # "f***" could be any of three words of two tiers: it stands for those of the milder.
    assert sorted(t for _, t in _found(matcher, "go f*** yourself")) == ["feck", "fuck"]
    assert _found(matcher, "you n*****") == [("n*****", "nigger")]
    # A whole word only, of the length of the words it could be, with its first letter.
    assert _found(matcher, "f** off") == []
    assert _found(matcher, "go **** yourself") == []
    assert _found(matcher, "xf*** off") == []
