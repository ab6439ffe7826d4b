"""Table-driven tests of the default config: news words stay clean, evasions are caught."""

from __future__ import annotations

from pathlib import Path

import pytest

from moderation.engine import Action, ConfigError, Context, Engine, duplicate_key

CTX = Context(site="test", author_prior_comments=10)


CLEAN = [
    "gay marriage bill",
    "oh my God",
    "the sniper was arrested",
    "my father had a stroke",
    "kill the bill",
    "Dick Cheney",
    "magna cum laude",
    "the 73rd street",
    "the pen is mightier",
    "Scunthorpe",
    "Penistone",
    "cocktail",
    "assassin",
    "Sussex",
    "shiitake",
    "as she said",
    "Dick Van Dyke",
    "blue tit",
    "Moby Dick",
    "Essex",
    "Hancock",
    "analysis",
    "therapist",
    "grape",
    "bigger",
    "niggardly",
    "crap",
    "cumin",
    "Niger",
    "10 Downing Street",
    "pissed off at the council",
    "If you prick us do we not bleed?",
]


@pytest.mark.parametrize("text", CLEAN)
def test_news_language_is_approved(engine: Engine, text: str) -> None:
    decision = engine.moderate(text, CTX)
    assert decision.action is Action.APPROVE, decision.reasons


EVASIONS = [
    ("fuuuck", "fuuuck"),
    ("shitshow", "shit"),
    ("fu\u0441k", "fu\u0441k"),
    ("\uff46\uff55\uff43\uff4b", "\uff46\uff55\uff43\uff4b"),
    ("\U0001d41f\U0001d42e\U0001d41c\U0001d424", None),
    ("f\u00fcck", "f\u00fcck"),
    ("F*U*C*K", "F*U*C*K"),
    ("c-u-n-t", "c-u-n-t"),
    ("f u c k", "f u c k"),
    ("f.u.c.k", "f.u.c.k"),
    ("motherfuckers", "motherfuckers"),
    ("sh!t", "sh!t"),
    ("f**k", "f**k"),
    ("he is a m0th3rf*cker", "m0th3rf*cker"),
    ("fu\u200bck", "fu\u200bck"),
    ("a$$", "a$$"),
]


@pytest.mark.parametrize(("text", "span"), EVASIONS)
def test_evasions_are_caught_with_offsets(engine: Engine, text: str, span: str | None) -> None:
    decision = engine.moderate("you " + text + " now", CTX)
    assert decision.action is not Action.APPROVE
    reason = decision.reasons[0]
    assert reason.start is not None
    assert reason.end is not None
    original = "you " + text + " now"
    assert original[reason.start : reason.end] == reason.term
    if span is not None:
        assert span in reason.term or reason.term in span


RULES = [
    ("I will kill you", Action.REJECT, "threat_direct"),
    ("someone should shoot him", Action.HOLD, "threat_incitement"),
    ("I know where you live", Action.HOLD, "threat_incitement"),
    ("email me at bob@example.com", Action.HOLD, "email"),
    ("call 555-123-4567 now", Action.HOLD, "phone"),
    ("she lives at 12 Elm Street", Action.HOLD, "street_address"),
    ("buy now at http://bit.ly/x", Action.HOLD, "blocked_domain"),
    ("http://a.com http://b.com http://c.com", Action.HOLD, "too_many_links"),
    ("http://example.com", Action.HOLD, "link_only"),
    ("click here for deals", Action.HOLD, "spam_phrase"),
    ("FREEEEEEEEEEEEEEEEEEEEE money", Action.HOLD, "repeated_characters"),
    ("$$$$$$$$$$$$$$$$ cash", Action.HOLD, "repeated_characters"),
    ("THIS IS OUTRAGEOUS AND EVERYONE SHOULD KNOW ABOUT IT RIGHT NOW", Action.HOLD, "all_caps"),
    ("   ", Action.REJECT, "too_short"),
    ("x" * 5001, Action.REJECT, "too_long"),
    ("you cunt", Action.REJECT, "severe_profanity"),
    ("you stupid bitch", Action.HOLD, "strong_profanity"),
]


@pytest.mark.parametrize(("text", "action", "code"), RULES)
def test_rules(engine: Engine, text: str, action: Action, code: str) -> None:
    decision = engine.moderate(text, CTX)
    assert [r.action for r in decision.reasons if r.code == code] == [action]
    # The decision is the most severe reason's: the model may reject what a rule holds.
    severity = list(Action).index
    assert decision.action is max((r.action for r in decision.reasons), key=severity)
    assert severity(decision.action) >= severity(action)


