"""The toxicity model's scorer against the model's definition, and its file format."""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np
import pytest

from moderation.engine import normalise as norm
from moderation.engine.model import ATTRIBUTES, ArtefactError, ToxicityModel
from moderation.engine.model import features as ft
from moderation.engine.model.artefact import dumps, loads
from moderation.engine.model.scorer import FORMAT

TEXTS = [
    "You are a pathetic excuse for a reporter.",
    "The council approved the budget on Tuesday, 4 to 3.",
    "Fuuuuuck this, you absolute cl0wn!!! 1998 was better",
    "Muslims and Christians met at the library; nobody shouted.",
    "zzqx unknownword blorptastic " + "x" * 90,
    "",
    "a",
]
VOCAB = ["you", "are", "a", "the", "fuuck", "clown", "budget", "muslims", "0000"]


def _reference_tables(seed: int) -> tuple[dict[int, np.ndarray[Any, Any]], dict[int, Any]]:
    """Random weights (already times idf) and squared idfs for every feature TEXTS use."""
    rng = np.random.default_rng(seed)
    words: dict[int, np.ndarray[Any, Any]] = {}
    pairs: dict[int, np.ndarray[Any, Any]] = {}
    for text in TEXTS + VOCAB:
        tokens = ft.words(norm.fold(text))
        for token in tokens:
            for bucket in ft.word_features(token[:40]):
                words.setdefault(bucket, rng.normal(size=6).astype(np.float16) ** 2)
        hashes = [ft.word_hash(t) for t in tokens]
        for left, right in itertools.pairwise(hashes):
            pairs.setdefault(ft.bigram(left, right), rng.normal(size=6).astype(np.float16))
    # Drop a few buckets: features the model never saw weigh nothing.
    for bucket in list(words)[::7]:
        del words[bucket]
    return words, pairs


def _model_bytes(seed: int = 1) -> tuple[bytes, dict[int, Any], dict[int, Any]]:
    words, pairs = _reference_tables(seed)
    keys = np.array(sorted(words), dtype=np.uint32)
    table = {int(k): words[int(k)].astype(np.float32) for k in keys}
    vocab_vectors = np.array(
        [sum((table.get(b, np.zeros(6)) for b in ft.word_features(w)), np.zeros(6)) for w in VOCAB],
        dtype=np.float16,
    )
    pair_keys = np.array(sorted(pairs), dtype=np.uint32)
    header = {
        "format": FORMAT,
        "attributes": list(ATTRIBUTES),
        "word_bits": ft.WORD_BITS,
        "bigram_bits": ft.BIGRAM_BITS,
        "char_sizes": list(ft.CHAR_SIZES),
        "bias": [-1.0, -2.0, -3.0, -0.5, 0.25],
        "calibration": [[1.0, 0.0], [0.5, 0.1], [2.0, -1.0], [1.5, 0.3], [1.0, 1.0]],
    }
    arrays = {
        "vocab": np.frombuffer("\n".join(VOCAB).encode(), dtype=np.uint8),
        "vocab_vectors": vocab_vectors,
        "vocab_hashes": np.array([ft.word_hash(w) for w in VOCAB], dtype=np.uint32),
        "word_keys": keys,
        "word_vectors": np.array([words[int(k)] for k in keys], dtype=np.float16),
        "bigram_keys": pair_keys,
        "bigram_vectors": np.array([pairs[int(k)] for k in pair_keys], dtype=np.float16),
    }
    return dumps(header, arrays), words, pairs


def _reference(text: str, words: dict[int, Any], pairs: dict[int, Any]) -> list[float]:
    """The model's definition, term by term: no vocabulary, no memo, no tables."""
    header_bias = [-1.0, -2.0, -3.0, -0.5, 0.25]
    calibration = [(1.0, 0.0), (0.5, 0.1), (2.0, -1.0), (1.5, 0.3), (1.0, 1.0)]
    tokens = ft.words(norm.fold(text))
    total = np.zeros(6)
    for token in tokens:
        for bucket in ft.word_features(token[:40]):
            total += words.get(bucket, np.zeros(6))
    hashes = [ft.word_hash(t) for t in tokens]
    for left, right in itertools.pairwise(hashes):
        total += pairs.get(ft.bigram(left, right), np.zeros(6))
    scale = 1 / math.sqrt(total[5]) if total[5] > 0 else 0.0
    out = []
    for i, (a, b) in enumerate(calibration):
        z = a * (header_bias[i] + total[i] * scale) + b
        out.append(1 / (1 + math.exp(-z)))
    return out


