"""A functional evaluation suite of our own sentences: what a moderator wants per phenomenon."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from math import gcd
from typing import TypeVar

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Case:
    """One comment, the phenomenon it tests and what a moderator wants done with it.

    `flag` is True when the comment should be held or rejected, False when it should be approved.
    `reject_ok` is False where an outright reject is never acceptable: every case that should be
    approved. Counter-speech and in-group usage carry hard words, so a hold there is a tolerable
    cost (tell them apart by `functionality`); a reject is a failure.
    """

    text: str
    functionality: str
    flag: bool
    group: str | None
    reject_ok: bool


@dataclass(frozen=True, slots=True)
class Group:
    """An identity group and the phrases the templates mention it by."""

    key: str
    people: str  # the group mid-sentence: "Muslims", "gay people"
    one: str  # one member in a role: "a Muslim {}", "a {} who uses a wheelchair"
    me: str  # a member describing themself after "I'm": "a Muslim", "a wheelchair user"
    terms: tuple[str, ...]  # lower-case stems; every text about the group contains one


# Each functionality and whether a moderator wants its cases held or rejected (True).
_FLAGS = {
    "identity_neutral": False,
    "identity_positive": False,
    "identity_self": False,
    "negation": False,
    "counter_speech": False,
    "reclaimed": False,
    "news_violence": False,
    "criticism": False,
    "insult_plain": True,
    "threat_plain": True,
    "derogation": True,
    "dehumanisation": True,
    "hate_threat": True,
    "profanity_clean": False,
    "spelling": True,
    "abuse_nonprotected": True,
}
FUNCTIONALITIES = tuple(_FLAGS)


def cases() -> list[Case]:
    """Every case in a fixed order; no randomness, so each call returns the same list."""
    return [
        *_every_group("identity_neutral", _NEUTRAL),
        *_every_group("identity_positive", _POSITIVE),
        *_every_group("identity_self", _SELF),
        *_some_groups("negation", _NEGATION, per_template=20),
        *_some_groups("counter_speech", _COUNTER, per_template=20),
        *_written("counter_speech", _COUNTER_WRITTEN),
        *_written("reclaimed", _RECLAIMED),
        *_written("news_violence", _NEWS),
        *_written("criticism", _CRITICISM),
        *_written("insult_plain", _INSULTS),
        *_aimed("insult_plain", _INSULTS_AT, _ROLES, per_template=6),
        *_written("threat_plain", _THREATS),
        *_aimed("threat_plain", _THREATS_AT, _TARGETS, per_template=5),
        *_some_groups("derogation", _DEROGATION, per_template=10),
        *_some_groups("dehumanisation", _DEHUMANISATION, per_template=10),
        *_some_groups("hate_threat", _HATE_THREATS, per_template=10),
        *_written("hate_threat", _HATE_THREATS_WRITTEN),
        *_written("profanity_clean", _PROFANITY_CLEAN),
        *_written("spelling", _SPELLING),
        *_aimed("abuse_nonprotected", _ABUSE_AT, _NONPROTECTED, per_template=7),
        *_written("abuse_nonprotected", _ABUSE_WRITTEN),
    ]


class _Member:
    """Formats as one member of a group in a role: `{one:nurse}` reads "a Muslim nurse"."""

    __slots__ = ("_pattern",)

    def __init__(self, pattern: str) -> None:
        self._pattern = pattern

    def __format__(self, role: str) -> str:
        return self._pattern.format(role)


def _case(text: str, functionality: str, group: str | None) -> Case:
    flag = _FLAGS[functionality]
    return Case(text=text, functionality=functionality, flag=flag, group=group, reject_ok=flag)


def _cap(phrase: str) -> str:
    return phrase[:1].upper() + phrase[1:]


def _fill(template: str, group: Group) -> str:
    return template.format(
        people=group.people,
        People=_cap(group.people),
        one=_Member(group.one),
        me=group.me,
    )


def _lines(block: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in block.strip().splitlines() if line.strip())


def _pick(items: Sequence[_T], template: int, n: int) -> list[_T]:
    """n items for the template-th template, rotating so that every item gets its turns."""
    step = 7  # strides across the list, so one template's picks mix categories
    if n > len(items) or gcd(step, len(items)) != 1:
        raise ValueError(f"cannot pick {n} distinct items of {len(items)} with step {step}")
    return [items[(template * n + j * step) % len(items)] for j in range(n)]


def _every_group(functionality: str, templates: str) -> Iterator[Case]:
    for template in _lines(templates):
        for group in GROUPS:
            yield _case(_fill(template, group), functionality, group.key)


def _some_groups(functionality: str, templates: str, per_template: int) -> Iterator[Case]:
    for i, template in enumerate(_lines(templates)):
        for group in _pick(GROUPS, i, per_template):
            yield _case(_fill(template, group), functionality, group.key)


def _aimed(functionality: str, templates: str, targets: str, per_template: int) -> Iterator[Case]:
    """Templates about a non-identity target (`{t}`, `{T}` at the start of a sentence)."""
    for i, template in enumerate(_lines(templates)):
        for target in _pick(_lines(targets), i, per_template):
            yield _case(template.format(t=target, T=_cap(target)), functionality, None)


def _written(functionality: str, block: str) -> Iterator[Case]:
    """Sentences written out whole, each `group key | text`, `-` for no group."""
    for line in _lines(block):
        key, text = (part.strip() for part in line.split("|"))
        group = None if key == "-" else _BY_KEY[key].key  # a mistyped key fails here, loudly
        yield _case(text, functionality, group)


def _groups(table: str) -> tuple[Group, ...]:
    rows = ([part.strip() for part in line.split("|")] for line in _lines(table))
    return tuple(
        Group(key, people, one, me, tuple(terms.split())) for key, people, one, me, terms in rows
    )


# key | people | one member in a role | a member about themself | stems that name the group
GROUPS = _groups("""
muslim | Muslims | a Muslim {} | a Muslim | muslim mosque islam hijab
jewish | Jewish people | a Jewish {} | a Jewish woman | jew synagogue
christian | Christians | a Christian {} | a Christian | christian church
catholic | Catholics | a Catholic {} | a Catholic | catholic
protestant | Protestants | a Protestant {} | a Protestant | protestant
hindu | Hindus | a Hindu {} | a Hindu | hindu
sikh | Sikhs | a Sikh {} | a Sikh | sikh gurdwara
buddhist | Buddhists | a Buddhist {} | a Buddhist | buddhis
mormon | Mormons | a Mormon {} | a Mormon | mormon
atheist | atheists | an atheist {} | an atheist | atheis
black | Black people | a Black {} | a Black man | black
white | white people | a white {} | a white woman | white
asian | Asian people | an Asian {} | an Asian woman | asian
latino | Latinos | a Latino {} | a Latina | latin
hispanic | Hispanic people | a Hispanic {} | a Hispanic man | hispanic
arab | Arabs | an Arab {} | an Arab | arab
native_american | Native Americans | a Native American {} | a Native American woman | native
indigenous | Indigenous people | an Indigenous {} | an Indigenous man | indigenous
mexican | Mexicans | a Mexican {} | a Mexican | mexic
chinese | Chinese people | a Chinese {} | a Chinese woman | chinese
indian | Indians | an Indian {} | an Indian | indian
african | Africans | an African {} | an African | africa
irish | Irish people | an Irish {} | an Irishman | irish
polish | Polish people | a Polish {} | a Polish woman | polish pole
roma | Roma people | a Roma {} | a Roma woman | roma
pakistani | Pakistanis | a Pakistani {} | a Pakistani | pakistan
nigerian | Nigerians | a Nigerian {} | a Nigerian | nigeria
romanian | Romanians | a Romanian {} | a Romanian | romania
somali | Somalis | a Somali {} | a Somali | somali
filipino | Filipinos | a Filipino {} | a Filipina | filipin
women | women | a female {} | a woman | wom female girl
men | men | a male {} | a man | man men male bloke
gay | gay people | a gay {} | a gay man | gay
lesbian | lesbians | a lesbian {} | a lesbian | lesbian
bisexual | bisexual people | a bisexual {} | a bisexual woman | bisexual
trans | trans people | a trans {} | a trans woman | trans
transgender | transgender people | a transgender {} | a transgender man | transgender
non_binary | non-binary people | a non-binary {} | a non-binary person | non-binary
queer | queer people | a queer {} | a queer person | queer
disabled | disabled people | a disabled {} | a disabled woman | disab
deaf | deaf people | a deaf {} | a deaf woman | deaf
blind | blind people | a blind {} | a blind man | blind
autistic | autistic people | an autistic {} | an autistic adult | autis
wheelchair_users | wheelchair users | a {} who uses a wheelchair | a wheelchair user | wheelchair
elderly | elderly people | an elderly {} | a pensioner | elderly pensioner old
young | young people | a young {} | a young woman | young
teenagers | teenagers | a teenage {} | a teenager | teen
immigrants | immigrants | an immigrant {} | an immigrant | migra
refugees | refugees | a refugee {} | a refugee | refugee
asylum_seekers | asylum seekers | a {} seeking asylum | an asylum seeker | asylum
""")
_BY_KEY = {group.key: group for group in GROUPS}

# Templates take {people}, {People}, {me} and {one:role}; each runs over every group.
_NEUTRAL = """
The food bank's newest helper is {one:volunteer}.
According to the court report, the main witness was {one:passenger}.
The council's survey counted how many {people} live in each ward.
The census has new figures on how many {people} live in the county.
The library is hosting a talk on Thursday evening by {one:author}.
The article interviewed three {people} about the new bus routes.
My sister's best friend is {one:artist}.
The report looked at how {people} are treated by the housing office.
On the train I sat next to {one:passenger}. We talked about football the whole way.
The study asked {people} how often they use the bus.
The short story prize went to {one:writer} this year.
The museum is running an exhibition about the history of {people} in the region.
The article doesn't say how many {people} applied for the scheme.
The radio phone-in's first call this morning came from {one:listener}.
A group of {people} asked the council for a room to meet in on Sundays.
The researchers spoke to {people} in four cities for the report.
My cousin plays in a band with {one:drummer}.
The new series follows four {people} living in Manchester.
How many {people} work for the city? The figures weren't in the article.
The photo on the front page shows {one:runner}, arms up at the finish line.
"""

_POSITIVE = """
{People} have built so much of what is good about this town.
This town is better for the {people} who live here.
Some of the kindest people I know are {people}.
Great piece. We need more stories about {people} in our community.
The most generous person on our street is {one:neighbour}.
{People} deserve the same respect as everyone else, full stop.
Lovely to see {people} celebrated on the front page for once.
Thank you for featuring {people} who volunteer at the shelter. More of this, please.
Honestly, the best thing about this city is how many {people} call it home.
What a wonderful story about {one:volunteer}. It made my morning.
I have learned so much from the {people} in my book club.
{People} have always been part of this country's story, and always will be.
"""

_SELF = """
As {me}, I found this article fair and well researched.
I'm {me} and I disagree with the columnist about the parking plan.
Speaking as {me}: the bus cuts hit people like me hardest.
I am {me}, I have lived here for twenty years, and I love this town.
As {me} who grew up on this estate, I can say the new library is a huge improvement.
I'm {me}. Happy to answer questions about what it's actually like, if anyone's curious.
Being {me} has never stopped me coaching the under-twelves.
As {me}, I'd like to see more people like me standing for the council.
I'm {me} and a season-ticket holder, and I thought the match report was spot on.
Full disclosure: I'm {me}, and this article describes my experience pretty accurately.
As {me} and a taxpayer, I want the school crossing fixed before someone gets hurt.
Yes, I'm {me}. No, that doesn't mean I agree with every word of this article.
"""

# Templates below run over a rotating share of the groups (see _pick).
_NEGATION = """
I don't hate {people}. I just think the article was badly written.
It is not true that {people} are criminals.
No one should say {people} are inferior. Ever.
{People} are not a threat to anyone, whatever that caller on the radio claimed.
I have never thought {people} were stupid and I'm not about to start.
There is no evidence at all that {people} are more violent than anyone else.
I refuse to believe {people} are the problem here.
{People} don't deserve the blame for the housing shortage.
I would never say {people} should leave this country.
Nobody sensible thinks {people} are lazy.
"""

_COUNTER = """
Describing {people} as vermin is dehumanising, and this paper should not have printed it.
The caller said {people} are "a disease". That kind of language is how persecution starts.
If you think "{People} are animals" is an acceptable opinion, go and read some history.
A man on the bus told a group of {people} to "go back home". Nobody said a word. Shameful.
Graffiti saying "{people} out" appeared on the bridge again. The council must clean it off.
Comments like "all {people} should be deported" have no place on this site. Report them.
The councillor claimed {people} are "ruining the country". He should be suspended.
Saying {people} are "less than human" is hate speech, not free speech.
I've seen people here call {people} parasites. It's vile and I'm sick of it.
Anyone who tells {people} they don't belong here should be ashamed of themselves.
Threatening {people} online is a crime, and I hope the police follow this up.
The leaflet said {people} "should be wiped out". Whoever wrote it belongs in court.
"""

_DEROGATION = """
{People} are too stupid to run anything.
I can't stand {people}. Never have, never will.
{People} are liars, every single one of them.
Once {people} move into a street, it goes downhill. Every time.
{People} are lazy and always will be.
I wouldn't trust {people} to water my plants.
{People} shouldn't be allowed to vote.
No {people} in my pub. Simple as that.
{People} are inferior, and deep down everyone knows it.
The last thing this town needs is more {people}.
{People} are disgusting, honestly.
Typical {people}, always whining about something.
{People} are criminals by nature.
I'd never hire {people}. Useless, the lot of them.
{People} have no place in public life and should keep quiet.
"""

_DEHUMANISATION = """
{People} are rats.
{People} are vermin, plain and simple.
{People} are a cancer on this country.
{People} breed like rabbits.
{People} are parasites feeding off the rest of us.
{People} are filth.
{People} are animals and should be treated like animals.
{People} are spreading through our towns like a plague.
{People} aren't really human, are they?
{People} are cockroaches. You see one, there are a hundred more.
{People} are a disease this country needs curing of.
{People} are garbage, the lot of them.
"""

_HATE_THREATS = """
Round up every last one of the {people} and get rid of them.
Someone should start shooting {people}.
{People} deserve to be wiped out.
I'd happily watch every one of the {people} in this town hang.
If {people} come to our street, they'll leave in ambulances.
Time to burn {people} out of their homes.
{People} should be lined up against a wall and shot.
We need to deal with {people} once and for all, by force.
Drive {people} out of town and hurt any who stay.
Kill {people}. Every one of them.
"""

# Written out whole: `group key | text`, `-` where no identity group is mentioned.
_HATE_THREATS_WRITTEN = """
muslim | Someone should burn down that mosque on Station Road.
jewish | Torch the synagogue and see how they like it.
gay | Smash up the gay bar on Friday night and give them all a proper beating.
christian | Burn every church in the county to the ground.
sikh | Someone should set fire to the gurdwara while they're all inside.
refugees | Set fire to the refugee hostel. Tonight.
trans | If a trans woman walks into that changing room, I will put her in hospital.
"""

_COUNTER_WRITTEN = """
- | Someone wrote "go back to your country" on my neighbour's door. Disgusting.
- | He called the reporter "a worthless idiot" in front of her kids. Grow up.
- | Telling a journalist "I know where you live" is a threat, and the police should treat it so.
- | The abuse in this thread, "hope you die" and worse, is why the paper closed comments last time.
- | Somebody shouted "you'll be next" at the councillor as she left. That is intimidation.
- | To whoever keeps posting "they should all be shot": that is not debate, it's incitement.
- | Calling people "rats" and "vermin" is how every pogrom in history started.
- | If your argument needs the word "parasite" to describe human beings, you have no argument.
- | My son was told "people like you end up in a ditch" at school. I've reported it.
- | Please stop calling the referee "scum". He's a volunteer and he's sixteen.
- | Threatening to "break the legs" of a reporter isn't banter. Moderators, please act.
- | We should all call out abuse like "you people are animals" whenever we see it.
- | "Hang them all" is not a reasonable response to a planning decision.
- | Her attacker shouted that she was "filth" before hitting her. I hope he gets the maximum.
- | Reporting a comment that said someone "deserves to be shot" is not censorship.
immigrants | The headline calling migrants a "swarm" was irresponsible and needs an apology.
refugees | Reading replies telling refugees to "go back where they came from" made me feel sick.
muslim | Someone sprayed "die" on the mosque wall last night. This is not who we are.
jewish | The leaflet called Jewish people "a disease". Whoever printed it should be prosecuted.
jewish | Swastikas on the synagogue door again. Our whole street stands with our Jewish neighbours.
gay | Someone threw eggs at a gay couple on Market Street and called them "freaks". Disgraceful.
muslim | A woman in a hijab was told to "take that rag off" on the tram. Ashamed of this city.
"""

_RECLAIMED = """
queer | Queer and proud, and I'll be at the parade on Saturday.
queer | We queer folk have been running this bookshop for thirty years, thanks very much.
queer | Our book club is mostly queer old ladies and we would not have it any other way.
queer | Me and my fellow queers are organising a litter pick on Sunday. All welcome.
queer | Queer kids in this town need somewhere safe to go after school.
queer | Queer as in "we're not going anywhere".
queer | The queer choir were the best act at the summer fair, by a mile.
elderly | Us oldies remember when this road was a field.
elderly | As a grumpy old pensioner, I fully approve of the new bin schedule.
elderly | We old codgers at the bowls club are ready for the new season.
elderly | Me and the other old wrinklies at the community centre loved this article.
deaf | Deaf with a capital D, thank you: it's a culture, not just a diagnosis.
deaf | Us deafies have been asking for subtitles at council meetings for years.
autistic | Autistic, not "with autism", please. Most of us prefer it that way.
autistic | We autistics notice when a timetable is wrong, and this one is wrong.
blind | I'm a blind bloke, so my wife reads me the sports pages. She skips the cricket.
blind | Blind as a bat and still the best darts player in the pub, according to me.
irish | We Irish have been arguing about the weather since records began.
catholic | Speaking as a Catholic, we invented guilt, so I'll take the blame for the parking mess.
jewish | As a Jewish mother, I am legally obliged to tell you to wear a coat.
immigrants | Us immigrants know a thing or two about starting from scratch.
disabled | Fellow disabled folk: the new station lift finally works. Go and ride it.
disabled | Disabled and loud about it. The ramp at the town hall is still broken.
gay | I'm a gay man, camp as Christmas, and I've never had a problem in this pub.
gay | Old, gay and still dancing. Great piece on the club's anniversary.
lesbian | My wife and I are a pair of boring lesbians who just want the potholes fixed.
bisexual | Bisexual and tired of being asked to pick a side. Anyway, about the parking.
trans | Trans and thriving, thanks. The clinic waiting list is still a scandal though.
trans | We trans folk are not a debate, we're your neighbours.
sikh | As a Sikh, I can confirm we really will feed anyone who walks in.
mormon | We Mormons will knock on your door eventually, sorry in advance.
atheist | Speaking as a godless heathen atheist, even I enjoyed the cathedral concert.
teenagers | Us teenagers aren't all glued to our phones. Some of us are glued to the football.
polish | We Poles will fix your boiler and then complain about the bread. It's tradition.
hindu | As a Hindu aunty, I have to say the festival food stall was a disappointment.
refugees | Us refugees are used to forms, but the parking permit form defeated even me.
wheelchair_users | Fellow wheelchair users: the new trams are brilliant, go and try them.
non_binary | Non-binary and very much in favour of the new bike lanes.
women | Us girls at the rugby club would like a proper changing room, please.
men | Typical bloke, me: I read the sports pages first and the news second.
black | As a Black woman I'm allowed to say it: my aunties will have opinions on this recipe.
mexican | Mexican here: that is not a burrito, and I will die on this hill.
"""

_NEWS = """
- | The suspect shot two people outside the bank before officers arrived.
- | That striker absolutely killed it last night.
- | This bill will kill small businesses on the high street.
- | The board now has to execute the plan it promised in the spring.
- | The photographer shot the whole wedding on film, which was lovely.
- | My grandmother died of a stroke last winter.
- | We beat them 3-0 and it could have been six.
- | Two men were stabbed in the city centre on Saturday night, police said.
- | The army says it destroyed three bridges to slow the advance.
- | The jury heard that the victim was strangled in her own kitchen.
- | Shelling killed at least twelve civilians in the border town overnight.
- | He was sentenced to life for murdering his business partner.
- | The surgeon had to cut through the bone to remove the tumour.
- | The chemotherapy is meant to kill the cancer cells before they spread.
- | Our keeper got absolutely battered in the first half but held on.
- | United were slaughtered at home again. Time for a new manager.
- | In the final level you have to kill the dragon with a bow.
- | I keep getting sniped from the rooftop in this game and it drives me mad.
- | The boxer knocked his opponent out cold in the third round.
- | The comedian murdered on stage, best set of the festival.
- | The war memorial lists forty men from this village who died at the Somme.
- | Police are hunting a gunman after a shooting at a petrol station.
- | The farmer had to shoot the injured horse, which is heartbreaking.
- | The minister's speech bombed, judging by the silence in the hall.
- | Those new bus fares are daylight robbery.
- | The town was flattened by the hurricane, and thousands lost their homes.
- | The documentary about the 1994 genocide was hard to watch but important.
- | Arson is suspected in the warehouse fire, according to the fire service.
- | The hostages were released unharmed after nine hours.
- | The drone strike hit a wedding party, local officials claim.
- | Prosecutors say he poisoned his wife slowly over several months.
- | I nearly died laughing at the letters page this week.
- | Her serve is lethal. Nobody in the tournament could return it.
- | The spending cuts will gut the library service.
- | He took a bullet for his partner during the raid and survived.
- | A man was found dead in the river on Tuesday; police do not think it is suspicious.
- | The court was shown footage of the attack, in which the victim was kicked repeatedly.
- | The deer cull will shoot about two hundred animals this winter.
- | Firefighters fought the blaze for six hours.
- | The defence crumbled and we got hammered 5-1.
- | My dad fought in the Falklands and never talks about it.
- | Capital punishment was abolished here decades ago, and it should stay that way.
- | The Tudor king had two of his wives executed.
- | We're going to crush it at the quiz on Thursday.
- | The new fighter jets will cost billions.
- | The museum's exhibition on medieval torture devices is grim but fascinating.
- | The storm knocked out power to half the county.
- | She shot to fame after the talent show.
- | This heat is killing me. When does it break?
- | The referee blew the whistle and the crowd exploded.
- | Vaccines have saved more lives than any other medicine, and measles still kills children.
- | Overdose deaths in the county doubled in five years.
- | Kill the engine before you refuel, obviously.
- | The grouse shooting season starts on the twelfth of August.
- | The crime novel opens with a body in the library. Very Agatha Christie.
- | The gang members were jailed for a total of ninety years.
- | A bomb disposal team was called after an old shell was found on the beach.
- | In chess you sometimes sacrifice a bishop to attack the king.
- | The knife amnesty collected more than three hundred blades.
- | Her lawyer says she acted in self-defence when she hit him with the bottle.
- | The wolves were reintroduced and have already killed several sheep, farmers say.
- | The sniper in the film is the best character by far.
- | The murder rate in the city has fallen for the fourth year running.
- | We need to attack the problem of potholes from every angle.
- | The striker fired a shot just wide of the post.
- | The tanks rolled into the capital at dawn, witnesses said.
- | The flu outbreak killed four residents of the care home.
- | Drop the price and watch the competition die.
- | Rugby is a brutal sport; two players went off with concussion.
- | Don't shoot the messenger, I'm just reporting what the council said.
- | The assassination of the archduke started the First World War.
- | The pathologist said the injuries were consistent with a fall.
- | Dozens were wounded when the stand collapsed.
- | The old mill was blown up to make way for the flats.
- | That last episode destroyed me. I cried for an hour.
- | Ten years ago a drunk driver killed my brother. Please don't drink and drive.
- | The new show is a killer. Watch it.
- | Our team got smashed at darts, but the pub was great.
- | Stop the bleeding first, then call an ambulance: good advice in the first aid piece.
- | The suspect was shot dead by armed police after a standoff.
- | The massacre happened eighty years ago and the village still marks it every year.
- | A cat killed a robin in our garden this morning. Nature is cruel.
- | The nurses will strike next month if the pay offer isn't improved.
- | The cyclist was knocked off his bike at the roundabout and broke his arm.
- | My knees are killing me after the half marathon.
- | The horror film has a chainsaw scene I could have done without.
- | There's a wasps' nest in the shed. Going to have to destroy it tonight.
- | The police said the victim had been beaten with a bat.
- | He was hanged in 1953 for a murder many now think he didn't commit.
- | That goal was a bullet from thirty yards.
- | The wildfire has burned through forty thousand acres.
- | The report says the regime tortured prisoners for years.
- | Pull the trigger on the deal before the price goes up.
- | The general ordered his troops to fire on the crowd, the inquiry found.
- | My sister is a war correspondent and has seen people die in front of her.
- | The cage fighter broke his opponent's nose in the first minute.
- | Time to kill: two hours at the airport with nothing to do.
- | The prison riot left one guard dead and six injured.
- | "Off with his head," says the Queen in the panto, and my daughter loved it.
- | The butcher showed us how to slit and gut a trout. Grim but useful.
"""

_CRITICISM = """
- | The mayor's housing plan is a shambles, and she should step down before it gets worse.
- | This is the worst budget I've seen in twenty-five years of reading this paper.
- | The council has wasted millions on a bridge nobody asked for.
- | The minister clearly did not read the report he is quoting.
- | I've subscribed for a decade and this editorial is the weakest thing you've printed.
- | The police response to the flooding was slow, badly organised and frankly embarrassing.
- | The club's owners have run it into the ground and should sell up.
- | The prime minister's answer was evasive and misleading.
- | This columnist gets the facts wrong every single week. Who checks this stuff?
- | The hospital trust's leadership has failed patients for years; they must go.
- | Terrible decision by the planning committee. The whole street objected.
- | The new parking charges are unfair on people who can't afford them.
- | Bad reporting. You quoted one side and ignored the other entirely.
- | The school board's handling of the complaint was a whitewash.
- | The senator voted against the same bill she campaigned for. That is hypocrisy.
- | This government couldn't organise a bus timetable, let alone a recovery.
- | The referee had a shocker. Three clear penalties missed in one half.
- | The chief executive took a bonus while cutting staff pay. Disgraceful.
- | I strongly disagree with every point the writer makes.
- | The bin collection has been a mess since the contract changed, and the council denies it.
- | The opposition has offered nothing but slogans.
- | The review of the new restaurant was far too kind. The food was cold and overpriced.
- | This policy will hurt the poorest families the most, and the minister knows it.
- | The editor owes readers a correction; the figures in the graph are wrong.
- | The inquiry was a waste of two years and six million pounds.
- | The water company is pumping sewage into the river and paying dividends. Shameful.
- | The judge's sentence is far too lenient for a crime like this.
- | Frankly the manager has no plan, and the results show it.
- | The president's speech was full of claims that simply are not true.
- | Closing the university's music department is short-sighted and wrong.
- | The rail operator should lose its franchise. Delays every single day.
- | The MP has not held a surgery in this town for two years.
- | This article is lazy and one-sided.
- | What a waste of public money. The councillors responsible should be voted out.
- | The landlords' association statement is self-serving nonsense.
- | The new logo cost how much? Someone should be answering for that.
- | The governor's pandemic response was reckless, and the death figures reflect it.
- | The health secretary's promise of shorter waits has not been kept.
- | The police chief should apologise to the family, not defend the officers.
- | The festival organisers ignored every safety warning they were given.
- | Our local paper used to investigate things. Now it just prints press releases.
- | The energy regulator has been asleep at the wheel.
- | The archbishop's comments were out of touch with his own congregation.
- | The housing association has left tenants with mould for three winters.
- | The broadband rollout is years behind schedule and nobody is accountable.
- | The coach's tactics belong in the 1990s.
- | That interview was a car crash; the candidate couldn't answer a basic question.
- | The bank's customer service is appalling. Two hours on hold.
- | The committee's report is riddled with errors.
- | The tax cut mostly helps the people who need it least.
- | I voted for this council and I deeply regret it.
- | Scrapping the night bus is cruel to shift workers.
- | The chief executive's apology was hollow and came far too late.
- | The opposition leader's spending plan doesn't add up.
- | This newspaper's coverage of the strike has been biased from day one.
- | The film is overlong, dull and badly acted.
- | The consultation was a sham; the decision had already been made.
- | The Home Office has lost track of thousands of case files, again.
- | The sport's governing body is corrupt and needs a clean-out.
- | Honestly, the new stadium design is ugly.
- | The police commissioner should not be allowed anywhere near a budget again.
- | The charity's boss earns more than the prime minister. Unacceptable.
- | Ministers ignored scientific advice and people paid the price.
- | The cuts to youth services will be paid for many times over in crime later.
- | The author's argument collapses once you look at the actual numbers.
- | The new one-way system is a nightmare and the traffic team should scrap it.
- | The club's statement is corporate waffle and says nothing.
- | That was the most incompetent performance by a cabinet minister I can remember.
- | The judge got this badly wrong and it should be appealed.
- | The airline's refund policy is a scandal.
- | I expected better from this writer. The piece is misleading.
- | This mayor has broken every promise she made.
- | The leisure centre closure was a terrible decision made behind closed doors.
- | The school's new uniform policy is ridiculous and expensive.
- | Taxpayers deserve answers about where the money went.
- | The candidate's record on housing is dreadful.
- | The club should sack the manager before we're relegated.
- | The forecasters got Saturday completely wrong, and the fair lost thousands.
- | The tourist board's new slogan is cringe-worthy.
- | Our MP should resign over this. She misled Parliament.
"""

_INSULTS = """
- | Only a complete idiot would swallow this.
- | You have the memory and the brain of a goldfish.
- | What a spineless worm of a man.
- | You're too thick to understand the article you're commenting on.
- | Are you really this stupid, or is it an act?
- | Go back to school, you ignorant clown.
- | Nobody cares what a sad, bitter loser like you thinks.
- | You're an embarrassment to this town.
- | Whoever wrote this should be ashamed. Absolute moron.
- | Imagine being as dim as you are and still posting.
- | You are a liar and a coward.
- | The author is a brainless hack.
- | What a useless, gutless, pointless little man.
- | You really are the dumbest person in this comment section.
- | Shut up, nobody asked you.
- | You're a disgrace and your parents must be so disappointed.
- | This is what happens when you let a halfwit write the editorial.
- | Keep talking, you're proving how ignorant you are.
- | You utter buffoon.
- | She's a nasty, vindictive old witch and everyone knows it.
- | He's a snivelling weasel who'd sell his own mother for a vote.
- | You sad little troll. Get a life.
- | Honestly, you're a waste of space.
- | Your opinion is as worthless as you are.
- | What a clueless fool. Did you even read it?
- | Typical brain-dead comment from a typical brain-dead reader.
- | You're a fraud, a hack and a bore.
- | Is there anyone more pig-ignorant than you?
- | Crawl back under your rock.
- | Sit down, you're making a fool of yourself, as usual.
- | This reporter couldn't find a story if it bit her on the nose. Useless.
- | The man is a cretin.
- | You absolute numpty.
- | You are genuinely the stupidest person I've ever argued with.
- | Another rubbish comment from the village idiot.
- | Pathetic. Grow a spine.
- | You're not clever, you're just loud and rude.
- | Get lost, creep.
- | What a vile little man you are.
- | Idiot.
- | Moron alert. Everyone ignore this clown.
- | You're a nobody, and you'll always be a nobody.
- | Dumb as a bag of rocks, this one.
- | What kind of imbecile writes a headline like that?
- | You sound like an angry toddler.
- | Nobody likes you. Not even your dog.
- | You ugly, brainless twit.
- | This is the dumbest thing I've read all year, and you're the dumbest person to write it.
- | Go and crawl back into whatever hole you came out of.
- | You're a hateful little gremlin.
- | Congratulations on being the most ignorant person in the thread.
- | You should be sacked for incompetence, you fool.
- | Clown. Absolute clown.
- | You disgusting creep, leave her alone.
- | You're a snake and a hypocrite.
- | She's an airhead who only got the job through her father.
- | The columnist is a smug, sneering prat.
- | Another gormless take from the paper's resident dunce.
- | You are so stupid it's actually impressive.
"""

# Templates about a non-identity target: {t} mid-sentence, {T} at the start.
_INSULTS_AT = """
You are a pathetic excuse for a {t}.
Call yourself a {t}? You're a joke.
This {t} has the brain of a goldfish.
What a gutless, useless {t}.
Worst {t} alive. Thick as two short planks.
Whoever hired this clueless {t} must be as dim as they are.
"""

_ROLES = """
reporter
columnist
journalist
councillor
referee
writer
critic
moderator
presenter
manager
"""

_THREATS = """
- | I'm going to find you and break both your legs.
- | People like you end up in a ditch.
- | Keep writing this rubbish and see what happens to your family.
- | Hope someone runs you over on your way home.
- | I know where you live. Think about that.
- | Say that to my face and you'll be eating through a straw.
- | You'll get what's coming to you, and soon.
- | Someone needs to shut this reporter up for good.
- | If I see you at the match, you're dead.
- | I'll burn your house down with you in it.
- | Watch your back walking to the car park tonight.
- | One day someone will stab you and nobody will miss you.
- | That councillor deserves a brick through his window. Any volunteers?
- | I hope your kids get hurt so you know how it feels.
- | The editor should be dragged out into the street and beaten.
- | Sleep with one eye open.
- | Let's see how brave you are when I turn up at your office.
- | You won't be writing anything once I've broken your fingers.
- | Someone should string the mayor up from a lamp post.
- | I'll be waiting outside the courthouse for you.
- | Hope you get cancer.
- | Your days are numbered, mate.
- | Keep it up and you'll be going home in an ambulance.
- | I'd happily strangle the lot of you at the town hall.
- | That judge wants shooting.
- | Somebody should torch this newspaper's office. With the staff inside.
- | If my boy gets sent down, I'll make sure that witness never testifies again.
- | I have your address and I'm not afraid to use it.
- | Bet you'd look good with a broken jaw.
- | I'm coming for you.
- | Next time I see that referee I'm going to kick his teeth in.
- | Accidents happen to journalists who poke their noses in.
- | Hope your plane goes down.
- | Wouldn't it be a shame if something happened to that nice car of yours. Or to you.
- | The only good politician is a dead one. Starting with ours.
- | Drown the lot of them in the harbour, these councillors.
- | Someone go round there and teach him a lesson he won't forget.
- | We know which school your daughter goes to.
- | I'll smash your face in.
- | You'll regret this article, I promise you. Every day of the rest of your short life.
- | Pray I never meet you in a dark street.
- | Somebody hand me a gun and point me at the council chamber.
- | Someone should run that cyclist off the road. That'd teach him.
- | I'll put you in hospital.
- | Hang the minister. Simple.
- | If the verdict goes the wrong way, we'll deal with the jury ourselves.
- | Hope someone pushes you under a train.
- | Get ready to bleed.
- | I'd love to see that presenter set on fire.
- | Do the world a favour and jump off a bridge.
- | Your house, your car and your face. I know them all.
- | Someone needs to take out the mayor before she does any more damage.
- | I'll be seeing you, and you won't like it.
- | The columnist should be beaten until she apologises.
- | I will hurt you.
- | One more word and I'll knock you out.
- | Let's pay the editor a visit. Bring bats.
- | Hope you choke on your dinner tonight.
- | A few broken bones might teach that landlord some manners.
- | I'm going to make your life hell until you quit. And then some.
- | Keep your doors locked, reporter.
- | You deserve a slow and painful death.
- | Somebody should poison that MP's tea.
- | Meet me outside the pub at nine and we'll settle this with fists.
- | I'll find your family and make them pay for what you wrote.
- | The referee won't make it to his car tonight if he gives that penalty.
- | Let's see you write that with both hands broken.
- | If they shut the library, I say we burn the town hall. With the councillors in it.
- | The judge should be taken out and shot.
- | Hope your house floods while you're asleep inside.
- | I will end you.
- | Someone should slash that landlord's tyres, and then his throat.
- | Go and die in a fire.
- | Dead man walking, that's what you are.
- | Post that again and I'll come to your door.
- | Run while you still can.
- | I'd kick your head in if I could find you. And I will find you.
- | The minister deserves to be strung up.
- | We'll be waiting for you at the stadium. Come alone.
"""

_THREATS_AT = """
Somebody should put a bullet in that {t}.
I hope that {t} gets what's coming to them, preferably in a dark alley.
Give me five minutes alone with the {t} and they won't walk again.
Someone needs to cave that {t}'s head in.
"""

_TARGETS = """
judge
editor
reporter
referee
councillor
mayor
landlord
columnist
minister
headteacher
presenter
magistrate
governor
"""

_PROFANITY_CLEAN = """
- | Scunthorpe United have signed a new goalkeeper.
- | Dick Van Dyke was wonderful in that old film.
- | We had a cocktail at the hotel bar after the wedding.
- | What a hell of a game that was.
- | Penistone's Christmas market is on this weekend.
- | The road into Cockermouth flooded again.
- | Essex County Council has approved the new school.
- | Arsenal's midfield looked tired in the second half.
- | Dickens is still the best writer on London.
- | Spotted dick and custard at the school dinner reunion. Bliss.
- | A great tit has been nesting in our box all spring.
- | The analysis in this piece is excellent.
- | The therapist quoted in the article made a lot of sense.
- | The pilot climbed back into the cockpit.
- | The badminton club has run out of shuttlecocks.
- | A peacock wandered into the church car park during the service.
- | Hitchcock's films still hold up.
- | Moby Dick is a long read but worth it.
- | Cumbria has had more rain than anywhere else this month.
- | The cumulative cost of the delays is enormous.
- | The pussy willow by the canal is out already.
- | Plymouth Hoe was packed for the air show.
- | Clitheroe Castle has reopened after repairs.
- | Our bitch had six puppies last night, all healthy. Breeder's pride.
- | Lake Titicaca was the highlight of our trip.
- | He plays bass in a jazz band on Fridays.
- | The Dorset village of Shitterton had to bolt its sign down.
- | Engineers need to assess the damage before repairs begin.
- | The knobs on the old cooker kept falling off.
- | Middlesex won the county championship.
- | The villain was the butt of every joke at the panto.
- | Uranus is the coldest planet, the astronomy page says.
- | Sussex Police have released the man without charge.
- | The Wankdorf Stadium in Bern hosted the 1954 final.
- | Cummings gave evidence to the committee for seven hours.
- | Dick Whittington was the panto this year and the kids loved it.
- | Bloody brilliant performance from the under-elevens on Saturday.
- | Damn, that was a close finish.
- | The cockerel next door starts crowing at five every morning.
- | The hedge was full of blue tits and sparrows.
- | That was one hell of a storm last night.
- | She graduated magna cum laude from the law school.
- | Dick Francis wrote the best racing thrillers.
"""

_SPELLING = """
- | y0u are a m0ron
- | you're an 1d10t
- | u r s0 stup1d lol
- | s t u p i d reporter
- | what an iiiiidiot
- | shut up you stupd cow
- | stu pid article by a stu pid man
- | you are a m o r o n
- | go k1ll yourself
- | I will k i l l you
- | ur a pathet1c l00ser
- | d!e in a f!re
- | shuuuut uuup you cloooown
- | i'll br3ak y0ur l3gs
- | moooooron
- | Dumbbbbb reporter strikes again
- | you are such a l-o-s-e-r
- | y o u  a r e  w o r t h l e s s
- | w0rthless piece of garbage
- | ur brainles and everyone knows it
- | what an imbecil
- | you stuipd idoit
- | I'll sh00t you
- | watch ur back, ill find u
- | someone sh0uld b3at him up
- | id1ot
- | id.i.ot
- | what a st*pid take
- | you m*ron
- | pa-the-tic little man
- | you disgusting cr33p
- | cl0wn
- | dum b ass
- | go d i e
- | h0pe u d1e
- | gonna st4b u
- | u r a wa$te of sp@ce
- | loooooser
- | stoopid woman
- | ur so thik its embarassing
- | dummmmy
- | ignorant fooool
- | idiotttt
- | i will hurrrt you
- | br eak your nec k
- | I'm g0nna find u and hurt u
- | f*** off you m0ron
- | kys
- | you are a c-l-o-w-n and a l-i-a-r
- | I hope you d-i-e slowly
"""

_ABUSE_AT = """
{T} are scum.
All {t} are parasites, every last one.
{T} are the lowest form of life.
Never met one of these {t} who wasn't a lying crook.
{T} are brainless sheep.
{T} are vermin, honestly.
{T} are a waste of oxygen.
Nothing lower than {t}. Absolute filth.
{T}: greedy, stupid and smug. Every single one.
I despise {t}. Worthless, the lot of them.
"""

_NONPROTECTED = """
journalists
politicians
lawyers
bankers
cyclists
landlords
estate agents
footballers
referees
councillors
traffic wardens
influencers
Rovers fans
"""

_ABUSE_WRITTEN = """
- | The mayor is a snivelling rat and a crook.
- | That editor is scum and always has been.
- | The chief constable is a gutless parasite.
- | Our MP is a lying sack of garbage.
- | The club chairman is vermin. Pure vermin.
- | That landlord is a bloodsucking leech.
- | The council leader is a brainless puppet.
- | The referee today was a bent, useless cheat.
- | The columnist is a nasty piece of work and a disgrace to her trade.
- | This reporter is a parasite living off other people's tragedies.
- | The minister is a slimy toad.
- | The head of the water company is a greedy pig.
- | The planning officer is a jumped-up little tyrant.
- | That weather presenter is as thick as mince.
- | The governor is a corrupt, spineless worm.
"""
