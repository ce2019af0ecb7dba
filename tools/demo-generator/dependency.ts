// A rule-based dependency analysis for generated sentences, shaped like the Stanford basic
// dependencies in TACRED (1-based heads, 0 and "ROOT" for the root). It is not a parser for
// arbitrary text: it relies on the templates' regular shapes (noun groups, auxiliaries,
// relative clauses introduced by who/which, prepositional attachments) and a final repair
// pass guarantees a well-formed tree whatever it guessed, which is what downstream code
// (path features, tree validators, exporters) needs from a synthetic record.

const NOMINAL = new Set(['DT', 'PDT', 'JJ', 'JJR', 'JJS', 'PRP$', 'WP$', 'CD', 'NN', 'NNS', 'NNP', 'NNPS', 'PRP']);
const VERBAL = new Set(['VB', 'VBD', 'VBG', 'VBN', 'VBP', 'VBZ', 'MD']);
const BE = new Set(['is', 'are', 'was', 'were', 'be', 'been', 'being', 'am']);
const AUXILIARY = new Set([...BE, 'has', 'have', 'had', 'having', 'do', 'does', 'did', 'got']);
const SPEECH = new Set([
  'said',
  'says',
  'told',
  'added',
  'noted',
  'announced',
  'reported',
  'insisted',
  'argued',
  'warned',
  'confirmed',
  'disclosed',
]);
/** Words tagged IN that open a clause rather than a prepositional phrase. */
const COMPLEMENTIZERS = new Set(['that', 'whether', 'if', 'because', 'although', 'though', 'while', 'when', 'where', 'since', 'after', 'before', 'until']);
const NOUN_PREPOSITIONS = new Set(['of', 'for']);
const PUNCTUATION = new Set([',', '.', ':', '``', "''", '-LRB-', '-RRB-']);
const TEMPORAL = new Set(['week', 'month', 'year', 'today', 'yesterday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']);

const ROOT = -2;
const UNSET = -1;

export interface DependencyParse {
  /** 1-based index of each token's head, 0 for the root. */
  readonly heads: number[];
  readonly deprels: string[];
}

function modifierLabel(pos: string): string {
  switch (pos) {
    case 'DT':
    case 'PDT':
      return 'det';
    case 'JJ':
    case 'JJR':
    case 'JJS':
      return 'amod';
    case 'CD':
      return 'nummod';
    case 'PRP$':
    case 'WP$':
      return 'nmod:poss';
    case 'IN':
    case 'POS':
      return 'case';
    case 'CC':
      return 'cc';
    default:
      return PUNCTUATION.has(pos) ? 'punct' : 'compound';
  }
}

interface Group {
  readonly start: number;
  readonly end: number;
  head: number;
  /** The complement of a copula ("was a member"): it heads its clause like a verb. */
  predicate: boolean;
}

const enum Kind {
  None = 0,
  Main,
  RelativeClause,
  OpenComplement,
  ClausalComplement,
  Adverbial,
  Participle,
}

/**
 * @param mentions inclusive [start, end] pairs of entity mentions, which are kept whole.
 * @param ner NER tags, when known, to recognise bare temporal phrases ("Tuesday").
 */
export function parseDependencies(
  tokens: readonly string[],
  pos: readonly string[],
  mentions: readonly number[],
  ner?: readonly string[],
): DependencyParse {
  return new DependencyBuilder(tokens, pos, mentions, ner).build();
}

// A class rather than closures: this runs once per generated record (100k times in a
// benchmark), and per-call closures cost measurably more than prototype methods.
class DependencyBuilder {
  private readonly n: number;
  private readonly head: Int32Array;
  private readonly rel: string[];
  private readonly lower: string[];
  private readonly mentionOf: Int32Array;
  private readonly mentionEnd: number[] = [];
  private readonly groups: Group[] = [];
  private readonly groupOf: Int32Array;
  private readonly isPredicate: Uint8Array;
  private readonly hasPassive: Uint8Array;
  private readonly lead: Int32Array;
  private readonly kind: Uint8Array;
  private readonly governorOf: Int32Array;
  private readonly predicates: number[] = [];
  private root = 0;

