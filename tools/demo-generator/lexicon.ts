// Word lists and entity makers for the synthetic dataset. Names are common given names and
// surnames; organisations are composed from parts, so that the same few hundred strings do
// not repeat across a 100k-record benchmark and a model cannot memorise entity strings.

import type { EntityKind, EntityType } from './relations';
import type { Rng } from '../../src/main/core/random/seeded-rng';

export type Gender = 'm' | 'f' | 'n';

export interface Entity {
  readonly tokens: readonly string[];
  readonly pos: readonly string[];
  /** Drives pronouns and kinship words in templates ("his son" vs "her daughter"). */
  readonly gender: Gender;
  /** The preposition a date takes: "on March 3 , 2009" but "in 2009". */
  readonly prep?: 'on' | 'in';
}

const words = (list: string): readonly string[] => list.trim().split(/\s*\|\s*/);

const MALE_FIRST = words(`James | John | Robert | Michael | William | David | Richard | Joseph | Thomas | Charles |
  Daniel | Matthew | Anthony | Mark | Donald | Steven | Paul | Andrew | Joshua | Kenneth | Kevin | Brian |
  George | Edward | Ronald | Timothy | Jason | Jeffrey | Ryan | Jacob | Gary | Nicholas | Eric | Stephen |
  Jonathan | Larry | Justin | Scott | Frank | Brandon | Raymond | Gregory | Samuel | Patrick | Alexander |
  Jack | Dennis | Jerry | Tyler | Aaron | Henry | Peter | Walter | Ahmed | Mohammed | Ali | Hassan | Omar |
  Wei | Jun | Hiroshi | Kenji | Sergei | Dmitri | Ivan | Pierre | Jean | Luis | Carlos | Jorge | Miguel |
  Antonio | Giovanni | Marco | Hans | Klaus | Lars | Sven | Rajesh | Amit | Vikram | Kwame | Chinedu | Tariq`);

const FEMALE_FIRST = words(`Mary | Patricia | Jennifer | Linda | Elizabeth | Barbara | Susan | Jessica | Sarah |
  Karen | Nancy | Lisa | Margaret | Betty | Sandra | Ashley | Dorothy | Kimberly | Emily | Donna | Michelle |
  Carol | Amanda | Melissa | Deborah | Stephanie | Rebecca | Laura | Sharon | Cynthia | Kathleen | Amy |
  Shirley | Angela | Helen | Anna | Brenda | Pamela | Nicole | Ruth | Katherine | Samantha | Christine |
  Emma | Catherine | Virginia | Rachel | Janet | Maria | Fatima | Aisha | Layla | Mei | Yuki | Keiko | Olga |
  Natalia | Irina | Sophie | Claire | Isabel | Lucia | Carmen | Giulia | Francesca | Ingrid | Astrid | Priya |
  Anjali | Sunita | Amara | Ngozi | Leila | Hannah | Grace`);

const SURNAMES = words(`Smith | Johnson | Williams | Brown | Jones | Garcia | Miller | Davis | Rodriguez |
  Martinez | Hernandez | Lopez | Gonzalez | Wilson | Anderson | Thomas | Taylor | Moore | Jackson | Martin |
  Lee | Perez | Thompson | White | Harris | Sanchez | Clark | Ramirez | Lewis | Robinson | Walker | Young |
  Allen | King | Wright | Scott | Torres | Nguyen | Hill | Flores | Green | Adams | Nelson | Baker | Hall |
  Rivera | Campbell | Mitchell | Carter | Roberts | Phillips | Evans | Turner | Parker | Collins | Edwards |
  Stewart | Morris | Murphy | Cook | Rogers | Morgan | Cooper | Peterson | Reed | Bailey | Bell | Kelly |
  Howard | Ward | Cox | Richardson | Wood | Watson | Brooks | Bennett | Gray | Hughes | Price | Sanders |
  Myers | Long | Ross | Foster | Powell | Jenkins | Perry | Russell | Sullivan | Fischer | Weber | Schmidt |
  Becker | Rossi | Bianchi | Ferrari | Dubois | Moreau | Laurent | Ivanov | Petrov | Volkov | Tanaka |
  Suzuki | Watanabe | Yamamoto | Wang | Zhang | Liu | Chen | Huang | Zhao | Kim | Park | Choi | Patel |
  Sharma | Singh | Gupta | Khan | Rahman | Hussein | Haddad | Okafor | Mensah | Kowalski | Novak | Jansen |
  de Vries | Larsen | Nielsen | Andersson | Silva | Santos | Oliveira | Costa | O'Brien | McCarthy | Fitzgerald`);

