"""What the toxicity model reads: words of the folded text and their hashed n-grams.

Training and scoring both call these functions, so a model sees at run time exactly the
features it was fitted on. A word's features are its unigram and its character 3- to 5-grams
(so "stoopid", "idiots" and "libtard" share evidence with words the model knows); a pair of
neighbouring words is a bigram. Every feature is a bucket number from a stable hash (CRC-32),
never Python's hash(), which changes from one process to the next.
"""

from __future__ import annotations

import itertools
import re
import zlib
from collections.abc import Callable, Iterator

from moderation.engine import normalise as norm

WORD_BITS = 20  # buckets of unigrams and character n-grams: 2**20
BIGRAM_BITS = 19  # buckets of word pairs: 2**19
CHAR_SIZES = (3, 4, 5)
_WORD_MASK = (1 << WORD_BITS) - 1
BIGRAM_MASK = (1 << BIGRAM_BITS) - 1
MIX = 0x9E3779B1  # odd 32-bit multiplier: the left word's hash is spread before the XOR
_RUNS = re.compile(r"([a-z*])\1\1+")
_DIGITS = str.maketrans("123456789", "000000000")
LONG_WORD = 40  # a longer "word" (a URL, a key mash): its n-grams come from its first letters


def key(token: str) -> str:
    """A word of the lexicon view as the model knows it: long repeats cut to two letters.

    "fuuuuck" and "fuuck" become one word, and every number looks alike ("0000"), so a model
    does not learn years or prices.
    """
    return _RUNS.sub(r"\1\1", token).translate(_DIGITS)


def plain(token: str) -> str:
    """A word with long repeats cut to one letter, "liaaaar" as "liar" (see key), its first
    and last letters' case kept (a negated or aimed word: "cowarddD" as "cowarD")."""
    cut = _RUNS.sub(r"\1", token.lower()).translate(_DIGITS)
    if token[:1].isupper():
        cut = cut[:1].upper() + cut[1:]
    if token[-1:].isupper():
        cut = cut[:-1] + cut[-1:].upper()
    return cut


# Whom a comment answers, where it links and a retweet's "RT" say nothing of its tone, but
# their letters would weigh: "@user", "http t co" and "rt" are words of tweets, and the sets
# label tweets unevenly (one labels insults, another only clean ones), so a mention alone took
# a comment's insult score from 0.54 to 0.11, and "RT" one from 0.91 to 0.65. Sets write
# mentions and links as "<user>", "<url>" or "URL".
_ASIDES = re.compile(r"@\w+|<(?:user|url)>|(?:https?://|www\.)\S+|\b(?:rt|url)\b")


# Negation: the words after "not", "never", "no" or a "n't", up to three and within the
# clause, are read as negated ("Muslims are not vermin", "you're not an idiot"). A negated word
# is a word of its own, first letter in upper case (the view is otherwise lower case), with
# n-grams of its own (word_features), so "not vermin" takes no weight from "vermin" and the
# model learns from the data what each negated word says. Found in the view, where "n't" is
# "n t" and punctuation is a space: two spaces end a clause.
_NEGATED = re.compile(
    r" (?:no[rt]?|never|cannot|dont|doesnt|didnt|isnt|arent|wasnt|werent|cant|wont|aint|[a-z]+n t)"
    r"((?: [a-z0-9]+){1,3})"
)
_WORD_START = re.compile(r" [a-z]")

# Aim: the words beside "you" or a group's name, two before and four after within the clause,
# are read as aimed at someone. An aimed word keeps its own features and gains one more, its
# aimed unigram (word_features), so the model can learn from the data that "disgusting" said
# of you or of Muslims is abuse where "disgusting" said of a bill is not. An aimed word is
# marked by its last letter in upper case (a word of two letters or more that ends in one).
TARGETS = (
    "you", "your", "youre", "yours", "yourself", "yourselves", "ya", "u", "ur", "muslim",
    "muslims", "islam", "jew", "jews", "jewish", "black", "blacks", "white", "whites", "gay",
    "gays", "lesbian", "lesbians", "homosexual", "homosexuals", "trans", "transgender",
    "transgenders", "queer", "disabled", "women", "females", "girls", "immigrant", "immigrants",
    "refugee", "refugees", "migrant", "migrants", "mexicans", "arabs", "asians", "africans",
    "christians", "catholics", "hindus", "sikhs", "atheists", "mormons", "latinos", "indians",
    "chinese",
)  # fmt: skip
_AIM_BEFORE, _AIM_AFTER = 2, 4
# Targets read per text, at most: a text packed with them ("f u c k f u c k…": every "u" is
# one) would otherwise cost several times ordinary text of its length.
_MOST_TARGETS = 64
# A target named after one of these is not what its clause is about: "the attacks on Muslims
# are disgusting" says so of the attacks.
_ASIDE_OF = frozenset(
    {"on", "against", "toward", "towards", "about", "regarding", "concerning", "upon"}
)


# Longest first: "yourself" before "your", "you"; after a look at the first letter, so a space
# before any other letter (or another space) is passed at once.
_TARGET = re.compile(
    f" (?=[{''.join(sorted({t[0] for t in TARGETS}))}])"
    f"(?:{'|'.join(sorted(TARGETS, key=len, reverse=True))})(?= )"
)


