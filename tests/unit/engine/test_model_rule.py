"""The `model` rule: scores in every decision, bands per attribute, site and section overrides."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from moderation.engine import Action, ConfigError, Context, Engine
from moderation.engine.loader import BUILTIN_MODEL_PATH
from moderation.engine.model import ATTRIBUTES
from tests.unit.engine.conftest import CONFIG

CTX = Context(site="test", author_prior_comments=10)

# Abuse in plain words, which no word list holds (our own sentences, not training rows).
PLAIN_ABUSE = [
    "Somebody should put a bullet in that judge.",
    "All Muslims are filthy vermin.",
    "People like you should be lined up and shot.",
    # Insults and threats with no listed word, which the model learnt from composed sentences.
    "Your sports editor is a sniveling little weasel who should find another job.",
    "Frankly the councillor is a brainless windbag and a hypocrite.",
    "I know your address, and one night I will cave your skull in.",
    "Somebody ought to drown that senator in the harbour.",
]
# Innocent comments that name identities, or use violent words innocently.
INNOCENT = [
    "I am a gay Muslim woman and I enjoyed this piece.",
    "The council approved the budget for roads and parks on Tuesday.",
    "My neighbours are Black and Jewish, and we share a garden.",
    "The striker killed it last night; what a goal.",
    "Thanks for reporting on the new clinic for deaf children.",
    "The suspect was shot by police after a chase on Tuesday night.",
    "Our columnist is a thoughtful and careful writer.",
]


# Abuse denied, not asserted: each was held or rejected before the model read negation.
NEGATED = [
    "Refugees are not a disease.",
    "Black people are not animals.",
    "Mexicans aren't rapists.",
    "Disabled people are not worthless.",
]


@pytest.mark.parametrize("text", NEGATED)
def test_abuse_denied_is_approved_and_asserted_is_not(engine: Engine, text: str) -> None:
    assert engine.moderate(text, CTX).action is Action.APPROVE
    asserted = text.replace(" not", "").replace("aren't", "are")
    assert engine.moderate(asserted, CTX).action is not Action.APPROVE, asserted


@pytest.mark.parametrize("text", PLAIN_ABUSE)
def test_abuse_in_plain_words_is_stopped_with_the_words_that_drove_it(
    engine: Engine, text: str
) -> None:
    decision = engine.moderate(text, CTX)
    assert decision.action is not Action.APPROVE
    model = [r for r in decision.reasons if r.rule_id == "toxicity"]
    assert model
    for reason in model:
        assert reason.attribute in ATTRIBUTES
        assert reason.code == f"model_{reason.attribute}"
        assert reason.score == decision.scores[reason.attribute]  # type: ignore[index]
        assert 1 <= len(reason.spans) <= 3
        for start, end in reason.spans:
            assert text[start:end].strip()
        assert reason.term == text[reason.start : reason.end]


@pytest.mark.parametrize("text", INNOCENT)
def test_innocent_comments_are_approved_with_their_scores(engine: Engine, text: str) -> None:
    decision = engine.moderate(text, CTX)
    assert decision.action is Action.APPROVE
    assert decision.scores is not None
    assert set(decision.scores) == set(ATTRIBUTES)
    assert all(0 <= value <= 1 for value in decision.scores.values())
    assert decision.to_dict()["scores"] == decision.scores


def test_three_words_make_an_insult_but_a_threat_or_group_attack_needs_four(tmp_path: Path) -> None:
    engine = Engine.from_directory(
        _config(
            tmp_path,
            "\n[sites.blunt]\n"
            "rule_overrides = { toxicity = { thresholds = { threat = { min_words = 3 } } } }\n",
        )
    )
    for text in ("What a loser.", "Such a hypocrite.", "@USER What a loser."):
        reasons = engine.moderate(text, CTX).reasons
        assert [r.attribute for r in reasons if r.rule_id == "toxicity"] == ["insult"], text
    # Its threat score reaches the band, but three words of politics are no threat...
    bill = engine.moderate("Kill the bill.", CTX)
    assert bill.scores is not None
    assert bill.scores["threat"] >= 0.1
    assert bill.action is Action.APPROVE
    # ...unless a site asks for fewer words; and a word or two alone is still the lexicon's.
    blunt = Context(site="blunt", author_prior_comments=10)
    assert engine.moderate("Kill the bill.", blunt).action is Action.HOLD
    assert engine.moderate("Pathetic.", CTX).action is Action.APPROVE
    # A group named in three words scores high on identity attack, and is no attack.
    people = engine.moderate("Jews are people.", CTX)
    assert people.scores is not None
    assert people.scores["identity_attack"] >= 0.5
    assert people.action is Action.APPROVE


def test_an_insult_at_the_end_of_a_long_comment_is_found(engine: Engine) -> None:
    preamble = (
        "I disagree with the council's plan for the new bridge: it is too expensive, poorly "
        "designed, and the budget was never explained to residents at Tuesday's meeting. "
    )
    text = preamble + "The mayor is a gutless windbag."
    decision = engine.moderate(text, CTX)
    insult = [r for r in decision.reasons if r.rule_id == "toxicity" and r.attribute == "insult"]
    assert insult
    assert insult[0].start is not None
    assert insult[0].start >= len(preamble)  # the words that drove it are the insult's
    assert engine.moderate(preamble, CTX).action is Action.APPROVE


def test_only_words_that_hold_a_slur_are_spared_as_innocent(engine: Engine) -> None:
    # "scumbag" is an exception of the lexicon's mild "scum", not an innocent word: the
    # model's insult stands.
    held = engine.moderate("He is a total scumbag.", CTX)
    assert [r.attribute for r in held.reasons] == ["insult"]
    assert held.reasons[0].term == "scumbag"
    sniggers = engine.moderate("The class sniggers at the back", CTX)
    assert sniggers.scores is not None
    assert sniggers.scores["identity_attack"] >= 0.5  # the band is reached, and spared
    assert sniggers.reasons == ()


def test_toxicity_holds_what_nothing_else_names_and_keeps_to_the_allowlist(
    engine: Engine,
) -> None:
    # Contempt that is no insult, threat or group attack is held for its toxicity alone.
    held = engine.moderate("What a bunch of ghetto trash.", CTX)
    assert held.action is Action.HOLD
    assert [r.attribute for r in held.reasons] == ["toxicity"]
    # Where the lexicon or a rule holds a comment, it says nothing more.
    sworn = engine.moderate("You absolute fucking idiot.", CTX)
    assert sworn.scores is not None
    assert sworn.scores["toxicity"] >= 0.9
    assert "model_toxicity" not in {r.code for r in sworn.reasons}
    # Where the lexicon's allowlist finds a word innocent, so does the model's reason.
    puppies = engine.moderate("A brood bitch and her puppies", CTX)
    assert puppies.scores is not None
    assert puppies.scores["toxicity"] >= 0.9
    assert puppies.action is Action.APPROVE


def test_quoted_abuse_is_held_not_rejected(engine: Engine) -> None:
    plain = engine.moderate("All Muslims are filthy vermin and must go.", CTX)
    quoted = engine.moderate('He wrote "All Muslims are filthy vermin and must go."', CTX)
    agreed = engine.moderate('He wrote "All Muslims are filthy vermin and must go." So true.', CTX)
    assert plain.action is Action.REJECT
    assert quoted.action is Action.HOLD
    assert agreed.action is Action.HOLD


# Abuse of a group retold to condemn it (our own sentences): the model's holds are dropped.
COUNTER_SPEECH = [
    'He wrote "All Muslims are filthy vermin and must go." Vile.',
    "Calling refugees vermin is disgusting and you should be ashamed.",
    "Posters here keep calling immigrants parasites. Disgusting.",
    "A man on the train shouted that Muslims are savages. I was ashamed nobody spoke up.",
    "People who say Mexicans are rapists are racist, full stop.",
    "It's wrong to say immigrants are parasites.",
    "Calling Mexicans rapists is a lie and a smear.",
    "People who say Black people are apes should be banned from this site.",
]


@pytest.mark.parametrize("text", COUNTER_SPEECH)
def test_abuse_retold_to_condemn_it_is_approved(engine: Engine, text: str) -> None:
    decision = engine.moderate(text, CTX)
    assert decision.scores is not None
    assert max(decision.scores["toxicity"], decision.scores["identity_attack"]) >= 0.5
    assert decision.action is Action.APPROVE, decision.reasons


def test_retold_abuse_agreed_with_or_condemned_alone_is_still_held(engine: Engine) -> None:
    # Retold, not condemned; condemned, not retold (the condemnation is the abuse's own).
    for text in [
        "A man on the train shouted that Muslims are savages. He was right.",
        "People who say Mexicans are rapists are right.",
        "Immigrants are disgusting parasites.",
    ]:
        assert engine.moderate(text, CTX).action is not Action.APPROVE, text
    # An insult stays an insult beside words of condemnation: it names whom it insults.
    insult = engine.moderate("I'm free to tell them how disgusting, vile and stupid they are.", CTX)
    assert "model_insult" in {r.code for r in insult.reasons}


@pytest.mark.parametrize(
    "text",
    [
        "I'm a dyke and proud of it.",
        "We fags have to stick together.",
        "Us retards need to stick together lol.",
        "As a gay man, I'm fine with the word faggot being reclaimed.",
    ],
)
def test_a_slur_said_of_oneself_is_held_not_rejected(engine: Engine, text: str) -> None:
    decision = engine.moderate(text, CTX)
    assert decision.action is Action.HOLD
    assert "slur" in {r.code for r in decision.reasons}


def test_a_slur_aimed_at_another_is_still_rejected(engine: Engine) -> None:
    for text in ["You're a faggot.", "Shut up faggot.", "You dyke."]:
        assert engine.moderate(text, CTX).action is Action.REJECT, text


def test_a_thing_shot_down_is_no_threat_a_person_is(engine: Engine) -> None:
    plan = engine.moderate("The plan should be shot down.", CTX)
    assert plan.scores is not None
    assert plan.scores["threat"] >= 0.95  # the model's own reading: a threat to reject
    assert plan.action is Action.APPROVE
    assert engine.moderate("The motion was quickly shot down.", CTX).action is Action.APPROVE
    for text in [
        "He should be shot down like a dog.",
        "Anyone who supports this bill should be shot down.",
        "The bill's sponsor should be shot down.",
    ]:
        assert engine.moderate(text, CTX).action is not Action.APPROVE, text


def test_a_fire_told_is_no_threat_a_fire_wished_is(engine: Engine) -> None:
    fire = engine.moderate("The fire burned down three houses on Elm Street.", CTX)
    assert fire.scores is not None
    assert fire.scores["threat"] >= 0.25  # over the threat band's hold (0.1)
    assert fire.action is Action.APPROVE
    for text in [
        "Someone burned down the old barn last night.",
        "Lightning struck the church and it burned to the ground.",
    ]:
        assert engine.moderate(text, CTX).action is Action.APPROVE, text
    for text in [
        "That house should have burned down.",
        "I hope the mosque burned down.",
        "They deserved to be burned alive.",
    ]:
        assert engine.moderate(text, CTX).action is Action.HOLD, text


def test_a_threat_in_a_game_is_no_threat_wherever_its_strongest_word(engine: Engine) -> None:
    chess = engine.moderate("I will kill you at chess tonight.", CTX)
    assert chess.scores is not None
    assert chess.scores["threat"] >= 0.2  # "tonight" drives it more than "kill"
    assert chess.action is Action.APPROVE
    assert engine.moderate("I will kill you tonight.", CTX).action is Action.REJECT


def test_the_garden_hoe_and_santas_laugh_are_no_insult(engine: Engine) -> None:
    laugh = engine.moderate("Hoe hoe hoe, merry Christmas!", CTX)
    assert laugh.scores is not None
    assert laugh.scores["toxicity"] >= 0.9
    assert laugh.action is Action.APPROVE
    for text in ["You have a tough row to hoe, mayor.", "Time to hoe the weeds again."]:
        assert engine.moderate(text, CTX).action is Action.APPROVE, text
    assert engine.moderate("She is nothing but a hoe.", CTX).action is Action.HOLD


def test_a_slur_retold_to_condemn_it_is_held_not_rejected(engine: Engine) -> None:
    assert engine.moderate("You're a retard.", CTX).action is Action.REJECT
    for text in [
        "Calling someone a retard is never acceptable.",
        "Nobody should be called a retard for how they learn.",
    ]:
        held = engine.moderate(text, CTX)
        assert held.action is Action.HOLD, text
        assert [r.code for r in held.reasons] == ["slur"]
    # Retold, but not condemned: the victim telling it, or abuse passed on.
    told = engine.moderate("He called me a retard on the bus.", CTX)
    assert told.action is Action.REJECT


def test_a_slur_named_in_quotation_marks_is_held_not_rejected(engine: Engine) -> None:
    for text in [
        'The word "retard" hurts people with learning disabilities; please stop using it.',
        '"Retard" is a slur, stop using it.',
        'He called me a "retard" in front of the whole class.',
    ]:
        held = engine.moderate(text, CTX)
        assert held.action is Action.HOLD, text
        assert "slur" in {r.code for r in held.reasons}
    # A quotation that holds more than the word says it to someone; scare quotes elsewhere
    # leave the slur itself unquoted.
    for text in ['She yelled "you fucking retard" at him.', 'What a "genius", a total retard.']:
        assert engine.moderate(text, CTX).action is Action.REJECT, text


def test_many_at_once_decide_as_one_at_a_time(engine: Engine) -> None:
    items = [(text, CTX) for text in [*PLAIN_ABUSE, *INNOCENT, "", "   ", "fuck"]]
    assert engine.moderate_many(items) == [engine.moderate(text, ctx) for text, ctx in items]


def _config(tmp_path: Path, extra: str) -> Path:
    shutil.copytree(CONFIG, tmp_path / "config")
    rules = tmp_path / "config" / "rules.toml"
    rules.write_text(rules.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return tmp_path / "config"


def test_sites_and_sections_set_their_own_thresholds(tmp_path: Path) -> None:
    text = "This man is an absolute clown."
    engine = Engine.from_directory(
        _config(
            tmp_path,
            "\n[sites.strict]\n"
            "rule_overrides = { toxicity = { thresholds = { insult = { hold = 0.2 } } } }\n"
            "[sites.strict.sections.opinion]\n"
            "rule_overrides = { toxicity = { thresholds = { insult = { hold = 0.99 } } } }\n"
            "[sites.quiet]\n"
            'disable = ["toxicity", "group-hate"]\n',
        )
    )
    assert engine.moderate(text, CTX).action is Action.APPROVE
    strict = engine.moderate(text, Context(site="strict", author_prior_comments=10))
    assert strict.action is Action.HOLD
    assert [r.attribute for r in strict.reasons] == ["insult"]
    # The section's band is laid over the site's; the other attributes keep the shipped ones.
    opinion = Context(site="strict", section="opinion", author_prior_comments=10)
    assert engine.moderate(text, opinion).action is Action.APPROVE
    assert engine.moderate("All Muslims are filthy vermin.", opinion).action is Action.REJECT
    quiet = engine.moderate("All Muslims are filthy vermin.", Context(site="quiet"))
    assert quiet.scores is None
    assert quiet.action is Action.APPROVE  # its rules and lexicon see nothing (author known)


def test_a_site_model_file_is_part_of_the_ruleset_version(tmp_path: Path) -> None:
    config = _config(
        tmp_path,
        '\n[sites.planet]\nrule_overrides = { toxicity = { model = "models/planet.bin" } }\n',
    )
    (config / "models").mkdir()
    shutil.copy(BUILTIN_MODEL_PATH, config / "models" / "planet.bin")
    first = Engine.from_directory(config)
    with (config / "models" / "planet.bin").open("ab") as fh:
        fh.write(b"\0")  # same tables, different bytes
    second = Engine.from_directory(config)
    assert first.version != second.version
    assert set(second.models) == {"builtin", "models/planet.bin"}


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            "\n[sites.s]\nrule_overrides = "
            "{ toxicity = { thresholds = { rudeness = { hold = 0.5 } } } }\n",
            "rudeness",
        ),
        (
            "\n[sites.s]\nrule_overrides = "
            "{ toxicity = { thresholds = { insult = { hold = 0.9, reject = 0.5 } } } }\n",
            "hold must not be above reject",
        ),
        (
            "\n[sites.s]\nrule_overrides = "
            "{ toxicity = { thresholds = { threat = { min_words = 0 } } } }\n",
            "min_words",
        ),
        (
            '\n[sites.s]\nrule_overrides = { toxicity = { model = "models/none.bin" } }\n',
            "none.bin",
        ),
        (
            "\n[sites.s.sections.sport]\nrule_overrides = { spam = { caps_ratio = 0.5 } }\n",
            "only the model rule",
        ),
        (
            '\n[sites.s]\nrules = [{ id = "second", type = "model", thresholds = {} }]\n',
            "at most one model rule",
        ),
    ],
)
def test_model_config_errors_name_the_file_and_key(
    tmp_path: Path, extra: str, message: str
) -> None:
    with pytest.raises(ConfigError, match=r"rules\.toml") as info:
        Engine.from_directory(_config(tmp_path, extra))
    assert message in str(info.value)