const NICKNAMES = words(`Junior | Ace | Doc | Buddy | Red | Sonny | Skip | Chip | Duke | Tex | Lucky | Rocky |
  Smokey | Biggie | Bubba | Slim | Babe | Dutch | Moose | Tiny`);

const CITIES = words(`Chicago | New York | Los Angeles | Houston | Phoenix | Philadelphia | San Antonio |
  San Diego | Dallas | Boston | Seattle | Denver | Atlanta | Miami | Detroit | Baltimore | Cleveland |
  Pittsburgh | Minneapolis | New Orleans | Toronto | Montreal | Vancouver | London | Manchester |
  Birmingham | Glasgow | Dublin | Paris | Lyon | Marseille | Berlin | Munich | Hamburg | Frankfurt |
  Vienna | Zurich | Geneva | Rome | Milan | Naples | Madrid | Barcelona | Lisbon | Amsterdam | Brussels |
  Stockholm | Oslo | Copenhagen | Helsinki | Warsaw | Prague | Budapest | Athens | Istanbul | Moscow |
  Kiev | Cairo | Lagos | Nairobi | Johannesburg | Cape Town | Tehran | Baghdad | Karachi | Mumbai |
  New Delhi | Bangalore | Dhaka | Bangkok | Jakarta | Manila | Singapore | Hong Kong | Shanghai | Beijing |
  Taipei | Seoul | Tokyo | Osaka | Sydney | Melbourne | Auckland | Mexico City | Bogota | Lima |
  Santiago | Buenos Aires | Sao Paulo | Rio de Janeiro | Havana`);

const COUNTRIES = words(`United States | Canada | Mexico | Brazil | Argentina | Chile | Colombia | Peru |
  Venezuela | Cuba | Britain | Ireland | France | Germany | Italy | Spain | Portugal | Netherlands |
  Belgium | Switzerland | Austria | Sweden | Norway | Denmark | Finland | Poland | Hungary | Greece |
  Turkey | Russia | Ukraine | Egypt | Nigeria | Kenya | South Africa | Ethiopia | Morocco | Iran | Iraq |
  Israel | Saudi Arabia | Syria | Lebanon | Jordan | Pakistan | Afghanistan | India | Bangladesh |
  China | Japan | South Korea | Taiwan | Vietnam | Thailand | Indonesia | Philippines | Malaysia |
  Australia | New Zealand`);

const STATES = words(`California | Texas | Florida | New York | Pennsylvania | Illinois | Ohio | Georgia |
  Michigan | North Carolina | New Jersey | Virginia | Washington | Arizona | Massachusetts | Tennessee |
  Indiana | Missouri | Maryland | Wisconsin | Colorado | Minnesota | Louisiana | Alabama | Kentucky |
  Oregon | Oklahoma | Connecticut | Iowa | Kansas | Nevada | Utah | Ontario | Quebec | British Columbia |
  Alberta | Bavaria | Saxony | Catalonia | Andalusia | Lombardy | Tuscany | Sichuan | Guangdong |
  Yunnan | Punjab | Kerala | Gujarat | New South Wales | Queensland | Victoria`);

const LOCATIONS = words(`Middle East | Gaza Strip | West Bank | Europe | Asia | Africa | Latin America |
  Persian Gulf | Balkans | Caucasus | Caribbean | Sahara | Amazon | Scandinavia | Southeast Asia |
  Horn of Africa | Korean Peninsula | Pacific | Mediterranean | Arctic`);

