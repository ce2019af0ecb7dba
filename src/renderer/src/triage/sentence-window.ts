/**
 * The part of a sentence a grid row shows. A row has room for about two lines; cutting the
 * sentence at its end (a CSS line clamp) hides whichever entity comes late. Instead the shown
 * part is built around the two entities: both always in, the words between them next, then
 * context on both sides, with an ellipsis wherever words were left out.
 */

export interface SentenceSpans {
  tokens: readonly string[];
  subjStart: number;
  subjEnd: number;
  objStart: number;
  objEnd: number;
}

export type Piece = { kind: 'text'; text: string } | { kind: 'entity'; role: 'subj' | 'obj'; text: string } | { kind: 'gap' };

const cost = (token: string) => token.length + 1;
const sum = (tokens: readonly string[]) => tokens.reduce((s, t) => s + cost(t), 0);

/**
 * An entity longer than its share of the room keeps its first and last words; when even those
 * two are longer than the room, the ends of them, so that the room always holds both entities.
 */
function shortened(tokens: readonly string[], room: number): string {
  let text = tokens.join(' ');
  if (sum(tokens) <= room) return text;
  if (tokens.length > 2) {
    let head = 1;
    let tail = 1;
    while (head + tail < tokens.length && sum(tokens.slice(0, head + 1)) + sum(tokens.slice(tokens.length - tail)) + 2 <= room) head++;
    text = `${tokens.slice(0, head).join(' ')} … ${tokens.slice(tokens.length - tail).join(' ')}`;
  }
  if (text.length <= room) return text;
  const first = tokens[0]!;
  const last = tokens[tokens.length - 1]!;
  if (tokens.length === 1) return `${first.slice(0, Math.max(1, room - 1))}…`;
  const keep = Math.max(1, Math.floor((room - 3) / 2));
  return `${first.slice(0, keep)} … ${last.slice(-keep)}`;
}

/**
 * `budget` is the room in characters (both lines together, the entities' type tags already
 * taken off). The whole sentence when it fits.
 */
export function windowAroundEntities(row: SentenceSpans, budget: number): Piece[] {
  const { tokens } = row;
  const n = tokens.length;
  const spans = [
    { role: 'subj' as const, start: row.subjStart, end: row.subjEnd },
    { role: 'obj' as const, start: row.objStart, end: row.objEnd },
  ].sort((a, b) => a.start - b.start);
  const [first, second] = spans as [(typeof spans)[0], (typeof spans)[0]];
  const valid = first.start >= 0 && first.end < n && second.start > first.end && second.end < n;
  if (!valid || sum(tokens) <= budget) return wholeSentence(row);

  // Entities are shortened only when the two together leave no room for a word around them.
  const entities = sum(tokens.slice(first.start, first.end + 1)) + sum(tokens.slice(second.start, second.end + 1));
  const entityRoom = entities + 8 <= budget ? Infinity : Math.max(12, Math.floor((budget - 8) / 2));
  const entityText = (span: typeof first) => shortened(tokens.slice(span.start, span.end + 1), entityRoom);
  const firstText = entityText(first);
  const secondText = entityText(second);
  let room = budget - firstText.length - secondText.length - 2;

  const between = tokens.slice(first.end + 1, second.start);
  const pieces: Piece[] = [];
  let left = first.start;
  let right = second.end + 1;
  let middle: Piece[];
  // Adjacent entities have no words between them to leave out, even when they fill the room.
  if (between.length === 0 || sum(between) <= room) {
    room -= sum(between);
    middle = between.length ? [{ kind: 'text', text: between.join(' ') }] : [];
    // Context on both sides, a word at a time, the right side first (what follows the second entity often names the relation less than what precedes the first, but both help).
    let grew = true;
    while (grew) {
      grew = false;
      if (left > 0 && cost(tokens[left - 1]!) <= room) {
        room -= cost(tokens[--left]!);
        grew = true;
      }
      if (right < n && cost(tokens[right]!) <= room) {
        room -= cost(tokens[right++]!);
        grew = true;
      }
    }
  } else {
    // The words between are too many: keep the ones next to each entity, an ellipsis between.
    let head = 0;
    let tail = 0;
    room -= 2;
    let grew = true;
    while (grew) {
      grew = false;
      if (head + tail < between.length && cost(between[head]!) <= room) {
        room -= cost(between[head++]!);
        grew = true;
      }
      if (head + tail < between.length && cost(between[between.length - 1 - tail]!) <= room) {
        room -= cost(between[between.length - 1 - tail++]!);
        grew = true;
      }
    }
    middle = [
      ...(head ? [{ kind: 'text' as const, text: between.slice(0, head).join(' ') }] : []),
      { kind: 'gap' as const },
      ...(tail ? [{ kind: 'text' as const, text: between.slice(between.length - tail).join(' ') }] : []),
    ];
  }
  if (left > 0) pieces.push({ kind: 'gap' });
  if (left < first.start) pieces.push({ kind: 'text', text: tokens.slice(left, first.start).join(' ') });
  pieces.push({ kind: 'entity', role: first.role, text: firstText }, ...middle, { kind: 'entity', role: second.role, text: secondText });
  if (right > second.end + 1) pieces.push({ kind: 'text', text: tokens.slice(second.end + 1, right).join(' ') });
  if (right < n) pieces.push({ kind: 'gap' });
  return pieces;
}

