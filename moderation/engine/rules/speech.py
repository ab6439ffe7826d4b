"""How a statement is said: quoted, retold, denied, negated, asked and answered, of oneself."""

from __future__ import annotations

import re

from moderation.engine.rules.base import Comment

# Quotation marks: abuse quoted to condemn it ("he called her 'vermin', and that's vile") is
# held for a moderator, never rejected outright, and a rule may pass over it.
_QUOTES = re.compile('["\u201c\u201d\u201e\u00ab\u00bb]')
_QUOTE_REACH = 300  # characters looked at on each side of a span
_ALONE = re.compile("[.,!?;:]?" + _QUOTES.pattern)  # a quotation's close, after the word
# Words that deny the statement after them in a sentence ("it's a lie that…", "no, …"). Not a
# question that asserts ("isn't it obvious that…", "don't you think…", "wouldn't the world be
# better…") or a "no" that denies nothing ("no doubt", "no offence, but…", "no kidding"), here
# or after a question (_ANSWERED_NO).
_NO_DENIAL = r"\s+(?:doubt|question|secret|wonder|kidding|joke|offen[cs]e|disrespect)\b"
_DENIAL = re.compile(
    r"\b(?:not|never|nobody|none|neither|nor|wrong|false|untrue|myth|lie|stereotypes?)\b|"
    rf"\bno\b(?!{_NO_DENIAL})|"
    r"n't\b(?!\s+(?:it|you|we|they|everyone|everybody|anyone|the\s+world)\b)"
)
_DENIAL_REACH = 80  # characters looked back, within the sentence
# A statement asked, then denied in the next breath: "X are vermin? No, …", "… inferior? Of
# course not.", "Asians can't drive? That's a racist myth." Counter-speech puts the slur as a
# question to answer it.
_ANSWERED_NO = re.compile(
    rf"[^.!?\n]*\?+\s*(?:no+(?!{_NO_DENIAL})|nope|nah|"
    r"of\s+course\s+not|not\s+at\s+all|absolutely\s+not|certainly\s+not|hardly|nonsense|"
    r"rubbish|wrong|never|"
    r"(?:that's|that\s+is|what)\s+(?:(?:an?|such\s+an?)\s+)?(?:\w+\s+)?(?:myth|stereotype|lie|trope)|"
    r"(?:that's|that\s+is)\s+(?:so\s+|just\s+)?(?:racist|sexist|bigoted|homophobic|transphobic))\b"
)
# A threat denied in its own words ("I would never hurt you", "we will not kill them") or by the
# word just before it ("please don't kill yourself"): "why don't you kill (or hang) yourself" and "I
# won't hesitate to…", "I can't wait to…", "I'm not afraid to…", "…wish you were never born",
# "wouldn't it be great if…", "you won't live to see…", "you won't survive the week", "you won't see
# it coming", "you won't see the end of the year", "your family isn't (or won't be) safe",
# "…you never walk again", "you won't know what hit you", "you won't be laughing when I'm done
# with you", "you won't be so smug (or writing much) with a broken jaw", "I wouldn't mind (or
# cry) if someone shot him", "you'd better hope I never find out where you live", "better not
# walk alone at night", "…until you can't stand", "he won't leave in one piece", "don't be
# surprised when…", "your windows won't last the week" are not.
_NEGATION = re.compile(
    r"(?:\b(?:not|never|cannot|dont|wont|cant|didnt|wouldnt|shouldnt|couldnt|aint)\b|n't\b|"
    r"\bno\s+longer\b)(?!\s+(?:hesitate|wait|afraid|born|been\s+born|it\s+be|live|last|survive|safe|"
    r"be\s+surprised|"
    r"be\s+safe|mind\s+if|cry\s+if|shed\s+a\s+(?:single\s+)?tear|lose\s+(?:any\s+)?sleep|"
    r"see\s+(?:it\s+coming|the\s+end\s+of)|wake\s+up|"
    r"(?:walks?|talks?|sees?|writes?|works?|types?)(?:\s+(?:your|ur)\s+\w+)?\s+again|"
    r"know\s+what\s+hit|be\s+(?:(?:laughing|smiling|so\s+\w+)\s+when|"
    r"(?:so\s+)?\w+(?:\s+(?:much|anything|again))?\s+(?:with|after)\s+(?:a\s+)?"
    r"(?:broken|busted|smashed|shattered))|"
    r"you\s+(?:just\s+|go\s+)?(?:kill|hang|shoot|off|end|drink|jump|slit|eat|play)|"
    r"find\s+out\s+where|stand|walk|move|breathe|"
    r"(?:leave|go\s+home|walk\s+out|get\s+out|make\s+it\s+out|come\s+back)\s+"
    r"(?:of\s+here\s+)?in\s+one\s+piece)\b)"
)
_WORD_BEFORE = 16  # characters looked back for the word just before a match
# A threat said of a game is a boast ("I'll kill you at chess", "we will murder them in the
# second half", "I'll murder you on the golf course", "they'll bury us at the polls"); others
# are idioms ("I'll hang you out to dry", "you're dead wrong", "you're dead to me", "you're
# going to die laughing"), or a photographer's ("I'd shoot every cyclist in the race with my
# new camera"). Not a place a game is played at ("I'll stab him at the match"): "at" names a
# game played, not an event.
_CAMERA = (
    r"(?:my|a|his|her|their|our|the|your)\s+(?:\w+\s+)?(?:camera|cameras|lens|nikon|canon|"
    r"leica|iphone|phone|drone)"
)
_IDIOM = re.compile(
    r"\s*(?:out\s+to\s+dry\b|"
    r"(?<=dead)\s+(?:wrong|right|serious|set|certain|sure|to\s+(?:me|us|him|her|them)|"
    r"on\s+(?:arrival|target|the\s+money|point|time))\b|"
    r"(?<=die)\s+(?:laughing|of\s+(?:laughter|embarrassment|shame|boredom|envy))\b|"
    r"[^.!?;\n]{0,60}?\b(?:"
    r"at\s+(?:chess|scrabble|checkers|poker|cards|monopoly|trivia|darts|pool|snooker|bowling|"
    r"golf|tennis|ping\s+pong|video\s+games|fortnite|madden|fifa|mario\s+kart|the\s+polls|"
    r"the\s+ballot\s+box)|"
    r"in\s+(?:the\s+|this\s+|next\s+|tonight's\s+|tomorrow's\s+|the\s+next\s+)?(?:game|match|"
    r"final|finals|semi-?finals?|playoffs?|series|rematch|tournament|debate|election|primary|"
    r"polls|ring|octagon|(?:first|second)\s+half|(?:first|second|third)\s+period|overtime|"
    r"(?:game|round)\s+\d+|(?:first|second|third|next|final)\s+round|standings|league)|"
    r"on\s+the\s+(?:court|pitch|ice|rink|golf\s+course|track|scoreboard)|"
    rf"with\s+{_CAMERA})\b|"
    # A pattern may end on the "with" already ("I'm going to shoot you with").
    rf"(?<=with)\s+{_CAMERA}\b)"
)
# A group named after a preposition is not what the rest of the sentence is said of: "the
# attacks on Muslims are disgusting" condemns the attacks, "comments about Jews are vile" the
# comments. Not "to", "for" or "by", which come before a verb too: "time to deport all…".
_OBJECT = re.compile(
    r"\b(?:on|against|toward|towards|about|at|upon|regarding|concerning|over|among|amongst)\s+"
    r"(?:the\s+|all\s+|these\s+|those\s+|our\s+|their\s+)?$"
)
# Speech reported, not made: news comments retell what others said or did ("police said the
# gunman wanted to kill Jews", "the manifesto called on readers to kill immigrants"). Told by
# "I" or "we", it is the commenter's own ("as I said, …"); not when told to them ("I was told
# that…"). So is counter-speech that refers to it ("people who say gay people are disgusting
# should be ashamed", "claiming that…", "the idea that…", "if you think…", "imagine thinking…";
# on the public sets' training rows those last took 2 clean rows and no toxic one out of
# `group-hate` and `group-abuse`).
_REPORTING = re.compile(
    r"\b(?:(i|we|i've|we've|i'd|we'd|i'll)\s+(?!(?:was|were|been|have\s+been|had\s+been)\s)"
    r"(?:\w+\s+){0,2})?(?:said|says|saying|say|vowed|vows|"
    r"threatened|threatens|planned|plans|wanted|wants|told|urged|urges|called\s+on|calls\s+on|"
    r"tells\s+(?:me|us)|(?:keeps|kept|keep|is|was|are|were)\s+telling\s+(?:me|us)|"
    r"accused|claimed|claims|claim|claiming|alleged|allegedly|posted|wrote|writes|shouted|chanted|"
    r"stated|taught|according\s+to|suggest|suggests|suggested|suggesting|implying|calling|call|"
    r"calls|called|pledged|pledges|promised|promises|proposed|proposes|called\s+for|calls\s+for|"
    r"hear\s+that|hears\s+that|heard\s+that|hearing\s+that|describing|"
    r"imagine\s+(?:still\s+|actually\s+|honestly\s+|seriously\s+)?(?:thinking|believing|writing)|"
    r"(?:the|this|that|your|his|her|their)\s+(?:idea|notion|claim|belief|lie|myth|stereotype|"
    r"assumption)\s+that|"
    r"(?:if\s+you|anyone\s+who|anybody\s+who|people\s+who|those\s+who|whoever|can\s+anyone|"
    r"could\s+anyone|would\s+anyone)\s+(?:still\s+|really\s+|honestly\s+|actually\s+)?"
    r"(?:think|thinks|believe|believes))\b"
)
# After it: its source ("…, the prime minister said", "…, claims the new party"; not "…, I
# said"), or a verdict that it is false ("… is an old antisemitic lie"; not "… is no lie").
_NOT_OURS = r"(?!(?:i|we|no|not|never)\b)"
_REPORTED_AFTER = re.compile(
    r"\b(?:police|officials|prosecutors|investigators|witnesses|authorities|records|documents|"
    r"reports?|filings?)\s+(?:\w+\s+)?(?:said|say|says|show|shows|state|states|allege)\b"
    r"|\baccording\s+to\b"
    rf"|,\s*(?:{_NOT_OURS}\w+\s+){{0,4}}(?:said|says|claimed|claims|implied|implies|suggested|"
    r"suggests|wrote|writes|argued|argues|added|insisted|declared|tweeted|posted)\b"
    rf"|\b(?:is|are|was|were)\s+(?:an?\s+)?(?:{_NOT_OURS}\w+\s+){{0,2}}(?:lie|lies|myth|"
    r"falsehood|trope|conspiracy\s+theory|smear|nonsense|false|untrue|bigotry|racist|antisemitic|"
    r"sexist|homophobic|transphobic|ableist|xenophobic|islamophobic|bigoted|hateful|hurtful)\b"
)