const NATIONALITIES = words(`American | British | French | German | Chinese | Japanese | Russian | Indian |
  Italian | Spanish | Mexican | Canadian | Brazilian | Australian | Egyptian | Iranian | Iraqi | Israeli |
  Palestinian | Pakistani | Afghan | Turkish | Greek | Polish | Dutch | Swedish | Norwegian | Nigerian |
  Kenyan | South African | Korean | South Korean | Vietnamese | Filipino | Indonesian | Cuban |
  Argentine | Chilean | Irish | Scottish | Ukrainian | Lebanese | Syrian`);

// Only words that read as both a noun and an adjective, so "a devout Catholic" and
// "a Catholic charity" both work from one list.
const RELIGIONS = words(`Muslim | Catholic | Christian | Buddhist | Hindu | Sunni | Shiite | Protestant |
  Mormon | Anglican | Methodist | Baptist | Evangelical | Lutheran | Sikh | Presbyterian`);

const IDEOLOGIES = words(`conservative | liberal | socialist | communist | Islamist | nationalist |
  separatist | Marxist | libertarian | progressive | environmentalist | populist | Maoist | centrist`);

const TITLES = words(`chief executive | president | chairman | spokesman | spokeswoman | senator |
  governor | director | coach | professor | ambassador | minister | foreign minister | prime minister |
  mayor | general manager | vice president | secretary-general | actor | singer | author | lawyer |
  economist | journalist | editor | analyst | commissioner | judge | prosecutor | chief financial officer |
  chief operating officer | managing director | pastor | bishop | general | colonel | novelist |
  architect | composer | historian | physicist | surgeon | treasurer | sheriff | conductor`);

const CAUSES_OF_DEATH = words(`cancer | lung cancer | pneumonia | heart attack | heart failure | stroke |
  leukemia | AIDS | diabetes | kidney failure | tuberculosis | malaria | Alzheimer 's disease |
  Parkinson 's disease | liver cancer | breast cancer | pancreatic cancer | cardiac arrest |
  gunshot wounds | suicide | an overdose | cirrhosis | emphysema | influenza | respiratory failure |
  a brain tumor | complications of surgery | lymphoma`);

const CHARGES = words(`murder | fraud | tax evasion | money laundering | bribery | corruption | manslaughter |
  drug trafficking | embezzlement | perjury | obstruction of justice | terrorism | kidnapping | assault |
  armed robbery | insider trading | espionage | arson | extortion | securities fraud | conspiracy |
  racketeering | treason | sedition | theft | wire fraud | attempted murder`);

const MISC_NAMES = words(`Olympics | World Cup | Super Bowl | Nobel Peace Prize | Academy Awards | Cold War |
  Tour de France | Wimbledon | Grammy Awards | Iraq War | Kyoto Protocol | Ramadan | Champions League |
  Pulitzer Prize | Booker Prize | Paris Agreement | Davis Cup | Eurovision Song Contest`);

const MONTHS = words(`January | February | March | April | May | June | July | August | September |
  October | November | December`);

export const WEEKDAYS = words('Monday | Tuesday | Wednesday | Thursday | Friday | Saturday | Sunday');

const NUMBER_WORDS = words('two | three | four | five | six | seven | eight | nine | ten | a dozen');

const ORG_ADJECTIVES = words(`Pacific | Atlantic | Northern | Southern | Global | United | National |
  Continental | Consolidated | Allied | Eastern | Western | Royal | Imperial | First | Central | Great Lakes |
  Summit | Pioneer | Liberty | Heritage | Frontier | Evergreen | Meridian | Keystone | Horizon | Sterling`);

const INDUSTRIES = words(`Energy | Capital | Media | Pharmaceuticals | Motors | Foods | Airlines |
  Holdings | Technologies | Steel | Insurance | Telecom | Mining | Logistics | Partners | Chemicals |
  Industries | Software | Semiconductor | Shipping | Petroleum | Financial | Brewing | Textiles |
  Aerospace | Biotech | Entertainment | Publishing | Electric | Construction`);

