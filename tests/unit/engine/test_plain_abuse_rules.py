"""The shipped rules for abuse in plain words: harm, personal attacks, money spam, disguises."""

from __future__ import annotations

import pytest

from moderation.engine import Action, Context, Engine
from moderation.engine import normalise as norm
from moderation.engine.matcher import Matcher
from moderation.engine.rules.patterns import chunked
from moderation.engine.rules.readings import slips

CTX = Context(site="test", author_prior_comments=10)


def _codes(engine: Engine, text: str) -> set[str]:
    return {r.code for r in engine.moderate(text, CTX).reasons}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("I'm going to find you and break your legs", "threat_harm"),
        ("We will hunt you down.", "threat_harm"),
        ("somebody should snap his neck", "threat_harm"),
        ("Someone should put a bullet in that judge.", "threat_harm"),
        ("people like you should be shot", "threat_harm"),
        ("I really hope he gets cancer", "threat_harm"),
        ("If I ever see you at the rally, you will regret it.", "threat_harm"),
        ("I'm going to make you wish you were never born.", "threat_harm"),
        ("Keep writing this and see what happens to your family.", "threat_harm"),
        ("I'd love to punch you in the face", "threat_harm"),
        ("I'd love to see all of them hanging from trees", "threat_harm"),
        ("Wouldn't it be great if someone shot every last one of them?", "threat_harm"),
        ("Bring back public hangings for people like him.", "threat_harm"),
        ("Someone give this guy a good beating.", "threat_harm"),
        ("It would be a shame if something happened to your car.", "threat_harm"),
        ("We know where your kids go to school.", "threat_incitement"),
        ("You better watch yourself.", "threat_incitement"),
        ("You are a pathetic excuse for a reporter.", "personal_attack"),
        ("Shut up, you moron.", "personal_attack"),
        ("you're nothing but a worthless clown", "personal_attack"),
        ("My mom makes $8,000 a month online! Start here: http://example.net/j", "money_spam"),
        ("Work from home and earn big: www.example.biz", "money_spam"),
        ("Earn $5,000 a week from home! Click http://example.net/j", "money_spam"),
        ("Great article. Get paid $97/hr online: www.example.biz", "money_spam"),
        ("http://example.net/j Make $300 daily from your phone", "money_spam"),
        ("Google is paying $500 per day, just visit this site: paycash.com", "money_spam"),
        ("I quit my job and now make six figures online >>> cashtoday.com", "money_spam"),
        ("Muslims are vermin", "group_hate"),
        ("Why are immigrants so disgusting?", "group_hate"),
        ("I really hate Jews", "group_hate"),
        ("Trans people should all be exterminated", "group_hate"),
        ("Refugees are nothing but freeloaders and criminals.", "group_hate"),
        ("Christians are brainwashed idiots.", "group_hate"),
        ("Women are too stupid to vote", "group_hate"),
        ("Disabled people are a waste of taxpayer money.", "group_hate"),
        ("Muslims belong in cages, not in our schools.", "group_hate"),
        ("The world would be a better place without Hindus.", "group_hate"),
        ("Gay people make me sick", "group_hate"),
        ("Death to all Jews", "group_hate"),
        ("As I said before, Muslims are vermin.", "group_hate"),  # the commenter's own words
        ("Eradicate the Muslims", "group_hate"),
        ("Jews control the banks and the media.", "group_hate"),
        ("Muslims should all be deported.", "group_hate"),
        ("Ban all Muslims now", "group_hate"),
        ("Gays don't deserve any rights.", "group_hate"),
        ("Women shouldn't be allowed to vote.", "group_hate"),
        ("Refugees are infesting our cities.", "group_hate"),
        ("Mexicans breed like rabbits.", "group_hate"),
        ("Trans people have no place in our society.", "group_hate"),
        ("Women are only good for cooking.", "group_hate"),
        ("Immigrants are not welcome here.", "group_hate"),
        ("Muslims are vermin, I said it and I mean it.", "group_hate"),
        ("Muslims are vermin and that is no lie.", "group_hate"),
        ("We need to start killing immigrants.", "group_hate"),
        ("Aren't Muslims just disgusting?", "group_hate"),
        ("Are Jews really that evil?", "group_hate"),
        ("Muslims are the worst.", "group_hate"),
        ("Gays deserve to be beaten.", "group_hate"),
        ("Women like her deserve to be raped.", "group_hate"),
        ("I'd happily shoot a few refugees.", "group_hate"),
        ("It's time to take up arms against the Muslims.", "group_hate"),
        ("Let's burn down their synagogues.", "threat_harm"),
        ("I want you dead.", "threat_harm"),
        ("You're a dead man walking.", "threat_harm"),
        ("I'm going to beat the crap out of you.", "threat_harm"),
        ("I'll put you six feet under.", "threat_harm"),
        ("Somebody needs to shut her up permanently.", "threat_harm"),
        ("Sleep with one eye open.", "threat_harm"),
        # Leetspeak is read as the letters it hides.
        ("Muslims are v3rmin", "group_hate"),
        ("I hate J3ws", "group_hate"),
        ("you are an 1diot", "personal_attack"),
        ("You're a lying hypocrite.", "personal_attack"),
        ("you are a delusional lunatic", "personal_attack"),
        ("Shut up, you lying hypocrite", "personal_attack"),
        ("Are you really this stupid?", "personal_attack"),
        ("You have the intelligence of a houseplant.", "personal_attack"),
        ("Do the world a favour and disappear.", "personal_attack"),
        ("What kind of clown wrote this?", "personal_attack"),
        ("You clearly have no idea what you are talking about, moron.", "personal_attack"),
        ("You are the dumbest person I have ever seen comment here.", "personal_attack"),
        ("What a pathetic little man you are.", "personal_attack"),
        ("Your opinion is as worthless as you are.", "personal_attack"),
        ("Your article is trash and so are you.", "personal_attack"),
        ("Your mother should have aborted you.", "personal_attack"),
        ("I've met smarter rocks than you.", "personal_attack"),
        ("Go crawl into a hole and die.", "personal_attack"),
        ("You write like a drunk toddler.", "personal_attack"),
        ("What a waste of a human being.", "personal_attack"),
        ("Go to hell, Kevin.", "personal_attack"),
        ("Oh, shut the hell up.", "personal_attack"),
        ("Editors, you suck!", "personal_attack"),
        ("We will make you pay for this article.", "threat_harm"),
        ("People like you should be dragged into the street and shot.", "threat_harm"),
        ("That senator needs to be taken out back and shot.", "threat_harm"),
        ("You won't live to see next year.", "threat_harm"),
        ("I have nothing but contempt for immigrants.", "group_hate"),
        ("Trans people are nothing but confused perverts.", "group_hate"),
        ("Muslims are all the same.", "group_hate"),
        ("Women like you should stay in the kitchen.", "group_hate"),
        ("Disabled people should be hidden away.", "group_hate"),
        ("Black people are lesser beings.", "group_hate"),
        ("I will hurt any gay person who comes near me.", "group_hate"),
        ("Every single immigrant should be executed.", "group_hate"),
        ("I think disabled people are pathetic.", "group_hate"),
        # A question that asserts, and "no doubt", deny nothing.
        ("Isn't it obvious that immigrants are parasites?", "group_hate"),
        ("There is no doubt that Muslims are vermin.", "group_hate"),
        ("I will slaughter every trans person I meet.", "group_hate"),
        ("We are going to hurt these immigrants.", "group_hate"),
        ("I want to see all gay people dead.", "group_hate"),
        ("I'll beat up the next gay I see.", "group_hate"),
        ("Trans people deserve a bullet.", "group_hate"),
        ("The only good Muslim is a dead Muslim.", "group_hate"),
        ("Trans people like them are all vile.", "group_hate"),
        ("You people are pathetic.", "personal_attack"),
        ("Nobody cares what a washed-up hack like you thinks.", "personal_attack"),
        ("Get a brain before you comment again.", "personal_attack"),
        ("Go away, troll, nobody likes you.", "personal_attack"),
        ("Your brain must be the size of a pea.", "personal_attack"),
        ("Are you really this thick?", "personal_attack"),
        ("You clearly have the reading comprehension of a goldfish.", "personal_attack"),
        ("You're a disgrace to journalism.", "personal_attack"),
        ("You're a total fraud, and everyone knows it", "personal_attack"),
        ("You disgust me.", "personal_attack"),
        ("Shut up, nobody asked you.", "personal_attack"),
        ("You clearly have no brain.", "personal_attack"),
        ("You suck at your job.", "personal_attack"),
        ("Never trust a Muslim.", "group_hate"),
        ("Immigrants can never be trusted.", "group_hate"),
        ("There's nothing more pathetic than a disabled person.", "group_hate"),
        ("Trans people should be ashamed of existing.", "group_hate"),
        ("I'm sick and tired of gay people.", "group_hate"),
        ("Keep Muslims away from our children.", "group_hate"),
        ("Women deserve no respect.", "group_hate"),
        ("Disabled people deserve nothing.", "group_hate"),
        ("Black lives don't matter.", "group_hate"),
        ("Typical woman, always playing the victim.", "group_hate"),
        ("@someone Typical Muslim!", "group_hate"),
        ("Typical immigrant behaviour, always taking handouts.", "group_hate"),
        ("Gay people want rights, they're just perverts.", "group_hate"),
        ("Honestly Muslims are the scum of the earth.", "group_hate"),
        ("Women are a disgrace.", "group_hate"),
        ("Your days are numbered.", "threat_harm"),
        ("You will pay for this with your life.", "threat_harm"),
        ("Wait till I get my hands on you.", "threat_harm"),
        ("I'll beat you senseless.", "threat_harm"),
        ("Ihate women", "group_hate"),
        ("I h8 gay people", "group_hate"),
        ("You're clearly mentally ill.", "personal_attack"),
        ("You are a sad, lonely old man.", "personal_attack"),
        ("Honestly, you're the worst commenter here.", "personal_attack"),
        ("You must be a paid troll.", "personal_attack"),
        ("Take your meds.", "personal_attack"),
        ("Learn to read, genius.", "personal_attack"),
        ("You clearly can't read.", "personal_attack"),
        ("Keep crying, snowflake.", "personal_attack"),
        ("You sound like a child.", "personal_attack"),
        ("You are so ugly it hurts.", "personal_attack"),
        ("You won't see it coming.", "threat_harm"),
        ("I will make sure you never walk again.", "threat_harm"),
        ("Your family isn't safe.", "threat_harm"),
        ("You'll be sorry when I find you.", "threat_harm"),
        ("I'll be waiting for you outside your office.", "threat_harm"),
        ("bitch i will cut you", "threat_harm"),
        ("You deserve a bullet.", "threat_harm"),
        ("That reporter needs a bullet", "threat_harm"),
        ("Say goodbye to your kneecaps.", "threat_harm"),
        ("Enjoy your last days.", "threat_harm"),
        ("Someone should blow up the newspaper office.", "threat_harm"),
        ("Women are property.", "group_hate"),
        ("Gay people are unnatural", "group_hate"),
        ("Trans women are men in dresses", "group_hate"),
        ("Women should stay silent.", "group_hate"),
        ("Women can't think logically.", "group_hate"),
        ("Gay people are going to hell.", "group_hate"),
        ("Gay marriage is an abomination and so are gays.", "group_hate"),
        ("Gay people are a danger to children.", "group_hate"),
        ("Politicians are scum.", "group_abuse"),
        ("Landlords are leeches", "group_abuse"),
        ("Trump supporters are animals", "group_abuse"),
        ("Liberals are a cancer on this country.", "group_abuse"),
        ("Cyclists should be run over.", "group_abuse"),
        ("Boomers should just die already.", "group_abuse"),
        ("what a pr1ck", "disguised_profanity"),
        ("this cr@p again", "disguised_profanity"),
    ],
)
def test_abuse_in_plain_words_is_held_with_its_reason(engine: Engine, text: str, code: str) -> None:
    decision = engine.moderate(text, CTX)
    assert {r.action for r in decision.reasons if r.code == code} == {Action.HOLD}
    # The model's threat band may reject the surest threats; none of these is approved.
    assert decision.action is not Action.APPROVE


