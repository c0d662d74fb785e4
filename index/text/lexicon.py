"""Every word list whosaid reasons with, once: speech verbs (with their forms), stop words, titles and honorifics.
Modules that need a narrower list take a named subset of these, never a copy."""

from __future__ import annotations

SPEECH_VERBS = frozenset(
    """say tell add claim note argue warn insist confirm reveal emphasize emphasise reiterate dismiss state
    explain announce declare write report suggest acknowledge admit deny stress predict promise vow ask answer
    reply respond describe accuse urge recall contend assert maintain concede complain caution estimate
    counter observe remark mention testify threaten pledge tweet post call believe think allege conclude
    charge demand hint indicate joke lament muse order protest question quip reason recount scoff signal
    speculate wonder agree disagree boast brag concur sing chant quote cite shout yell scream exclaim interject
    proclaim assure comment email text""".split()
)
"""Lemmas of the verbs that attribute speech (cues): "said", "told reporters", "tweeted"."""

QUOTING_VERBS = frozenset({"continue", "read"})
"""Verbs that attribute a quotation written beside them, with no object of their own ("“…,” he continued",
"“…,” the email read", "Limbaugh continued:"), never a reported clause."""

FRAMING_VERBS = SPEECH_VERBS | frozenset(
    """liken label rate term dub brand blame criticize criticise praise decry slam denounce condemn mock defend
    attack refer characterize characterise compare reference bemoan lambast blast hail applaud welcome reject
    lash fault portray tout deride ridicule chide scold rebuke credit thank pronounce nickname talk speak""".split()
)
"""Verbs that frame a quoted fragment as someone's words: "likened them to a “vicious snake”"."""

UNREALISED = frozenset(
    """expect want plan hope intend urge ask decline refuse need prepare wish fail seek try aim wait encourage
    force pressure invite""".split()
)
"""Verbs whose infinitive complement has not happened: "she expects Obama to announce an “intensification”",
"declined to say"."""

QUOTE_QUESTION_VERBS = SPEECH_VERBS - frozenset(
    """sing chant order signal indicate question cite quote estimate conclude reason charge post write answer""".split()
)
"""The speech verbs a question asks for someone's words with ("Who warned that …?", "What did Putin say?"); not
"What did Lady Gaga sing?" or "Who wrote the article?"."""

RESPONSE_VERBS = frozenset("""respond react reply answer retort""".split())
"""Verbs a question asks what someone said back with ("How did Marsh respond?")."""
NAMING_VERBS = frozenset("""call label brand dub""".split())
"""Verbs that put a name on someone in so many words: "Who called Trump a disgusting fraud?" asks who said
"Trump is a disgusting fraud"."""

ARTICLE_NOUNS = frozenset("""article articles story stories piece report column editorial op-ed item news""".split())
"""Nouns a question names the articles themselves by ("Who wrote the article …?")."""

OUTLET_NOUNS = frozenset("""outlet newspaper paper publication site website magazine""".split())
"""Nouns a question asks for a news outlet by ("Which newspaper reported …?")."""

LEADING_ROLES = frozenset("head leader chief boss chair chairman chairwoman chairperson president director".split())
"""Roles that lead a body: "Who heads X?", "Who leads X?" and "Who is the leader of X?" are answered by any."""

GENERIC_ROLES = frozenset({"head", "leader", "chief", "boss"})
"""Role nouns that name no particular office: asked for, any of `LEADING_ROLES` answers."""

ROLE_FAMILIES = (
    frozenset({"chair", "chairman", "chairwoman", "chairperson"}),
    frozenset({"spokesman", "spokeswoman", "spokesperson"}),
)
"""Role nouns that name the same office."""

ROLE_NOUNS = (
    LEADING_ROLES
    | frozenset().union(*ROLE_FAMILIES)
    | frozenset(
        """ceo founder secretary minister ambassador governor mayor coach owner editor treasurer manager captain
        commander aide adviser advisor speaker""".split()
    )
)
"""Nouns a question asks for someone by the office they hold ("Who is the chairman of the Fed?")."""

HOLDING_VERBS = {"head": "head", "lead": "leader", "run": "head", "chair": "chair"}
"""Verbs that say someone holds an office ("Who heads X?"), with the role noun they ask for."""