/** Every word, the entities marked. */
export function wholeSentence(row: SentenceSpans): Piece[] {
  const pieces: Piece[] = [];
  let plain: string[] = [];
  const flush = () => {
    if (plain.length) pieces.push({ kind: 'text', text: plain.join(' ') });
    plain = [];
  };
  let i = 0;
  while (i < row.tokens.length) {
    const role = i === row.subjStart ? 'subj' : i === row.objStart ? 'obj' : null;
    if (role) {
      flush();
      const end = role === 'subj' ? row.subjEnd : row.objEnd;
      pieces.push({ kind: 'entity', role, text: row.tokens.slice(i, end + 1).join(' ') });
      i = end + 1;
    } else {
      plain.push(row.tokens[i]!);
      i++;
    }
  }
  flush();
  return pieces;
}

/** Widths in pixels: of a run of plain text, and of an entity's type tag. */
export interface TextMeasure {
  text(s: string): number;
  tag(s: string): number;
}

/**
 * Whether piece `index` needs a space before it in the markup. Text and gaps carry their own
 * spaces; two adjacent entities ("chairman Amanda Ruiz") have none between their marks, yet
 * fitsInLines counts a possible line break there as between any two words: without the space
 * the browser cannot break, and wrapped the second entity onto a hidden third line.
 */
export function spaceBefore(pieces: readonly Piece[], index: number): boolean {
  return pieces[index]?.kind === 'entity' && pieces[index - 1]?.kind === 'entity';
}

/** Extra width of an entity mark (border and padding on both sides). */
const MARK_PX = 8;

/**
 * Whether the pieces fit in `lines` lines of `width` pixels, wrapping at spaces as the browser
 * does (greedy). Entity marks wrap inside like text; their tag stays with the last word.
 */
export function fitsInLines(pieces: readonly Piece[], tags: { subj: string; obj: string }, measure: TextMeasure, width: number, lines = 2): boolean {
  const space = measure.text(' ');
  let line = 1;
  let x = 0;
  const place = (w: number) => {
    if (x > 0 && x + space + w > width) {
      line++;
      x = w;
    } else x += (x > 0 ? space : 0) + w;
    return line <= lines;
  };
  for (const piece of pieces) {
    if (piece.kind === 'gap') {
      if (!place(measure.text('…'))) return false;
      continue;
    }
    const words = piece.text.split(' ').filter(Boolean);
    for (let i = 0; i < words.length; i++) {
      let w = measure.text(words[i]!);
      if (piece.kind === 'entity') {
        if (i === 0) w += MARK_PX / 2;
        if (i === words.length - 1) w += MARK_PX / 2 + 3 + measure.tag(`${piece.role === 'subj' ? 'S' : 'O'}:${piece.role === 'subj' ? tags.subj : tags.obj}`);
      }
      if (!place(w)) return false;
    }
  }
  return true;
}

/**
 * The longest window around the entities that fits in two lines of `width` pixels: a binary
 * search over the character budget of windowAroundEntities.
 */
export function fitWindow(row: SentenceSpans & { subjType: string; objType: string }, width: number, measure: TextMeasure, lines = 2): Piece[] {
  const tags = { subj: row.subjType, obj: row.objType };
  const whole = wholeSentence(row);
  if (width <= 0 || fitsInLines(whole, tags, measure, width, lines)) return whole;
  let low = 8;
  let high = row.tokens.reduce((s, t) => s + t.length + 1, 0);
  let best = windowAroundEntities(row, low);
  while (low <= high) {
    const mid = Math.floor((low + high) / 2);
    const pieces = windowAroundEntities(row, mid);
    if (fitsInLines(pieces, tags, measure, width, lines)) {
      best = pieces;
      low = mid + 1;
    } else high = mid - 1;
  }
  return best;
}