# Words that condemn what was said ("…is disgusting", "that's racist", "I'm sick of it"):
# beside abuse retold, they make a comment counter-speech. Not "lie" or "genocide", which hate
# says of its own ("the holocaust is a lie", "white genocide").
_CONDEMNS = re.compile(
    r"\b(?:disgusting|disgusted|hateful|hurtful|vile|(?:sick|tired)\s+of|ashamed|shameful|"
    r"racis[tm]|bigot(?:s|ed|ry)?|sexis[tm]|homophob(?:ic|ia)|transphob(?:ic|ia)|"
    r"islamophob(?:ic|ia)|antisemit(?:ic|ism)|xenophob(?:ic|ia)|ableist|not\s+ok(?:ay)?|"
    r"unacceptable|never\s+acceptable|wrong|ignorant|appalling|abhorrent|offensive|"
    r"dehumani[sz]\w*|hate\s+speech|stop\s+(?:calling|saying)|disgrace(?:ful)?|smears?|"
    r"(?:nobody|no\s+one)\s+(?:should|deserves\s+to)\s+be|(?:should|must)\s+be\s+banned)\b"
)

# A word of the speaker's own, just before a slur: reclaimed in-group use ("I'm a d*ke and proud
# of it", "we f*gs have to stick together", "my n***a just got a job"), or the word named ("the
# word f****t"). Held for a moderator, not rejected.
_OF_SELF = re.compile(
    r"\b(?:i'm|im|i\s+am|we're|we\s+are|we|us|as\s+an?|my|our|proud\s+to\s+be\s+an?|"
    r"call\s+myself\s+an?|the\s+words?)\s+(?:(?:an?|proud|fellow|old|just|little)\s+)?$"
)
_OF_SELF_REACH = 30  # characters looked back from the word