NOT_HOLDING_WORDS = frozenset(
    "former ex late then outgoing previous onetime erstwhile deputy vice assistant associate under sub".split()
)
"""Words that make a role one held before ("former head of") or beneath it ("deputy head of"): not who holds it."""

ROLE_WORDS = ROLE_NOUNS | NOT_HOLDING_WORDS | frozenset("interim acting chief senior engineer".split())
"""Common words of a role that a title before a name capitalises ("Interim DNC Chairwoman Donna Brazile") and a
sentence about the role does not ("an interim DNC chairwoman")."""

WANTED_BY_NOUN = {
    **dict.fromkeys("year date month day century decade time week".split(), "date"),
    **dict.fromkeys("city country town state region place province continent nation village".split(), "place"),
    **dict.fromkeys(
        ROLE_NOUNS
        | frozenset(
            """person man woman politician senator official candidate player general king queen emperor lawmaker
            congressman congresswoman representative diplomat analyst expert economist professor judge""".split()
        ),
        "person",
    ),
    **dict.fromkeys("number percentage percent share".split(), "number"),
}
"""What a "which/what NOUN" question asks for, by its noun ("In what year …" asks for a date)."""

GENERIC_NOUNS = frozenset(
    """name example type kind sort form result goal purpose aim term title part number percentage ratio share size
    estimate section amount cause reason effect role meaning definition use value rate level total score""".split()
)
"""Nouns of a "What is the N of X?" question that a passage answers without writing them ("the name of the
stadium", "an example of a virus"): the rest ("population", "capital") must stand in the passage."""

VAGUE_NOUNS = frozenset(
    """people person thing things time times way ways day days night nights year years lot lots part kind sort
    something anything everything nothing everyone someone anyone place point fact matter""".split()
)
"""Nouns that name no topic: "Hillary Clinton is quoted on Trump, people and night" says nothing of night."""

STOPWORDS = frozenset(
    """a an the of in on at to for from by with about as into over after before than then and or but not no
    is are was were be been being do does did done has have had having will would shall should can could
    may might must this that these those it its it's he she they them his her their we our you your i me
    my who whom whose what which when where why how whats much many also there here if so such any some
    said say says tell told according""".split()
)
"""Words that carry no topic: left out of BM25 and of the word overlap between a question and a sentence."""

NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
"""Words after a surname that are no name of their own ("James B. Comey Jr")."""

HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame", "lord", "lady", "rev"})
"""Words before a name that are not part of it and give no role ("Mr. Putin")."""

TITLES = HONORIFICS | frozenset(
    """sen rep gov gen president mayor minister senator governor chancellor judge justice secretary chairman
    chairwoman ceo director commissioner""".split()
)
"""Words before a name that are a title, dropped from the name ("Mayor Helena Marsh" -> "Helena Marsh")."""

ARTICLES = frozenset({"the", "a", "an"})

PRONOUNS = frozenset({"he", "she", "they", "i", "we", "him", "her", "them"})
"""Pronouns that stand for a speaker ("he said")."""

THIRD_PERSON = frozenset({"he", "she", "they", "him", "her", "them"})
"""Pronouns a follow-up question points back with ("What else did he say?")."""

PRONOUN_GENDER = {"he": "m", "him": "m", "she": "f", "her": "f"}
"""Pronouns that tell a man from a woman."""

GENDERED_SUBJECTS = frozenset({"he", "she"})
FIRST_PERSON = frozenset({"i", "we", "me", "us"})
PLURAL_PRONOUNS = frozenset({"they", "them"})
SINGULAR_SUBJECTS = frozenset({"he", "she", "it"})
"""Pronoun subjects that take a verb in -s ("she says")."""
PLURAL_AGREEING = frozenset({"they", "we", "i", "you"})
"""Pronoun subjects that take a verb without -s ("they say", "I say")."""

POSSESSIVES = frozenset({"his", "her", "their", "its", "our", "my", "your"})
THIRD_PERSON_POSSESSIVES = frozenset({"his", "her", "their"})
"""Words that make a description someone else's relation ("his wife")."""

