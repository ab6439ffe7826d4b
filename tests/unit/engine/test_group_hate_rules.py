"""`group-hate`: a group told to leave, kept away, named to its face or by "they" next sentence,
or hate asked as a question."""

from __future__ import annotations

import re
import tomllib

import pytest

from moderation.engine import Context, Engine
from tests.unit.engine.conftest import CONFIG

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
        # Stereotypes of predation, crime and place.
        "Muslims are all extremists at heart.",
        "Women are born manipulators.",
        "Gay people recruit children.",
        "Immigrants bring crime wherever they go.",
        "Gay marriage is a sin and gays will burn.",
        "Women should know their place.",
        "Every single immigrant is a criminal.",
        "I've never met an honest Jew.",
        # Threats to a group in more words.
        "Next time I see a gay couple I'm going to attack them.",
        "We're coming for you, Jews.",
        "Black people better watch their backs.",
        "Watch out, Muslims, we know where you pray.",
        "Immigrants will be hunted down like animals.",
        "We're going to make the gays pay.",
        "All Muslims will pay for this.",
        "I will make every black person in this town suffer.",
        "I'd like to strangle every woman who disagrees with me.",
        "Gay people should be scared, very scared.",
        "The day of the rope is coming for the Jews.",
        "@USER Muslims out!",
        "Immigrants out of our country now!",
        # Kept out of a place, a job or a home.
        "Women should stick to cooking.",
        "We need to get the Muslims out.",
        "There are too many Muslims in this country.",
        "I don't want a Muslim as my neighbour.",
        "I refuse to serve gay customers.",
        "No blacks allowed.",
        "No Muslims allowed in my shop.",
        "Gays need not apply.",
        # Blamed.
        "Immigrants are the problem.",
        "The problem with this country is the Muslims.",
        "Muslims are the root of all evil.",
        "Jews are behind all of this.",
        "Black people are the reason this city is a dump.",
        "Everything was better before the immigrants came.",
        "This neighbourhood went downhill when the Mexicans moved in.",
        "Black people are closer to apes than humans.",
        "Disabled people are vegetables.",
        "Immigrants multiply like cockroaches.",
        # A question that asserts what it asks is read as said.
        "Isn't it obvious that black people are less intelligent?",
        "Can we all agree that immigrants are the problem?",
        "Don't you think Muslims are not worth anything?",
        # Camps called for, more violence, more contempt.
        "Put all the Muslims in camps.",
        "Round them up and put them in camps.",
        "Send them all to the gas chambers.",
        "Black people should be whipped.",
        "Disabled people should be sterilised.",
        "Gays should be thrown off roofs.",
        "Gay people are mentally defective.",
        "Black people make my skin crawl.",
        "Muslims are the worst thing that ever happened to Europe.",
        "Women belong to their husbands.",
        "Trans people are nothing but attention seekers.",
        "Women are incapable of logical thought.",
        # Contempt said of the group just named, or found in it.
        "Trans people, I find them revolting.",
        "Gay people... I want them all dead.",
        "Those Muslims. I hate every single one of them.",
        "I find gay people disgusting.",
        "No offence but women are useless.",
        "No kidding, women are trash.",
        # Violence to one member, to "you" of a group, or in more words.
        "I'd kill a Muslim without thinking twice.",
        "I would love to beat up a gay guy.",
        "Gonna go stab some immigrants.",
        "You Muslims will all die soon.",
        "Disabled people should have been aborted.",
        "Jews should be thrown into ovens.",
        "Black people should be enslaved again.",
        # More groups, members and harms.
        "The disabled should be euthanised.",
        "Arabs should be bombed into oblivion.",
        "Queers should be beaten.",
        "I'd love to see every lesbian burn.",
        "We must destroy the Arabs.",
        "Every Asian deserves a beating.",
        "Muslim women should be stripped and beaten.",
        "Gay kids should be sent to conversion camps.",
        "Jewish children should be killed.",
        "Refugee children should drown.",
        "Asians are soulless robots.",
        "Nigerians are scammers.",
        "Muslims are vermin? No doubt about it.",
        "Muslims are vermin? No kidding.",
        "Immigrants are stealing our women.",
        "Gay people prey on young girls.",
        "You stupid woman!",
        # Derogation by implication.
        "Of course the thief was an immigrant.",
        "Trust a Jew to be greedy.",
        "Leave it to a woman to mess this up.",
        "What do you expect from a Mexican?",
        "Another Muslim, another bomb.",
        "Scratch a Muslim and you'll find a terrorist.",
        "Keep your daughters away from Muslims.",
        "Women should be seen and not heard.",
        "A woman's place is in the home.",
        "Never hire a disabled person.",
        # Groups misspelled on purpose.
        "Mooslims are vermin.",
        "Moslems are scum.",
        "Joos are rats.",
        "Wymyn are trash.",
        # More violence named.
        "I will mutilate all Muslims.",
        "We should poison the gays.",
        "Trans people should be maimed.",
        "All immigrants deserve to be hurt.",
        # Removal called for; suffering wished; unfit by nature.
        "It's time to cleanse this country of Jews.",
        "We must rid our streets of immigrants.",
        "Trans people deserve to suffer.",
        "Women deserve to be punched.",
        "Women are biologically incapable of leadership.",
        "Muslims are incompatible with Western civilisation.",
        "Immigrants are unfit for this country.",
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
        "Gangs recruit children.",
        "Muslims recruit children? No, that's a lie.",
        "Immigrants bring food wherever they go.",
        "Women should know their rights.",
        "Every single immigrant is a person.",
        "I've never met a smart woman I didn't like.",
        "Women will burn calories faster.",
        "Imagine thinking Muslims are not worth anything.",
        "Mexicans will pay for it.",
        "We're coming for you, Muslims, with food and blankets.",
        "When I see a gay couple I'm going to hug them.",
        "Muslims should be scared of this law.",
        "Women better watch their backs walking home, police warn.",
        "This policy will make immigrants suffer.",
        "Their best songs are Rule the World and Rahowa.",
        "Muslims out in force at the march.",
        "Women out of work after plant closes.",
        "Too many women die in childbirth.",
        "No women allowed in the clergy is a rule the church must drop.",
        "We need to get the Muslims out of the burning building.",
        "Players should stick to football.",
        "I refuse to serve gay customers, said the baker, and the court ruled against him.",
        "No Muslims were allowed to testify, the report found.",
        "Immigrants are the problem? No, wages are.",
        "Women are the problem solvers here.",
        "Jews are behind all of this, the conspiracy theorist claimed.",
        "Everything was better before the pandemic came.",
        "Muslims are vegetarians.",
        "Bacteria multiply like crazy in warm water.",
        "Is it true that immigrants are the problem?",
        "Do you think women are not intelligent?",
        "Isn't it obvious that the council voted against it?",
        # Counter-speech quotes or denies them.
        'Telling someone to "go back to where you came from" is racist.',
        'When he shouted "shut up, you dumb immigrant" at her, everyone gasped.',
        "It is a lie that gay people shouldn't be around children.",
        "He told her to go back to her own country.",
        "The camps held thousands of Muslims, the report says.",
        "Send them all to the summer camps.",
        "They sent refugees to camps in Jordan, the UN said.",
        "Women belong to their unions.",
        "Immigrants should be slapped with fines.",
        "I find the attacks on Muslims disgusting.",
        "I find women inspiring.",
        "Muslims, I find them kind.",
        "I'll shoot a gay wedding next week.",
        "I'd kill for a Muslim friend like you.",
        "You women will love this recipe.",
        "The disabled should be given better access to buildings.",
        "Refugee children should be in school.",
        "Every Asian restaurant in town deserves a visit.",
        "Jewish children should be protected from bullying.",
        "We must destroy the myths about immigrants.",
        "Women should be paid and promoted fairly.",
        "The Nazis wanted Jewish children killed.",
        # Asked, then answered "no": counter-speech.
        "Immigrants are vermin? No, they are our neighbours.",
        "Women are trash? Nooo, women are amazing.",
        "Of course the attacker was a white supremacist.",
        "Trust a woman to get it done!",
        "A woman's place is in the House.",
        "What do you expect from a Muslim-majority parliament?",
        "Of course the suspect was a Muslim, police said.",
        "We'll beat the Mexicans tonight.",
        "We should kick the Nigerians out of the tournament with a win.",
        "Women were hurt in the crash.",
        "Immigrants are hunted by smugglers.",
        "Serbian forces set out to cleanse the region of Muslims, the tribunal found.",
        "Muslims deserve to be heard.",
        "Refugees deserve to rest after such a journey.",
        "This law is incompatible with Muslim religious practice.",
        "The shelter was unfit for refugees, inspectors said.",
    ],
)
def test_their_innocent_neighbours_pass(engine: Engine, text: str) -> None:
    assert "group_hate" not in _codes(engine, text)


