"""Our own training sentences: identities in innocent text, and abuse in plain words.

The public sets teach a model that "gay", "Muslim" or "Black" are signs of abuse, because those
words turn up mostly in abusive rows; they hold few threats at all. These templates put every
group in as many innocent sentences as abusive ones, and add threats and insults written in
ordinary words. They are expanded over the groups in a fixed order (no randomness), so the
training set is the same on every run. The evaluation suite (functional.py) is written apart
from these and never trained on.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from moderation.training.corpus import ATTRIBUTES, Example


@dataclass(frozen=True, slots=True)
class Group:
    """How a sentence can name a group: the people, one person, the adjective."""

    people: str
    person: str
    adjective: str


GROUPS = (
    Group("Muslims", "a Muslim", "Muslim"),
    Group("Jews", "a Jew", "Jewish"),
    Group("Jewish people", "a Jewish man", "Jewish"),
    Group("Christians", "a Christian", "Christian"),
    Group("Catholics", "a Catholic", "Catholic"),
    Group("Hindus", "a Hindu", "Hindu"),
    Group("Sikhs", "a Sikh", "Sikh"),
    Group("Buddhists", "a Buddhist", "Buddhist"),
    Group("atheists", "an atheist", "atheist"),
    Group("Mormons", "a Mormon", "Mormon"),
    Group("Black people", "a Black woman", "Black"),
    Group("Black men", "a Black man", "Black"),
    Group("white people", "a white man", "white"),
    Group("Asian people", "an Asian woman", "Asian"),
    Group("Latinos", "a Latino", "Latino"),
    Group("Hispanic people", "a Hispanic woman", "Hispanic"),
    Group("Arabs", "an Arab", "Arab"),
    Group("Native Americans", "a Native American", "Native American"),
    Group("Indigenous people", "an Indigenous woman", "Indigenous"),
    Group("Mexicans", "a Mexican", "Mexican"),
    Group("Chinese people", "a Chinese student", "Chinese"),
    Group("Africans", "an African", "African"),
    Group("Somalis", "a Somali", "Somali"),
    Group("Pakistanis", "a Pakistani", "Pakistani"),
    Group("Roma", "a Roma woman", "Roma"),
    Group("women", "a woman", "female"),
    Group("men", "a man", "male"),
    Group("girls", "a girl", "female"),
    Group("gay people", "a gay man", "gay"),
    Group("gay men", "a gay man", "gay"),
    Group("lesbians", "a lesbian", "lesbian"),
    Group("bisexual people", "a bisexual woman", "bisexual"),
    Group("trans people", "a trans woman", "trans"),
    Group("transgender people", "a transgender man", "transgender"),
    Group("non-binary people", "a non-binary person", "non-binary"),
    Group("queer people", "a queer woman", "queer"),
    Group("disabled people", "a disabled man", "disabled"),
    Group("deaf people", "a deaf woman", "deaf"),
    Group("blind people", "a blind man", "blind"),
    Group("autistic people", "an autistic boy", "autistic"),
    Group("immigrants", "an immigrant", "immigrant"),
    Group("refugees", "a refugee", "refugee"),
    Group("asylum seekers", "an asylum seeker", "asylum-seeking"),
    Group("old people", "an old man", "elderly"),
    Group("teenagers", "a teenager", "teenage"),
)

# Innocent sentences: news, community life, self-description, support.
CLEAN = (
    "{People} make up about a tenth of the county, according to the census.",
    "The council met {adjective} community leaders on Tuesday to discuss the new clinic.",
    "My neighbour is {person} and she runs the bakery on Main Street.",
    "I am {person} and I have lived in this town for thirty years.",
    "As {person}, I found this article fair and well reported.",
    "{People} deserve the same protection under the law as everyone else.",
    "The festival celebrates {adjective} music, food and history.",
    "The survey asked {people} about housing costs and commuting times.",
    "My best friend is {adjective} and the kindest person I know.",
    "There is nothing wrong with being {adjective}.",
    "Many {people} in the district say the bus service has improved.",
    "The school hired {person} to coach the debate team.",
    "{People} have served in our armed forces with distinction.",
    "The museum opened an exhibition on the history of {people} in the city.",
    "We should listen to {people} when they describe their own lives.",
    "Support for {people} in the state has grown over the last decade.",
    "The new senator is {person}, the first to hold the seat.",
    "A group of {adjective} students organised the food drive.",
    "Several {people} spoke at the hearing about the water rates.",
    "I'm proud to be {person}.",
    "Growing up as {person} in a small town taught me a lot.",
    "The study found {people} were more likely to vote by mail.",
    "My daughter married {person} last spring and we love him.",
    "{Adjective} voters could decide the race in November.",
    "Thank you for covering the concerns of {people} here.",
    "The hospital added interpreters to better serve {people}.",
    "The report profiles three {adjective} business owners downtown.",
    "Discrimination against {people} is illegal under state law.",
    "Being {adjective} is not a choice anyone needs to defend.",
    "The article quotes {person} who lost her job in the layoffs.",
    "{People} are our neighbours, coworkers and friends.",
    "Our church welcomes {people} and everyone else.",
    "The panel included {person}, a teacher and a retired judge.",
    "Why would anyone care whether the coach is {adjective}?",
    "The mayor said {people} are welcome in this city.",
    "I disagree with the columnist, and I say that as {person}.",
    "The data on {people} and rents in the county are worth a look.",
    "Polls show {people} split evenly on the ballot measure.",
    "The book follows {person} who becomes a nurse after the war.",
    "Hate crimes against {people} rose last year, police said.",
)

# The same breadth, abusive: derogation, dehumanisation, exclusion and threats to a group.
IDENTITY_ATTACKS = (
    "{People} are a disease on this country.",
    "I hate {people}, every last one of them.",
    "{People} are filthy animals.",
    "{People} are subhuman and always will be.",
    "Get {people} out of our country, they ruin everything.",
    "{People} are too stupid to be trusted with a vote.",
    "Never hire {person}, they are lazy and dishonest.",
    "{People} breed like rats.",
    "{People} are parasites living off decent people.",
    "Every {adjective} person I have met was a liar and a thief.",
    "{People} should not be allowed to live here.",
    "{People} are vermin and should be treated like it.",
    "You can't trust {people}, it is in their nature to cheat.",
    "{People} are a plague on this town.",
    "Send all the {people} back where they came from.",
    "{People} are disgusting and I don't care who knows it.",
    "Round up the {people} and throw them out.",
    "{People} are nothing but criminals and rapists.",
    "No {adjective} person deserves rights in this country.",
    "{People} are inferior, science says so.",
)

# Threats and incitement written in ordinary words, to a person or to a group.
THREATS = (
    "I know where you live and I'm coming for you.",
    "Somebody needs to put a bullet in that man.",
    "I will find you and make you pay for this.",
    "You won't be smiling when I get my hands on you.",
    "Keep talking and you will end up in the river.",
    "Someone ought to take that judge out back and deal with him.",
    "I hope somebody burns your house down with you in it.",
    "Watch your back on the way home tonight.",
    "People like you get what's coming to them, and soon.",
    "One of these days someone will shut you up for good.",
    "I'm going to break every bone in your body.",
    "You deserve to be strung up from a lamp post.",
    "Show up at the meeting and see what happens to you.",
    "Your family should be careful when they go outside.",
    "I'll be waiting outside your office with a baseball bat.",
    "Somebody should run that reporter over.",
    "If I ever see you I will put you in the hospital.",
    "That traitor should be lined up against a wall and shot.",
    "I would gladly pull the trigger myself.",
    "Next time I see you it will be the last time.",
    "They should hang every one of those politicians.",
    "Someone should teach him a lesson he won't survive.",
    "You'll be sorry when they find your body.",
    "Go near my kids again and you're a dead man.",
    "Somebody needs to take a knife to that guy.",
    "I'm going to make your life a living hell, starting tonight.",
    "Burn their houses down and see how they like it.",
    "Put them all in front of a firing squad.",
    "He deserves a beating he won't forget.",
    "I'd like to smash your face in.",
    "Hope your car explodes with you inside.",
    "The {people} should be wiped off the face of the earth.",
    "Somebody should burn down every place where {people} gather.",
    "Line the {people} up and shoot them.",
    "It is time to get rid of the {people} for good, by any means.",
)

# Insults in plain words, aimed at a person or at the commenter.
INSULTS = (
    "What a sorry excuse for a columnist you are.",
    "What a spineless, useless little man.",
    "Only a complete fool would write something this dumb.",
    "You have the brain of a goldfish.",
    "Are you really this stupid or do you just pretend?",
    "Go crawl back under your rock, you worthless troll.",
    "This columnist is a brainless hack.",
    "You are a disgrace and an embarrassment to your family.",
    "Nobody cares what a clown like you thinks.",
    "Your mother must be so ashamed of you.",
    "What an ignorant, hateful little person you are.",
    "Shut up, you moron.",
    "You're too dumb to understand a simple sentence.",
    "The mayor is a lying, gutless weasel.",
    "Get a life, you sad loser.",
    "Every word you write proves what an idiot you are.",
    "You are the dumbest commenter on this site.",
    "Typical brain-dead response from a clueless fool.",
    "He is a vile, disgusting pig of a man.",
    "You're a waste of oxygen.",
    "Crawl back into the sewer you came from.",
    "What kind of halfwit writes this garbage?",
    "You are scum, plain and simple.",
    "Nobody in their right mind would listen to a buffoon like you.",
    "Learn to read, you imbecile.",
)

# Negated or questioned claims: innocent, although they hold the words of abuse.
NEGATIONS = (
    "I don't hate {people}, I just disagree with this policy.",
    "It is simply not true that {people} are criminals.",
    "No one should ever say {people} are inferior.",
    "I have never thought {people} were a threat to anyone.",
    "Saying {people} are lazy is false and unfair.",
)


def fill(template: str, group: Group) -> str:
    """A template with the group's names in its slots."""
    return template.format(
        people=group.people,
        People=group.people[:1].upper() + group.people[1:],
        person=group.person,
        adjective=group.adjective,
        Adjective=group.adjective[:1].upper() + group.adjective[1:],
    )


def labels(**positive: float) -> dict[str, float]:
    """Every attribute's label: those named as given, the rest 0."""
    return {attribute: positive.get(attribute, 0.0) for attribute in ATTRIBUTES}


def examples() -> Iterator[Example]:
    """Every training sentence with its labels, in a fixed order."""
    clean = labels()
    attack = labels(toxicity=1.0, identity_attack=1.0)
    for group in GROUPS:
        for template in (*CLEAN, *NEGATIONS):
            yield Example(fill(template, group), "templates", False, clean)
        for template in IDENTITY_ATTACKS:
            yield Example(fill(template, group), "templates", False, attack)
    for template in THREATS:
        if "{" not in template:
            yield Example(template, "templates", False, labels(toxicity=1.0, threat=1.0))
            continue
        for group in GROUPS:
            yield Example(
                fill(template, group),
                "templates",
                False,
                labels(toxicity=1.0, threat=1.0, identity_attack=1.0),
            )
    for text in INSULTS:
        yield Example(text, "templates", False, labels(toxicity=1.0, insult=1.0))