WH_WORDS = frozenset({"who", "whom", "whose", "what", "which", "when", "where", "why", "how"})
"""The words a question asks with."""

WH_SUBJECTS = frozenset({"who", "which", "whose", "what"})
"""Wh-words that stand for (or pick out) the speaker a who-said question asks for ("Which senator said …")."""

RELATIVE = frozenset({"who", "that", "which", "whom"})
"""Relative pronouns: a speaker named by one ("officials who said") is named elsewhere in its sentence."""

INDIRECT_QUESTION = frozenset({"if", "whether", "what", "how", "why", "who", "when", "where", "which", "whom"})
"""Words that open a reported question ("asked whether …"), which is not a statement."""

WANTED_BY_WH = {"who": "person", "whom": "person", "whose": "person", "when": "date", "where": "place"}
"""What a question's wh-word asks for."""

QUESTION_WORDS = frozenset(
    """who whom whose what which when where why how did does do is are was were has have had can could will would
    should according in on at of for the a an and but or if i tell list name give""".split()
)
"""Capitalised words of a question that are not names ("Who", "Did", "According")."""

NAME_PARTICLES = frozenset({"de", "van", "von", "bin", "al", "la", "le", "da", "du", "del", "der"})
"""Lower-case words inside a person's name ("Ursula von der Leyen")."""

NAME_CONNECTORS = NAME_PARTICLES | frozenset({"of", "the", "and", "for"})
"""Lower-case words inside a name ("Bank of England"), skipped when initialisms are formed."""

ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st mt gen col lt sgt capt cmdr adm gov sen rep rev hon pres vs etc inc ltd
    co corp fig approx dept est univ jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g
    i.e a.m p.m""".split()
)
"""Words a full stop follows without ending the sentence."""

OUTLET_WORDS = (
    "Associated Press",
    *"""Times Post Independent News Reuters AP AFP Bloomberg CNN BBC Guardian Journal Ledger Courier Gazette Herald
    Tribune Agency Interfax TASS Telegraph Observer Politico Axios Daily Weekly Magazine Radio Television TV Press
    Wire Chronicle Economist Sun Mirror Express Review Newsweek""".split(),
)
"""Words that mark a name as a news outlet's (which reports what others said), matched case-sensitively."""

FEMALE_NAMES = frozenset(
    """abigail alexandria alice alicia alison amanda amber amy ana andrea angela anita ann anna anne annette april
    ashley audrey ayanna barbara beatrice betsy betty beverly bonnie brenda brianna brittany camila candice carly
    carmen carol caroline carolyn catherine cathy cecelia charlotte chelsea cheryl christina christine cindy claire
    clara condoleezza connie crystal cynthia dana danielle dawn debbie deborah debra denise diana diane dianne donna
    doris dorothy edith eileen elaine eleanor elena elisabeth elizabeth ellen emily emma erica erin eva evelyn
    florence frances gabrielle gail gina gladys gloria grace gretchen hallie hannah hazel heather heidi helen
    helena hillary holly hope huma ileana ilhan irene ivanka jacqueline jane janet janice jean jeanne jennifer
    jessica jill joan joanne josephine joyce judith judy julia julie june kamala karen kasie kate katherine
    kathleen kathryn kathy katie katy kay kelly kellyanne kimberly kirsten kristen laura lauren leslie lillian linda
    lisa lois loretta lori louise lucy lynn madeleine maggie marcia margaret maria marie marilyn marine marjorie
    marsha martha mary maxine megan megyn melania melanie melissa melinda michele michelle mika mildred miriam monica
    nancy natalie nicole nikki nina norah norma olivia pamela patricia paula pauline peggy phyllis priya rachel
    rashida rebecca regina renee rhonda rita roberta robin rosa rose ruth sally samantha sandra sara sarah savannah
    sharon sheila shelley shirley sonia sophia stacy stephanie sue susan suzanne sylvia tammy tara teresa theresa
    tiffany tina tracy tulsi ursula valerie vanessa veronica victoria virginia vivian wanda wendy yolanda yvette
    yvonne zoe
    adriana agnes aisha alejandra alexa alina amelia anastasia angelica angelique aparna astrid ava beatriz bianca
    carla carmel cassandra chloe cristina daniela daphne delia elif elisa elise ella elsa emilia esther fatima
    federica francesca giulia greta hana harriet ines ingrid irina isabel isabella isabelle jasmine jessie jo-renee
    johanna joanna kamila katarina katrin keisha kristina larissa latoya leah leila lena lily lina lucia luisa
    lydia magdalena maja malala mara mariana marina marisa martina maya mia mila mira miranda molly nadia naomi
    natalia natasha nora olga paola patrizia petra priyanka raquel rosalind rosario sabrina sandrine sasha selena
    silvia simona sofia sonya stella svetlana tanya tatiana thandiwe valentina vera yasmin yulia""".split()
)
"""First names that mark a woman, for the agreement of "she" (a name in neither list agrees with both)."""