const CORPORATE_SUFFIXES = words('Corp | Inc | Group | Co | Ltd | LLC | Holdings | International');

const INSTITUTION_HEADS = words(`Institute | Council | Center | Foundation | Alliance | Association | Society |
  Coalition | League | Federation | Union | Committee | Commission | Agency | Bureau | Party | Front |
  Movement | Network | Forum`);

const INSTITUTION_TOPICS = words(`Policy Studies | Human Rights | Economic Research | Public Health | Peace |
  Democracy | Justice | Fair Trade | Clean Energy | Press Freedom | Education | Development | Trade |
  Workers | Consumer Protection | Civil Liberties | Arms Control | Rural Affairs | Nuclear Safety`);

const CIVIC_BODIES = words(`Symphony Orchestra | Chamber of Commerce | Police Department | City Council |
  Public Library | Medical Center | Port Authority | Transit Authority | General Hospital | Opera |
  Football Club | Chamber Orchestra | Stock Exchange | Zoo | Museum of Art | Housing Authority`);

const SCHOOL_WORDS = words('College | University | Institute of Technology | Law School | School of Medicine');

/** Lowercase words that stay lowercase and are tagged differently inside names. */
const NAME_FUNCTION_TAGS: Readonly<Record<string, string>> = {
  of: 'IN',
  for: 'IN',
  the: 'DT',
  and: 'CC',
  de: 'IN',
  "'s": 'POS',
};

const LOWERCASE_ENTITY_TAGS: Readonly<Record<string, string>> = {
  chief: 'JJ',
  financial: 'JJ',
  operating: 'VBG',
  prime: 'JJ',
  foreign: 'JJ',
  vice: 'NN',
  managing: 'VBG',
  general: 'JJ',
  an: 'DT',
  a: 'DT',
  of: 'IN',
  lung: 'NN',
  heart: 'NN',
  kidney: 'NN',
  liver: 'NN',
  breast: 'NN',
  pancreatic: 'JJ',
  cardiac: 'JJ',
  respiratory: 'JJ',
  brain: 'NN',
  gunshot: 'NN',
  wounds: 'NNS',
  complications: 'NNS',
  tax: 'NN',
  money: 'NN',
  drug: 'NN',
  armed: 'JJ',
  insider: 'NN',
  securities: 'NNS',
  wire: 'NN',
  attempted: 'JJ',
  laundering: 'NN',
  trafficking: 'NN',
  trading: 'NN',
};

/** Proper-name tagging: capitalised words are NNP, function words keep their own tags. */
function properTags(tokens: readonly string[]): string[] {
  return tokens.map((t) => NAME_FUNCTION_TAGS[t] ?? (/^[0-9]/.test(t) ? 'CD' : 'NNP'));
}

function commonTags(tokens: readonly string[]): string[] {
  return tokens.map((t) => {
    if (/^[A-Z]/.test(t)) return 'NNP';
    const known = LOWERCASE_ENTITY_TAGS[t] ?? NAME_FUNCTION_TAGS[t];
    return known ?? 'NN';
  });
}

function proper(text: string, gender: Gender = 'n'): Entity {
  const tokens = text.split(' ');
  return { tokens, pos: properTags(tokens), gender };
}

/** A proper name from pre-split parts; names are composed per record, so no string splitting here. */
function composed(parts: readonly (readonly string[])[], gender: Gender = 'n'): Entity {
  const tokens: string[] = [];
  for (const part of parts) for (const token of part) tokens.push(token);
  return { tokens, pos: properTags(tokens), gender };
}

// Entities for the fixed lists are built once; they are immutable, so records can share them.
const entitiesOf = (list: readonly string[], make: (text: string) => Entity): readonly Entity[] => list.map(make);
const split = (list: readonly string[]): readonly (readonly string[])[] => list.map((text) => text.split(' '));

