import { useLayoutEffect, useRef, useState } from 'react';
import type { ExampleRow } from '../../../shared/domain';
import { fitWindow, windowAroundEntities, wholeSentence, type Piece, type TextMeasure } from '../triage/sentence-window';

type SentenceRow = Pick<ExampleRow, 'tokens' | 'subjStart' | 'subjEnd' | 'objStart' | 'objEnd' | 'subjType' | 'objType'>;

function Pieces({ pieces, row }: { pieces: Piece[]; row: SentenceRow }) {
  return (
    <>
      {pieces.map((piece, index) =>
        piece.kind === 'entity' ? (
          <mark key={index} className={`entity entity-${piece.role}`} data-role={piece.role} title={`${piece.role === 'subj' ? 'Subject' : 'Object'}: ${piece.role === 'subj' ? row.subjType : row.objType}`}>
            <span className="entity-text">{piece.text}</span>
            <span className="entity-tag">
              {piece.role === 'subj' ? 'S' : 'O'}:{piece.role === 'subj' ? row.subjType : row.objType}
            </span>
          </mark>
        ) : piece.kind === 'gap' ? (
          <span key={index} className="elided" aria-label="words left out">
            {' … '}
          </span>
        ) : (
          <span key={index}> {piece.text} </span>
        ),
      )}
    </>
  );
}

/**
 * The sentence with subject and object marked by colour and by a text tag with the entity
 * type, so the roles are readable without colour.
 */
export function Sentence({ row }: { row: SentenceRow }) {
  return (
    <span className="sentence">
      <Pieces pieces={wholeSentence(row)} row={row} />
    </span>
  );
}

/**
 * Text widths from a canvas, in the fonts the cell uses (read from the page once): the row's
 * fitting is computed, not found by rendering and measuring the DOM again and again.
 */
let measurer: TextMeasure | null = null;
function canvasMeasure(sample: Element): TextMeasure {
  if (measurer) return measurer;
  const context = document.createElement('canvas').getContext('2d');
  const style = getComputedStyle(sample);
  const family = style.fontFamily || 'system-ui, sans-serif';
  const size = parseFloat(style.fontSize) || 13;
  const cache = new Map<string, number>();
  const width = (font: string, s: string) => {
    const key = `${font}|${s}`;
    let w = cache.get(key);
    if (w === undefined) {
      if (context) {
        context.font = font;
        w = context.measureText(s).width;
      } else w = s.length * size * 0.55;
      if (cache.size > 20000) cache.clear();
      cache.set(key, w);
    }
    return w;
  };
  measurer = { text: (s) => width(`${size}px ${family}`, s), tag: (s) => width(`700 ${size * 0.73}px ${family}`, s) };
  return measurer;
}

/**
 * The sentence as a grid row shows it: two lines built around the two entities (see
 * sentence-window), fitted to the cell's width.
 */
export function GridSentence({ row }: { row: SentenceRow }) {
  const box = useRef<HTMLSpanElement>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = box.current?.parentElement;
    if (!el) return;
    const measure = () => setWidth(el.clientWidth);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  // A little under the cell's width: canvas widths and the browser's line breaking differ by a few pixels.
  const pieces = width > 0 && box.current ? fitWindow(row, width * 0.96 - 4, canvasMeasure(box.current)) : windowAroundEntities(row, 120);
  return (
    <span className="sentence grid-sentence" ref={box}>
      <Pieces pieces={pieces} row={row} />
    </span>
  );
}