def view(folded: str, lexicon_view: str | None = None) -> str:
    """The model's view of a folded text: its lexicon view with mentions and links blanked,
    and negated and aimed words marked.

    As long as the lexicon view, so offsets in it still point into the folded text.
    """
    out = norm.lexicon_view(folded) if lexicon_view is None else lexicon_view
    if (
        "@" in folded
        or "/" in folded
        or "<" in folded
        or "www." in folded
        or " rt " in out
        or " url " in out
    ):
        # The lexicon view is the folded text with one space of padding in front.
        asides = ((m.start() + 1, m.end() + 1) for m in _ASIDES.finditer(folded))
        out = _rewrite(out, asides, _blank)
    if " no" in out or " never " in out or "nt " in out or "n t " in out or " cannot " in out:
        out = _rewrite(out, (m.span(1) for m in _NEGATED.finditer(out)), _negate)
    return _aim(out)


def _aim(out: str) -> str:
    """`out` with the words aimed at a target marked (see TARGETS)."""
    ends: list[int] = []  # where an aimed word's last letter is
    for target in itertools.islice(_TARGET.finditer(out), _MOST_TARGETS):
        start, end = target.span()  # the space before the target, the space after it
        if out[out.rfind(" ", 0, start) + 1 : start] in _ASIDE_OF:
            continue
        for _ in range(_AIM_BEFORE):
            if out[start - 1] == " ":  # no word before it in the clause
                break
            ends.append(start - 1)
            start = out.rfind(" ", 0, start)
        for _ in range(_AIM_AFTER):
            stop = out.find(" ", end + 1)
            if stop <= end + 1:  # the clause ends, or the text does
                break
            ends.append(stop - 1)
            end = stop
    if not ends:
        return out
    text = bytearray(out.encode("ascii"))
    for at in ends:
        if 0x61 <= text[at] <= 0x7A and text[at - 1] != 0x20:  # a-z, not a one-letter word
            text[at] -= 0x20
    return text.decode("ascii")


def _rewrite(out: str, spans: Iterator[tuple[int, int]], mark: Callable[[str], str]) -> str:
    """`out` with each of `spans` rewritten by `mark`, in pieces joined once (so a text packed
    with them costs time linear in its length)."""
    parts: list[str] = []
    at = 0
    for start, end in spans:
        parts += (out[at:start], mark(out[start:end]))
        at = end
    if not parts:
        return out
    parts.append(out[at:])
    return "".join(parts)


def _blank(words: str) -> str:
    return " " * len(words)


def _negate(words: str) -> str:
    return _WORD_START.sub(lambda m: m.group().upper(), words)


# A line break ends a sentence too: comments often end their lines with no stop.
_SENTENCE_END = re.compile(r"[.!?;]*\n\s*|[.!?;]+\s+")
SENTENCE_WORDS = 4  # a shorter sentence is not scored alone (see sentences)
MOST_SENTENCES = 16  # sentences of one text scored alone, at most
LONG_TEXT = 25  # words of a text whose sentences are scored alone too


def sentences(folded: str, view: str) -> list[tuple[int, int]]:
    """The sentences of a long text, as ranges [first, end) of its model view's words.

    A text's score is spread over all its words, so one abusive sentence in a long comment
    scored like a mild remark ("The mayor is a gutless windbag." after thirty words about a
    bridge: insult 0.24, alone 0.95). A text of LONG_TEXT words or more is therefore also
    scored sentence by sentence (`rules.model.strongest` says for which attributes). Shorter
    texts are scored whole, so a sentence quoted in order to condemn it keeps its
    condemnation. Only sentences of SENTENCE_WORDS words or more count, the first
    MOST_SENTENCES of them, so the cost stays linear in the text's length.
    """
    out: list[tuple[int, int]] = []
    total = len(view.split())
    if total < LONG_TEXT:
        return out
    start = first = 0
    for m in _SENTENCE_END.finditer(folded):
        # The view is the folded text with one space of padding in front: a sentence's end
        # (after its punctuation and spaces) falls between two of the view's words.
        count = len(view[start + 1 : m.end() + 1].split())
        if count >= SENTENCE_WORDS:
            out.append((first, first + count))
            if len(out) == MOST_SENTENCES:
                return out
        first += count
        start = m.end()
    if out and total - first >= SENTENCE_WORDS:  # the last sentence, when there are two
        out.append((first, total))
    return out


def words(folded: str) -> list[str]:
    """The model's words of a folded text, in order."""
    return [key(token) for token in view(folded).split()]


def _unaimed(word: str) -> str:
    """A word without its aim mark (see view)."""
    return word[:-1] + word[-1].lower() if len(word) > 1 and word[-1].isupper() else word


def word_hash(word: str) -> int:
    """A word's 32-bit hash, from which its bigrams' buckets are made (an aimed word's pairs
    are its plain pairs)."""
    return zlib.crc32(_unaimed(word).encode())


def word_features(word: str) -> list[int]:
    """Buckets of a word's unigram and character n-grams (with "<" and ">" marking its ends).

    A negated word's n-grams (see view) are hashed apart from the same word's when asserted;
    an aimed word has the plain word's buckets and one more, its aimed unigram.
    """
    plain = _unaimed(word)
    aimed = plain != word
    word = plain[:LONG_WORD]
    out = [zlib.crc32(b"w" + word.encode()) & _WORD_MASK]
    if aimed:
        out.append(zlib.crc32(b"a" + word.encode()) & _WORD_MASK)
    salt = b"n" if word[:1].isupper() else b"c"
    marked = f"<{word.lower()}>".encode()
    for size in CHAR_SIZES:
        for i in range(len(marked) - size + 1):
            out.append(zlib.crc32(salt + marked[i : i + size]) & _WORD_MASK)
    return out


def bigram(left: int, right: int) -> int:
    """The bucket of a word pair, from the two words' hashes."""
    return ((left * MIX) ^ right) & BIGRAM_MASK