const SURNAME_PARTS = split(SURNAMES);
const MALE_PARTS = split(MALE_FIRST);
const FEMALE_PARTS = split(FEMALE_FIRST);
const CITY_PARTS = split(CITIES);
const STATE_PARTS = split(STATES);
const INDUSTRY_PARTS = split(INDUSTRIES);
const SUFFIX_PARTS = split(CORPORATE_SUFFIXES);
const ORG_ADJECTIVE_PARTS = split(ORG_ADJECTIVES);
const CIVIC_PARTS = split(CIVIC_BODIES);
const INSTITUTION_PARTS = split(INSTITUTION_HEADS);
const TOPIC_PARTS = split(INSTITUTION_TOPICS);
const SCHOOL_PARTS = split(SCHOOL_WORDS);
const INITIALS = Array.from({ length: 26 }, (_, i) => [`${String.fromCharCode(65 + i)}.`]);
const FOR = ['for'];
const AND = ['and'];
const UNIVERSITY_OF = ['University', 'of'];
const STATE_UNIVERSITY = ['State', 'University'];

const CITY_ENTITIES = entitiesOf(CITIES, (t) => proper(t));
const COUNTRY_ENTITIES = entitiesOf(COUNTRIES, (t) => proper(t));
const STATE_ENTITIES = entitiesOf(STATES, (t) => proper(t));
const LOCATION_ENTITIES = entitiesOf(LOCATIONS, (t) => proper(t));
const RELIGION_ENTITIES = entitiesOf(RELIGIONS, (t) => proper(t));
const MISC_ENTITIES = entitiesOf(MISC_NAMES, (t) => proper(t));
const NATIONALITY_ENTITIES = entitiesOf(NATIONALITIES, (t) => {
  const tokens = t.split(' ');
  return { tokens, pos: tokens.map(() => 'JJ'), gender: 'n' };
});
const IDEOLOGY_ENTITIES = entitiesOf(IDEOLOGIES, (t) => ({ tokens: [t], pos: ['JJ'], gender: 'n' }));
const common = (text: string): Entity => {
  const tokens = text.split(' ');
  return { tokens, pos: commonTags(tokens), gender: 'n' };
};
const TITLE_ENTITIES = entitiesOf(TITLES, common);
const CAUSE_ENTITIES = entitiesOf(CAUSES_OF_DEATH, common);
const CHARGE_ENTITIES = entitiesOf(CHARGES, common);

export function makePerson(rng: Rng, options: { gender?: 'm' | 'f'; surname?: string } = {}): Entity {
  const gender = options.gender ?? (rng.chance(0.5) ? 'm' : 'f');
  const first = rng.pick(gender === 'm' ? MALE_PARTS : FEMALE_PARTS);
  const last = options.surname !== undefined ? [options.surname] : rng.pick(SURNAME_PARTS);
  const roll = rng.next();
  // TACRED mentions are mostly "First Last", with some bare surnames and middle initials.
  if (roll < 0.12 && options.surname === undefined) return composed([last], gender);
  if (roll < 0.22) return composed([first, rng.pick(INITIALS), last], gender);
  return composed([first, last], gender);
}

/** A different name for the same person: a nickname, or the same surname with a new first name. */
export function makeAlias(rng: Rng, person: Entity): Entity {
  if (rng.chance(0.5)) return proper(rng.pick(NICKNAMES), person.gender);
  const surname = person.tokens[person.tokens.length - 1];
  const first = rng.pick(person.gender === 'f' ? FEMALE_PARTS : MALE_PARTS);
  return composed([first, surname === undefined ? rng.pick(SURNAME_PARTS) : [surname]], person.gender);
}

export function surnameOf(person: Entity): string | undefined {
  return person.tokens[person.tokens.length - 1];
}

