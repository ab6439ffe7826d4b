"""Sentences built from parts: insults, threats and group derogation, each beside an innocent twin.

The public sets hold few insults and threats written in ordinary words, so a model learns the
words of those few ("idiot", "kill") and misses the rest. Here each abusive frame is filled
with many words of abuse, and the same frame with innocent words makes a clean twin: the model
then learns that "spineless" or "break your legs" is the abuse, not "you are a" or "I will".
Parts are combined by index arithmetic, never at random, so every run builds the same rows.
The evaluation suite (functional.py) is written apart from these and never trained on.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence

from moderation.training.corpus import Example
from moderation.training.templates import GROUPS, Group, fill, labels

SOURCE = "templates"  # our own sentences, weighted as the templates are

# Who a personal insult or threat is aimed at: (as subject, as object).
TARGETS = (
    ("you", "you"),
    ("this reporter", "this reporter"),
    ("the author", "the author"),
    ("the mayor", "the mayor"),
    ("that commenter", "that commenter"),
    ("the editor", "the editor"),
    ("your columnist", "your columnist"),
    ("the governor", "the governor"),
    ("he", "him"),
    ("she", "her"),
    ("the coach", "the coach"),
    ("that judge", "that judge"),
)

BAD_ADJECTIVES = (
    "pathetic", "worthless", "spineless", "gutless", "brainless", "clueless", "ignorant",
    "stupid", "dumb", "idiotic", "moronic", "vile", "disgusting", "repulsive", "contemptible",
    "despicable", "miserable", "useless", "incompetent", "deranged", "delusional", "dim-witted",
    "small-minded", "hateful", "lying", "two-faced", "sniveling", "cowardly", "slimy", "sleazy",
    "creepy", "hideous", "dense", "thick-headed", "senile", "unhinged", "feeble-minded",
    "pea-brained", "smug", "sorry",
    "obnoxious", "insufferable", "repugnant", "loathsome", "revolting", "wretched", "witless",
    "mindless", "gormless", "arrogant",
)  # fmt: skip
BAD_NOUNS = (
    "idiot", "moron", "fool", "loser", "coward", "hack", "clown", "buffoon", "imbecile",
    "halfwit", "dimwit", "joke", "disgrace", "embarrassment", "failure", "parasite", "leech",
    "snake", "rat", "weasel", "pig", "worm", "creep", "liar", "fraud", "bigot", "troll",
    "nobody", "waste of space", "piece of garbage", "lowlife", "scumbag", "simpleton", "dunce",
    "crybaby", "lunatic", "psycho", "degenerate", "nitwit", "bozo",
    "twit", "dolt", "cretin", "windbag", "blowhard", "hypocrite", "charlatan", "vulture",
    "cockroach", "maggot",
    "crook", "nut job", "hag", "con man", "grifter", "phony", "crackpot", "laughingstock",
    "sellout", "dope", "slimeball", "sleazebag",
)  # fmt: skip
GOOD_ADJECTIVES = (
    "thoughtful", "careful", "honest", "talented", "hardworking", "fair", "decent", "patient",
    "brave", "sharp", "kind", "generous", "experienced", "respected", "sensible", "capable",
    "dedicated", "friendly", "curious", "modest", "clever", "reliable", "principled", "calm",
    "well-read", "serious", "humble", "gifted", "tireless", "candid", "busy", "new", "young",
    "veteran", "popular", "quiet", "local", "retired", "former", "likeable",
    "cheerful", "devoted", "wise", "steady", "trusted", "skilled", "earnest", "gracious",
    "hopeful", "honourable",
)  # fmt: skip
GOOD_NOUNS = (
    "writer", "reporter", "neighbour", "leader", "teacher", "professional", "colleague",
    "person", "manager", "public servant", "listener", "parent", "volunteer", "expert",
    "researcher", "voice", "friend", "guest", "speaker", "student", "citizen", "reader",
    "analyst", "advocate", "negotiator", "athlete", "mentor", "official", "candidate",
    "journalist", "commentator", "worker", "host", "partner", "member", "witness",
    "resident", "coach", "player", "debater",
    "neighbor", "historian", "planner", "nurse", "farmer", "designer", "editor", "lawyer",
    "economist", "organiser",
)  # fmt: skip

# Frames shared by an insult and its twin: {s} the target as subject, {o} as object, {adj}
# and {noun} the words. "is" follows the subject; "you" takes "are".
INSULT_FRAMES = (
    "{S} {be} a {adj} {noun}.",
    "{S} {be} such a {adj} {noun}.",
    "What a {adj} {noun} {s} {be}.",
    "Honestly, {s} {be} the most {adj} {noun} I have ever read.",
    "Only a {adj} {noun} would write something like this.",
    "Everyone can see that {s} {be} a {adj} {noun}.",
    "I can't believe anyone listens to {o}, such a {adj} {noun}.",
    "{S} {be} nothing but a {adj} {noun}.",
    "Typical of {o}, a {adj} {noun} as always.",
    "Let's be clear: {s} {be} a {noun}, and a {adj} one.",
    "{S} {be} a {adj} {noun} and everyone knows it.",
    "Stop writing, {s} {be} a {adj} {noun}.",
    "Why does this paper keep giving space to a {adj} {noun} like {o}?",
    "Listen to {o}, what a {adj} {noun}.",
)
# A noun of abuse alone: frames of an adjective and a noun taught the pair, and "he is a
# disgrace" weighed little without its partner. (Adjectives alone, "you are so spineless", were
# tried too: more held-back clean rows reached the bands, and the suite gained nothing.)
NOUN_FRAMES = (
    "{S} {be} a {noun}.",
    "{S} {be} a complete {noun}.",
    "Face it, {s} {be} a {noun}.",
    "{S} {be} nothing but a {noun}, plain and simple.",
)
# Contempt for a person said with a verb, each beside a twin of regard in the same shape.
SCORN = (
    "{S} disgust{v} me.", "{S} make{v} me sick.", "I can't stand {o}.", "I despise {o}.",
    "Nobody wants to hear from {o} ever again.", "Everyone is sick of {o}.",
    "{S} should crawl back under a rock.", "Shut up, nobody asked {o}.",
)  # fmt: skip
REGARD = (
    "{S} inspire{v} me.", "{S} make{v} me think.", "I can't wait to meet {o}.", "I respect {o}.",
    "Everyone wants to hear from {o} again.", "Everyone is proud of {o}.",
    "{S} should write about the bridge next.", "Go on, everyone asked {o}.",
)  # fmt: skip

# Acts of violence against {o}, a person; their twins are ordinary acts in the same frames.
VIOLENCE = (
    "break {o_pos} legs", "put a bullet in {o_pos} head", "slit {o_pos} throat",
    "burn {o_pos} house down", "beat {o} to death", "stab {o}",
    "shoot {o}", "strangle {o}", "hunt {o} down", "snap {o_pos} neck", "bash {o_pos} skull in",
    "cut {o_pos} tongue out", "run {o} over with my truck", "drown {o} in the lake",
    "hang {o} from a tree", "gut {o} like a fish", "make {o} disappear",
    "bury {o} in the woods", "put {o} in the ground", "kill {o}", "choke {o} to death",
    "set {o} on fire", "rip {o_pos} head off", "kick {o_pos} teeth in", "torch {o_pos} car",
    "put {o} in a body bag", "smash {o_pos} face in", "break {o_pos} neck",
    "blow {o_pos} brains out",
    "cave {o_pos} head in", "skin {o} alive", "throw {o} off a bridge", "poison {o}",
    "shove {o} in front of a train", "behead {o}", "make {o} bleed", "wring {o_pos} neck",
    "knock {o_pos} head off", "end {o_pos} life",
)  # fmt: skip
ERRANDS = (
    "call {o} tomorrow", "send {o} the report", "thank {o} in person", "buy {o} a coffee",
    "meet {o} at the library", "vote for {o} next time", "write to {o} about the budget",
    "invite {o} to the town hall", "read {o_pos} next column", "ask {o} about the bridge",
    "share {o_pos} article with my sister", "help {o} with the food drive",
    "support {o} at the council meeting", "listen to {o} on the radio", "drive {o} to the game",
    "congratulate {o} on the award", "introduce {o} to my neighbours", "look up {o_pos} record",
    "quote {o} in my letter", "give {o} a fair hearing", "email {o} my questions",
    "pick {o} up from the station", "check {o_pos} figures", "cheer for {o} on Saturday",
    "follow {o_pos} advice", "save {o} a seat", "lend {o} my copy of the book",
    "show {o} the garden", "wish {o} luck", "print {o_pos} letter",
    "interview {o} for the newsletter", "visit {o} in the spring", "cook {o} dinner",
    "fix {o_pos} fence", "walk {o_pos} dog", "mail {o} a card", "review {o_pos} proposal",
    "nominate {o} for the board", "defend {o} in my letter", "recommend {o} to a friend",
    # The verbs of violence in their everyday senses, so that the verb alone is no threat.
    "beat {o} at chess", "beat {o} in the next election", "beat {o} to the finish line",
    "beat {o} again next season", "beat {o} in the cup final",
    "shoot {o} a quick email", "take {o} out for lunch", "run {o} to the station",
    "crush {o} at trivia night", "break the news to {o}", "hit {o} up about the fundraiser",
    "kill some time with {o}", "knock on {o_pos} door with a petition",
    "fight {o} on this at the ballot box",
)  # fmt: skip
# What someone "should be" or "deserves to be": violence as a verdict, and its twins, what a
# citizen may rightly ask for (losing an office or a case is no threat).
PUNISHMENTS = (
    "hanged", "shot", "executed", "strung up", "lined up and shot", "beaten to death",
    "put down like a dog", "burned alive", "tortured", "stoned to death", "thrown off a roof",
    "lynched", "beheaded", "shot on sight", "dragged behind a truck", "hung from a lamp post",
    "locked in a cage and left to die", "put six feet under", "wiped off the face of the earth",
    "shot like a rabid dog",
)  # fmt: skip
REMEDIES = (
    "thanked", "promoted", "re-elected", "invited back", "given a raise", "heard out",
    "applauded", "voted out", "fired", "investigated", "sued", "recalled", "replaced",
    "impeached", "fined", "asked to resign", "given a medal", "taken seriously",
    "reminded of the rules", "put on the committee",
)  # fmt: skip
VERDICT_FRAMES = (
    "{S} should be {p}.",
    "{S} deserve{v} to be {p}.",
    "I hope {s} {get} {p}.",
    "People like {o} should be {p}.",
    "Honestly, {s} ought to be {p} for this.",
)
THREAT_FRAMES = (
    "I'm going to {act}.",
    "I will find {o} and {act}.",
    "I know where {o} {live}, and I will {act}.",
    "Someone should {act}.",
    "Somebody needs to {act}, and soon.",
    "If I see {o} again I'll {act}.",
    "Keep it up and I swear I will {act}.",
    "One of these days I am going to {act}.",
    "We are coming to {act}.",
    "Wait until tonight, then I'll {act}.",
    "Say that again and I'll {act}.",
    "I hope someone will {act}.",
    "Nothing would make me happier than to {act}.",
    "Don't be surprised when someone comes to {act}.",
)

# Derogation of a group in plain words; the twins say something true and kind in the same frame.
CONTEMPT = (
    "disgusting", "worthless", "filthy", "lazy", "stupid", "evil", "savages", "animals",
    "a cancer", "a disease", "trash", "vermin", "parasites", "subhuman", "inferior", "a plague",
    "criminals", "a burden on the rest of us", "not real people", "less than human",
    "a stain on this country", "dirty", "primitive", "freaks", "a mistake of nature",
    "cockroaches", "rats", "a virus", "leeches", "a cancer on society", "sick in the head",
    "degenerates", "an infestation", "barbaric", "born criminals",
)  # fmt: skip
RESPECT = (
    "welcome here", "hardworking", "our neighbours", "part of this community", "valued",
    "good parents", "generous", "loyal friends", "equal citizens", "respected", "human beings",
    "taxpayers like the rest of us", "as American as anyone", "entitled to an opinion",
    "voters too", "active in local charities", "members of every profession", "diverse",
    "kind", "just people", "part of our history", "an asset to this town", "busy", "proud",
    "owed the same respect",
    "neighbours like any other", "good at their jobs", "welcome in our church",
    "a joy to work with", "deserving of dignity", "our colleagues", "part of this city",
    "our teachers and nurses", "citizens with rights", "loved by their families",
)  # fmt: skip
GROUP_FRAMES = (
    "{People} are {word}.",
    "All {people} are {word}.",
    "Honestly, {people} are {word}, every one of them.",
    "Everyone knows {people} are {word}.",
    "Let's face it, {people} are just {word}.",
    "The truth is that {people} are {word}.",
    "{People} will always be {word}.",
)
GROUP_DISLIKE = (
    "I can't stand {people}.", "{People} make me sick.", "I despise {people}.",
    "Keep {people} away from our children.", "{People} don't belong in this country.",
    "{People} should go back to where they came from.",
    "No one wants {people} living next door.", "{People} ruin every neighbourhood they move to.",
    "{People} should be banned from voting.", "{People} should all be locked up.",
    "We need to get rid of {people}.", "{People} are not welcome here.",
)  # fmt: skip
GROUP_LIKE = (
    "I admire {people}.", "{People} make this town better.", "I respect {people}.",
    "Our children go to school with {people}.", "{People} belong in this country.",
    "{People} came here to build a life, like my grandparents did.",
    "I'd be glad to have {people} living next door.",
    "{People} have improved every neighbourhood they moved to.",
    "{People} should be encouraged to vote.", "{People} should all be listened to.",
    "We need to hear from {people}.", "{People} are welcome here.",
)  # fmt: skip


def _pick(parts: Sequence[str], i: int, step: int) -> str:
    """The part for combination i: strides through the list so neighbours differ.

    The stride is made coprime with the list's length, so that every part comes round.
    """
    while math.gcd(step, len(parts)) != 1:
        step += 1
    return parts[(i * step) % len(parts)]


def _person(frame: str, target: tuple[str, str], **words: str) -> str:
    subject, obj = target
    you = subject == "you"
    text = frame.format(
        s=subject,
        S=subject[:1].upper() + subject[1:],
        o=obj,
        o_pos="your" if you else {"him": "his", "her": "her"}.get(obj, obj + "'s"),
        be="are" if you else "is",
        v="" if you else "s",
        get="get" if you else "gets",
        live="live" if you else "lives",
        **words,
    )
    for vowel in "aeiou":
        text = text.replace(f" a {vowel}", f" an {vowel}")
    return text.replace(" a honest", " an honest")


def _aimed(frames: Sequence[str], times: int) -> Iterator[tuple[str, tuple[str, str], int]]:
    """Each frame for each target, `times` over, numbered: the number picks the words."""
    n = 0
    for frame in frames:
        for target in TARGETS:
            for _ in range(times):
                yield frame, target, n
                n += 1


def insults() -> Iterator[Example]:
    """Each insult frame, for each target, with four pairs of abusive words and four innocent."""
    bad = labels(toxicity=1.0, insult=1.0)
    clean = labels()
    for frame, target, n in _aimed(INSULT_FRAMES, 4):
        words = {"adj": _pick(BAD_ADJECTIVES, n, 7), "noun": _pick(BAD_NOUNS, n, 11)}
        yield Example(_person(frame, target, **words), SOURCE, False, bad)
        words = {"adj": _pick(GOOD_ADJECTIVES, n, 7), "noun": _pick(GOOD_NOUNS, n, 11)}
        yield Example(_person(frame, target, **words), SOURCE, False, clean)
    for frame, target, n in _aimed(NOUN_FRAMES, 2):
        for nouns, truth in ((BAD_NOUNS, bad), (GOOD_NOUNS, clean)):
            yield Example(_person(frame, target, noun=_pick(nouns, n, 11)), SOURCE, False, truth)
    for i, (bad_frame, twin) in enumerate(zip(SCORN, REGARD, strict=True)):
        for target in TARGETS[i % 3 :: 3]:
            yield Example(_person(bad_frame, target), SOURCE, False, bad)
            yield Example(_person(twin, target), SOURCE, False, clean)


def threats() -> Iterator[Example]:
    """Each threat frame, for each target, with three acts of violence and three errands."""
    bad = labels(toxicity=1.0, threat=1.0)
    clean = labels()
    for frame, target, n in _aimed(THREAT_FRAMES, 3):
        for acts, truth in ((VIOLENCE, bad), (ERRANDS, clean)):
            act = _person(_pick(acts, n, 7), target)
            yield Example(_person(frame, target, act=act), SOURCE, False, truth)
    for frame, target, n in _aimed(VERDICT_FRAMES, 2):
        for verdicts, truth in ((PUNISHMENTS, bad), (REMEDIES, clean)):
            yield Example(_person(frame, target, p=_pick(verdicts, n, 7)), SOURCE, False, truth)


def derogation() -> Iterator[Example]:
    """Every group in each frame, once with contempt and once with respect."""
    bad = labels(toxicity=1.0, identity_attack=1.0)
    clean = labels()
    for g, group in enumerate(GROUPS):
        for f, frame in enumerate(GROUP_FRAMES):
            i = g * len(GROUP_FRAMES) + f
            yield Example(_group(frame, group, _pick(CONTEMPT, i, 7)), SOURCE, False, bad)
            yield Example(_group(frame, group, _pick(RESPECT, i, 7)), SOURCE, False, clean)
        for f in range(3):  # three of the plain dislikes per group, and their twins
            i = (g * 3 + f) % len(GROUP_DISLIKE)
            yield Example(fill(GROUP_DISLIKE[i], group), SOURCE, False, bad)
            yield Example(fill(GROUP_LIKE[i], group), SOURCE, False, clean)


def _group(frame: str, group: Group, word: str) -> str:
    return fill(frame.replace("{word}", word), group)


def examples() -> Iterator[Example]:
    """Every composed sentence with its labels, in a fixed order."""
    yield from insults()
    yield from threats()
    yield from derogation()
