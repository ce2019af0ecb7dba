// A deterministic synthetic TACRED: the demo project, the tests and the benchmarks all need
// realistic-looking relation data with known label noise, and real TACRED is LDC-licensed.
//
// Records are built lazily and independently: record i depends only on the seed, i and the
// label plan, so a 100k-record file streams to disk without holding the dataset in memory,
// and the same seed gives byte-identical output on every run.

import {
  makeAcronymPair,
  makeAlias,
  makeEntity,
  makeInstitution,
  makeOrganization,
  makePerson,
  surnameOf,
  urlFor,
  type Entity,
} from './lexicon';
import { SIGNATURES, planLabels, type LabelPlan } from './label-plan';
import { Rng, mixSeed } from '../../src/main/core/random/seeded-rng';
import { ALL_LABELS, NEGATIVE_LABEL, RELATION_SIGNATURES, TACRED_RELATIONS, type EntityType, type RelationName } from './relations';
import { parseDependencies } from './dependency';
import { renderSentence, type Framing, type RenderedSentence } from './sentence';
import type { SyntheticRecord } from './synthetic-record';
import { writeTacredRecords, type TacredFileFormat, type WriteSummary } from './tacred-writer';
import { compileTemplate, type CompiledTemplate } from './template-compiler';
import {
  MACROS,
  NEGATIVE_TEMPLATES,
  PARENTHETICALS,
  POSITIVE_TEMPLATES,
  PREFIX_FILLERS,
  SUFFIX_FILLERS,
  objectFamily,
  type NegativeKey,
} from './templates';

export type { SyntheticRecord } from './synthetic-record';
export type { TacredFileFormat, WriteSummary } from './tacred-writer';

export interface SyntheticNoiseOptions {
  /** Share of positive records relabelled no_relation (TACRED's most common error). */
  falseNegativeRate: number;
  /** Share of all records relabelled with some other label. */
  randomRate: number;
}

export interface SyntheticTacredOptions {
  n: number;
  seed: number;
  /** Prepended to the 1-based, zero-padded record number: "demo-train-" gives "demo-train-000001". */
  idPrefix?: string;
  /** Share of records whose true label is no_relation; TACRED has about 0.7 (0.79 in train). */
  negativeShare?: number;
  noise?: Partial<SyntheticNoiseOptions>;
  /** Include stanford_pos / _ner / _head / _deprel (default true). */
  withStanford?: boolean;
}

export interface SyntheticTacredResult {
  records: SyntheticRecord[];
  /** Every id mapped to the relation its text expresses. */
  trueLabels: Map<string, string>;
  /** Ids whose given relation differs from the true one, in record order. */
  noisyIds: string[];
}

export interface SyntheticExample {
  readonly record: SyntheticRecord;
  readonly trueRelation: string;
}

export const DEFAULT_NEGATIVE_SHARE = 0.7;
export const DEFAULT_FALSE_NEGATIVE_RATE = 0.1;
export const DEFAULT_RANDOM_RATE = 0.03;

const TEXT_STREAM = 0x54455854;
const DOC_STREAM = 0x444f4353;
/** Consecutive records share a document, as TACRED's several mentions per article do. */
const RECORDS_PER_DOCUMENT = 4;
const AGENCIES = ['APW_ENG', 'AFP_ENG', 'NYT_ENG', 'XIN_ENG', 'LTW_ENG', 'WPB_ENG', 'CNA_ENG'];

interface CompiledTables {
  readonly positive: ReadonlyMap<RelationName, readonly CompiledTemplate[]>;
  readonly negative: ReadonlyMap<number, readonly CompiledTemplate[]>;
  readonly framing: Framing;
  readonly parentheticals: readonly CompiledTemplate[];
}

let tables: CompiledTables | undefined;

