import { WinnowError } from '../../../shared/errors';

/**
 * Edits the verbatim text of a TACRED record in place instead of parsing and re-serialising
 * it: JSON.parse moves integer-like keys ("10") to the front and would normalise number
 * spelling and escapes, so a parse/stringify round trip is not faithful. Only the value of
 * the top-level "relation" member changes; every other byte is kept.
 */

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/** Index just past the JSON string that opens at `start` (text[start] === '"'). */
function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) i++;
    else if (c === 0x22) return i + 1;
  }
  return -1;
}

/** Index just past the JSON value that starts at `start`, or -1 when the text ends first. */
function endOfValue(text: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i = endOfString(text, i);
      if (i < 0) return -1;
      if (depth === 0) return i;
      continue;
    }
    if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      if (depth === 0) return i;
      depth--;
      if (depth === 0) return i + 1;
    } else if (depth === 0 && (c === 0x2c || isSpace(c))) return i;
    i++;
  }
  return depth === 0 ? i : -1;
}

export interface ValueSpan {
  start: number;
  end: number;
}

/**
 * Where the values of the top-level members named `name` sit in `raw` (a JSON object text).
 * Keys are compared decoded, so `"rel\u0061tion"` counts; a repeated key yields every span
 * (readers disagree on which repeat wins, so all of them must change together).
 */
export function topLevelValueSpans(raw: string, name: string, where = 'record'): ValueSpan[] {
  const fail = (why: string): never => {
    throw new WinnowError('INVALID_FILE', `${where}: ${why}`);
  };
  let i = 0;
  const skip = () => {
    while (i < raw.length && isSpace(raw.charCodeAt(i))) i++;
  };
  if (raw.charCodeAt(0) === 0xfeff) i = 1;
  skip();
  if (raw[i] !== '{') fail('is not a JSON object');
  i++;
  const spans: ValueSpan[] = [];
  skip();
  if (raw[i] === '}') return spans;
  for (;;) {
    skip();
    if (raw[i] !== '"') fail(`expected a member name at character ${i}`);
    const keyEnd = endOfString(raw, i);
    if (keyEnd < 0) fail('ends inside a member name');
    const keyText = raw.slice(i, keyEnd);
    // Most keys carry no escape; decoding only those that do keeps the scan cheap.
    const key = keyText.includes('\\') ? (JSON.parse(keyText) as string) : keyText.slice(1, -1);
    i = keyEnd;
    skip();
    if (raw[i] !== ':') fail(`expected ":" after member "${key}"`);
    i++;
    skip();
    const start = i;
    const end = endOfValue(raw, i);
    if (end < 0 || end === start) fail(`member "${key}" has no complete value`);
    if (key === name) spans.push({ start, end });
    i = end;
    skip();
    if (raw[i] === ',') {
      i++;
      continue;
    }
    if (raw[i] === '}') return spans;
    fail(`expected "," or "}" after member "${key}"`);
  }
}

/** The record text with its top-level "relation" value set to `label`; everything else verbatim. */
export function rewriteRelation(raw: string, label: string, where = 'record'): string {
  const spans = topLevelValueSpans(raw, 'relation', where);
  if (!spans.length) throw new WinnowError('INVALID_FILE', `${where}: has no top-level "relation" field to rewrite`);
  const value = JSON.stringify(label);
  let out = '';
  let from = 0;
  for (const span of spans) {
    out += raw.slice(from, span.start) + value;
    from = span.end;
  }
  return out + raw.slice(from);
}

/**
 * The record on one line, for JSON Lines. Literal line breaks cannot occur inside JSON
 * strings, so every CR/LF (and the indentation after it) is insignificant whitespace and can
 * go without touching key order, number spelling or escapes.
 */
export function toSingleLine(raw: string): string {
  return raw.includes('\n') || raw.includes('\r') ? raw.replace(/[\r\n]+[ \t]*/g, '') : raw;
}