def test_duplicates_premoderation_and_site_policy(engine: Engine) -> None:
    earlier = (duplicate_key("Same text"),) * 2
    dup = Context(site="test", author_prior_comments=5, author_recent_keys=earlier)
    assert "duplicate" in [r.code for r in engine.moderate("same  TEXT", dup).reasons]
    new = Context(site="example-gazette", author_prior_comments=0)
    assert engine.moderate("hello", new).action is Action.HOLD
    site = Context(site="example-gazette", author_prior_comments=9)
    decision = engine.moderate("well shit", site)
    assert decision.action is Action.REJECT
    assert decision.censored == "well ****"
    opinion = Context(site="example-gazette", section="opinion", author_prior_comments=9)
    assert engine.moderate("hello", opinion).reasons[0].code == "premoderation"
    assert engine.moderate("Cockburn said", site).action is Action.APPROVE


def test_decision_to_dict(engine: Engine) -> None:
    data = engine.moderate("shit", CTX).to_dict()
    assert data["action"] == "hold"
    assert data["ruleset_version"] == engine.version
    assert data["reasons"][0]["start"] == 0
    assert data["reasons"][0]["end"] == 4


def _write(tmp: Path, rules: str) -> Path:
    (tmp / "lexicon").mkdir(parents=True)
    (tmp / "lexicon" / "terms.tsv").write_text(
        "term\ttier\tcategory\tmode\telongate\tname\texceptions\tsource\n"
        "merry\tsevere\tprofanity\tword\tno\tno\t\ttest\n",
        encoding="utf-8",
    )
    (tmp / "rules.toml").write_text(rules, encoding="utf-8")
    return tmp


BASE = 'rules = []\n[lexicon]\nterms = "lexicon/terms.tsv"\n[policy]\nstrong_profanity = "hold"\n'


def _patterns(pattern: str, words: str, triggers: str = '["stink"]') -> str:
    """BASE with one patterns rule: its pattern (a TOML string), `words` and `triggers` lines."""
    return BASE.replace("rules = []\n", "") + (
        f'[[rules]]\nid = "teams"\ntype = "patterns"\ntriggers = {triggers}\n'
        f"patterns = [{pattern}]\n{words}\n"
    )


def test_a_pattern_names_word_lists_of_literal_phrases(tmp_path: Path) -> None:
    words = 'words = { team = ["red sox", "{city} fans", "a.c. milan"], city = ["boston"] }'
    engine = Engine.from_directory(_write(tmp_path, _patterns('"\\\\b{team}\\\\s+stink"', words)))
    for text in ("The Red  Sox stink", "boston fans stink!", "A.C. Milan stink"):
        assert engine.moderate(text, CTX).action is Action.HOLD, text
    # A phrase is literal text: its dots are dots.
    for text in ("boston stinks", "abc milan stink", "red sox are fine, yankees stink"):
        assert engine.moderate(text, CTX).action is Action.APPROVE, text


def test_a_rule_is_triggered_by_the_last_words_of_a_list_it_names(tmp_path: Path) -> None:
    words = 'words = { team = ["red sox", "{city} fans"], city = ["boston"] }'
    rules = _patterns('"\\\\b{team}\\\\s+are\\\\s+awful"', words, triggers='["{team}"]')
    engine = Engine.from_directory(_write(tmp_path, rules))
    # "sox" and "fans" trigger the pattern, however many spaces stand inside the phrase.
    for text in ("The Red   Sox are awful", "Boston fans are awful"):
        assert engine.moderate(text, CTX).action is Action.HOLD, text
    for text in ("Red Sox are great", "Boston is awful", "the fans are awful"):
        assert engine.moderate(text, CTX).action is Action.APPROVE, text


def test_marked_lists_are_found_once_and_matched_as_marks(tmp_path: Path) -> None:
    words = 'words = { team = ["red sox", "{city} fans"], city = ["boston"] }'
    patterns = '"\\\\b{team}\\\\s+stink", "\\\\b{city}\\\\b.*\\\\brules"'
    rules = _patterns(patterns, words, triggers='["{team}", "{city}"]')
    engine = Engine.from_directory(_write(tmp_path, rules + 'marks = ["team", "city"]\n'))
    decision = engine.moderate("The Red   Sox stink", CTX)
    assert [r.term for r in decision.reasons] == ["Red   Sox stink"]  # the text as written
    for text in ("Boston fans stink!", "Boston rules"):
        assert engine.moderate(text, CTX).action is Action.HOLD, text
    # A mention is read as the longest phrase listed: "boston fans" is a team, not a city.
    for text in ("Boston fans rules", "Red Sox are great", "sox stink"):
        assert engine.moderate(text, CTX).action is Action.APPROVE, text