MALE_NAMES = frozenset(
    """aaron adam al alan albert alex alexander andrew anthony antonio arthur austin barack ben benjamin bernard
    bernie bill billy bob bobby boris brad bradley brandon brian bruce bryan carl carlos charles charlie chris
    christopher chuck cory craig curt dan daniel darrell dave david dennis derek devin dick dmitry don donald douglas
    dwight dylan ed eddie edward elijah emmanuel eric ethan eugene evan frank franklin fred gary gene george glenn
    gerald gordon greg gregory harold harry henry howard hugh ian jack jacob jake james jared jason jay jeb jeff jeffrey
    jeremy jerry jesse jim jimmy joe joel john johnny jon jonathan jorge jose joseph joshua juan justin keith
    ken kenneth kevin kirk kurt kyle lamar larry lawrence lee leon louis luis marco mario mark martin matt matthew mel
    michael mike mitch mitt nathan neil newt nicholas nick noah orrin oscar patrick paul pete peter philip rand
    randy ray raymond reince richard rick rob robert robby roger ron ronald roy rudy russell ryan sam samuel scott
    sean sergei sergey stephen steve steven ted terry theodore thomas tim timothy todd tom tommy tony travis trey
    tyler victor vincent vladimir walter warren wayne william willie xi zachary
    abdul abdullah ahmed ahmad ali alberto alejandro alessandro alexei amir andre andrei andres anil antoine anton
    arjun armando ashraf bashar benoit bernardo boris bruno carlo cesar christian cristiano dante davide diego
    dmitri domenico eduardo emil emilio enrique ernesto esteban fabio felipe fernando filippo francesco francisco
    franz friedrich gabriel giovanni giuseppe gonzalo guillaume gustavo hamid hans hassan hector hugo ibrahim igor
    ivan jacques jakob javier jens joao johan johnnie jorge josh josé juergen julian julio jurgen karl khalid klaus
    lars leonardo lorenzo luca lucas luigi malcolm manuel marcelo marco marcus mario markus massimo matteo mattia
    mauricio mehmet miguel mikhail mohamed mohammad mohammed muhammad narendra nicolas nikolai norman olaf oleg
    omar oscar owen pablo paolo pascal pedro pierre rafael rahul rajesh ramon raul reza ricardo roberto rodrigo
    salman salvador santiago sebastian sergio shinzo silvio stefan stefano sven tariq thiago tobias umberto vasily
    viktor vikram vittorio volodymyr wolfgang xavier yuri yusuf""".split()
)
"""First names that mark a man, for the agreement of "he"."""

NICKNAMES = {
    "joe": "joseph", "bill": "william", "will": "william", "bob": "robert", "rob": "robert", "mike": "michael",
    "jim": "james", "jimmy": "james", "tom": "thomas", "chris": "christopher", "dick": "richard", "rick": "richard",
    "dan": "daniel", "dave": "david", "tony": "anthony", "ben": "benjamin", "matt": "matthew", "nick": "nicholas",
    "pat": "patrick", "sam": "samuel", "andy": "andrew", "alex": "alexander", "ed": "edward", "jeff": "jeffrey",
    "greg": "gregory", "ron": "ronald", "don": "donald", "larry": "lawrence", "chuck": "charles", "charlie": "charles",
    "liz": "elizabeth", "beth": "elizabeth", "kate": "katherine", "sue": "susan", "debbie": "deborah",
    "maggie": "margaret", "peggy": "margaret", "jenny": "jennifer",
}  # fmt: skip
"""A first name's everyday form -> its full form ("Joe Biden" is "Joseph R. Biden Jr")."""