export function makeOrganization(rng: Rng): Entity {
  switch (rng.int(6)) {
    case 0:
      return composed([rng.pick(SURNAME_PARTS), rng.pick(INDUSTRY_PARTS), rng.pick(SUFFIX_PARTS)]);
    case 1:
      return composed([rng.pick(ORG_ADJECTIVE_PARTS), rng.pick(INDUSTRY_PARTS)]);
    case 2:
      return composed([rng.pick(rng.chance(0.5) ? CITY_PARTS : STATE_PARTS), rng.pick(CIVIC_PARTS)]);
    case 3:
      return composed([rng.pick(ORG_ADJECTIVE_PARTS), rng.pick(INSTITUTION_PARTS), FOR, rng.pick(TOPIC_PARTS)]);
    case 4:
      // Law and accounting partnerships: "Baker and Hughes".
      return composed([rng.pick(SURNAME_PARTS), AND, rng.pick(SURNAME_PARTS)]);
    default:
      return composed([rng.pick(SURNAME_PARTS), rng.pick(INDUSTRY_PARTS)]);
  }
}

const ALLIANCE_HEADS = split(words('Alliance | League | Federation | Union | Council | Association | Coalition'));
const ALLIANCE_MEMBERS = split(
  words('Trade Unions | Exporters | Chambers of Commerce | Farmers | Manufacturers | Nations | Free Cities | Broadcasters | Airlines'),
);
const OF = ['of'];

/**
 * A body that has members or takes a stance ("Northern League of Exporters", "United Council
 * for Peace"); a brewery joining a shipping line would read as noise rather than signal.
 */
export function makeInstitution(rng: Rng): Entity {
  if (rng.chance(0.5)) {
    return composed([rng.pick(ORG_ADJECTIVE_PARTS), rng.pick(ALLIANCE_HEADS), OF, rng.pick(ALLIANCE_MEMBERS)]);
  }
  return composed([rng.pick(ORG_ADJECTIVE_PARTS), rng.pick(INSTITUTION_PARTS), FOR, rng.pick(TOPIC_PARTS)]);
}

export function makeSchool(rng: Rng): Entity {
  switch (rng.int(4)) {
    case 0:
      return composed([UNIVERSITY_OF, rng.pick(rng.chance(0.5) ? CITY_PARTS : STATE_PARTS)]);
    case 1:
      return composed([rng.pick(STATE_PARTS), STATE_UNIVERSITY]);
    case 2:
      return composed([rng.pick(SURNAME_PARTS), rng.pick(SCHOOL_PARTS)]);
    default:
      return composed([rng.pick(CITY_PARTS), rng.pick(SCHOOL_PARTS)]);
  }
}

const ACRONYM_SKIP = new Set(['of', 'for', 'the', 'and', 'de', 'Corp', 'Inc', 'Co', 'Ltd', 'LLC']);

/** Initials of an organisation's content words: "National Institute for Peace" -> "NIP". */
export function acronymOf(org: Entity): string {
  return org.tokens
    .filter((t) => !ACRONYM_SKIP.has(t))
    .map((t) => t.charAt(0).toUpperCase())
    .join('');
}

/** An organisation with at least two content words, so that it has a usable acronym. */
export function makeAcronymPair(rng: Rng): [Entity, Entity] {
  for (let attempt = 0; attempt < 8; attempt++) {
    const org = makeOrganization(rng);
    const acronym = acronymOf(org);
    if (acronym.length >= 2) return [org, { tokens: [acronym], pos: ['NNP'], gender: 'n' }];
  }
  const fallback = composed([rng.pick(ORG_ADJECTIVE_PARTS), rng.pick(INSTITUTION_PARTS), FOR, rng.pick(TOPIC_PARTS)]);
  return [fallback, { tokens: [acronymOf(fallback)], pos: ['NNP'], gender: 'n' }];
}

export function urlFor(org: Entity, rng: Rng): Entity {
  const slug = org.tokens
    .filter((t) => !ACRONYM_SKIP.has(t))
    .join('')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
  const tld = rng.pick(['com', 'org', 'net', 'com', 'co.uk']);
  const url = rng.chance(0.6) ? `http://www.${slug}.${tld}` : `www.${slug}.${tld}`;
  return { tokens: [url], pos: ['NN'], gender: 'n' };
}

