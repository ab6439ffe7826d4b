"""Score a folded comment on five attributes with a linear model over hashed n-grams.

A comment's raw score for an attribute is the model's bias plus the sum of its features'
weights (each scaled by its idf), divided by the square root of the sum of their squared idfs,
so a long comment is not toxic for being long. Every term of both sums belongs to one word or
one pair of neighbouring words, so the file stores each known word's terms added up in
advance: scoring a comment costs one dictionary lookup per word and two table reads, and a
word the model has not seen costs its n-grams once, then is remembered. A word drawn out past
what the data wrote ("liaaaar") is read as the word written plainly, when the model knows it.
"""

from __future__ import annotations

import hashlib
import math
import mmap
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from moderation.engine.model import features
from moderation.engine.model.artefact import ArtefactError, loads

ATTRIBUTES = ("toxicity", "insult", "threat", "identity_attack", "obscene")
FORMAT = 3  # 2: negated words are words of their own; 3: aimed words (features.view)
_WIDTH = len(ATTRIBUTES) + 1  # the attributes' weights, then the squared idf
_MEMO_SIZE = 30_000  # words met since loading that are remembered, and most words read at once


@dataclass(frozen=True, slots=True)
class Driver:
    """A word or word pair that raised an attribute's score, at [start, end) of folded text."""

    start: int
    end: int
    weight: float