/** Compiles every template once per process and checks that each one is usable. */
function compiledTables(): CompiledTables {
  if (tables !== undefined) return tables;
  const compileCore = (source: string): CompiledTemplate => {
    const template = compileTemplate(source, MACROS);
    if (template.subjects !== 1 || template.objects !== 1) {
      throw new Error(`template needs exactly one {S} and one {O}: ${source}`);
    }
    return template;
  };
  const compileFiller = (source: string): CompiledTemplate => {
    const template = compileTemplate(source, MACROS);
    if (template.subjects + template.objects > 0) throw new Error(`filler uses {S}/{O}: ${source}`);
    return template;
  };
  const positive = new Map<RelationName, readonly CompiledTemplate[]>();
  for (const relation of TACRED_RELATIONS) positive.set(relation, POSITIVE_TEMPLATES[relation].map(compileCore));
  const negative = new Map<number, readonly CompiledTemplate[]>();
  SIGNATURES.forEach((signature, index) => {
    const key: NegativeKey = `${signature.subj}>${objectFamily(signature.obj)}`;
    const sources = NEGATIVE_TEMPLATES[key];
    if (sources === undefined || sources.length === 0) throw new Error(`no negative templates for ${key}`);
    negative.set(index, sources.map(compileCore));
  });
  tables = {
    positive,
    negative,
    framing: { prefixes: PREFIX_FILLERS.map(compileFiller), suffixes: SUFFIX_FILLERS.map(compileFiller) },
    parentheticals: PARENTHETICALS.map(compileFiller),
  };
  return tables;
}

function sameText(a: Entity, b: Entity): boolean {
  return a.tokens.length === b.tokens.length && a.tokens.every((t, i) => t === b.tokens[i]);
}

/** Subject and object for a positive record; some relations tie the object to the subject. */
function makePositivePair(rng: Rng, relation: RelationName, objectType: EntityType): [Entity, Entity] {
  const signature = RELATION_SIGNATURES[relation];
  const kind = signature.obj.find((o) => o.type === objectType)?.kind;
  switch (relation) {
    case 'org:alternate_names':
      return makeAcronymPair(rng);
    case 'org:website': {
      const org = makeOrganization(rng);
      return [org, urlFor(org, rng)];
    }
    case 'per:alternate_names': {
      const person = makePerson(rng);
      return [person, makeAlias(rng, person)];
    }
    case 'per:siblings':
    case 'per:children':
    case 'per:parents': {
      const person = makePerson(rng);
      const shared = person.tokens.length > 1 && rng.chance(0.6) ? surnameOf(person) : undefined;
      return [person, shared === undefined ? makePerson(rng) : makePerson(rng, { surname: shared })];
    }
    case 'per:spouse': {
      const person = makePerson(rng);
      const gender = rng.chance(0.9) ? (person.gender === 'm' ? 'f' : 'm') : person.gender === 'f' ? 'f' : 'm';
      const shared = person.tokens.length > 1 && rng.chance(0.4) ? surnameOf(person) : undefined;
      return [person, makePerson(rng, shared === undefined ? { gender } : { gender, surname: shared })];
    }
    case 'org:members':
    case 'org:political/religious_affiliation':
      return [makeInstitution(rng), makeEntity(rng, objectType, kind)];
    case 'org:member_of':
      return [makeOrganization(rng), makeInstitution(rng)];
    default:
      return [makeEntity(rng, signature.subj), makeEntity(rng, objectType, kind)];
  }
}

function documentId(seed: number, index: number): string {
  const rng = new Rng(mixSeed(seed, Math.floor(index / RECORDS_PER_DOCUMENT), DOC_STREAM));
  const year = rng.between(2007, 2010);
  const month = String(rng.between(1, 12)).padStart(2, '0');
  const day = String(rng.between(1, 28)).padStart(2, '0');
  const serial = String(rng.between(1, 2400)).padStart(4, '0');
  return `${rng.pick(AGENCIES)}_${year}${month}${day}.${serial}`;
}

interface ResolvedOptions {
  readonly n: number;
  readonly seed: number;
  readonly idPrefix: string;
  readonly withStanford: boolean;
  readonly plan: LabelPlan;
}

function checkShare(name: string, value: number): number {
  if (!(value >= 0 && value <= 1)) throw new RangeError(`${name} must be between 0 and 1, got ${value}`);
  return value;
}

function resolveOptions(options: SyntheticTacredOptions): ResolvedOptions {
  const { n, seed } = options;
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  const negativeShare = checkShare('negativeShare', options.negativeShare ?? DEFAULT_NEGATIVE_SHARE);
  const falseNegativeRate = checkShare('noise.falseNegativeRate', options.noise?.falseNegativeRate ?? DEFAULT_FALSE_NEGATIVE_RATE);
  const randomRate = checkShare('noise.randomRate', options.noise?.randomRate ?? DEFAULT_RANDOM_RATE);
  return {
    n,
    seed,
    idPrefix: options.idPrefix ?? 'synth-',
    withStanford: options.withStanford ?? true,
    plan: planLabels({ n, seed, negativeShare, falseNegativeRate, randomRate }),
  };
}

