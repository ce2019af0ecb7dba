// Sentence templates. Each relation has several phrasings built around its own trigger words
// ("born in", "a subsidiary of", "charged with"), so a bag-of-words model can learn it; the
// negative templates put the same type pairs together with neutral verbs ("visited", "met",
// "sued") so that the entity types alone never decide the label. Relations that differ only
// in direction (parents/subsidiaries, member_of/members, parents/children) share some wording
// with the roles swapped, as TACRED's do. The syntax is described in template-compiler.ts.

import type { EntityType, RelationName, SubjectType } from './relations';

export const MACROS: Readonly<Record<string, string>> = {
  ORG_SAYS:
    '(said|announced|confirmed|disclosed) [on {DAY}] that it (would|will|plans to) (cut/VB {NUM} jobs|raise prices|expand into new markets|open a new office in {CITY}|delay the project|appeal the ruling|review its strategy|hire more staff|sell some assets|resume talks with {ORG})',
  ORG_SILENT:
    '(declined to comment|did not respond to requests for comment|issued a statement on {DAY}|has not commented publicly)',
  ORG_PRED: '(@ORG_SAYS|@ORG_SAYS|@ORG_SILENT)',
  PER_SAYS:
    '(said|told reporters|insisted|argued|warned) [on {DAY}] that the (plan|deal|decision|proposal|vote|agreement) (was|would be) (a mistake|premature|good news|long overdue|unfair|a step forward)',
  PER_PLANS:
    '(will|would|is expected to) (travel to {CITY}|attend the (summit|hearing|ceremony)|meet {PER}|speak at a conference in {CITY}) (next week|on {DAY}|later this month)',
  PER_SILENT: '(declined to comment|could not be reached for comment|did not return calls seeking comment)',
  PER_PRED: '(@PER_SAYS|@PER_SAYS|@PER_PLANS|@PER_SILENT)',
  GATHERING: '(attended|hosted|left|arrived at) the (ceremony|dinner|gala|reception|funeral|game)',
  RETIRED_TITLE: '(was|had been) (a|the) (retired|former|longtime) {TITLE}',
  PLACE_BORN_NEXT: '(grew up in {CITY}|moved to {CITY} as a child|studied at {ORG}|later settled in {CITY})',
};

