import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitWindow, fitsInLines, spaceBefore, windowAroundEntities, wholeSentence, type Piece } from '../../../src/renderer/src/triage/sentence-window';

const text = (pieces: Piece[]) => pieces.map((p) => (p.kind === 'gap' ? '…' : p.kind === 'entity' ? `[${p.text}]` : p.text)).join(' ');
const words = (count: number, prefix = 'w') => Array.from({ length: count }, (_, i) => `${prefix}${i}`);

describe('the part of a sentence a row shows', () => {
  it('is the whole sentence when it fits', () => {
    const row = { tokens: ['Ada', 'Lovelace', 'was', 'a', 'mathematician', '.'], subjStart: 0, subjEnd: 1, objStart: 4, objEnd: 4 };
    expect(windowAroundEntities(row, 200)).toEqual(wholeSentence(row));
    expect(text(windowAroundEntities(row, 200))).toBe('[Ada Lovelace] was a [mathematician] .');
  });

  it('keeps an object that comes late in a long sentence (a line clamp would hide it)', () => {
    // semeval-train-1 style: the subject early, the object near the end of forty words.
    const tokens = [...words(3), 'SUBJ', ...words(30, 'm'), 'OBJ', ...words(6, 'r')];
    const row = { tokens, subjStart: 3, subjEnd: 3, objStart: 34, objEnd: 34 };
    const shown = text(windowAroundEntities(row, 80));
    expect(shown).toContain('[SUBJ]');
    expect(shown).toContain('[OBJ]');
    expect(shown).toMatch(/\[SUBJ\] m0 .* … .* m29 \[OBJ\]/);
    expect(shown.length).toBeLessThanOrEqual(80 + 10);
  });

  it('adds context on both sides of close entities, with ellipses where words were left out', () => {
    const tokens = [...words(20, 'l'), 'S', 'x', 'O', ...words(20, 'r')];
    const row = { tokens, subjStart: 22, subjEnd: 22, objStart: 20, objEnd: 20 };
    const pieces = windowAroundEntities(row, 40);
    const shown = text(pieces);
    expect(shown.startsWith('…')).toBe(true);
    expect(shown.endsWith('…')).toBe(true);
    expect(shown).toMatch(/l19 \[S\] x \[O\] r0/);
    expect(pieces.filter((p) => p.kind === 'entity').map((p) => (p as { role: string }).role)).toEqual(['obj', 'subj']);
  });

  it('always shows both entities within the room it was given, for any sentence', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-z]{1,12}$/), { minLength: 2, maxLength: 120 }),
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 40, max: 300 }),
        (tokens, a, b, lenA, lenB, budget) => {
          const n = tokens.length;
          const s = a % n;
          const sEnd = Math.min(n - 1, s + lenA - 1);
          const rest = n - sEnd - 1;
          if (rest < 1) return;
          const o = sEnd + 1 + (b % rest);
          const oEnd = Math.min(n - 1, o + lenB - 1);
          const pieces = windowAroundEntities({ tokens, subjStart: s, subjEnd: sEnd, objStart: o, objEnd: oEnd }, budget);
          const entities = pieces.filter((p) => p.kind === 'entity');
          expect(entities.map((p) => (p as { role: string }).role)).toEqual(['subj', 'obj']);
          // Within the room (plus the ellipses), unless the sentence was shown whole because it fit.
          const length = pieces.reduce((sum, p) => sum + (p.kind === 'gap' ? 2 : p.text.length + 1), 0);
          expect(length).toBeLessThanOrEqual(budget + 6);
        },
      ),
      // Seeded, so CI runs the same cases every time; many of them, to reach the rare ones.
      { seed: 20261201, numRuns: 3000 },
    );
  });

  it('cuts inside entity words when even their first and last words exceed the room', () => {
    // Found by the property above: two entities of long words in a 40-character room.
    const tokens = ['a', 'a', 'aaaaaaaaa', 'aaaaaaa', 'a', 'a', 'aaaaaaaaaa', 'a', 'aaaaaaaaaaa'];
    const pieces = windowAroundEntities({ tokens, subjStart: 2, subjEnd: 3, objStart: 6, objEnd: 8 }, 40);
    expect(pieces.filter((p) => p.kind === 'entity').map((p) => (p as { role: string }).role)).toEqual(['subj', 'obj']);
    expect(pieces.reduce((sum, p) => sum + (p.kind === 'gap' ? 2 : p.text.length + 1), 0)).toBeLessThanOrEqual(46);
    expect(text(pieces)).toMatch(/\[a+ … a+\] .*\[a+ … a+\]/);
  });
});