def test_scores_follow_the_definition_for_known_unknown_and_respelled_words() -> None:
    data, words, pairs = _model_bytes()
    model = ToxicityModel(data)
    for text in TEXTS * 2:  # the second time, unknown words come from the memo
        assert model.score(norm.fold(text)) == pytest.approx(
            _reference(text, words, pairs), rel=2e-3, abs=1e-4
        ), text


def test_a_word_drawn_out_as_no_text_wrote_it_reads_as_the_word() -> None:
    model = ToxicityModel(_model_bytes()[0])
    plainly = model.score(norm.fold("what a clown"))
    # Its key ("cloown") is no word of the vocabulary; "clown" is, and is read.
    assert model.score(norm.fold("what a cloooown")) == plainly
    # A key the vocabulary holds keeps its own row: "fuuuuck" is "fuuck", not "fuck".
    assert model.score(norm.fold("fuuuuuck it")) == model.score(norm.fold("fuuck it"))
    # A word met earlier is not the vocabulary: the score is the same whatever came before.
    fresh = ToxicityModel(_model_bytes()[0])
    model.score(norm.fold("what a reporter"))  # remembered, but no word of the vocabulary
    drawn = norm.fold("what a reporteeeer")
    assert model.score(drawn) == fresh.score(drawn) != model.score(norm.fold("what a reporter"))


def test_mentions_and_links_weigh_nothing() -> None:
    text = "RT @jo_smith: @USER What a clown. Go away https://t.co/Ab12Cd or www.example.com/x URL"
    folded = norm.fold(text)
    view = ft.view(folded)
    # Blanked, not cut: offsets in the view still point into the text.
    assert len(view) == len(norm.lexicon_view(folded))
    assert view.split() == ["what", "a", "clown", "go", "away", "or"]
    assert text[view.index("clown") - 1 :].startswith("clown")
    model = ToxicityModel(_model_bytes()[0])
    assert model.score(folded) == model.score(norm.fold("What a clown. Go away or"))
    # HateXplain's placeholders; and "rt" and "url" inside words are letters like any other.
    assert ft.view(norm.fold("<user> start a <url> curl")).split() == ["start", "a", "curl"]


def test_negated_words_are_words_of_their_own() -> None:
    folded = norm.fold("Bridges are NOT vermin. Not bad, the idiot! I don't think so")
    view = ft.view(folded)
    assert len(view) == len(norm.lexicon_view(folded))
    # Up to three words after the negation, within its clause.
    assert view.split() == [
        "bridges", "are", "not", "Vermin", "not", "Bad", "the", "idiot",
        "i", "don", "t", "Think", "So",
    ]  # fmt: skip
    # "not vermin" takes nothing from "vermin": no feature is shared.
    assert not set(ft.word_features("Vermin")) & set(ft.word_features("vermin"))


