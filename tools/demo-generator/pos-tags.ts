// Penn Treebank tags for the closed vocabulary of the templates. Template text is known in
// advance, so a lookup table plus a few suffix rules tags it as well as a real tagger would,
// at a fraction of the cost. Entity tokens carry their own tags from the lexicon.

const BY_TAG: Readonly<Record<string, string>> = {
  DT: 'the a an this these those another each every some no all both any',
  IN: 'in of at on for from by with after before since during as about than that into near under over through against among without because although while if until despite amid across behind like per upon outside inside whether',
  TO: 'to',
  CC: 'and but or nor yet',
  PRP: 'he she it they we i you him them us himself herself itself themselves',
  'PRP$': 'his its their our my your',
  WP: 'who whom what',
  'WP$': 'whose',
  WDT: 'which',
  WRB: 'when where how why',
  MD: 'will would can could should must may might shall',
  EX: 'there',
  RB: 'not also reportedly apparently once later earlier still however meanwhile separately never already again recently previously formerly often widely commonly nearly almost about just even only ago too steadily rapidly quietly abroad together soon long here then now originally eventually briefly first back away forward',
  RBR: 'more better',
  JJ: 'former retired late new old young largest biggest oldest youngest second-largest main major minor full devout practicing local national international independent public private private-equity state-owned small big large long short brief many several few other own same last next key senior chief deputy vice foreign prime financial executive general interim acting top leading founding influential active unfair premature serious growing personal financial legal joint fellow previous close longtime early best-known better-known good overdue unavailable wrong helpful divided concerned concerned sudden violent natural online official regional global massive unnamed undisclosed minority majority controlling common famous dead guilty available distant mistaken further',
  JJS: 'most',
  JJR: 'larger smaller older younger',
  NNS: 'people workers employees staff members years months weeks days decades children sons daughters brothers sisters siblings parents relatives officials reporters analysts sources witnesses residents observers investors creditors shareholders leaders voters groups parties companies assets jobs prices markets profits sales losses charges allegations teachings values ideals rules standards results talks countries nations states unions affiliates units subsidiaries products goods cars units tons votes points dollars soldiers supporters executives millions thousands initials cases ties documents records donations funds rights lawmakers delegates colleagues friends fans students graduates founders owners stakes shares customers',
  VBD: 'was were said told had did died passed announced added noted insisted argued warned confirmed disclosed reported joined married wed lived moved settled grew fled emigrated founded established created started launched formed acquired bought sold took became served worked studied attended earned graduated converted embraced pleaded denied met spoke visited toured arrived left criticized praised defeated interviewed thanked replaced succeeded sued urged signed agreed won scored received collected spent waited opened expanded invested shipped released posted published cited linked sponsored broadcast boycotted halted suspended raised cut filed closed folded collapsed merged chose named hired appointed elected resigned retired testified declined issued struck owned controlled ran led headed chaired employed admitted accepted invited honored visited held increased rebranded renamed changed surprised pleased worried divorced remained succumbed fell rose froze withdrew went paid beat',
  VBN: 'been born based headquartered known called referred abbreviated killed found charged convicted indicted accused arrested raised educated owned controlled survived named dissolved disbanded liquidated shut set co-founded ranked expected reported grown taken spoken laid shot made got hurt',
  VBZ: 'is has does lives works owns controls employs includes heads leads runs chairs promotes espouses practices faces holds remains says comprises groups brings competes exports ships plans uses kills affects operates goes represents sells describes presents stands lists studies',
  VBP: 'are have do live work own include',
  VB: 'be have do become expand cut raise open delay appeal review hire sell travel attend meet comment respond speak testify visit act comply follow receive vote discuss build reshape affect fight take reach run leave return continue keep grow join lead serve remain address apologize appear arrive boycott compete explain lose miss reconsider reduce resign resume bid change',
  VBG: 'according being having speaking graduating studying leaving following including facing battling running working citing',
  POS: "'s",
  ',': ',',
  '.': '.',
  ':': ': ; --',
  '``': '``',
  "''": "''",
  '-LRB-': '-LRB-',
  '-RRB-': '-RRB-',
  RP: 'off up down out',
  CD: 'one two three four five six seven eight nine ten eleven twelve twenty',
  NN: 'company firm group bank carrier agency organization charity party movement union league association council institute foundation unit division subsidiary affiliate branch office headquarters head home hospital city country state province region capital plan deal decision proposal vote agreement mistake step news statement comment request project ruling strategy strategy market stake percent share shareholder stake owner founder co-founder member website site homepage address information report article post newspaper interview spokesman spokeswoman analyst economist engineer researcher consultant lawyer adviser manager director chairman president executive officer reporter graduate alumnus degree school nickname name alias acronym abbreviation son daughter father mother brother sister husband wife widow widower cousin uncle aunt nephew niece grandson granddaughter grandfather grandmother stepson stepdaughter brother-in-law sister-in-law son-in-law daughter-in-law family death cause battle complications illness age time week month year birth career life job meeting conference ceremony summit hearing trial court prison case charge suspicion murder citizen national native resident workforce death world industry region sector area village town border hometown apartment emergency crash accident attack accident people crisis bonus supply',
  NNP: 'Tuesday Monday Wednesday Thursday Friday Saturday Sunday',
};

