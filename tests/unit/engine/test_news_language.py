"""News language stays approved; the lexicon's tier decisions hold (config/lexicon/README.md)."""

from __future__ import annotations

import pytest

from moderation.engine import Action, Context, Engine

CTX = Context(site="test", author_prior_comments=10)

# The issue's list of news false positives, verbatim.
ISSUE = [
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
    "as she",
    "Dick Van Dyke",
    "blue tit",
]

# One sentence per tier change, allowlist phrase or engine rule made for news language.
DECISIONS = [
    "Kim Phuc survived the napalm attack",
    "Flights to Phuket are cheaper this winter",
    "Grab the hoe from the shed and weed the beds",
    "A Ku Klux Klan rally drew counter-protesters",
    "The KKK was founded in 1865",
    "Sodomy laws were struck down in 2003",
    "We played golf at Royal Troon on Sunday",
    "Jesus Christ Superstar opens at the Playhouse",
    "Super Bowl XXX was played in Tempe",
    "He is a stubborn old coot",
    "Add a jigger of gin and stir",
    "The Kushite kings ruled Egypt",
    "Don't pussyfoot around the issue",
    "Honky-tonk bars line Broadway",
    "My Maine Coon sleeps all day",
    "A brood bitch and her puppies",
    "The tranny fluid needs changing",
    "We beat you last season and we will beat you again",
    "He was convicted as a child molester",
    "He was jailed as a convicted paedophile",
    "The inquiry into paedophilia in the church reported today",
    # British spellings the word lists' exceptions lacked, and names and news words found by
    # running the training sets' clean rows through the lexicon.
    "The hospital specialises in cancer care and commercialised its research",
    "Kids socialise online now, and the racialists noticed",
    "Sean Spicer said the crowd was the largest ever",
    "Kellie Leitch wants a values test for immigrants",
    "Rick Santorum won Iowa",
    "Shiite militias took the city",
    "A neo-Nazi rally was held downtown",
    "Clinton lied about oral sex with an intern",
    "Before 2000 most of the world opposed gay sex",
    "Pfizer's Viagra patent expires next year",
    "That was a bastardization of his quotes",
    # Names and places that hold a term, from the larger word lists (overrides.toml).
    "Officials in Fukushima said the plant is safe",
    "Noboru Takeshita was prime minister",
    "The Knickerbockers won at home",
    "Lee Atwater ran the campaign",
    "Simferopol is the capital of Crimea",
    "A Shetlander won the prize in Sequim",
    "Andy Roddick and William Shatner were at the gala",
    "Dickensian conditions in the prison",
    "Bats echolocate, and a crosscut saw cuts across the grain",
    # Places and names from a gazetteer (overrides.toml: modes and exceptions).
    "Joaquim Phoenix flew to Esquimalt",
    "Clitheroe and Cuckfield voted to merge",
    "A tram to Chorlton-cum-Hardy",
    # Towns named with their state or province, a comma between (allowlist.txt).
    "I grew up in Cumming, Georgia",
    "Dildo, Newfoundland is a real town",
    "The plant in Gaylord, Mich., closed",
    "Haji Mohammad said the market reopened",
    "Kuntsevo and Fukuchiyama are twinned",
    # Surnames from the US census list, and "enby" (overrides.toml).
    "Senator Chris Coons said the bill would pass",
    "Arsenault scored twice and Dr Sheth watched",
    "Andrew Poon, a Hong Kong lawyer, spoke to Oleson and Tardif",
    "Eric Dickerson and Riddick ran for 2,000 yards",
    "I'm an enby and proud",
    "The dykes were breached by the floodwaters",
    "Police found swastika graffiti on the synagogue",
    "The senator was accused of groping an aide",
    "Costs are snowballing at the new hospital",
    "She won gold in skeet shooting",
    "The thief was collared outside the bank",
    "The mayor was fingered as the source of the leak",
    "Reply to @RobertCDick: the council should listen",
    "Café owners say the new rules hurt",
    "Le Japon et la Corée ont signé l'accord",
    # Ordinary words that read as a term plus an ending, found by running the dictionary.
    "A spicy curry and spiced wine",
    "Spikes in cases led to spiking rents",
    "Inspectors will assess the damage",
    "Squirrels hoard nuts; a hoary old joke",
    "The tardy bus and his tardiness",
    "He wore a dicky bow",
    "A titter ran round the chamber",
    "Fire-retarding paint",
    "The class sniggers at the back",
    "Door knobs and zebra cakes",
    "Two fakes were exposed",
    "The ritard before the final chorus",
    "Pin pricks of light",
    # Capitalised dictionary words: surnames and names of places and firms.
    "Dominic Cummings said the plan would work",
    "Soldiers at Fort Dix",
    "The last TWA flight",
    "Pusey Street is closed",
    # Oaths and idioms in the family of "damn", "goddam" and "pissed off" (mild).
    "God damn, that was a close game",
    "Goddamn it, the bus is late again",
    "The ruling will piss off the unions",
    "It's pissing down in Manchester again",
    "Stop taking the piss out of the council",
    # Names, foreign words and fixed phrases.
    "Arsène Wenger praised the young squad",
    "Shi Zhengli of the Wuhan Institute of Virology",
    "The Ushishi Theme plays in Patapon",
    "The loss exposed chinks in their armour",
    "Kiké Hernández homered in the ninth",
    "Kunt u dat herhalen, minister?",
    "The kitchen was spick and span",
    "He stepped out for a fag break",
    # A credited handle, and a preview cut off mid-word (see test_exemptions.py).
    "RT @hoes: Emma Watson at the Oscars",
    "Nick Young says watches were stolen from his house last nig…",
]


@pytest.mark.parametrize("text", ISSUE + DECISIONS)
def test_news_language_is_approved(engine: Engine, text: str) -> None:
    decision = engine.moderate(text, CTX)
    assert decision.action is Action.APPROVE, decision.reasons


# Abuse that must still be caught after those decisions.
STILL_CAUGHT = [
    ("she is a dumb hoes magnet", Action.HOLD),
    ("I will beat you up", Action.REJECT),
    ("you stupid coon", Action.REJECT),
    ("shut up you tranny", Action.REJECT),
    ("what a load of shite", Action.HOLD),
    ("@fuckface shut up", Action.HOLD),
    ("you @ss", Action.HOLD),
    ("you f&#117;cking idiot", Action.HOLD),
    ("go back home you wetback", Action.REJECT),
    ("typical faggot", Action.REJECT),
    ("piss on you", Action.HOLD),
    ("you dirty kike", Action.REJECT),
    ("what a load of shit…", Action.HOLD),
    ("@hoes you are", Action.HOLD),
    ("ph0ck off", Action.HOLD),
    ("phuc you", Action.HOLD),
    ("you phaggot", Action.REJECT),
    # Slurs and insults the sources lack, listed in overrides.toml.
    ("I hate Muzzies.", Action.REJECT),
    ("Gypos stole my bike.", Action.REJECT),
    ("You libtard.", Action.HOLD),
    # Terms that match as words now, not inside names (overrides.toml [modes]).
    ("you dyke", Action.REJECT),
    ("spics go home", Action.REJECT),
    ("what a tard", Action.REJECT),
    ("you dickhead", Action.HOLD),
]


@pytest.mark.parametrize(("text", "action"), STILL_CAUGHT)
def test_abuse_is_still_caught(engine: Engine, text: str, action: Action) -> None:
    assert engine.moderate(text, CTX).action is action