def test_roles_are_word_lists_the_file_shares_or_a_rule_keeps(tmp_path: Path) -> None:
    shared = '[words]\nroles = ["ombudsman"]\nplural = ["police"]\n[[rules]]'
    rule = _patterns('"\\\\bbeat\\\\s+(?:him|them)\\\\b"', "", '["beat"]').replace(
        "[[rules]]", shared
    )
    roles = 'roles = ["roles", "plural"]\n'
    engine = Engine.from_directory(_write(tmp_path, rule + roles))
    # "the ombudsman" read as "him", "the police" as "them", by the file's lists.
    for text in ("I'll beat the ombudsman senseless", "I'll beat the police", "I'll beat him"):
        assert engine.moderate(text, CTX).action is Action.HOLD, text
    for text in ("I'll beat the eggs", "I'll beat the umpire"):
        assert engine.moderate(text, CTX).action is Action.APPROVE, text
    # A site's override changes the lists it names; a rule's own list of the name is read
    # instead of the file's.
    site = '[sites.gazette.rule_overrides.teams.words]\nroles = ["umpire"]\n'
    engine = Engine.from_directory(_write(tmp_path / "site", rule + roles + site))
    gazette = Context(site="gazette", author_prior_comments=10)
    assert engine.moderate("I'll beat the umpire", gazette).action is Action.HOLD
    assert engine.moderate("I'll beat the police", gazette).action is Action.HOLD
    assert engine.moderate("I'll beat the umpire", CTX).action is Action.APPROVE
    own = rule + 'roles = ["roles"]\nwords = { roles = ["umpire"] }\n'
    engine = Engine.from_directory(_write(tmp_path / "own", own))
    assert engine.moderate("I'll beat the umpire", CTX).action is Action.HOLD
    assert engine.moderate("I'll beat the ombudsman", CTX).action is Action.APPROVE


def test_custom_lexicon_like_better_profanity(tmp_path: Path) -> None:
    engine = Engine.from_directory(_write(tmp_path, BASE))
    assert engine.moderate("Fuck you!", CTX).action is Action.APPROVE
    assert engine.moderate("Have a merry day! :)", CTX).action is Action.REJECT


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        (BASE + "bogus = 1\n", "bogus"),
        (
            BASE.replace("rules = []\n", "")
            + '[[rules]]\nid = "x"\ntype = "links"\nmax_linkz = 1\n',
            "rule 'x': max_linkz",
        ),
        (
            BASE.replace("rules = []\n", "")
            + '[[rules]]\nid = "r"\ntype = "regex"\npattern = "(a)\\\\1"\n',
            "rule 'r'",
        ),
        (BASE.replace("rules = []\n", "") + '[[rules]]\nid = "t"\ntype = "nope"\n', "type"),
        (BASE + '[sites.s]\ncolour = "red"\n', "sites.s"),
        (BASE + "new_author_hold = 101\n", "new_author_hold"),  # each decision counts up to it
        (_patterns('"{nope} stink"', 'words = { team = ["red sox"] }'), "no word list 'nope'"),
        (_patterns('"{team}"', 'words = { team = ["{team} fans"] }'), "more than 4 deep"),
        (_patterns('"{team}"', 'words = { team = ["a"] }', '["{teams}"]'), "no word list 'teams'"),
        (
            _patterns('"{team}"', 'words = { team = ["a"] }') + 'marks = ["teams"]\n',
            "no word list 'teams'",
        ),
        (_patterns('"stink"', 'roles = ["people"]'), "roles: no word list 'people'"),
        (
            _patterns('"stink"', 'action = "reject"\naddressed = true'),
            "addressed: a rule that reads 'addressed' must hold",
        ),
    ],
)
def test_config_errors_name_file_rule_and_key(tmp_path: Path, rules: str, message: str) -> None:
    with pytest.raises(ConfigError, match=r"rules\.toml") as info:
        Engine.from_directory(_write(tmp_path, rules))
    assert message in str(info.value)


@pytest.mark.parametrize(
    "text", ["Unbelievable!!!!!!!!!!!!!!!!!!", "Why????????????????", "Well......."]
)
def test_runs_of_punctuation_are_emphasis_not_spam(engine, text):
    assert engine.moderate(text, Context(site="test", author_prior_comments=5)).action == "approve"


def test_the_largest_new_author_hold_is_what_decisions_count_up_to(tmp_path: Path) -> None:
    rules = BASE + "new_author_hold = 2\n[sites.gazette]\nnew_author_hold = 7\n"
    engine = Engine.from_directory(_write(tmp_path, rules))

    assert engine.new_author_hold_max == 7
    # An author past every hold is trusted whatever their true count beyond it.
    gazette = Context(site="gazette", author_prior_comments=7)
    assert engine.moderate("A fair point.", gazette).action is Action.APPROVE
    assert engine.moderate("A fair point.", Context(site="gazette")).action is Action.HOLD