  constructor(
    private readonly tokens: readonly string[],
    private readonly pos: readonly string[],
    mentions: readonly number[],
    private readonly ner: readonly string[] | undefined,
  ) {
    const n = tokens.length;
    this.n = n;
    const scratch = scratchFor(n);
    this.head = scratch.head;
    this.mentionOf = scratch.mentionOf;
    this.groupOf = scratch.groupOf;
    this.lead = scratch.lead;
    this.governorOf = scratch.governorOf;
    this.isPredicate = scratch.isPredicate;
    this.hasPassive = scratch.hasPassive;
    this.kind = scratch.kind;
    this.head.fill(UNSET, 0, n);
    this.mentionOf.fill(-1, 0, n);
    this.groupOf.fill(-1, 0, n);
    this.governorOf.fill(-1, 0, n);
    this.isPredicate.fill(0, 0, n);
    this.hasPassive.fill(0, 0, n);
    this.kind.fill(0, 0, n);
    this.rel = new Array<string>(n).fill('dep');
    this.lower = new Array<string>(n);
    for (let t = 0; t < n; t++) {
      this.lower[t] = (tokens[t] as string).toLowerCase();
      this.lead[t] = t;
    }
    for (let m = 0; m * 2 + 1 < mentions.length; m++) {
      const start = mentions[m * 2] as number;
      const end = mentions[m * 2 + 1] as number;
      this.mentionEnd.push(end);
      for (let t = Math.max(0, start); t <= end && t < n; t++) this.mentionOf[t] = m;
    }
  }

  build(): DependencyParse {
    this.findGroups();
    this.findPredicates();
    this.classifyPredicates();
    this.chooseRoot();
    this.attachClauses();
    this.attachGroups();
    this.attachRest();
    this.head[this.root] = ROOT;
    this.rel[this.root] = 'ROOT';
    repairTree(this.head, this.n, this.rel, this.root);
    const heads = new Array<number>(this.n);
    for (let t = 0; t < this.n; t++) heads[t] = this.head[t] === ROOT ? 0 : this.head[t]! + 1;
    return { heads, deprels: this.rel };
  }

  private tag(i: number): string {
    return this.pos[i] ?? '';
  }

  private word(i: number): string {
    return this.lower[i] ?? '';
  }

  private attach(dependent: number, governor: number, label: string): void {
    if (dependent === governor || dependent < 0 || governor < 0) return;
    this.head[dependent] = governor;
    this.rel[dependent] = label;
  }

  // --- Noun groups ---------------------------------------------------------------------------

  private isNominal(t: number): boolean {
    return this.mentionOf[t]! >= 0 || (NOMINAL.has(this.tag(t)) && this.tag(t) !== 'POS');
  }

  private continues(next: number, prev: number): boolean {
    const { mentionOf } = this;
    if (mentionOf[next]! >= 0 && mentionOf[next] === mentionOf[prev]) return true;
    if (this.tag(next) === 'POS' && next + 1 < this.n && this.isNominal(next + 1)) return true;
    if (!this.isNominal(next)) return false;
    const prevTag = this.tag(prev);
    const nextTag = this.tag(next);
    if (prevTag === 'POS') return true;
    if (prevTag === 'PRP' || nextTag === 'PRP') return false;
    // A determiner after a noun starts a new phrase ("told reporters the plan").
    if ((nextTag === 'DT' || nextTag === 'PRP$' || nextTag === 'WP$') && prevTag !== 'PDT') return false;
    return true;
  }

  private findGroups(): void {
    for (let t = 0; t < this.n; ) {
      if (!this.isNominal(t)) {
        t++;
        continue;
      }
      let end = t;
      while (end + 1 < this.n && this.continues(end + 1, end)) end++;
      const group: Group = { start: t, end, head: end, predicate: false };
      for (let i = t; i <= end; i++) this.groupOf[i] = this.groups.length;
      this.groups.push(group);
      this.attachInsideGroup(group);
      t = end + 1;
    }
  }

  private mentionHead(start: number, end: number): number {
    // "University of Chicago" is headed by "University", as CoreNLP analyses it.
    for (let i = start + 1; i < end; i++) {
      if (NOUN_PREPOSITIONS.has(this.word(i)) && this.tag(i) === 'IN') return i - 1;
    }
    return end;
  }