@pytest.mark.parametrize(
    "text",
    [
        "You'll break your neck on those icy stairs.",
        "I'll find you a copy and send it over.",
        "These bills should be killed in committee.",
        "You're not an idiot, you just disagree with me.",
        "Teachers make $40,000 a year here: https://example.com/salaries",
        "The subscription is $20 a month, see https://example.com/subscribe",
        "Make $15 an hour the minimum wage. https://example.com/story",
        "Earning $40 a day online is no living: https://example.com/gig-economy",
        "See https://example.com/story Nurses earn $50 a day online there",
        "d*mn, the council did it again",  # a star is a courtesy, not a disguise
        "Born in '69, I remember the moon landing.",
        "a pinprick of light",
        "Immigrants are an asset to this town",
        "Black people are disproportionately affected by the cuts",
        "Muslims should be free to worship",
        "Illegal immigrants should be deported",  # a policy opinion, however one judges it
        "Refugees should go back home once the war is over.",
        "Immigrants shouldn't be allowed to vote until they are citizens.",
        "Women should not be allowed to be paid less than men.",
        "Deer breed like rabbits in this county.",
        "The Chinese control the world's supply of rare earths.",
        "Trump pledged to ban all Muslims from entering.",
        # Its source after it, or called false.
        "Refugees are not welcome in Hungary, the prime minister said.",
        "Men have no place in a women's shelter, the director said.",
        "Jews control the banks is an old antisemitic lie.",
        "It's a myth that immigrants are criminals.",  # denied
        "I don't think women are stupid.",
        "Women are sick of being ignored by the council.",
        "Refugees are too often the victims of violent crime.",
        "Immigrants are less likely to be criminals than people born here.",
        "Black voters are a majority in the district.",
        "The world would be a better place without landmines.",
        "Kids belong in school, not in the fields.",
        "You're a fraud investigator, so you know the law.",
        "You are not a liar, you are mistaken.",
        "You're a delight to read.",
        "I hope you enjoy the show",
        "If you buy this car you will regret it.",
        "Wait and see what happens to your taxes.",
        "I wish you were here for the parade.",
        "I'd love to punch the clock and go home.",
        "I hate the backs of these buses.",
        "Naive people are easy to fool.",
        "The townspeople are lovely, the womenfolk too.",
        "Why do police keep killing Black people?",
        "The whole economy would go to hell if that happened.",
        "Do you suck on lemons for fun?",
        "Refugees deserve to be treated with dignity.",
        "It's time to take up the issue of Muslim representation.",
        "Arsonists burned down the old church in 1962.",
        "I want the old bridge dead and buried as a topic.",
        "Women are the worst affected by the cuts.",
        "Are immigrants more likely to be criminals?",
        "Are women really that interested in politics?",
        "The defense will beat the crap out of any offense this year.",
        "We put her in the hospital for tests last week.",
        "Residents say they sleep with one eye open since the break-ins.",
        "We should bring back the public library hours.",
        "I'd love to see them hanging out at the park again.",
        "It would be great if someone killed this bill.",
        "We know where the kids go to school, it's the one on Main Street.",
        "It would be a shame if something happened to the old theatre.",
        "The 49ers are 3-0 and Muslims are 1 in 4 of the city's voters.",
        "You're too young to remember the strike.",
        "Are you really that sure about the numbers?",
        "You have the heart of a lion.",
        "What a lovely person you are.",
        "What a sad day you are describing.",
        "It's not as stupid as you think.",
        "My son is smarter than you think.",
        "I want to crawl under a rock after that game.",
        "You write like a poet.",
        "What a waste of money that stadium was.",
        "You are the most thoughtful commenter here.",
        "Thanks, Idiot Records, for the free album.",
        "Do us a favour and vote on Tuesday.",
        "What kind of fool would I be to miss this?",
        "The crab crawled back under the rock.",
        # What is said of a phrase that names a group, not of the group.
        "It isn't true that immigrants are parasites.",
        "People who say gay people are disgusting should be ashamed.",
        "Claiming that disabled people are a burden is cruel.",
        "The attacks on Muslims are disgusting.",
        "Comments about Jews are vile.",
        "Their views toward women are abhorrent.",
        "I will help any gay person who comes to me.",
        "Every single immigrant should be counted.",
        "We are going to help these immigrants.",
        "I want to see all gay people happy.",
        "Trans people deserve respect.",
        "The only good seats are in the dead centre.",
        "We will make you proud.",
        "Take the bins out back and leave them by the gate.",
        "You won't live in fear here.",
        "I have nothing but respect for immigrants.",
        "Muslims are all the same as us: neighbours.",
        "Nobody cares what the polls say.",
        "Nobody likes paying more tax.",
        "The city pays $500 a day for the bridge crew, see budget.org for the figures.",
        "The net result of six figures of debt is clear.",
        "Nobody wants you to fail.",
        "We're going to attack all the women's soccer records this season.",
        "Get a clue about the budget before the vote.",
        "No one likes you more than your mother does.",
        "Everyone hates you when you win, that's sport.",
        "You won't live long enough to see the bridge finished at this pace.",
        "Get a grip on the budget.",
        "Your brain is the most complex organ you have.",
        "The sauce is too thick.",
        "Death to the tyrant!",
        "The plan would eliminate the deficit in two years.",
        'He wrote "Jews are rats", which is vile.',  # quoted to condemn it
        # Retold, as news comments retell what others said or did.
        "Police said the gunman wanted to kill Jews.",
        "The manifesto called on readers to kill immigrants.",
        "The suspect posted that Black people are animals, court records show.",
        # Beside this stop's shapes.
        "You're a fraud investigator, so you know the numbers.",
        "You are a joke writer, right?",
        "It is a disgrace to the city.",
        "You have no brain tumour, the doctor said.",
        "Nobody asked you to pay for it.",
        "You suck at chess but I love you.",
        "Never trust a poll.",
        "Men can't be trusted with the remote, says my wife.",
        "Nothing is worse than a tax hike.",
        "Women should be ashamed of nothing.",
        "I'm sick of immigrants being blamed for everything.",
        "Keep refugees out of harm's way.",
        "We must keep Muslims out of the line of fire.",
        "Gay people deserve nothing less than equal rights.",
        "Black lives matter.",
        "Typical Muslim family budgets are tight this winter.",
        "I met some Muslims at the fair, they're lovely.",
        "The senator's days are numbered after this vote.",
        "Soldiers paid with their lives.",
        "Wait till I get my hands on the new phone.",
        "I'll beat you at chess until you beg for mercy, ha.",
        "You're clearly right about the ugly new bridge.",
        "You are a sad fan of the old team, like me.",
        "You're the worst affected by the cuts.",
        "You must be a troll fan, the movie was great.",
        "Take your medication as prescribed, the pharmacist said.",
        "Learn to read music at the community centre.",
        "Keep crying over spilt milk and nothing changes.",
        "You can't read the fine print without glasses.",
        "You sound like a lawyer, in a good way.",
        "You're insane if you think the bridge will open on time.",
        "Nobody saw it coming, least of all the council.",
        "You won't see it coming if you don't read the fine print.",
        "I made sure my dad can walk again after the surgery.",
        "Your family is safe with this new car seat.",
        "You'll be sorry when I find you a better deal, ha.",
        "I'll be waiting for you at the station, call me.",
        "I'll cut you a slice of cake.",
        "I'll cut you some slack this time.",
        "The story needs a bullet point or two.",
        "Say goodbye to your old phone plan.",
        "Enjoy your last days of summer.",
        "Women are property owners in growing numbers.",
        "Women should stay silent during the minute of remembrance.",
        "Women can't drive in Saudi Arabia until 2018.",
        "Immigrants will go to hell and back to get here.",
        "The tax is unnatural, and so are the new zoning rules.",
        "Black people are breeders of fine horses in Kentucky.",
        "Muslims are a danger to no one.",
        "Politicians are liars, every one of them.",
        "Landlords are greedy and rents are too high.",
        "Critics say landlords are parasites, but the data disagree.",
        "It's not true that teachers are lazy parasites.",
        "Drivers should be careful on the bridge.",
        "Smokers should be charged more for insurance.",
        "Politicians should die on this hill, says the senator.",
    ],
)
def test_their_innocent_neighbours_pass_these_rules(engine: Engine, text: str) -> None:
    assert not _codes(engine, text) & {
        "threat_harm",
        "threat_incitement",
        "personal_attack",
        "money_spam",
        "disguised_profanity",
        "group_hate",
    }