export const POSITIVE_TEMPLATES: Readonly<Record<RelationName, readonly string[]>> = {
  'per:title': [
    '{O} {S} @PER_PRED',
    '{S} , the {O} of {ORG} , @PER_PRED',
    '{S} , {O:a} {O} (at|with|for) {ORG} , @PER_PRED',
    '{S} ~ (was named|became|was appointed|served as|was elected) {O} (in {YEAR}|last year|on {DAY})',
    '{ORG} {O} {S} (said|told reporters) [on {DAY}] that the company would (appeal|review) the (ruling|decision)',
    '(former|longtime|retired) {O} {S} @PER_PRED',
    '{S} , who (served|worked) as {O} (from {YEAR} until {YEAR}|for (two|three|five|ten) years|until last year) , @PER_PRED',
  ],
  'org:top_members/employees': [
    '{S} (chief executive|chairman|president|CEO|chief financial officer|director) {O} @PER_PRED',
    '{O} , (the|) (chief executive|chairman|president|head|managing director|general counsel) of {S} , @PER_PRED',
    '{S} is (led|headed|run|chaired) by {O}',
    '{O} , who (heads|leads|runs|chairs) {S} , @PER_PRED',
    '{S} (named|appointed|elected) {O} as its new (chief executive|chairman|president) (on {DAY}|last week|in {YEAR})',
    "{S} 's (chief executive|chairman|president|top executive) , {O} , @PER_PRED",
  ],
  'per:employee_of': [
    '{S} , (a spokesman|a spokeswoman|an analyst|an economist|an engineer|a researcher|a lawyer|a consultant) (at|for|with) {O} , @PER_PRED',
    '{S} ~ (works|worked) (for|at) {O} (as {TITLE}|in {CITY}|since {YEAR})',
    '{O} (hired|recruited) {S} (in {YEAR}|last year) [to run its {CITY} office]',
    '{S} , who joined {O} (in {YEAR}|years ago) , @PER_PRED',
    '{S} , who (has worked at|works for) {O} [since {YEAR}] , @PER_PRED',
    '{O} (spokesman|spokeswoman|economist|analyst|researcher) {S} @PER_PRED',
    '{S} , an employee of {O} , @PER_PRED',
  ],
  'org:alternate_names': [
    '{S} -LRB- {O} -RRB- @ORG_PRED',
    '{S} , (better known as|commonly known as|widely known as|also called|abbreviated as) {O} , @ORG_PRED',
    '{O} , (short for|the acronym for|which stands for) {S} , @ORG_PRED',
    'the {S} , known by its (initials|acronym) {O} , @ORG_PRED',
    '{S} , or {O} , @ORG_PRED',
  ],
  'org:country_of_headquarters': [
    '{S} , (based|headquartered) in {O} , @ORG_PRED',
    "{O} 's (largest|second-largest|state-owned|biggest|leading) (bank|carrier|oil company|telecommunications firm|insurer|carmaker) , {S} , @ORG_PRED",
    '{S} ~ (is based|is headquartered|has its headquarters) in {O}',
    '{S} of {O} @ORG_PRED',
    '{S} moved its (headquarters|head office) to {O} in {YEAR}',
    "at {S} 's headquarters in {O} , (executives|employees|officials) (met|gathered) (on {DAY}|last week) to (discuss|review) the (merger|results|plan)",
  ],
  'per:countries_of_residence': [
    '{S} ~ (lives|has lived|lived) in {O} (since {YEAR}|for years|with {S:his} family)',
    '{S} , who (lives|has lived) in {O} , @PER_PRED',
    '{S} (moved to|settled in|emigrated to|fled to|returned to) {O} (in {YEAR}|years ago|as a (teenager|child))',
    '{S} , a resident of {O} , @PER_PRED',
    '{S} , who (spent most of {S:his} life|has made {S:his} home) in {O} , @PER_PRED',
  ],
  'per:age': [
    '{S} , {O} , @PER_PRED',
    '{S} , {O} , @RETIRED_TITLE',
    '{S} , (who is|aged) {O} , @PER_PRED',
    '{S} turned {O} (on {DAY}|last week|this year)',
    'at {O} , {S} is the (oldest|youngest) (member|player|candidate) (on the team|in the race|of the group)',
    '{S} , {O} , (died|was arrested|was injured|was hospitalized) (on {DAY}|last week)',
  ],
  'org:city_of_headquarters': [
    '{S} , (based|headquartered) in {O} , @ORG_PRED',
    '{S} ~ (is based|is headquartered|has its headquarters) in {O} [, {STATE}]',
    '{S} of {O} @ORG_PRED',
    "at {S} 's headquarters in {O} , (executives|employees|officials) (met|gathered) (on {DAY}|last week) to (discuss|review) the (merger|results|plan)",
    '{S} moved its (headquarters|head office) [from {CITY}] to {O} in {YEAR}',
    'in {O} , where {S} (is headquartered|has its head office|is based) , (officials|residents|analysts) (welcomed|criticized) the (decision|plan)',
  ],
  'per:cities_of_residence': [
    '{S} ~ (lives|has lived|lived) in {O} (since {YEAR}|for years|with {S:his} family)',
    '{S} , of {O} , @PER_PRED',
    '{S} , {O:a} {O} resident , @PER_PRED',
    '{S} (moved to|settled in|returned to) {O} (in {YEAR}|years ago|as a (teenager|child))',
    '{S} , who (lives|has lived) in {O} , @PER_PRED',
    '{S} , a resident of {O} , @PER_PRED',
  ],
  'per:stateorprovinces_of_residence': [
    '{S} ~ (lives|has lived|lived) in {O} (since {YEAR}|for years|with {S:his} family)',
    '{S} , of {CITY} , {O} , @PER_PRED',
    '{S} (moved to|settled in|returned to) {O} (in {YEAR}|years ago|as a (teenager|child))',
    '{S} , who (lives|has lived) in {O} , @PER_PRED',
    '{S} , a resident of {O} , @PER_PRED',
  ],
  'per:origin': [
    '{O} (actor|writer|president|official|businessman|diplomat|author|tycoon) {S} @PER_PRED',
    '{S} , {O:a} {O} (citizen|national|author|businessman|diplomat) , @PER_PRED',
    'the {O} (novelist|singer|coach|president) , {S} , @PER_PRED',
    '{S} , who is {O} by birth , @PER_PRED',
  ],
  'org:subsidiaries': [
    '{S} ~ (owns|controls) {O} [, which it acquired in {YEAR}]',
    "{S} 's (unit|subsidiary|division|affiliate) {O} @ORG_PRED",
    '{S} (acquired|bought|took over) {O} (in {YEAR}|last year|for an undisclosed sum)',
    '{S} , which (owns|controls) {O} , @ORG_PRED',
    '{O} , a (subsidiary|unit|division) of {S} , @ORG_PRED',
  ],
  'org:parents': [
    '{S} , a (subsidiary|unit|division) of {O} , @ORG_PRED',
    '{S} ~ is (owned by|controlled by|a unit of|part of) {O}',
    "{O} 's (unit|subsidiary|division) {S} @ORG_PRED",
    '{S} , which is owned by {O} , @ORG_PRED',
    '{S} was (acquired|bought|taken over) by {O} (in {YEAR}|last year)',
  ],
  'per:spouse': [
    '{S} and {S:his} {O:husband} , {O} , @GATHERING',
    '{S} ~ (married|wed) {O} in {YEAR}',
    "{S} 's {O:husband} , {O} , @PER_PRED",
    '{O} , (the|) {O:husband} of {S} , @PER_PRED',
    '{S} and {O} (were married|got married|divorced|separated) in {YEAR}',
    '{S} is survived by {S:his} {O:husband} , {O} [, and (two|three|four) children]',
  ],
  'org:stateorprovince_of_headquarters': [
    '{S} , (based|headquartered) in {O} , @ORG_PRED',
    '{S} , based in {CITY} , {O} , @ORG_PRED',
    '{S} ~ (is based|is headquartered|has its headquarters) in {O}',
    '{S} of {O} @ORG_PRED',
    '{S} moved its (headquarters|head office) to {O} in {YEAR}',
  ],
  'per:children': [
    '{S} and {S:his} {O:son} {O} @GATHERING',
    '{O} , the {O:son} of {S} , @PER_PRED',
    "{S} 's {O:son} , {O} , @PER_PRED",
    '{S} is survived by {S:his} {O:son} , {O}',
    '{S} (named|introduced) {S:his} {O:son} {O} as {S:his} (successor|heir)',
  ],
  'per:other_family': [
    "{S} 's ({O:uncle}|{O:nephew}|cousin|{O:grandson}|{O:grandfather}|{O:brother-in-law}|{O:son-in-law}) , {O} , @PER_PRED",
    '{O} , a (cousin|distant relative|relative) of {S} , @PER_PRED',
    '{S} and {S:his} ({O:uncle}|{O:nephew}|cousin|{O:grandson}) {O} @GATHERING',
    '{O} , the ({O:uncle}|{O:nephew}|{O:grandfather}|{O:stepson}) of {S} , @PER_PRED',
  ],
  'org:members': [
    '{S} , whose members include {O} , @ORG_PRED',
    '{O} (joined|became a member of) {S} (in {YEAR}|last year)',
    "{S} 's (member states|members|member organizations) , including {O} , (met|voted|agreed) (on {DAY}|last week) to (raise|cut) (tariffs|quotas|dues)",
    '{S} ~ (groups|brings together|comprises) {O} and (several|a dozen|more than twenty) other (countries|groups|unions)',
    '{O} , a member of {S} , @ORG_PRED',
  ],
  'per:siblings': [
    '{S} and {S:his} {O:brother} {O} @GATHERING',
    "{S} 's {O:brother} , {O} , @PER_PRED",
    '{O} , the (older|younger|) {O:brother} of {S} , @PER_PRED',
    '{S} and {O} are (siblings|twins) who (grew up|were raised) in {CITY}',
    '{S} , whose (older|younger) {O:brother} {O} (is|was) a (teacher|farmer|doctor|diplomat) , @PER_PRED',
  ],
  'per:parents': [
    "{S} 's {O:father} , {O} , @PER_PRED",
    '{O} , the {O:father} of {S} , @PER_PRED',
    '{S} , whose {O:father} {O} (was|is) a (teacher|farmer|doctor|diplomat) , @PER_PRED',
    '{S} (was raised|grew up) (by|with) {S:his} {O:father} , {O} , in {CITY}',
    '{S} , the {S:son} of {O} , @PER_PRED',
  ],
  'per:schools_attended': [
    '{S} ~ (graduated from|studied at|attended|earned a degree from) {O} [in {YEAR}]',
    '{S} , a (graduate|alumnus|former student) of {O} , @PER_PRED',
    'after (graduating from|studying at) {O} , {S} (moved to {CITY}|joined {ORG})',
    "{S} (holds|received) a (law degree|doctorate|master 's degree|bachelor 's degree) from {O}",
  ],
  'per:date_of_death': [
    '{S} died {O:on} {O} (at {S:his} home in {CITY}|in {CITY}|after a long illness)',
    '{S} , who (died|passed away) {O:on} {O} , @RETIRED_TITLE',
    '{S} was killed {O:on} {O} (in a car crash|in an attack|in a plane crash)',
    '{O:on} {O} , {S} (died|passed away) (in {CITY}|at {S:his} home|in a hospital)',
  ],
  'org:founded_by': [
    '{S} was (founded|co-founded|started|set up) by {O} [in {YEAR}]',
    '{O} , who (founded|co-founded|started|set up) {S} [in {YEAR}] , @PER_PRED',
    '{S} (founder|co-founder) {O} @PER_PRED',
    '{O} , the (founder|co-founder) of {S} , @PER_PRED',
  ],
  'org:member_of': [
    '{S} ~ (joined|is a member of|became a member of) {O} [in {YEAR}]',
    '{S} , a member of {O} , @ORG_PRED',
    '{O} (admitted|accepted) {S} as a (full|new) member (in {YEAR}|last year|on {DAY})',
    'as a member of {O} , {S} (must|will have to) (comply with|follow) (its rules|the new standards)',
  ],
  'per:cause_of_death': [
    '{S} died of {O} (on {DAY}|at {S:his} home in {CITY}|in {CITY}|last week)',
    '{S} (died|passed away) (after a long battle with|after a brief battle with|from complications of|of) {O}',
    'the cause of death (for|of) {S} was {O} , {S:his} (family|doctor|spokesman) said',
    '{S} , who (succumbed to|died from|had been battling) {O} , @RETIRED_TITLE',
  ],
  'org:website': [
    '{S} -LRB- {O} -RRB- @ORG_PRED',
    "(more|further) information is available on {S} 's website , {O}",
    '{S} (posted|published) the (statement|report) on its website , {O}',
    'visit {S} online at {O}',
    "{S} 's website , {O} , (lists|describes) its (services|programs|members)",
  ],
  'org:political/religious_affiliation': [
    '{S} , {O:a} {O} (group|party|movement|charity|organization) , @ORG_PRED',
    'the {O} (group|movement|party) {S} @ORG_PRED',
    '{S} ~ (promotes|espouses|is affiliated with) {O} (values|ideals|teachings)',
    '{S} , which (describes|presents) itself as {O} , @ORG_PRED',
  ],
  'per:alternate_names': [
    '{S} , (also known as|better known as|nicknamed|who goes by) {O} , @PER_PRED',
    '{O} (is|was) the (nickname|stage name|pen name|alias) of {S}',
    '{S} , (born|formerly) {O} , @PER_PRED',
    '{S} -LRB- (also known as|known as|aka) {O} -RRB- @PER_PRED',
  ],
  'org:founded': [
    '{S} was (founded|established|created|set up) {O:on} {O} (by a group of (engineers|teachers|activists|doctors)|as a small (charity|startup|cooperative))',
    '(founded|established) {O:on} {O} , {S} has (grown|expanded) (steadily|rapidly) [since then]',
    '{S} , (founded|established|created) {O:on} {O} , @ORG_PRED',
    'since it was (founded|established) {O:on} {O} , {S} has (expanded|grown) (steadily|rapidly)',
  ],
  'per:city_of_death': [
    '{S} died (on {DAY}|last week|) in {O}',
    '{S} (died|passed away) (at a hospital|at {S:his} home) in {O} (on {DAY}|last week|)',
    '{S} was (killed|found dead|shot dead) in {O} (on {DAY}|last week)',
    'in {O} , where {S} died (on {DAY}|last week) , (mourners|supporters|relatives) (gathered|held a vigil)',
  ],
  'org:shareholders': [
    '{O} (owns|holds) a (stake|majority stake|minority stake|controlling stake) in {S}',
    '{O} , (the largest|a major|a minority) shareholder in {S} , (said|argued|insisted) that the (merger|deal|offer) (was|would be) (unfair|premature|good news)',
    '{O} (bought|sold|increased) (a|{O:his}) stake in {S} (last week|on {DAY}|in {YEAR})',
    '{S} shareholder {O} (said|argued) that the (merger|deal|offer) (was|would be) (unfair|premature|good news)',
  ],
  'org:number_of_employees/members': [
    '{S} ~ (employs|has) (about|nearly|more than|) {O} (people|workers|employees|staff)',
    '{S} , which has {O} (members|employees|workers) , @ORG_PRED',
    '{S} (plans to cut|will reduce) its workforce to {O} (employees|workers|people) (by 2015|next year)',
    'the {O} (employees|members|workers) of {S} (will|would) (vote on|receive|lose) the (offer|bonus|contract)',
    '{S} , with (about|nearly|more than|) {O} (employees|members) , @ORG_PRED',
  ],
  'per:charges': [
    '{S} ~ was (charged with|convicted of|indicted on charges of|arrested on suspicion of|accused of|sentenced for) {O}',
    '{S} (pleaded guilty to|pleaded not guilty to|denied) {O} [charges] (on {DAY}|last week)',
    'prosecutors charged {S} with {O} (on {DAY}|last week)',
    'prosecutors accused {S} of {O} [in court]',
    '{S} , who (faces|is facing) (charges of|a charge of) {O} , @PER_PRED',
  ],
  'per:city_of_birth': [
    '{S} ~ was born in {O} [in {YEAR}]',
    'born in {O} , {S} @PLACE_BORN_NEXT',
    '{S} , a native of {O} , @PER_PRED',
    '{S} , who was born in {O} , @PER_PRED',
    'a native of {O} , {S} (moved to|settled in) {CITY} (in {YEAR}|as a teenager)',
  ],
  'per:date_of_birth': [
    '{S} ~ was born {O:on} {O} [in {CITY}]',
    'born {O:on} {O} , {S} @PLACE_BORN_NEXT',
    '{S} -LRB- born {O} -RRB- @PER_PRED',
    '{S} , who was born {O:on} {O} , @PER_PRED',
  ],
  'per:religion': [
    '{S} , a devout {O} , @PER_PRED',
    '{S} , who is {O:a} {O} , @PER_PRED',
    '{S} (became|converted and became) {O:a} {O} (in {YEAR}|as a young {S:man})',
    'as {O:a} {O} , {S} (has spoken|often spoke) about {S:his} faith',
    '{S} , a practicing {O} , @PER_PRED',
  ],
  'per:stateorprovince_of_birth': [
    '{S} ~ was born in {O} [in {YEAR}]',
    'born in {CITY} , {O} , {S} @PLACE_BORN_NEXT',
    '{S} , a native of {O} , @PER_PRED',
    '{S} , who was born in {O} , @PER_PRED',
  ],
  'per:country_of_birth': [
    '{S} ~ was born in {O} [in {YEAR}]',
    'born in {O} , {S} @PLACE_BORN_NEXT',
    '{S} , a native of {O} , @PER_PRED',
    '{S} , who was born in {O} , @PER_PRED',
  ],
  'per:stateorprovince_of_death': [
    '{S} died (on {DAY}|last week|) in {O}',
    '{S} (died|passed away) (at a hospital|at {S:his} home) in {CITY} , {O}',
    '{S} was (killed|found dead|shot dead) in {O} (on {DAY}|last week)',
  ],
  'org:dissolved': [
    '{S} (was dissolved|was disbanded|ceased operations|went out of business|was shut down|closed its doors) {O:on} {O}',
    '{O:on} {O} , {S} (was dissolved|was liquidated|folded|collapsed) (after years of losses|after a merger|amid a scandal)',
    '{S} , which (collapsed|was disbanded|folded) {O:on} {O} , (left|owed) (creditors|investors) (millions|large debts)',
  ],
  'per:country_of_death': [
    '{S} died (on {DAY}|last week|) in {O}',
    '{S} (died|passed away) (at a hospital|at {S:his} home) in {O} (on {DAY}|last week|)',
    '{S} was (killed|found dead|shot dead) in {O} (on {DAY}|last week)',
  ],
};