  private attachInsideGroup(group: Group): void {
    const { mentionOf } = this;
    // Units are flattened as (start, end, head, isMention) quadruples.
    const units: number[] = [];
    for (let u = group.start; u <= group.end; ) {
      if (this.tag(u) === 'POS' && mentionOf[u]! < 0) {
        u++;
        continue;
      }
      if (mentionOf[u]! >= 0) {
        const end = Math.min(group.end, this.mentionEnd[mentionOf[u]!] ?? u);
        units.push(u, end, this.mentionHead(u, end), 1);
        u = end + 1;
      } else {
        let end = u;
        while (end + 1 <= group.end && mentionOf[end + 1]! < 0 && this.tag(end + 1) !== 'POS') end++;
        units.push(u, end, end, 0);
        u = end + 1;
      }
    }
    if (units.length === 0) return;
    const lastUnit = units.length - 4;
    group.head = units[lastUnit + 2] as number;
    for (let k = 0; k < units.length; k += 4) {
      const start = units[k] as number;
      const end = units[k + 1] as number;
      const unitHead = units[k + 2] as number;
      const mention = units[k + 3] === 1;
      const isLast = k === lastUnit;
      const possessor = !isLast && this.tag(end + 1) === 'POS';
      // Inside a name: modifiers before the head, then "of X" after it.
      for (let i = start; i <= end; i++) {
        if (i === unitHead) continue;
        if (mention) {
          if (i < unitHead) this.attach(i, unitHead, modifierLabel(this.tag(i)));
          else if (i === end) this.attach(i, unitHead, 'nmod');
          else if (this.tag(i) === 'IN') this.attach(i, end, 'case');
          else this.attach(i, end, modifierLabel(this.tag(i)));
        } else {
          this.attach(i, possessor ? unitHead : group.head, modifierLabel(this.tag(i)));
        }
      }
      if (isLast) continue;
      if (possessor) {
        this.attach(unitHead, group.head, 'nmod:poss');
        this.attach(end + 1, unitHead, 'case');
      } else {
        this.attach(unitHead, group.head, mention ? 'compound' : modifierLabel(this.tag(unitHead)));
      }
    }
  }

  private groupEndingAt(t: number): Group | undefined {
    // The scratch arrays are longer than the sentence: never read past its end.
    if (t < 0 || t >= this.n) return undefined;
    const g = this.groupOf[t] ?? -1;
    const group = g >= 0 ? this.groups[g] : undefined;
    return group !== undefined && group.end === t ? group : undefined;
  }

  /** The noun group just before `t`, looking past one comma (the antecedent of ", who ..."). */
  private groupBefore(t: number): Group | undefined {
    return this.groupEndingAt(t - 1) ?? (this.tokens[t - 1] === ',' ? this.groupEndingAt(t - 2) : undefined);
  }

  // --- Verbs: auxiliaries, copulas, predicates -------------------------------------------------

  private isVerb(t: number): boolean {
    if (t < 0 || t >= this.n || this.groupOf[t]! >= 0 || !VERBAL.has(this.tag(t))) return false;
    return !(this.word(t) === 'according' && this.word(t + 1) === 'to');
  }

  private isAdverb(t: number): boolean {
    const tg = this.tag(t);
    return tg === 'RB' || tg === 'RBR' || this.word(t) === "n't";
  }

  private nextVerb(t: number): number {
    for (let j = t + 1; j < this.n && j <= t + 3; j++) {
      if (this.isVerb(j)) return j;
      if (!this.isAdverb(j)) return -1;
    }
    return -1;
  }

  private canBeAuxiliary(t: number): boolean {
    return this.tag(t) === 'MD' || AUXILIARY.has(this.word(t));
  }

  private findPredicates(): void {
    const { n, lead, isPredicate } = this;
    for (let t = 0; t < n; t++) {
      if (!this.isVerb(t)) continue;
      const following = this.canBeAuxiliary(t) ? this.nextVerb(t) : -1;
      if (following >= 0) {
        let target = following;
        while (this.canBeAuxiliary(target) && this.nextVerb(target) >= 0) target = this.nextVerb(target);
        const passive = BE.has(this.word(t)) && this.tag(target) === 'VBN';
        this.attach(t, target, passive ? 'auxpass' : 'aux');
        if (passive) this.hasPassive[target] = 1;
        lead[target] = Math.min(lead[target]!, t);
        continue;
      }
      if (BE.has(this.word(t))) {
        let j = t + 1;
        while (j < n && this.isAdverb(j)) j++;
        const complement = j < n ? this.groupOf[j]! : -1;
        const group = complement >= 0 ? this.groups[complement] : undefined;
        if (group !== undefined) {
          group.predicate = true;
          this.attach(t, group.head, 'cop');
          isPredicate[group.head] = 1;
          lead[group.head] = Math.min(lead[group.head]!, lead[t]!, t);
          continue;
        }
      }
      isPredicate[t] = 1;
    }
    for (let t = 0; t < n; t++) if (isPredicate[t]) this.predicates.push(t);
    // Leading auxiliaries and adverbs belong to the clause they open.
    for (const p of this.predicates) {
      let start = lead[p]!;
      while (start - 1 >= 0 && this.isAdverb(start - 1)) start--;
      lead[p] = start;
    }
  }

