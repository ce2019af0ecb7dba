/**
 * The built-in model's input: a segment-aware bag of features around and between the two
 * entities (the classic lexical relation-extraction recipe: words before, between and after
 * the arguments, the arguments themselves by position and by role, their types).
 * Any change to the strings below is a new feature set, because a package's tokenizer.json
 * maps these exact strings to its weights: a package names its set in its manifest and is
 * always encoded with that set, so packages written by an earlier Winnow keep working.
 */

import type { RelationExample } from '../encoded-batch';

/**
 * Every feature set a package may name, oldest first.
 * - `/1`: types, order, between-length, entity words by position and by role, four words of
 *   context either side, the words between the entities and their bigrams.
 * - `/2`: `/1` plus each word between the entities tagged with which argument comes first.
 */
export const SEGMENT_FEATURE_SETS = ['winnow-segment-bow/1', 'winnow-segment-bow/2'] as const;
export type SegmentFeatureSet = (typeof SEGMENT_FEATURE_SETS)[number];

/** The set the built-in model trains with (and writes into its packages). */
export const SEGMENT_FEATURE_SET: SegmentFeatureSet = 'winnow-segment-bow/2';

/** Tokens of context kept on each side of the entity pair. */
export const CONTEXT_WINDOW = 4;

/** What the features are computed from: the parts of an example every encoder reads. */
export type FeatureInput = Readonly<RelationExample>;

const DIGIT = /\p{Nd}/gu;
// The tokenizer's WhitespaceSplit pre-tokenizer splits on /\S+/, so any whitespace left inside
// a feature would cut it in two and shift every id after it.
const WHITESPACE = /\s+/g;

/** Lowercased, digits folded to 0 (years, counts and ages generalise), never empty or spaced. */
export function normalizeToken(token: string): string {
  const text = token.toLowerCase().replace(DIGIT, '0').replace(WHITESPACE, '_');
  return text === '' ? '_' : text;
}

/** Between-length buckets: exact for short gaps, where each extra word changes the reading. */
export function betweenLengthBucket(length: number): string {
  if (length <= 3) return String(Math.max(0, length));
  if (length <= 5) return '4-5';
  if (length <= 8) return '6-8';
  if (length <= 12) return '9-12';
  if (length <= 20) return '13-20';
  return '21+';
}

/**
 * Features of one example, deduplicated, in a fixed order. The order doubles as a priority:
 * a consumer that truncates to `maxFeatures` loses the far end of a long between-segment
 * (the tagged words of `/2` first, then the bigrams), never the types or the entities.
 */
export function segmentFeatures(example: FeatureInput, featureSet: SegmentFeatureSet = SEGMENT_FEATURE_SET): string[] {
  const { tokens } = example;
  const n = tokens.length;
  const clamp = (i: number): number => Math.min(Math.max(Math.trunc(i), 0), Math.max(n - 1, 0));
  const subj = { start: clamp(example.subjStart), end: clamp(example.subjEnd) };
  const obj = { start: clamp(example.objStart), end: clamp(example.objEnd) };
  if (subj.end < subj.start) subj.end = subj.start;
  if (obj.end < obj.start) obj.end = obj.start;
  // Ties (overlapping spans starting together) count as subject first.
  const subjectFirst = subj.start <= obj.start;
  const first = subjectFirst ? subj : obj;
  const second = subjectFirst ? obj : subj;

  const out = new Set<string>();
  const word = (i: number): string => normalizeToken(tokens[i] ?? '');
  const subjType = normalizeToken(example.subjType);
  const objType = normalizeToken(example.objType);

  out.add(`st:${subjType}`);
  out.add(`ot:${objType}`);
  out.add(`tp:${subjType}|${objType}`);
  out.add(subjectFirst ? 'ord:subj-first' : 'ord:obj-first');
  // Overlapping spans have nothing between them.
  const betweenStart = first.end + 1;
  const betweenEnd = second.start - 1;
  const betweenLength = Math.max(0, betweenEnd - betweenStart + 1);
  out.add(`len:${betweenLengthBucket(betweenLength)}`);

  for (let i = first.start; i <= first.end; i++) out.add(`e1:${word(i)}`);
  for (let i = second.start; i <= second.end; i++) out.add(`e2:${word(i)}`);
  // The same words tagged by role as well: the direction of a relation is which argument is
  // the subject, and a role-tagged head word says it without needing a feature conjunction
  // (worth about 2.5 points of macro-F1 on SemEval-2010 task 8).
  for (let i = subj.start; i <= subj.end; i++) out.add(`s:${word(i)}`);
  for (let i = obj.start; i <= obj.end; i++) out.add(`o:${word(i)}`);
  for (let i = Math.max(0, first.start - CONTEXT_WINDOW); i < first.start; i++) out.add(`b:${word(i)}`);
  const afterStart = Math.max(first.end, second.end) + 1;
  for (let i = afterStart; i < Math.min(n, afterStart + CONTEXT_WINDOW); i++) out.add(`a:${word(i)}`);
  for (let i = betweenStart; i <= betweenEnd; i++) out.add(`m:${word(i)}`);
  if (betweenLength > 0) {
    // '^' and '$' stand for the entities: the words touching an argument ("'s", "of",
    // "founder of") carry most of the relation, so the boundary bigrams are kept too.
    let previous = '^';
    for (let i = betweenStart; i <= betweenEnd; i++) {
      const current = word(i);
      out.add(`mm:${previous}|${current}`);
      previous = current;
    }
    out.add(`mm:${previous}|$`);
  }
  if (featureSet !== 'winnow-segment-bow/1') {
    // "X of Y" means one relation when X is the subject and its inverse when X is the object:
    // in SemEval-2010, where a relation's two directions share one label and only the
    // argument order tells them apart, the direction-tagged words raise the out-of-fold
    // micro-F1 from 0.765 to 0.786 (the hidden layer does not learn this conjunction on its own).
    const direction = subjectFirst ? 'S' : 'O';
    for (let i = betweenStart; i <= betweenEnd; i++) out.add(`md:${direction}|${word(i)}`);
  }
  return [...out];
}