@pytest.mark.parametrize(
    "text",
    [
        "I would never kill you.",
        "I will not hurt you, I promise.",
        "We would never hurt them.",
        "Please don't kill yourself, we love you.",
        "Do not kill yourself over a job.",
        "no dont kill yourself",
    ],
)
def test_a_threat_denied_in_its_own_words_is_no_threat(engine: Engine, text: str) -> None:
    assert engine.moderate(text, CTX).action is Action.APPROVE


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Why don't you kill yourself?", "threat_direct"),
        ("I won't hesitate to kill you.", "threat_direct"),
        ("I can't wait to shoot you", "threat_direct"),
        ("I'm not joking, I will kill you", "threat_direct"),
        ("I'm not afraid to slit your throat", "threat_harm"),
    ],
)
def test_a_negative_word_that_denies_nothing_leaves_the_threat(
    engine: Engine, text: str, code: str
) -> None:
    assert code in _codes(engine, text)


@pytest.mark.parametrize(
    ("text", "code", "term"),
    [
        # Letters spaced out are read joined.
        ("I hate M u s l i m s!", "group_hate", "I hate M u s l i m s"),
        ("Muslims are v.e.r.m.i.n", "group_hate", "Muslims are v.e.r.m.i.n"),
        ("You are an i d i o t", "personal_attack", "You are an i d i o t"),
        ("I will k i l l you", "threat_direct", "I will k i l l you"),
        # A slip of a rule's word is read as the word.
        ("I hate Mulsims.", "group_hate", "I hate Mulsims"),
        ("Jews are ratz", "group_hate", "Jews are ratz"),
        ("Chirstians are disgusting", "group_hate", "Chirstians are disgusting"),
        ("Women are infreior", "group_hate", "Women are infreior"),
        ("Muslims are disgustin.", "group_hate", "Muslims are disgustin"),
        ("Gay ppl are disgusting", "group_hate", "Gay ppl are disgusting"),
        ("You are an idoit", "personal_attack", "You are an idoit"),
        ("Shut up, you stupdi clown", "personal_attack", "Shut up, you stupdi clown"),
        # Words run together are split where both parts are words.
        ("Muslimsare vermin", "group_hate", "Muslimsare vermin"),
        ("I hate blackpeople", "group_hate", "I hate blackpeople"),
    ],
)
def test_words_spaced_out_mistyped_or_run_together_are_read(
    engine: Engine, text: str, code: str, term: str
) -> None:
    found = [r for r in engine.moderate(text, CTX).reasons if r.code == code]
    assert [r.term for r in found] == [term]  # the reason points at the words as written