  private isPredicateGroupHead(t: number): boolean {
    const g = t >= 0 && t < this.n ? this.groupOf[t]! : -1;
    return g >= 0 && (this.groups[g] as Group).predicate;
  }

  private classifyPredicates(): void {
    const { kind, governorOf } = this;
    for (const p of this.predicates) {
      const before = this.lead[p]! - 1;
      const beforeTag = before >= 0 ? this.tag(before) : '';
      const beforeGroup = before >= 0 ? this.groupEndingAt(before) : undefined;
      if (beforeTag === 'WP' || beforeTag === 'WDT') {
        const antecedent = this.groupBefore(before);
        this.attach(before, p, this.hasPassive[p] ? 'nsubjpass' : 'nsubj');
        if (antecedent !== undefined) {
          kind[p] = Kind.RelativeClause;
          governorOf[p] = antecedent.head;
          continue;
        }
      } else if (beforeGroup !== undefined && this.tag(beforeGroup.start) === 'WP$') {
        const antecedent = this.groupBefore(beforeGroup.start);
        if (antecedent !== undefined) {
          kind[p] = Kind.RelativeClause;
          governorOf[p] = antecedent.head;
          continue;
        }
      }
      if (beforeTag === 'TO') {
        this.attach(before, p, 'mark');
        kind[p] = Kind.OpenComplement;
        continue;
      }
      if ((beforeTag === 'IN' || beforeTag === 'WRB') && COMPLEMENTIZERS.has(this.word(before))) {
        this.attach(before, p, 'mark');
        kind[p] = this.word(before) === 'that' ? Kind.ClausalComplement : Kind.Adverbial;
        continue;
      }
      const tg = this.tag(p);
      if ((tg === 'VBN' || tg === 'VBG') && this.lead[p] === p && !this.isPredicateGroupHead(p)) {
        const modified =
          beforeGroup ?? (before >= 0 && this.tokens[before] === ',' ? this.groupEndingAt(before - 1) : undefined);
        if (modified !== undefined) {
          kind[p] = Kind.Participle;
          governorOf[p] = modified.head;
        } else {
          kind[p] = Kind.Adverbial;
        }
        continue;
      }
      kind[p] = Kind.Main;
    }
  }

  // --- The root and the clause skeleton ----------------------------------------------------------

  private chooseRoot(): void {
    let firstMain = -1;
    let lastMain = -1;
    let mains = 0;
    for (const p of this.predicates) {
      if (this.kind[p] !== Kind.Main) continue;
      if (firstMain < 0) firstMain = p;
      lastMain = p;
      mains++;
    }
    if (mains > 1 && SPEECH.has(this.word(lastMain))) {
      // "X was born in Y , officials said": the attribution governs the reported clause.
      const subject = this.groupEndingAt(this.lead[lastMain]! - 1);
      this.root = subject !== undefined && this.tokens[subject.start - 1] === ',' ? lastMain : firstMain;
    } else if (firstMain >= 0) {
      this.root = firstMain;
    } else if (this.predicates[0] !== undefined) {
      this.root = this.predicates[0];
    } else if (this.groups[0] !== undefined) {
      this.root = this.groups[0].head;
    } else {
      this.root = 0;
    }
    this.head[this.root] = ROOT;
    this.rel[this.root] = 'ROOT';
  }

  /** The nearest predicate from `from` (exclusive); with `exceptGoverned`, skip the clauses that modify that token. */
  private nearestPredicate(from: number, direction: -1 | 1, exceptGoverned = -1): number {
    for (let t = from + direction; t >= 0 && t < this.n; t += direction) {
      if (!this.isPredicate[t]) continue;
      const k = this.kind[t];
      // A relative clause or participle modifying this very group cannot also take it as subject.
      if (exceptGoverned >= 0 && (k === Kind.RelativeClause || k === Kind.Participle) && this.governorOf[t] === exceptGoverned) {
        continue;
      }
      return t;
    }
    return -1;
  }