function buildRecord(resolved: ResolvedOptions, index: number, id: string): SyntheticExample {
  const { plan, seed } = resolved;
  const compiled = compiledTables();
  const trueIndex = plan.trueLabel[index] as number;
  const givenIndex = plan.givenLabel[index] as number;
  const signatureIndex = plan.signature[index] as number;
  const signature = SIGNATURES[signatureIndex];
  if (signature === undefined) throw new Error(`no signature ${signatureIndex}`);
  const rng = new Rng(mixSeed(seed, index, TEXT_STREAM));

  let subject: Entity;
  let object: Entity;
  let candidates: readonly CompiledTemplate[];
  if (trueIndex === 0) {
    subject = makeEntity(rng, signature.subj);
    object = makeEntity(rng, signature.obj);
    candidates = compiled.negative.get(signatureIndex) ?? [];
  } else {
    const relation = TACRED_RELATIONS[trueIndex - 1] as RelationName;
    [subject, object] = makePositivePair(rng, relation, signature.obj);
    candidates = compiled.positive.get(relation) ?? [];
  }
  // Two people with the same name would make the example ambiguous; draw again.
  for (let attempt = 0; attempt < 5 && sameText(subject, object); attempt++) {
    object = makeEntity(rng, signature.obj);
  }

  const context = {
    rng,
    subject,
    object,
    subjectType: signature.subj,
    objectType: signature.obj,
    parentheticals: compiled.parentheticals,
  };
  let sentence: RenderedSentence | null = null;
  for (let attempt = 0; sentence === null; attempt++) {
    if (attempt >= 20) throw new Error(`could not render record ${index} within the length limits`);
    sentence = renderSentence(rng.pick(candidates), compiled.framing, context);
  }

  const docid = documentId(seed, index);
  const relation = ALL_LABELS[givenIndex] ?? NEGATIVE_LABEL;
  // The Stanford fields are appended after the base literal, not spread into a copy: keys keep
  // TACRED's order either way, and object spread is a measurable cost at 100k records.
  const record: SyntheticRecord = {
    id,
    docid,
    relation,
    token: sentence.tokens,
    subj_start: sentence.subjStart,
    subj_end: sentence.subjEnd,
    obj_start: sentence.objStart,
    obj_end: sentence.objEnd,
    subj_type: signature.subj,
    obj_type: signature.obj,
  };
  if (resolved.withStanford) {
    const parse = parseDependencies(sentence.tokens, sentence.pos, sentence.mentions, sentence.ner);
    record.stanford_pos = sentence.pos;
    record.stanford_ner = sentence.ner;
    record.stanford_head = parse.heads;
    record.stanford_deprel = parse.deprels;
  }
  return { record, trueRelation: ALL_LABELS[trueIndex] ?? NEGATIVE_LABEL };
}

/** Yields the records one at a time, in id order; nothing but the label plan is kept. */
export function* iterateSyntheticTacred(options: SyntheticTacredOptions): Generator<SyntheticExample> {
  const resolved = resolveOptions(options);
  const width = Math.max(6, String(resolved.n).length);
  for (let i = 0; i < resolved.n; i++) {
    yield buildRecord(resolved, i, `${resolved.idPrefix}${String(i + 1).padStart(width, '0')}`);
  }
}

export function generateSyntheticTacred(options: SyntheticTacredOptions): SyntheticTacredResult {
  const records: SyntheticRecord[] = [];
  const trueLabels = new Map<string, string>();
  const noisyIds: string[] = [];
  for (const { record, trueRelation } of iterateSyntheticTacred(options)) {
    records.push(record);
    trueLabels.set(record.id, trueRelation);
    if (record.relation !== trueRelation) noisyIds.push(record.id);
  }
  return { records, trueLabels, noisyIds };
}

function* recordsOnly(examples: Iterable<SyntheticExample>): Generator<SyntheticRecord> {
  for (const example of examples) yield example.record;
}

/** Streams a generated dataset to `path` (for benchmarks: 100k records never sit in memory). */
export async function writeSyntheticTacredFile(
  path: string,
  options: SyntheticTacredOptions & { format: TacredFileFormat },
): Promise<WriteSummary> {
  return writeTacredRecords(path, recordsOnly(iterateSyntheticTacred(options)), options.format);
}