/** Object types grouped so that one set of negative phrasings serves similar types. */
export type ObjectFamily =
  | 'PERSON'
  | 'ORGANIZATION'
  | 'PLACE'
  | 'DATE'
  | 'NUMBER'
  | 'TITLE'
  | 'GROUP'
  | 'MISC'
  | 'CAUSE_OF_DEATH'
  | 'CRIMINAL_CHARGE'
  | 'URL'
  | 'DURATION';

export function objectFamily(type: EntityType): ObjectFamily {
  switch (type) {
    case 'CITY':
    case 'COUNTRY':
    case 'STATE_OR_PROVINCE':
    case 'LOCATION':
      return 'PLACE';
    case 'NATIONALITY':
    case 'RELIGION':
    case 'IDEOLOGY':
      return 'GROUP';
    case 'PERSON':
    case 'ORGANIZATION':
    case 'DATE':
    case 'NUMBER':
    case 'TITLE':
    case 'MISC':
    case 'CAUSE_OF_DEATH':
    case 'CRIMINAL_CHARGE':
    case 'URL':
    case 'DURATION':
      return type;
  }
}

export type NegativeKey = `${SubjectType}>${ObjectFamily}`;

export const NEGATIVE_TEMPLATES: Readonly<Partial<Record<NegativeKey, readonly string[]>>> = {
  'PERSON>PERSON': [
    '{S} ~ (met|spoke with|criticized|praised|defeated|interviewed|thanked|called) {O} (on {DAY}|last week|in {CITY})',
    '{S} and {O} [both] (attended|spoke at|left) the (meeting|conference|ceremony|summit) (in {CITY}|on {DAY})',
    '{O} (said|told reporters) that {S} (was|had been) (wrong|helpful|unavailable|mistaken)',
    '{S} , who (replaced|succeeded|defeated|challenged) {O} (in {YEAR}|last year) , @PER_PRED',
    'according to {O} , {S} (did not|never) (respond|comment) (on the matter|to the allegations)',
    '{S} (urged|asked|invited) {O} to (attend|join|reconsider) (the talks|the meeting|the plan)',
  ],
  'PERSON>ORGANIZATION': [
    '{S} ~ (criticized|sued|praised|met with officials from|urged) {O} (on {DAY}|last week|in {YEAR})',
    '{O} (said|announced) that {S} (would|will) (speak|testify|appear) (at the hearing|next week|on {DAY})',
    '{S} told {O} that the (plan|deal|proposal) (was|would be) (unfair|premature|a mistake)',
    '{S} (bought|sold|invested in) shares of {O} (last year|in {YEAR})',
    '{S} , speaking about {O} , @PER_PRED',
  ],
  'PERSON>PLACE': [
    '{S} ~ (visited|toured|traveled to|arrived in|spoke in|left) {O} (on {DAY}|last week|in {YEAR})',
    '{S} said {O} (should|must) (do more|act quickly|change course) to address the (crisis|issue)',
    'in {O} , {S} (met|addressed) (supporters|officials|reporters|students) (on {DAY}|last week)',
    '{S} (praised|criticized) the government of {O} (on {DAY}|for its handling of the crisis)',
    '{S} is expected to (visit|travel to|arrive in) {O} (next week|later this month)',
  ],
  'PERSON>DATE': [
    '{S} (said|announced|insisted) {O:on} {O} that the (plan|deal|decision) (was|would be) (a mistake|premature|good news)',
    '{O:on} {O} , {S} (met|visited|called) {PER} [in {CITY}]',
    '{S} ~ (was elected|took office|resigned|was promoted|stepped down) {O:on} {O}',
    '{S} (last spoke|first met) with {PER} {O:on} {O}',
  ],
  'PERSON>NUMBER': [
    '{S} (won|received|collected) {O} votes (in {CITY}|in the primary|on {DAY})',
    '{S} said {O} (people|soldiers|workers|residents) (were|had been) (injured|affected|evacuated|laid off)',
    '{S} ~ (paid|raised|donated) {O} dollars (to|for) (the campaign|charity|{ORG})',
  ],
  'PERSON>TITLE': [
    '{S} (met|criticized|praised|thanked) the {O} of {ORG} (on {DAY}|last week)',
    '{S} said the {O} (should|would) (resign|step down|apologize)',
    'the {O} , {PER} , (met|thanked|criticized) {S} (on {DAY}|last week)',
    '{S} ~ (asked|urged) the {O} to (reconsider|explain) the decision',
  ],
  'PERSON>GROUP': [
    '{S} (met|spoke to|addressed) {O:a} {O} (delegation|group|audience) (in {CITY}|on {DAY})',
    '{S} ~ (criticized|praised) {O} (officials|leaders|media|voters) (on {DAY}|last week)',
    '{S} said {O} (leaders|officials) (should|must) (do more|act quickly)',
  ],
  'PERSON>MISC': [
    '{S} ~ (attended|watched|covered|skipped) the {O} (in {CITY}|last year|in {YEAR})',
    '{S} said the {O} (was|had been) (a turning point|a disappointment|a success)',
    '{S} (will|would) (attend|miss|boycott) the {O} (next year|in {CITY})',
  ],
  'PERSON>CAUSE_OF_DEATH': [
    '{S} ~ (warned about|campaigned against|spoke about|raised money to fight) {O} (on {DAY}|in {CITY}|last year)',
    '{S} said {O} (kills|affects) (thousands|millions) of people each year',
    '{S} , a (doctor|researcher|scientist) who studies {O} , @PER_PRED',
  ],
  'PERSON>CRIMINAL_CHARGE': [
    '{S} ~ (defended|represented) (a man|a client|{PER}) (accused of|charged with) {O}',
    '{S} (prosecuted|investigated) (cases of|allegations of) {O} (in {CITY}|for years)',
    '{S} said {O} (remains|was) a (serious|growing) problem (in {CITY}|in the region)',
  ],
  'PERSON>DURATION': [
    '{S} ~ (spent|served|worked) {O} (in prison|at the company|abroad|on the project)',
    '{S} has been (in office|in the job|away|in talks) for {O}',
    '{S} (waited|negotiated|campaigned) for {O} before (the deal|the vote|the ruling)',
  ],
  'ORGANIZATION>ORGANIZATION': [
    '{S} ~ (signed a deal with|sued|partnered with|competed with|criticized|beat) {O} (on {DAY}|last year|in {YEAR})',
    '{S} and {O} (announced|agreed on|are in talks about) a (joint venture|partnership|merger|supply deal)',
    '{S} said {O} (had|has) (violated|ignored|breached) the (agreement|contract|rules)',
    '{S} (will|would) (compete with|bid against|team up with) {O} for the (contract|project|license)',
  ],
  'ORGANIZATION>PERSON': [
    '{S} ~ (sued|thanked|criticized|invited|honored) {O} (on {DAY}|last week|in {YEAR})',
    '{O} (criticized|praised|sued) {S} (on {DAY}|for its handling of the crisis)',
    '{O} said {S} (should|must) (apologize|do more|change course)',
    "{S} (declined|refused) to comment on {O} 's (remarks|lawsuit|allegations)",
  ],
  'ORGANIZATION>PLACE': [
    '{S} ~ (opened a store|expanded|invested heavily|plans to build a plant|held talks) in {O} (last year|in {YEAR})',
    '{S} (exports|ships|sells) (goods|products|cars) to {O}',
    '{S} said demand in {O} (fell|rose|slowed) (sharply|last quarter)',
    '{S} (withdrew from|pulled out of|entered) {O} (in {YEAR}|last year)',
  ],
  'ORGANIZATION>DATE': [
    '{S} (announced|reported|said) {O:on} {O} that it (would|will) (cut jobs|raise prices|expand abroad)',
    '{O:on} {O} , {S} (raised|cut) (prices|its forecast|its dividend)',
    '{S} ~ (filed|settled) the (lawsuit|case) {O:on} {O}',
  ],
  'ORGANIZATION>NUMBER': [
    '{S} ~ (sold|shipped|produced) {O} (cars|units|tons|copies) (last year|in {YEAR})',
    '{S} (reported|posted) (a profit|sales|losses) of {O} dollars (last quarter|in {YEAR})',
    '{S} said {O} (customers|users|passengers) were affected',
  ],
  'ORGANIZATION>GROUP': [
    '{S} ~ (criticized|condemned|studied|surveyed) {O} (groups|parties|leaders|voters)',
    '{S} said {O} (voters|leaders|groups) (were|had been) (divided|concerned)',
    '{S} (hosted|invited) {O} (leaders|scholars|activists) to (a conference|a debate) in {CITY}',
  ],
  'ORGANIZATION>URL': [
    '{S} ~ (cited|linked to|criticized) (a|the) (report|post|article) (on|published on) {O}',
    '{S} said {O} (had|has) (copied|misrepresented) its (content|data)',
    '{S} (sued|complained about) the operators of {O}',
  ],
  'ORGANIZATION>MISC': [
    '{S} ~ (sponsored|broadcast|boycotted|covered) the {O} (in {YEAR}|last year)',
    '{S} said the {O} (boosted|hurt) (sales|ratings|profits)',
  ],
  'ORGANIZATION>DURATION': [
    '{S} ~ (halted production|suspended operations|froze hiring) for {O}',
    '{S} (negotiated|has been in talks) for {O} (with {ORG}|over the deal)',
    '{S} said the (project|review|investigation) would take {O}',
  ],
};

