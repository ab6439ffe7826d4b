"""`group-hate`: a group told to leave, kept away, named to its face or by "they" next sentence,
or hate asked as a question."""

from __future__ import annotations

import pytest

from moderation.engine import Context, Engine

CTX = Context(site="test", author_prior_comments=10)


def _codes(engine: Engine, text: str) -> set[str]:
    return {r.code for r in engine.moderate(text, CTX).reasons}


@pytest.mark.parametrize(
    "text",
    [
        # Named to their face.
        "Shut up, you dumb immigrant.",
        "Get lost you filthy Muslims",
        "If you're gay you deserve to suffer.",
        # Told to leave for who they are.
        "Go back to where you came from.",
        "Why don't you go back to Africa?",
        "If you don't like it, go back to your own country.",
        "Get out of our country!",
        "Your kind isn't welcome here.",
        "We don't want your kind here.",
        # Kept away.
        "Nobody wants gay people around.",
        "I can't stand being around immigrants.",
        "I don't want to live next to Muslims.",
        "Gay people shouldn't be around children.",
        "Women have no business being in politics.",
        "Disabled people should just stay at home where nobody has to see them.",
        "Muslims like you should not be allowed here.",
        "It's disgusting how many immigrants live here now.",
        "Trans people belong in a psych ward.",
        # "They" the sentence after the group was named as people one knows.
        "I met some immigrants yesterday. They are all criminals.",
        "I know a lot of trans people. All of them are sick in the head.",
        "Women think they deserve equal pay. They're too stupid for it.",
        # More words of contempt.
        "All Muslims are the same: violent and backward.",
        "Gay people are lower life forms.",
        "Immigrants are human garbage.",
        "A woman's opinion is worthless.",
        # Stereotypes, takeover, existence denied, a master race.
        "Muslims breed terrorists.",
        "Trans people are a threat to women.",
        "Jews are money-grubbing.",
        "Women are too weak to do anything.",
        "Immigrants are taking over.",
        "Gay people are destroying the family.",
        "Women deserve to be hit.",
        "Muslims should not exist.",
        "It's a shame disabled people exist.",
        "Disabled kids should never have been born.",
        "Black people are a lower race.",
        "White people are the master race.",
        # Asked, not said.
        "Aren't women just too emotional to lead anything?",
        "Aren't immigrants a threat to our children?",
        "Aren't Muslims the worst?",
        "Shouldn't all Muslims be deported?",
        "Why should women be allowed to vote?",
        "Why do we let Muslims into this country at all?",
        "Are gay people even human?",
        "What's the point of disabled people?",
        "Why do Muslims even exist?",
        "Why would anyone trust a Jew?",
        "How can anyone stand being around black people?",
        "Why can't women just shut up?",
        "Isn't it time we got rid of the gays?",
        # The group named alone, then what is said of it.
        "Black people? They are all thugs.",
        "Muslims. Vermin, every last one of them.",
        "Black people are less intelligent.",
        "Women like you need to be put in their place by force.",
        # The good denied.
        "Muslims are not worth anything.",
        "Gay people are never smart.",
        "Women are not intelligent.",
        "I don't respect women at all.",
        "I will never accept gay people.",
        "I have zero respect for trans people.",
        "There is nothing good about Muslims.",
        "Nothing good ever comes from immigrants.",
        "Disabled people contribute nothing to society.",
        "Jews have never done anything good for anyone.",
        "Black people have no morals.",
        "No Muslim can be trusted.",
        "Women can't do anything right.",
        # Scorned, removed; Nazi salutes, genocide praised or denied.
        "Screw all the trans people.",
        "Down with Muslims!",
        "Gay people should be removed from society.",
        "Heil Hitler.",
        "Hitler was right about the Jews.",
        "Six million wasn't enough.",
        "The holocaust was a hoax.",
    ],
)
def test_hate_in_these_forms_is_held_as_group_hate(engine: Engine, text: str) -> None:
    assert "group_hate" in _codes(engine, text)


@pytest.mark.parametrize(
    "text",
    [
        "You beautiful Black woman, keep shining.",
        "Did you see that old woman?",
        "If you're gay, you should be proud.",
        "If you're gay you deserve to be happy.",
        "They want to go back to where they came from once the war ends.",
        "Trump told four congresswomen to go back to where they came from.",
        "Refugees should go back to Syria when the war ends.",
        "I want to go back to where I came from.",
        "Go back to where you started.",
        "Get out of our country's way.",
        "Your kind words mean a lot.",
        "Nobody wants refugees to drown.",
        "I can't stand seeing immigrants mistreated.",
        "I don't want to live next to a motorway.",
        "Smokers shouldn't be around children.",
        "Politicians have no business in our bedrooms.",
        "It's disgusting how many immigrants die crossing the sea.",
        "Women belong in parliament.",
        "Women should be allowed here.",
        "I met some immigrants yesterday. They are all doctors.",
        "I saw men attack Muslims. They are scum.",
        "Muslims are the same as everyone else.",
        "A woman's opinion is just as valid as a man's.",
        "Women are taking over the tech industry!",
        "Women deserve to be heard.",
        "Muslims should not exist in fear.",
        "It's a shame that refugees still exist in camps like these.",
        "Immigrants are taking over family businesses that would otherwise close.",
        "Muslims are a threat to no one.",
        "Farmers breed cattle.",
        "Should refugees be deported?",
        "Why should women be paid less?",
        "Why are women allowed to drive in some countries but not others?",
        "Why do we let Muslims be attacked like this?",
        "Are gay people really happier in cities?",
        "What's the point of disabled people's parking if nobody enforces it?",
        "Why would anyone hire a woman and pay her less than a man?",
        "How can anyone stand being around black people who are suffering and do nothing?",
        "Why can't women just walk home safely?",
        "Isn't it time we protected the gays from violence?",
        "Aren't women the worst affected by these cuts?",
        "Aren't immigrants less likely to commit crimes?",
        "Shouldn't all Muslims be protected by law?",
        "Black people? They are the backbone of this city.",
        "I read about refugees. Disgusting, all of them, how they are treated.",
        "Women are less intelligent? That myth was debunked long ago.",
        "Women deserve to be put in their place in the history books.",
        "Muslims are not terrorists.",
        "Women are not smart enough, he said, and the room went silent.",
        "It's a myth that women are not intelligent.",
        "Women are never safe walking home at night.",
        "Black people are not represented on the board.",
        "Gay people are not normal? That's a hateful lie.",
        "I don't like Muslims being blamed for everything.",
        "I don't trust women's instincts less than men's.",
        "I have zero respect for people who mock disabled people.",
        "Nothing good comes from hating immigrants.",
        "There is nothing good about how Muslims are treated.",
        "Women have no choice in the matter.",
        "Immigrants contribute nothing to the deficit, a study found.",
        "Women can't do anything right in his eyes, and that's his problem.",
        "Men are not trustworthy around my daughter.",
        "Deniers claim the Holocaust was a hoax.",
        "He shouted Heil Hitler at the rally, witnesses said.",
        "Hitler was right about nothing.",
        "Down with the regime that oppresses Muslims.",
        "Screw the rules, I'm helping the refugees.",
        "Six million were murdered in the Holocaust.",
        # Counter-speech quotes or denies them.
        'Telling someone to "go back to where you came from" is racist.',
        'When he shouted "shut up, you dumb immigrant" at her, everyone gasped.',
        "It is a lie that gay people shouldn't be around children.",
        "He told her to go back to her own country.",
    ],
)
def test_their_innocent_neighbours_pass(engine: Engine, text: str) -> None:
    assert "group_hate" not in _codes(engine, text)
