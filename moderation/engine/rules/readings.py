"""How a pattern rule reads a comment: as written, then as its hidden words read.

A question that asserts what it asks ("isn't it obvious that…?") is read as said. Then
leetspeak ("Muslims are v3rmin"), letters spaced out ("I hate M u s l i m s"), letters drawn
out ("you liaaaar"), slips of the rule's own words ("mulsims"), words run together
("Muslimsare") and a word broken in two ("dis gusting"). Each reading is asked for only when
the readings before it matched nothing, and maps its matches back to the folded text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field

from moderation.engine import normalise as norm
from moderation.engine.matcher import key_of, trigger_key
from moderation.engine.rules.base import Comment

# Where a span of a reading lies in the folded text.
Mapper = Callable[[int, int], tuple[int, int]]
# Little words patterns join listed words with: "Muslimsare" is split into "muslims are",
# "bekilled" into "be killed".
_LITTLE = frozenset((
    "a", "all", "an", "and", "are", "be", "been", "i", "is", "r", "so", "such", "the", "these",
    "those", "was", "we", "were", "should", "must", "will", "deserve", "need", "to", "killed",
    "shot", "hanged", "dead", "death", "gone", "die", "like", "they", "them", "just",
))  # fmt: skip
_TOKEN = re.compile(r"[a-z]+(?:\*[a-z]+)*")  # "m*slims" is one word
_BREAK = "[ ._*-]"  # what may break a word in two
# Words that may be two run together: five letters or more, and at most 40 (no two known words
# are longer), so a key mash costs no more than its length.
_LONG_TOKEN = re.compile(r"(?<![a-z])[a-z]{5,40}(?![a-z])")


def slips(word: str) -> set[str]:
    """The ways a word is commonly mistyped, its first letter kept: two neighbours swapped
    ("mulsims", "idoit", in words of five letters or more; in a plural of four, the middle
    two: "jwes", "gyas"), one letter but the last left out ("musims", "disgustng", in words of
    seven or more; a vowel in words of five or six: "wmen", "trsh"), the g of a long "-ing"
    dropped ("disgustin"), a plural's s written z ("ratz"), the last letter doubled for
    stress ("trashh", "muslimss", in words of four letters or more) and the first vowel after
    the first letter starred ("m*slims", "j*ws", "tr*sh"; a starred word is no other word).

    Shorter words are left alone, and other four-letter words: their slips are other words
    ("hate": "hat", "ate"; "form": "from"; "liar": "lair"; "blacks": "backs"; "native": "naive").
    """
    out = set()
    if len(word) >= 5:
        out |= {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(1, len(word) - 1)}
    if len(word) == 4 and word.endswith("s"):
        out.add(word[0] + word[2] + word[1] + word[3])
    if len(word) >= 7:
        out |= {word[:i] + word[i + 1 :] for i in range(1, len(word) - 1)}
    elif len(word) >= 5:
        out |= {word[:i] + word[i + 1 :] for i in range(1, len(word) - 1) if word[i] in "aeiou"}
    if len(word) >= 7 and word.endswith("ing"):
        out.add(word[:-1])
    if len(word) >= 4 and word.endswith("s"):
        out.add(word[:-1] + "z")
    if len(word) >= 4:
        out.add(word + word[-1])
    # One key for each: a letter doubled or starred anywhere made thousands of scan keys,
    # 2.2 and 1.7 MiB of a worker's memory.
    vowel = next((i for i in range(1, len(word) - 1) if word[i] in "aeiou"), 0)
    if vowel:
        out.add(word[:vowel] + "*" + word[vowel + 1 :])
    out.discard(word)
    return out


@dataclass(frozen=True, slots=True)
class Spelling:
    """A rule's own words, and how they are mistyped: what its last reading corrects."""

    slips: Mapping[str, str]  # each slip, and the word it stands for
    slipped: frozenset[str]  # the slips, as the engine's scan reports them
    known: frozenset[str]  # the words a run-together word may be split into
    # Its triggers of four letters or more that its word lists name too (the groups of
    # `group-hate`), as the scan reports them: words run together are looked for in a comment
    # that holds one. Around every trigger, "idiots" and "morons" were taken apart on most
    # comments, in vain.
    gluable: frozenset[str]
    # Its words of five letters or more broken in two ("dis gusting"), where one fragment has
    # at most four letters and neither is a word of its own, each as the scan reports it
    # (" dis gusting ": the view reads "dis-gusting" so too), and the word whole. The scan finds
    # them with the triggers: a loop over a comment's words in Python cost a third of the
    # engine's throughput, and one RE2 expression of them 3.5 MiB of a worker's memory.
    halves: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, triggers: Collection[str], words: Mapping[str, list[str]]) -> Spelling:
        """The spelling of a rule with these triggers and word lists; the list `not_slips`
        holds words of their own that a slip would spell ("crepe" of "creep")."""
        listed = {
            w
            for name, phrases in words.items()
            if name != "not_slips"
            for phrase in phrases
            for w in phrase.split()
        }
        own = frozenset(w for w in {*(t for t in triggers if " " not in t), *listed} if w.isalpha())
        other = frozenset(words.get("not_slips", ()))
        table: dict[str, str] = {}
        for word in sorted(own):
            for slip in sorted(slips(word) - own - other):
                table.setdefault(slip, word)
        known = own | _LITTLE
        halves = {
            trigger_key(f" {w[:i]} {w[i:]} "): w
            for w in sorted(own)
            if len(w) >= 5
            for i in range(1, len(w))
            if min(i, len(w) - i) <= 4 and w[:i] not in known and w[i:] not in known
        }
        return cls(
            table,
            frozenset(trigger_key(f" {t} ") for t in table),
            known,
            frozenset(key_of(w) for w in triggers if w in listed and len(w) >= 4),
            halves,
        )


