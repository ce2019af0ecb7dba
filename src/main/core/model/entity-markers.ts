import type { EntityMarkers } from './manifest';
import type { RelationExample } from './encoded-batch';

/** Inclusive word range of one entity in a marked word list, markers included. */
export interface WordSpan {
  start: number;
  end: number;
}

export interface MarkedWords {
  /** The sentence's tokens with marker words inserted; joined with spaces before tokenising. */
  words: string[];
  subj: WordSpan;
  obj: WordSpan;
}

/** The four marker strings for one example, or null when the manifest asks for no markers. */
export function markerStrings(
  markers: EntityMarkers,
  subjType: string,
  objType: string,
): { subjStart: string; subjEnd: string; objStart: string; objEnd: string } | null {
  switch (markers.style) {
    case 'none':
      return null;
    case 'plain':
      return { subjStart: markers.subjStart, subjEnd: markers.subjEnd, objStart: markers.objStart, objEnd: markers.objEnd };
    case 'typed': {
      // A function replacement keeps `$&`-style patterns in an entity type literal.
      const fill = (template: string, type: string) => template.replaceAll('{type}', () => type);
      return {
        subjStart: fill(markers.subjStart, subjType),
        subjEnd: fill(markers.subjEnd, subjType),
        objStart: fill(markers.objStart, objType),
        objEnd: fill(markers.objEnd, objType),
      };
    }
    default: {
      const unknownStyle: never = markers.style;
      throw new Error(`unknown entity marker style ${String(unknownStyle)}`);
    }
  }
}

/**
 * Inserts the entity markers around the subject and object spans. Spans are TACRED's
 * (0-based, inclusive) and never overlap in imported data; were they to nest, the outer
 * span's markers would still enclose the inner one's.
 */
export function markEntities(example: RelationExample, markers: EntityMarkers): MarkedWords {
  const n = example.tokens.length;
  for (const [name, start, end] of [
    ['subject', example.subjStart, example.subjEnd],
    ['object', example.objStart, example.objEnd],
  ] as const) {
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end >= n) {
      throw new RangeError(`${name} span ${start}-${end} does not fit the ${n} tokens`);
    }
  }
  const strings = markerStrings(markers, example.subjType, example.objType);
  const subjLonger = example.subjEnd - example.subjStart >= example.objEnd - example.objStart;
  const words: string[] = [];
  const subj: WordSpan = { start: -1, end: -1 };
  const obj: WordSpan = { start: -1, end: -1 };
  const open = (span: WordSpan, marker: string | undefined) => {
    span.start = words.length;
    if (marker !== undefined) words.push(marker);
  };
  const close = (span: WordSpan, marker: string | undefined) => {
    if (marker !== undefined) words.push(marker);
    span.end = words.length - 1;
  };
  for (let i = 0; i < n; i++) {
    const opensSubj = i === example.subjStart;
    const opensObj = i === example.objStart;
    // When both open on one token the longer span opens first, so that it also closes last.
    if (opensSubj && opensObj && !subjLonger) open(obj, strings?.objStart);
    if (opensSubj) open(subj, strings?.subjStart);
    if (opensObj && !(opensSubj && !subjLonger)) open(obj, strings?.objStart);
    words.push(example.tokens[i]!);
    const closesSubj = i === example.subjEnd;
    const closesObj = i === example.objEnd;
    if (closesSubj && closesObj && subjLonger) close(obj, strings?.objEnd);
    if (closesSubj) close(subj, strings?.subjEnd);
    if (closesObj && !(closesSubj && subjLonger)) close(obj, strings?.objEnd);
  }
  return { words, subj, obj };
}