class ToxicityModel:
    """A loaded model: calibrated probabilities of each attribute for a folded text."""

    def __init__(self, data: bytes | mmap.mmap) -> None:
        """Load a model file's bytes (raises ArtefactError when they are not a usable model)."""
        artefact = loads(data)
        header, arrays = artefact.header, artefact.arrays
        expected = {
            "format": FORMAT,
            "attributes": list(ATTRIBUTES),
            "word_bits": features.WORD_BITS,
            "bigram_bits": features.BIGRAM_BITS,
            "char_sizes": list(features.CHAR_SIZES),
        }
        for name, value in expected.items():
            if header.get(name) != value:
                raise ArtefactError(f"model {name} is {header.get(name)!r}, expected {value!r}")
        #: Content hash of the file; decisions carry it through the ruleset version.
        self.digest = hashlib.sha256(data).hexdigest()
        self.header = header
        # The vocabulary as its file bytes: `_forget` rebuilds the index from them, so one
        # dictionary of words is kept, not two.
        self._vocab = bytes(arrays["vocab"])
        known = self._vocab.count(b"\n") + 1 if self._vocab else 0
        # Words met since loading are added here, with rows after the vocabulary's.
        self._index: dict[str, int] = {}
        # One table in the file's half precision (sums are taken in single precision), read
        # by one gather per batch. Rows: the vocabulary's words; one row of zeros (`_none`,
        # where every text ends, so none is empty, and where every word pair the model never
        # saw points); _MEMO_SIZE rows for words met since loading; then one row per word pair
        # the model weighs, in the order of `_pair_keys` (sorted buckets).
        self._none = known
        self._known = known + 1
        self._pair0 = self._memo_end = self._known + _MEMO_SIZE
        self._table = np.zeros((self._pair0 + len(arrays["bigram_keys"]), _WIDTH), np.float16)
        self._table[:known] = arrays["vocab_vectors"]
        self._table[self._pair0 :] = arrays["bigram_vectors"]
        # As the buckets' type (a cast would copy it per call); never empty, for searchsorted.
        self._pair_keys = (
            arrays["bigram_keys"].astype(np.int32)
            if len(arrays["bigram_keys"])
            else np.array([-1], dtype=np.int32)
        )
        # A pair's bucket is ((left hash * MIX) ^ right hash) & mask: both halves kept per row.
        self._mixed = np.zeros(self._pair0, dtype=np.int32)
        self._low = np.zeros(self._pair0, dtype=np.int32)
        hashes = arrays["vocab_hashes"].tolist()  # as _learn does, without arrays of temps
        self._mixed[:known] = [(h * features.MIX) & features.BIGRAM_MASK for h in hashes]
        self._low[:known] = [h & features.BIGRAM_MASK for h in hashes]
        # The zero row's halves set bits no bucket has: a pair across a text's end is no key.
        self._mixed[self._none] = 1 << features.BIGRAM_BITS
        self._low[self._none] = 2 << features.BIGRAM_BITS
        # Copies: the arrays are views into the file's bytes, which need not stay in memory.
        self._word_keys = arrays["word_keys"].copy()
        self._word_rows = arrays["word_vectors"].copy()
        self._forget()
        # sigmoid(a * (bias + x) + b) = sigmoid(a * x + (a * bias + b)), folded once here.
        calibration = np.array(header["calibration"], dtype=np.float64).reshape(-1, 2)
        self._scale = calibration[:, 0]
        self._shift = calibration[:, 0] * np.array(header["bias"]) + calibration[:, 1]
        self._lock = threading.Lock()

    def score(self, folded: str) -> tuple[float, ...]:
        """Probabilities of the attributes (in ATTRIBUTES order) for one folded text."""
        return self.score_many([features.view(folded)])[0]

    def score_many(self, views: Sequence[str]) -> list[tuple[float, ...]]:
        """Probabilities for many texts, given their views (features.view), in one pass over
        the table.

        A worker decides a batch of comments at once: the table read and the sums then cost a
        few array operations per batch, and per word one dictionary lookup.
        """
        return [scored[0] for scored in self.score_parts(views, [()] * len(views))]

    def score_parts(
        self, views: Sequence[str], parts: Sequence[Sequence[tuple[int, int]]]
    ) -> list[list[tuple[float, ...]]]:
        """score_many(), and for each text the probabilities of its `parts` too: ranges
        [first, end) of its words (features.sentences), scored as if each were a text.

        A part costs two subtractions of running sums, not a second reading of its words.
        """
        texts = [view.split()[:_MEMO_SIZE] for view in views]
        words = sum(map(len, texts))
        if words > _MEMO_SIZE and len(texts) > 1:  # too many new words for the memo at once
            half = len(views) // 2
            return self.score_parts(views[:half], parts[:half]) + self.score_parts(
                views[half:], parts[half:]
            )
        rows: list[int] = []
        starts: list[int] = []
        # Per scored range, its first and end rows among the batch's: the texts, then parts.
        bounds: list[tuple[int, int]] = []
        counts: list[int] = []
        with self._lock:
            if self._used + words > self._memo_end:
                self._forget()  # before the batch: every row it takes stays its own
            for tokens in texts:
                starts.append(len(rows))
                rows += self._rows(tokens)
                rows.append(self._none)
                bounds.append((starts[-1], len(rows)))
            for tokens, start, ranges in zip(texts, starts, parts, strict=True):
                kept = [
                    (start + a, start + min(b, len(tokens))) for a, b in ranges if a < len(tokens)
                ]
                counts.append(len(kept))
                bounds += kept
            words_at = np.fromiter(rows, dtype=np.intp, count=len(rows))
            pairs_at = self._pair_rows(words_at)
            table = self._table
            # Row k adds word k and its pair with word k + 1, in running sums with a zero row
            # in front: a range's sum is a difference of two, less the pair that leaves it.
            terms = table[words_at].astype(np.float64)
            terms += table[pairs_at]
            running = np.zeros((len(rows) + 1, _WIDTH))
            np.cumsum(terms, axis=0, out=running[1:])
            at = np.array(bounds, dtype=np.intp).reshape(-1, 2)  # (0, 2) for no texts
            sums = running[at[:, 1]] - running[at[:, 0]] - table[pairs_at[at[:, 1] - 1]]
        scored = list(map(tuple, self._calibrate(sums).tolist()))
        out = [[whole] for whole in scored[: len(texts)]]
        next_part = len(texts)
        for own, count in zip(out, counts, strict=True):
            own += scored[next_part : next_part + count]
            next_part += count
        return out

    def explain(self, folded: str, attribute: str, top: int = 3) -> list[Driver]:
        """The words and word pairs that raised `attribute` most, strongest first."""
        return self.explain_many(features.view(folded), [attribute], top)[attribute]

    def explain_many(
        self, view: str, attributes: Sequence[str], top: int = 3
    ) -> dict[str, list[Driver]]:
        """explain() for several attributes of one text, given its view, read once.

        Offsets are found for the drivers only: a long text's words are looked up, not walked.
        """
        tokens = view.split()[:_MEMO_SIZE]
        if not tokens:
            return {attribute: [] for attribute in attributes}
        with self._lock:
            if self._used + len(tokens) > self._memo_end:
                self._forget()
            words_at = np.fromiter(self._rows(tokens), dtype=np.intp, count=len(tokens))
            at = np.concatenate([words_at, self._pair_rows(words_at)[:-1]])
            values = self._table[at].astype(np.float32)
        scale = math.sqrt(max(float(values[:, -1].sum()), 1e-12))
        words = len(tokens)
        bounds: tuple[list[int], list[int]] | None = None
        out: dict[str, list[Driver]] = {}
        for attribute in attributes:
            weights = values[:, ATTRIBUTES.index(attribute)]
            drivers = out[attribute] = []
            for i in np.argsort(-weights, kind="stable")[:top].tolist():
                if weights[i] <= 0:
                    break
                if bounds is None:
                    bounds = _word_bounds(view)
                # Rows past the words are pairs: pair k joins word k and word k + 1.
                first, last = (i, i) if i < words else (i - words, i - words + 1)
                drivers.append(Driver(bounds[0][first], bounds[1][last], float(weights[i]) / scale))
        return out

    def _rows(self, tokens: list[str]) -> list[int]:
        """The table rows of these words (the lock held)."""
        found = list(map(self._index.get, tokens))
        if None in found:
            return [self._learn(t) if r is None else r for t, r in zip(tokens, found, strict=True)]
        return found  # type: ignore[return-value]  # no None left in it

    def _pair_rows(self, words_at: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        """The row of each word's pair with the next (the zero row where a text ends)."""
        buckets = self._mixed[words_at[:-1]] ^ self._low[words_at[1:]]
        at = self._pair_keys.searchsorted(buckets)
        np.minimum(at, len(self._pair_keys) - 1, out=at)
        out = np.full(len(words_at), self._none, dtype=np.intp)
        out[:-1] = np.where(self._pair_keys[at] == buckets, self._pair0 + at, self._none)
        return out

    def _learn(self, token: str) -> int:
        """The row of a token the index lacks: its key's, or a new one made from its n-grams.

        Most are known words in another spelling ("fuuuck", "2017"). The caller has made room.
        """
        word = features.key(token)
        row = self._index.get(word)  # the vocabulary's row, or one made for this key before
        if row is None:
            # A word drawn out as the data never wrote it ("liaaaar": "liaar") is the word
            # written plainly when the vocabulary holds that ("liar"), not a stranger made of
            # n-grams that weigh little. A key the data wrote ("fuuck") keeps its own row. The
            # memo's rows are not asked: a score must not hang on the comments read before.
            plain = self._index.get(features.plain(token))
            if plain is not None and plain < self._none:
                row = plain
        if row is None:
            row = self._used
            self._used += 1
            vector, word_hash = self._word(word)
            self._table[row] = vector
            self._mixed[row] = (word_hash * features.MIX) & features.BIGRAM_MASK
            self._low[row] = word_hash & features.BIGRAM_MASK
        if len(token) <= features.LONG_WORD:  # a key mash is not worth remembering
            self._index[token] = row
        return row

    def _calibrate(self, sums: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        """Probabilities from the texts' sums (a row each): divided by the root of the
        squared-idf sum (a text with no known feature sums to 0), then the calibrated logistic
        function. For the whole batch at once."""
        squares = sums[:, -1]
        scale = np.zeros_like(squares)
        known = squares > 0
        scale[known] = 1.0 / np.sqrt(squares[known])
        z = sums[:, :-1] * scale[:, None] * self._scale + self._shift
        out: np.ndarray[Any, Any] = 1.0 / (1.0 + np.exp(np.minimum(-z, 500.0)))
        return out

    def _forget(self) -> None:
        """Empty the memo of words met since loading (the lock held, between batches)."""
        words = self._vocab.decode().split("\n") if self._vocab else []
        self._index = {word: row for row, word in enumerate(words)}
        self._used = self._known

    def _word(self, word: str) -> tuple[np.ndarray[Any, Any], int]:
        """A word's terms (attribute weights and squared idf) from its n-grams, and its hash."""
        buckets = np.array(features.word_features(word), dtype=np.uint32)
        found = np.searchsorted(self._word_keys, buckets)
        found[found >= len(self._word_keys)] = 0
        hit = found[self._word_keys[found] == buckets] if len(self._word_keys) else found[:0]
        vector = self._word_rows[hit].sum(axis=0, dtype=np.float32)
        return vector, features.word_hash(word)


def _word_bounds(view: str) -> tuple[list[int], list[int]]:
    """Where each word of a lexicon view starts and ends, in folded-text offsets.

    The view is ASCII, padded with a space at each end, and its words are split by spaces
    only, so word edges alternate: a start, an end, a start...
    """
    letters = np.frombuffer(view.encode("ascii"), dtype=np.uint8) != 0x20
    edges = np.flatnonzero(letters[1:] != letters[:-1])  # edge + 1 in the view: one pad less
    return edges[0::2].tolist(), edges[1::2].tolist()