AS_WRITTEN = Spelling({}, frozenset(), frozenset(), frozenset())  # a rule without `typos`


def _same(start: int, end: int) -> tuple[int, int]:
    return start, end


def readings(
    c: Comment,
    spelling: Spelling,
    unhedged: bool = False,
    people: re.Pattern[str] | None = None,
    addressed: bool = False,
) -> Iterator[tuple[str, Mapper]]:
    """The folded text, then the same text as its hidden words read, each with its way back;
    each of them also without the links, mentions, tags and emoji that end it (untailed).
    `unhedged`: the text without its hedging words too (norm.unhedged); `people`: with the people
    it finds (norm.named) read as pronouns too (norm.as_pronouns); `addressed`: and what is
    said of them as said to "you" (norm.as_addressed)."""
    for text, back in _readings(c, spelling, unhedged, people, addressed):
        yield text, back
        cut = untailed(text)
        if cut is not None:
            yield cut, _ending(back, len(cut.rstrip()))


def _word_start(folded: str) -> Mapper:
    """For a reading that writes a word's stand-in at its end ("he'll" as " u'll"): a match
    starts where the word does in `folded`."""

    def back(start: int, end: int) -> tuple[int, int]:
        while start > 0 and folded[start - 1].isalnum():
            start -= 1
        return start, end

    return back


def _ending(back: Mapper, said: int) -> Mapper:
    """`back`, for a match that may run on into a blanked tail: it ends where the words do."""
    return lambda start, end: back(start, min(end, said))


def _readings(
    c: Comment,
    spelling: Spelling,
    unhedged: bool,
    people: re.Pattern[str] | None,
    addressed: bool,
) -> Iterator[tuple[str, Mapper]]:
    yield c.folded, _same
    if c.said_read() is not c.folded:
        yield c.said_read(), _same
    if c.leet_read() is not c.folded:
        yield c.leet_read(), _same
    if unhedged and (plain := norm.unhedged(c.folded)) is not c.folded:
        yield plain, _same
    if people and (named := norm.as_pronouns(c.folded, people)) is not c.folded:
        yield named, _same
    if addressed and (said := norm.as_addressed(c.folded, people)) is not c.folded:
        yield said, _word_start(c.folded)
    joined, runs = c.joined_read()
    if runs:
        # A match that ends inside joined letters ends where their run does.
        yield joined, lambda s, e: (s, max([e, *(b for a, b in runs if a < e < b)]))
    slipped = bool(spelling.slips) and (
        c.signals is None or not spelling.slipped.isdisjoint(c.signals)
    )
    apart = _run_together(c, spelling) if spelling.gluable else {}
    broken = _broken(c, spelling.halves)
    if slipped or apart or broken or c.stretched():
        read = _respell(
            c.folded, spelling.slips if slipped else {}, {**c.stretched(), **apart}, broken
        )
        if read is not None:
            yield read


# A reply on social media often ends in what says nothing of its tone: links, mentions, tags,
# emoji ("@jo Idiot. https://t.co/x", "Drop dead #maga", "idiot 😂"; sets write a link as
# "URL"). A pattern that asks for a comment's end ("Idiot." alone calls the one answered so)
# finds it in the text read without them. Not the first reading: a link is what some patterns
# look for ("Earn $5,000 a week! http://…").
_ASIDE = re.compile(r"(?:https?://|www\.)\S+|[@#]\w+|url|\W+")
_MOST_ASIDES = 8  # a tail of more is no reply's: each is looked at once, from the end