def quoted(text: str, start: int, end: int) -> bool:
    """Is [start, end) between quotation marks, with an odd number of them before it?"""
    before = _QUOTES.findall(text, max(0, start - _QUOTE_REACH), start)
    if len(before) % 2 == 0:
        return False
    return _QUOTES.search(text, end, min(len(text), end + _QUOTE_REACH)) is not None


def reported(folded: str, start: int, end: int) -> bool:
    """Is the statement at [start, end) of folded text retold, not made, in its sentence?"""
    begin = _sentence_start(folded, start)
    if any(m.group(1) is None for m in _REPORTING.finditer(folded, begin, start)):
        return True
    # A pattern may end on the comma that opens "…, said the baker": it is read again.
    end = len(folded[start:end].rstrip(" ,;:")) + start
    return _REPORTED_AFTER.search(folded, end, _sentence_end(folded, end)) is not None


def said_of_self(folded: str, start: int) -> bool:
    """Is the word at `start` of folded text said of the speaker or the speaker's own ("I'm a
    …", "we …", "as a …", "my …"), or named as a word ("the word …")? Reclaimed use."""
    return _OF_SELF.search(folded, max(0, start - _OF_SELF_REACH), start) is not None


def named_alone(text: str, start: int, end: int) -> bool:
    """Is [start, end) of the original text a word between quotation marks of its own ('the
    word "r****d" hurts people', 'he called me a "r****d"')? Named, not said to anyone."""
    return start > 0 and bool(_QUOTES.match(text, start - 1)) and bool(_ALONE.match(text, end))