describe('fitting a row to its cell', () => {
  // A monospace stand-in for the canvas: 7 px a character, tags 5 px a character.
  const measure = { text: (s: string) => 7 * s.length, tag: (s: string) => 5 * s.length };
  const row = { tokens: [...words(4, 'a'), 'Subject', ...words(25, 'm'), 'Object', ...words(10, 'z')], subjStart: 4, subjEnd: 4, objStart: 30, objEnd: 30, subjType: 'PERSON', objType: 'CITY' };

  it('wraps like the browser: greedy, at spaces, tags with the entity', () => {
    const pieces: Piece[] = [{ kind: 'text', text: 'aaaa bbbb' }, { kind: 'entity', role: 'subj', text: 'cc' }];
    // "aaaa bbbb" = 63 px, then "cc" + mark + tag "S:PERSON": 14 + 8 + 3 + 40 = 65 px, with a space: 135 px.
    expect(fitsInLines(pieces, { subj: 'PERSON', obj: 'CITY' }, measure, 140, 1)).toBe(true);
    expect(fitsInLines(pieces, { subj: 'PERSON', obj: 'CITY' }, measure, 130, 1)).toBe(false);
    expect(fitsInLines(pieces, { subj: 'PERSON', obj: 'CITY' }, measure, 130, 2)).toBe(true);
  });

  it('takes the longest window that fits two lines, both entities in it', () => {
    for (const width of [220, 300, 420, 700]) {
      const pieces = fitWindow(row, width, measure);
      expect(fitsInLines(pieces, { subj: 'PERSON', obj: 'CITY' }, measure, width)).toBe(true);
      expect(pieces.filter((p) => p.kind === 'entity')).toHaveLength(2);
    }
    // Wider cells show more words.
    const shown = (width: number) => text(fitWindow(row, width, measure)).length;
    expect(shown(700)).toBeGreaterThan(shown(300));
    // Wide enough for everything: the whole sentence, no ellipsis.
    expect(text(fitWindow(row, 5000, measure))).not.toContain('…');
  });
});

describe('the markup between pieces', () => {
  // fitsInLines counts a break between any two words; the markup must offer one between two
  // adjacent entities, which have no text of their own between them (seen at 1024x700).
  it('puts a space between two adjacent entities, and only there', () => {
    const row = { tokens: ['He', 'said', 'retired', 'chairman', 'Amanda', 'Ruiz', 'left', '.'], subjStart: 4, subjEnd: 5, objStart: 3, objEnd: 3, subjType: 'PERSON', objType: 'TITLE' };
    // 12 characters do not hold both entities: no ellipsis may come between them for all that.
    for (const pieces of [wholeSentence(row), windowAroundEntities(row, 12), windowAroundEntities(row, 30)]) {
      const spaced = pieces.map((_, i) => spaceBefore(pieces, i));
      const second = pieces.findIndex((p) => p.kind === 'entity' && p.role === 'subj');
      expect(pieces[second - 1]).toMatchObject({ kind: 'entity', role: 'obj' });
      expect(spaced.filter(Boolean)).toHaveLength(1);
      expect(spaced[second]).toBe(true);
    }
    const apart = wholeSentence({ ...row, objStart: 2, objEnd: 2 });
    expect(apart.map((_, i) => spaceBefore(apart, i)).some(Boolean)).toBe(false);
  });
});