def _listed(words: dict[str, list[str]], name: str) -> set[str]:
    """The one-word phrases of list `name`, with those of the lists it names."""
    out: set[str] = set()
    for phrase in words[name]:
        if phrase.startswith("{") and phrase.endswith("}") and phrase.count("{") == 1:
            out |= _listed(words, phrase[1:-1])
        elif "{" not in phrase and " " not in phrase:
            out.add(phrase)
    return out


def test_a_pattern_that_reads_marks_names_no_marked_word_as_itself() -> None:
    # The marked text writes "immigrants are filthy" as "AAAAAAAAAA are FFFFFF": a pattern that
    # reads it and spells "filthy" or "women" out could never match ("…stealing our women").
    rules = tomllib.loads((CONFIG / "rules.toml").read_text(encoding="utf-8"))["rules"]
    for rule in (r for r in rules if r.get("marks")):
        words = sorted(set().union(*(_listed(rule["words"], n) for n in rule["marks"])))
        spelled = re.compile(
            r"(?<=[(|:])(?:" + "|".join(map(re.escape, words)) + r")(?=[|)]|\\s\+[|)])"
        )
        for pattern in rule["patterns"]:
            if any("{" + name + "}" in pattern for name in rule["marks"]):
                assert not spelled.findall(pattern), pattern
