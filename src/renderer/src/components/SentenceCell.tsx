import { Fragment } from 'react';
import type { ExampleRow } from '../../../shared/domain';
import { fitWindow, spaceBefore, wholeSentence, type Piece, type TextMeasure } from '../triage/sentence-window';

type SentenceRow = Pick<ExampleRow, 'tokens' | 'subjStart' | 'subjEnd' | 'objStart' | 'objEnd' | 'subjType' | 'objType'>;

function Pieces({ pieces, row }: { pieces: Piece[]; row: SentenceRow }) {
  return (
    <>
      {pieces.map((piece, index) =>
        piece.kind === 'entity' ? (
          <Fragment key={index}>
            {spaceBefore(pieces, index) ? ' ' : null}
            <mark className={`entity entity-${piece.role}`} data-role={piece.role} title={`${piece.role === 'subj' ? 'Subject' : 'Object'}: ${piece.role === 'subj' ? row.subjType : row.objType}`}>
              <span className="entity-text">{piece.text}</span>
              <span className="entity-tag">
                {piece.role === 'subj' ? 'S' : 'O'}:{piece.role === 'subj' ? row.subjType : row.objType}
              </span>
            </mark>
          </Fragment>
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
 * Text widths from a canvas, in the font the grid uses (read from the page once): the row's
 * fitting is computed, not found by rendering and measuring the DOM again and again.
 */
let measurer: TextMeasure | null = null;
function canvasMeasure(): TextMeasure {
  if (measurer) return measurer;
  const context = document.createElement('canvas').getContext('2d');
  const style = getComputedStyle(document.querySelector('.ag-root-wrapper') ?? document.body);
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

/** Horizontal padding of a grid cell (both sides), taken off the column's width. */
const CELL_PADDING_PX = 22;

/**
 * The sentence as a grid row shows it: two lines built around the two entities (see
 * sentence-window), fitted to the column's width. Rendered once per row: the width comes from
 * the grid (which refreshes the cells when it changes), not from measuring the cell.
 */
export function GridSentence({ row, columnWidth }: { row: SentenceRow; columnWidth: number }) {
  // A little under the cell's width: canvas widths and the browser's line breaking differ by a few pixels.
  const pieces = fitWindow(row, (columnWidth - CELL_PADDING_PX) * 0.96, canvasMeasure());
  return (
    <span className="sentence grid-sentence">
      <Pieces pieces={pieces} row={row} />
    </span>
  );
}