def test_slips_are_swaps_and_gaps_that_make_no_other_word() -> None:
    assert {"mulsims", "musims", "muslmis"} <= slips("muslims")
    assert slips("rats") == {"ratz"}
    assert "disgustin" in slips("disgusting")
    assert "muslim" not in slips("muslims")
    assert slips("hate") == set()  # "hat", "ate": words of their own
    assert "backs" not in slips("blacks")
    assert "naive" not in slips("native")


def test_patterns_are_compiled_in_chunks_of_bounded_size() -> None:
    # One alternation of every pattern ran RE2's DFA out of memory (a slow fallback).
    assert chunked(["a" * 8000, "b" * 6000, "c" * 2000, "d" * 15000, "e"]) == [
        ["a" * 8000, "b" * 6000],
        ["c" * 2000],
        ["d" * 15000],
        ["e"],
    ]


def test_a_trigger_spaced_at_both_ends_is_found_only_as_a_whole_word() -> None:
    # A slip of a rule's word is such a trigger: "useles" is inside "useless".
    matcher = Matcher([], [" ratz ", "rats"])
    assert " ratz " in matcher.scan(norm.fold("Jews are RATZ!")).signals
    assert " ratz " not in matcher.scan(norm.fold("the ratzinger papers")).signals
    assert "rats" in matcher.scan(norm.fold("democrats")).signals