  private attachClauses(): void {
    const { root } = this;
    for (const p of this.predicates) {
      if (p === root) continue;
      const k = this.kind[p];
      const explicit = this.governorOf[p]!;
      if (explicit >= 0) {
        this.attach(p, explicit, k === Kind.RelativeClause ? 'acl:relcl' : 'acl');
        continue;
      }
      const previous = this.nearestPredicate(this.lead[p]!, -1);
      switch (k) {
        case Kind.OpenComplement:
          this.attach(p, previous >= 0 ? previous : root, 'xcomp');
          break;
        case Kind.ClausalComplement:
          this.attach(p, previous >= 0 ? previous : root, 'ccomp');
          break;
        case Kind.Adverbial:
        case Kind.Participle:
          this.attach(p, root, 'advcl');
          break;
        default: {
          if (previous < 0 || p < root) {
            this.attach(p, root, 'ccomp');
          } else {
            const coordinated = this.tag(this.lead[p]! - 1) === 'CC';
            if (coordinated) this.attach(this.lead[p]! - 1, p, 'cc');
            this.attach(p, previous, !coordinated && SPEECH.has(this.word(previous)) ? 'ccomp' : 'conj');
          }
        }
      }
    }
  }

  // --- Noun groups attach to clauses or to other groups ------------------------------------------

  private isTemporal(group: Group): boolean {
    return TEMPORAL.has(this.word(group.head)) || (this.ner !== undefined && this.ner[group.head] === 'DATE');
  }

  private attachGroups(): void {
    const { root, head, rel, tokens } = this;
    for (const group of this.groups) {
      if (group.predicate || group.head === root) continue;
      const h = group.head;
      const left = group.start - 1;
      const leftTag = left >= 0 ? this.tag(left) : '';

      if ((leftTag === 'IN' || leftTag === 'TO') && !COMPLEMENTIZERS.has(this.word(left)) && head[left] === UNSET) {
        this.attach(left, h, 'case');
        // "according to X" is one preposition in CoreNLP's analysis.
        if (this.word(left - 1) === 'according') {
          this.attach(left - 1, h, 'case');
          this.attach(left, left - 1, 'mwe');
        }
        const nounBefore = this.groupEndingAt(left - 1);
        const verbBefore = this.nearestPredicate(left, -1);
        let governor: number;
        if (nounBefore !== undefined && (NOUN_PREPOSITIONS.has(this.word(left)) || verbBefore < 0)) governor = nounBefore.head;
        else if (verbBefore >= 0) governor = verbBefore;
        else governor = root; // a sentence-initial phrase ("In 2009 , ...") modifies the main clause
        this.attach(h, governor, 'nmod');
        continue;
      }
      const leftGroup = left >= 1 ? this.groupEndingAt(left - 1) : undefined;
      if (tokens[left] === ',' && leftGroup !== undefined && !leftGroup.predicate && !(rel[leftGroup.head] ?? '').startsWith('nmod')) {
        this.attach(h, leftGroup.head, 'appos');
        continue;
      }
      if (leftTag === 'CC' && leftGroup !== undefined) {
        this.attach(left, h, 'cc');
        this.attach(h, leftGroup.head, 'conj');
        continue;
      }
      if (this.isTemporal(group)) {
        const previousClause = this.nearestPredicate(group.start, -1);
        const governor = previousClause >= 0 ? previousClause : this.nearestPredicate(group.end, 1);
        this.attach(h, governor >= 0 ? governor : root, 'nmod:tmod');
        continue;
      }
      const nextClause = this.nearestPredicate(group.end, 1, h);
      const subjectLabel = nextClause >= 0 && this.hasPassive[nextClause] ? 'nsubjpass' : 'nsubj';
      if (this.isVerb(left) || (left >= 0 && this.isAdverb(left) && this.isVerb(left - 1))) {
        // "said X was born": X opens the reported clause rather than being said.
        if (nextClause >= 0 && this.lead[nextClause] === group.end + 1) {
          this.attach(h, nextClause, subjectLabel);
        } else {
          const previousClause = this.nearestPredicate(group.start, -1);
          this.attach(h, previousClause >= 0 ? previousClause : root, 'dobj');
        }
        continue;
      }
      if (nextClause >= 0) {
        this.attach(h, nextClause, subjectLabel);
        continue;
      }
      const previousClause = this.nearestPredicate(group.start, -1);
      this.attach(h, previousClause >= 0 ? previousClause : root, previousClause >= 0 ? 'dobj' : 'dep');
    }
  }