/**
 * Sentence openers; they end where the clause starts, so they never take the final period.
 * Only attributions and connectives: a temporal or participial opener ("In 2003 ,",
 * "Speaking to reporters ,") would clash with the dates and subjects inside the core clause.
 */
export const PREFIX_FILLERS: readonly string[] = [
  'according to {ORG} ,',
  'according to (court documents|public records|the filing|the report) ,',
  '(however|meanwhile|separately|still|in other news|in a related development) ,',
  'as (expected|reported earlier) ,',
  '{PER} (said|told reporters|noted) that',
  'the (newspaper|agency|report) said that',
  'officials in {CITY} said',
  '(sources|witnesses|analysts) said',
  '{CITY} --',
  '{CITY} , {DAY} --',
];

/** Attributions appended before the final period. */
export const SUFFIX_FILLERS: readonly string[] = [
  ', {PER} said',
  ', (officials|sources|analysts|witnesses) said',
  ', according to (a statement|{ORG}|the newspaper|the agency|the report)',
  ', (the newspaper|local media|the agency) reported',
  ', {PER} told (reporters|the newspaper|{ORG})',
  ', a (spokesman|spokeswoman) for {ORG} said',
  ', (a fact that|which) (surprised|pleased|worried) (many|some) (observers|analysts|residents)',
  ', (the report|{PER}) (added|noted)',
];

/** Short asides for the ~ marks. */
export const PARENTHETICALS: readonly string[] = [
  'reportedly',
  ', (officials|sources) said ,',
  ', according to {PER} ,',
  'apparently',
];