def test_words_aimed_at_someone_gain_a_feature_of_their_own() -> None:
    folded = norm.fold(
        "I think you are disgusting, truly. The bill is disgusting; Muslims are not vermin"
    )
    view = ft.view(folded)
    assert len(view) == len(norm.lexicon_view(folded))
    # Two words before "you" or a group's name and four after it, within the clause.
    assert view.split() == [
        "i", "thinK", "you", "arE", "disgustinG", "truly", "the", "bill", "is", "disgusting",
        "muslims", "arE", "noT", "VermiN",
    ]  # fmt: skip
    # An aimed word keeps every feature of the word and adds its aimed unigram; its word
    # pairs are the plain word's.
    plain, aimed = ft.word_features("disgusting"), ft.word_features("disgustinG")
    assert set(plain) < set(aimed)
    assert len(aimed) == len(plain) + 1
    assert ft.word_hash("disgustinG") == ft.word_hash("disgusting")
    assert set(ft.word_features("Vermin")) < set(ft.word_features("VermiN"))
    # A group named after "on", "about", "against"… is not what its clause is about.
    assert ft.view(norm.fold("The attacks on Muslims are disgusting")).split() == [
        "the", "attacks", "on", "muslims", "are", "disgusting",
    ]  # fmt: skip
    # A text packed with targets has only its first 64 read, so it costs what ordinary text
    # of its length does.
    packed = ft.view(norm.fold("you fool " * 100)).split()
    assert packed[:4] == ["yoU", "fooL", "yoU", "fooL"]
    assert packed[-60:] == ["you", "fool"] * 30
    # A one-letter word is never marked (its upper case means negated), nor is a number.
    assert ft.view(norm.fold("you a 10")).split() == ["you", "a", "10"]


def test_a_long_text_is_also_read_sentence_by_sentence() -> None:
    preamble = "The council met on Tuesday to discuss the bridge, the budget and the roads. " * 2
    text = preamble + "Someone should break your legs for this."
    folded = norm.fold(text)
    view = ft.view(folded)
    parts = ft.sentences(folded, view)
    words = view.split()
    assert [" ".join(words[a:b]).lower() for a, b in parts] == [
        "the council met on tuesday to discuss the bridge the budget and the roads",
        "the council met on tuesday to discuss the bridge the budget and the roads",
        "someone should break your legs for this",
    ]
    # Each part scores as the same words would alone.
    model = ToxicityModel(_model_bytes()[0])
    scored = model.score_parts([view], [parts])[0]
    assert scored[0] == model.score(folded)
    assert scored[3] == pytest.approx(
        model.score(norm.fold("Someone should break your legs for this.")), abs=1e-6
    )
    assert model.score_many([]) == []
    # A short text is read whole; a long one gives at most MOST_SENTENCES parts.
    short = norm.fold("He said they are a disease. That is how persecution starts.")
    assert ft.sentences(short, ft.view(short)) == []
    packed = norm.fold("Here are four words. " * 1000)
    assert len(ft.sentences(packed, ft.view(packed))) == ft.MOST_SENTENCES
    # Lines end sentences, with or without a stop.
    lines = norm.fold(preamble.replace(". ", "\n") + "Someone should break your legs for this")
    found = ft.sentences(lines, ft.view(lines))
    assert [b - a for a, b in found] == [14, 14, 7]


def test_explain_points_at_words_of_the_text() -> None:
    model = ToxicityModel(_model_bytes()[0])
    text = "You are a pathetic excuse for a reporter."
    drivers = model.explain(norm.fold(text), "insult", top=3)
    assert 1 <= len(drivers) <= 3
    assert [d.weight for d in drivers] == sorted((d.weight for d in drivers), reverse=True)
    for driver in drivers:
        assert text[driver.start : driver.end].strip()
        assert text[driver.start].isalnum()
        assert text[driver.end - 1].isalnum()


def test_the_same_input_gives_the_same_bytes_and_reads_back() -> None:
    first, second = _model_bytes(5)[0], _model_bytes(5)[0]
    assert first == second
    artefact = loads(first)
    assert artefact.header["bias"][0] == -1.0
    assert artefact.arrays["vocab_hashes"].dtype == np.uint32


@pytest.mark.parametrize(
    ("mangle", "message"),
    [
        (lambda data: b"PK\x03\x04" + data[4:], "not a toxicity model"),
        (lambda data: data[: len(data) // 2], "cut short"),
        (lambda data: data.replace(b'"format":%d' % FORMAT, b'"format":9'), "format"),
    ],
)
def test_a_broken_model_file_is_refused_with_a_reason(mangle: Any, message: str) -> None:
    with pytest.raises(ArtefactError, match=message):
        ToxicityModel(mangle(_model_bytes()[0]))