  // --- Everything else ---------------------------------------------------------------------------

  private attachRest(): void {
    const { root, head, tokens } = this;
    for (let t = 0; t < this.n; t++) {
      if (head[t] !== UNSET || t === root) continue;
      const tg = this.tag(t);
      if (PUNCTUATION.has(tg) || PUNCTUATION.has(tokens[t] ?? '')) {
        this.attach(t, root, 'punct');
      } else if (this.isAdverb(t)) {
        const right = this.nearestPredicate(t, 1);
        const leftP = this.nearestPredicate(t, -1);
        const target = right >= 0 && (leftP < 0 || this.lead[right]! <= t + 2) ? right : leftP;
        this.attach(t, target >= 0 ? target : root, 'advmod');
      } else if (tg === 'IN' || tg === 'WRB' || tg === 'TO') {
        const right = this.nearestPredicate(t, 1);
        this.attach(t, right >= 0 ? right : root, 'mark');
      } else if (tg === 'CC') {
        const right = this.nearestPredicate(t, 1);
        this.attach(t, right >= 0 ? right : root, 'cc');
      } else if (tg === 'RP') {
        const leftP = this.nearestPredicate(t, -1);
        this.attach(t, leftP >= 0 ? leftP : root, 'compound:prt');
      } else if (tg === 'WP' || tg === 'WDT') {
        const right = this.nearestPredicate(t, 1);
        this.attach(t, right >= 0 ? right : root, 'nsubj');
      } else {
        this.attach(t, root, 'dep');
      }
    }
  }
}

interface Scratch {
  readonly head: Int32Array;
  readonly mentionOf: Int32Array;
  readonly groupOf: Int32Array;
  readonly lead: Int32Array;
  readonly governorOf: Int32Array;
  readonly state: Int32Array;
  readonly isPredicate: Uint8Array;
  readonly hasPassive: Uint8Array;
  readonly kind: Uint8Array;
}

let scratch: Scratch | undefined;

/**
 * Working arrays shared by every call (the builder never re-enters itself): allocating eight
 * typed arrays per sentence was a large share of generating a 100k-record benchmark file.
 */
function scratchFor(n: number): Scratch {
  if (scratch === undefined || scratch.head.length < n) {
    const size = Math.max(64, n * 2);
    scratch = {
      head: new Int32Array(size),
      mentionOf: new Int32Array(size),
      groupOf: new Int32Array(size),
      lead: new Int32Array(size),
      governorOf: new Int32Array(size),
      state: new Int32Array(size),
      isPredicate: new Uint8Array(size),
      hasPassive: new Uint8Array(size),
      kind: new Uint8Array(size),
    };
  }
  return scratch;
}

/** Re-hangs any token on a cycle (or left without a head) from the root, so the result is a tree. */
function repairTree(head: Int32Array, n: number, rel: string[], root: number): void {
  const state = scratchFor(n).state; // 0 unvisited, -1 known to reach the root, else walk id
  state.fill(0, 0, n);
  state[root] = -1;
  for (let start = 0; start < n; start++) {
    if (state[start] !== 0) continue;
    const walk = start + 1;
    let t = start;
    for (;;) {
      if (head[t] === UNSET || head[t]! >= n || head[t]! < 0) {
        if (t !== root) {
          head[t] = root;
          rel[t] = 'dep';
        }
        state[t] = walk;
        break;
      }
      state[t] = walk;
      const next = head[t]!;
      if (state[next] === -1) break;
      if (state[next] === walk) {
        head[t] = root;
        rel[t] = 'dep';
        break;
      }
      if (state[next] !== 0) break; // reaches a node already shown to reach the root
      t = next;
    }
    // Everything on this walk now reaches the root.
    for (let u = start; state[u] === walk; ) {
      state[u] = -1;
      const next = head[u]!;
      if (next < 0 || next >= n) break;
      u = next;
    }
  }
}