const LEXICON: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>();
  for (const [tag, words] of Object.entries(BY_TAG)) {
    for (const word of words.split(' ')) {
      // First listing wins, so the more common reading should be listed under its tag first.
      if (word !== '' && !map.has(word)) map.set(word, tag);
    }
  }
  return map;
})();

const MODALS_AND_TO = new Set(['to', 'will', 'would', 'can', 'could', 'should', 'must', 'may', 'might']);
const DETERMINERS = new Set(['the', 'a', 'an', 'its', 'his', 'her', 'their', 'this']);

const PASSIVE_OR_PERFECT_AUX = new Set([
  'was',
  'were',
  'is',
  'are',
  'be',
  'been',
  'being',
  'has',
  'have',
  'had',
  'got',
]);

/**
 * Tags one template word. `prev` and `next` are the neighbouring literal words when known,
 * used only to tell a past participle from a simple past ("was founded by" vs "founded").
 */
export function tagWord(word: string, prev?: string, next?: string): string {
  const lower = word.toLowerCase();
  const known = LEXICON.get(lower) ?? LEXICON.get(word);
  // "would cut", "to explain": after a modal or infinitival "to" a verb is in its base form.
  if (prev !== undefined && MODALS_AND_TO.has(prev.toLowerCase())) {
    if (known === undefined || known === 'VBD' || known === 'VBN' || known === 'VBP' || known === 'NN') {
      if (!/^[A-Z0-9]/.test(word)) return 'VB';
    }
  }
  // "the vote", "a step": after a determiner the noun reading wins.
  if (prev !== undefined && DETERMINERS.has(prev.toLowerCase()) && (known === 'VB' || known === 'VBP')) return 'NN';
  const isEdForm = known === 'VBD' || known === 'VBN' || (known === undefined && /[a-z]ed$/.test(lower));
  if (isEdForm && lower !== 'was' && lower !== 'were' && lower !== 'had' && lower !== 'did') {
    const afterAux = prev !== undefined && PASSIVE_OR_PERFECT_AUX.has(prev.toLowerCase());
    const beforeBy = next !== undefined && next.toLowerCase() === 'by';
    if (afterAux || beforeBy) return 'VBN';
    if (known !== undefined) return known;
    return 'VBD';
  }
  if (known !== undefined) return known;
  if (/^[0-9][0-9,.]*$/.test(word)) return 'CD';
  if (/^[A-Z]/.test(word)) return 'NNP';
  if (/ing$/.test(lower) && lower.length > 4) return 'VBG';
  if (/ly$/.test(lower) && lower.length > 4) return 'RB';
  if (/[^s]s$/.test(lower) && lower.length > 3) return 'NNS';
  return 'NN';
}