FEMALE_HONORIFICS = frozenset({"mrs", "ms", "miss", "madam", "dame", "lady", "princess", "queen", "duchess"})
MALE_HONORIFICS = frozenset({"mr", "sir", "lord", "prince", "king", "duke"})

NUMBER_WORDS = {
    w: str(n)
    for n, w in enumerate(
        "- - two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
        "seventeen eighteen nineteen twenty".split()
    )
    if w != "-"
} | {"thirty": "30", "forty": "40", "fifty": "50", "sixty": "60", "seventy": "70", "eighty": "80", "ninety": "90"}
"""Cardinals written as words, read as the numbers they are ("six million" holds 6); not "one", which is as often
a pronoun ("no one", "one of them")."""

CONTRARIES: tuple[tuple[frozenset[str], frozenset[str]], ...] = tuple(
    (frozenset(a.split()), frozenset(b.split()))
    for a, b in (
        ("rise increase grow climb gain expand boost", "fall decrease decline shrink drop reduce cut lower"),
        ("continue persist resume carry_on go_on", "stop cease end halt quit pause"),
        ("start begin launch open", "stop end close finish"),
        ("win victory", "lose defeat loss"),
        ("accept approve embrace welcome", "reject refuse deny veto oppose"),
        ("support back endorse favor", "oppose reject criticize condemn"),
        ("help benefit boost", "hurt harm damage"),
        ("improve strengthen", "worsen weaken deteriorate"),
        ("succeed", "fail"),
        ("allow permit", "ban forbid prohibit block"),
        ("confirm admit acknowledge", "deny"),
        ("add include hire", "eliminate remove exclude fire cut"),
        ("praise", "criticize condemn blame"),
        ("love like", "hate dislike"),
        ("honored proud", "insulted ashamed"),
        ("sign", "veto"),
        ("buy", "sell"),
        ("strong", "weak"),
        ("high", "low"),
        ("more", "less fewer"),
        ("above ahead", "below behind"),
        ("optimistic", "pessimistic"),
        ("easy", "hard difficult"),
        ("safe", "dangerous risky"),
        ("true", "false"),
        ("right", "wrong"),
        ("guilty", "innocent"),
        ("better best", "worse worst"),
        ("good", "bad"),
        ("big bigger large larger", "small smaller little"),
        ("early earlier", "late later"),
        ("direct", "indirect"),
        ("connected related linked", "unrelated isolated"),
    )
)
"""Pairs of contrary predicates by lemma (a verb with its particle joined by "_": "carry_on"): a claim that holds
one where the statement holds the other, with the same polarity, says the opposite ("the fighting would carry on"
against "the fighting will cease")."""

CALENDAR = frozenset(
    """january february march april may june july august september october november december jan feb mar apr jun
    jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday""".split()
)
"""Months and weekdays: capitalised, but a when, not a name a topic is about ("in his August speech")."""

SEATS = (
    "kyiv kiev ukraine ukrainian",
    "moscow kremlin russia russian",
    "washington america american",
    "beijing china chinese",
    "london britain british uk u.k.",
    "paris france french",
    "berlin germany german",
    "tehran iran iranian",
    "jerusalem israel israeli",
    "ankara turkey turkish",
    "pyongyang seoul korea korean",
    "tokyo japan japanese",
    "brussels eu european",
    "damascus syria syrian",
    "baghdad iraq iraqi",
    "kabul afghanistan afghan",
    "havana cuba cuban",
    "caracas venezuela venezuelan",
    "ottawa canada canadian",
)
"""A country, its people's adjective and its seat of government, each naming the country as readers write it:
"Kyiv's forces" for "Ukrainian troops", "Moscow's hold" for Russia's. One word each, read by root: never a word
that is also a pronoun ("us" for "U.S.") or a bare direction ("North" of North Korea), so the two Koreas share one
line and the claim's own "North" or "South" must stand in the text."""