function makeDate(rng: Rng, fromYear: number, toYear: number): Entity {
  const year = String(rng.between(fromYear, toYear));
  const month = rng.pick(MONTHS);
  const roll = rng.next();
  if (roll < 0.4) {
    const tokens = [month, String(rng.between(1, 28)), ',', year];
    return { tokens, pos: ['NNP', 'CD', ',', 'CD'], gender: 'n', prep: 'on' };
  }
  if (roll < 0.6) return { tokens: [month, year], pos: ['NNP', 'CD'], gender: 'n', prep: 'in' };
  return { tokens: [year], pos: ['CD'], gender: 'n', prep: 'in' };
}

/** Thousands separators by hand: toLocaleString is slow enough to show up in benchmarks. */
function formatCount(value: number): string {
  const digits = String(value);
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits.charAt(i);
  }
  return out;
}

function makeCount(rng: Rng): Entity {
  const roll = rng.next();
  if (roll < 0.15) {
    const tokens = [String(rng.between(1, 9)) + '.' + String(rng.between(1, 9)), 'million'];
    return { tokens, pos: ['CD', 'CD'], gender: 'n' };
  }
  const magnitude = roll < 0.5 ? 1000 : roll < 0.85 ? 100 : 10_000;
  const value = rng.between(2, 99) * magnitude + (magnitude >= 1000 ? rng.between(0, 9) * 100 : 0);
  return { tokens: [formatCount(value)], pos: ['CD'], gender: 'n' };
}

function makeDuration(rng: Rng): Entity {
  const unit = rng.pick(['years', 'months', 'weeks', 'days', 'decades']);
  if (rng.chance(0.5)) return { tokens: [String(rng.between(2, 30)), unit], pos: ['CD', 'NNS'], gender: 'n' };
  const amount = rng.pick(NUMBER_WORDS).split(' ');
  return { tokens: [...amount, unit], pos: [...amount.map((w) => (w === 'a' ? 'DT' : 'CD')), 'NNS'], gender: 'n' };
}

/** Draws one entity of a KBP type; `kind` narrows the draw where a relation needs it. */
export function makeEntity(rng: Rng, type: EntityType, kind?: EntityKind): Entity {
  switch (type) {
    case 'PERSON':
      return makePerson(rng);
    case 'ORGANIZATION':
      return kind === 'school' ? makeSchool(rng) : makeOrganization(rng);
    case 'CITY':
      return rng.pick(CITY_ENTITIES);
    case 'COUNTRY':
      return rng.pick(COUNTRY_ENTITIES);
    case 'STATE_OR_PROVINCE':
      return rng.pick(STATE_ENTITIES);
    case 'LOCATION':
      return rng.pick(LOCATION_ENTITIES);
    case 'DATE':
      switch (kind) {
        case 'birthDate':
          return makeDate(rng, 1925, 1990);
        case 'foundingDate':
          return makeDate(rng, 1850, 2008);
        case 'closingDate':
        case 'deathDate':
          return makeDate(rng, 1975, 2012);
        default:
          return makeDate(rng, 1990, 2012);
      }
    case 'NUMBER':
      if (kind === 'age') return { tokens: [String(rng.between(19, 96))], pos: ['CD'], gender: 'n' };
      return makeCount(rng);
    case 'DURATION':
      return makeDuration(rng);
    case 'TITLE':
      return rng.pick(TITLE_ENTITIES);
    case 'NATIONALITY':
      return rng.pick(NATIONALITY_ENTITIES);
    case 'RELIGION':
      return rng.pick(RELIGION_ENTITIES);
    case 'IDEOLOGY':
      return rng.pick(IDEOLOGY_ENTITIES);
    case 'CAUSE_OF_DEATH':
      return rng.pick(CAUSE_ENTITIES);
    case 'CRIMINAL_CHARGE':
      return rng.pick(CHARGE_ENTITIES);
    case 'URL':
      return urlFor(makeOrganization(rng), rng);
    case 'MISC':
      return rng.pick(MISC_ENTITIES);
  }
}