def untailed(text: str) -> str | None:
    """`text` with the links, mentions, tags and emoji that end it blanked, so offsets hold
    (at most _MOST_ASIDES of them); None when it ends in none."""
    head = said = text.rstrip()
    for _ in range(_MOST_ASIDES):
        start = max(head.rfind(" "), head.rfind("\n"), head.rfind("\t")) + 1
        if not _ASIDE.fullmatch(head, start):
            break
        head = head[:start].rstrip()
    else:
        return None
    return None if len(head) == len(said) else head.ljust(len(text))


def _run_together(c: Comment, spelling: Spelling) -> dict[str, str]:
    """The words of a text that names one of the rule's groups (a trigger the scan found) that
    are two known words run together ("muslimsare", "aredisgusting", "hatetrans"), each with
    the two apart ("muslims are")."""
    found = spelling.gluable if c.signals is None else spelling.gluable & c.signals
    if not found:
        return {}
    split: dict[str, str | None] = {}  # each word once: packed text repeats a few
    for m in _LONG_TOKEN.finditer(c.folded):
        if m.group() not in split:
            split[m.group()] = _split(m.group(), spelling.known)
    return {token: apart for token, apart in split.items() if apart is not None}


def _broken(c: Comment, halves: Mapping[str, str]) -> dict[int, tuple[int, str]]:
    """The words of a comment broken in two ("dis gusting", "dis-gusting": "disgusting") that
    the scan found, by where each starts: where it ends, and the word whole."""
    if not halves:  # a rule without `typos`: no lexicon view to build for a rule run alone
        return {}
    if c.signals is None:  # a rule run on its own: the view is read here instead
        view = norm.lexicon_view(c.folded)
        found = [key for key in halves if key in view]
    else:
        found = [key for key in c.signals if key in halves]
    out: dict[int, tuple[int, str]] = {}
    for key in found:
        first, second = key.split()
        for m in re.finditer(rf"\b{first}{_BREAK}{second}\b", c.folded):
            out[m.start()] = (m.end(), halves[key])
    return out


def _respell(
    folded: str,
    slips: Mapping[str, str],
    words: Mapping[str, str],
    broken: Mapping[int, tuple[int, str]],
) -> tuple[str, Mapper] | None:
    """`folded` with each slip written as the word it stands for, each of `words` as its
    reading (two run together written apart, one drawn out written plainly) and each broken
    word whole (`broken`, by where it starts), and the way back; None when it holds none."""
    parts: list[str] = []
    marks: list[tuple[int, int, int, int]] = []  # reading start, end; folded start, end
    at = shift = 0
    for m in _TOKEN.finditer(folded):
        if m.start() < at:  # the second fragment of a broken word
            continue
        end, word = broken.get(m.start()) or (m.end(), slips.get(m.group()) or words.get(m.group()))
        if word is None:
            continue
        parts += (folded[at : m.start()], word)
        marks.append((m.start() + shift, m.start() + shift + len(word), m.start(), end))
        shift += len(word) - (end - m.start())
        at = end
    if not marks:
        return None
    parts.append(folded[at:])

    def back(x: int, end: bool) -> int:
        offset = 0
        for start, stop, first, last in marks:
            if x <= start:
                break
            if x < stop:  # inside a respelt word: its edge in the folded text
                return last if end else first
            offset = stop - last
        return x - offset

    return "".join(parts), lambda s, e: (back(s, False), back(e, True))


def _split(token: str, known: frozenset[str]) -> str | None:
    """Two known words run together, with a space between them ("muslimsare": "muslims are"),
    or three ("ihatewomen": "i hate women", "muslimsarescum"): one more pass over the rest
    for each known word the token begins with, a handful at most ("a", "all"), not one per
    letter, so a key mash costs a few passes over its letters."""
    if token in known:
        return None
    if apart := _split_two(token, known):
        return apart
    for i in range(1, len(token) - 4):
        if token[:i] in known and (apart := _split_two(token[i:], known)):
            return f"{token[:i]} {apart}"
    return None


def _split_two(token: str, known: frozenset[str]) -> str | None:
    """Two known words run together, apart; None when they are not."""
    for i in range(1, len(token)):
        if token[:i] in known and token[i:] in known:
            return f"{token[:i]} {token[i:]}"
    return None