def retold_to_condemn(c: Comment, start: int, end: int) -> bool:
    """Is the abuse at [start, end) of folded text quoted or retold, by a comment that condemns
    something said ("calling refugees vermin is disgusting")? That is counter-speech."""
    told = reported(c.folded, start, end) or quoted(c.text, *c.span(start, end))
    return told and _CONDEMNS.search(c.folded) is not None


def answered_no(folded: str, end: int) -> bool:
    """Is the statement ending at `end` of folded text asked, then answered "no" ("Immigrants
    are vermin? No, they are our neighbours.")?"""
    # A pattern that ends on the sentence's close may have taken the question mark itself.
    start = end - 1 if end and folded[end - 1] == "?" else end
    return _ANSWERED_NO.match(folded, start, min(len(folded), end + _DENIAL_REACH)) is not None


def object_of(folded: str, start: int) -> bool:
    """Is the phrase at `start` of folded text the object of a preposition just before it?"""
    return _OBJECT.search(folded, max(0, start - _WORD_BEFORE - 8), start) is not None


def denied(folded: str, start: int) -> bool:
    """Is the statement at `start` of folded text denied earlier in its sentence?"""
    return _DENIAL.search(folded, _sentence_start(folded, start), start) is not None


def negated(folded: str, start: int, end: int) -> bool:
    """Is the statement at [start, end) of folded text negated in its own words, or by the
    word just before it?"""
    reach = max(0, start - _WORD_BEFORE)
    before = max(reach, folded.rfind(" ", reach, max(0, start - 1)) + 1)
    return _NEGATION.search(folded, before, end) is not None


def idiom(folded: str, end: int) -> bool:
    """Is the threat ending at `end` of folded text said of a game, in its own sentence, or
    an idiom that means no harm ("dead wrong")?"""
    return _IDIOM.match(folded, end, _sentence_end(folded, end)) is not None


def _sentence_start(folded: str, start: int) -> int:
    """Where the sentence holding `start` begins, looking back _DENIAL_REACH at most."""
    begin = max(0, start - _DENIAL_REACH)
    return max(begin, *(folded.rfind(mark, begin, start) + 1 for mark in ".!?;\n"))


def _sentence_end(folded: str, end: int) -> int:
    """Where the sentence holding `end` ends, looking on _DENIAL_REACH at most."""
    stop = min(len(folded), end + _DENIAL_REACH)
    return min([stop, *(at for mark in ".!?;\n" if (at := folded.find(mark, end, stop)) >= 0)])
