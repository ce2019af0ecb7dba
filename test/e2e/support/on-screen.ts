// (Functions passed to page.evaluate run in the page, with its DOM.)
import type { Page } from 'playwright-core';

/**
 * What a person sees, read from the page's geometry: boxes inside the window and the grid's
 * viewport, and the element actually painted at a point (elementFromPoint), not merely present
 * in the DOM.
 */

export interface PageScroll {
  scrollWidth: number;
  clientWidth: number;
  scrollX: number;
}

export function pageScroll(p: Page): Promise<PageScroll> {
  return p.evaluate(() => {
    const el = document.scrollingElement!;
    return { scrollWidth: el.scrollWidth, clientWidth: el.clientWidth, scrollX: window.scrollX };
  });
}

/** Buttons of the top bar that lie (partly) outside the window. */
export function offscreenTopBarButtons(p: Page): Promise<string[]> {
  return p.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.topbar button, .topbar select')]
      .filter((b) => {
        const r = b.getBoundingClientRect();
        return r.left < 0 || r.right > window.innerWidth || r.top < 0 || r.bottom > window.innerHeight;
      })
      .map((b) => b.textContent?.trim() || b.getAttribute('aria-label') || b.tagName),
  );
}

/**
 * Row indexes whose whole row is on screen: inside the window and the grid's viewport below its
 * header, and painted at its top and bottom edge (no scrollbar or overlay over it), in order.
 */
export function fullyVisibleRows(p: Page): Promise<number[]> {
  return p.evaluate(() => {
    const grid = document.querySelector('[data-testid="example-grid"]')!;
    const viewport = grid.querySelector('.ag-grid-viewport')!.getBoundingClientRect();
    const header = grid.querySelector('.ag-header')!.getBoundingClientRect();
    const top = Math.max(viewport.top, header.bottom);
    const bottom = Math.min(viewport.bottom, window.innerHeight);
    return [...grid.querySelectorAll<HTMLElement>('.ag-row[row-index]')]
      .filter((row) => {
        const r = row.getBoundingClientRect();
        if (r.height === 0 || r.top < top - 0.5 || r.bottom > bottom + 0.5) return false;
        const probe = row.querySelector('[col-id="decision"]')?.getBoundingClientRect() ?? r;
        const x = probe.left + probe.width / 2;
        return [r.top + 2, r.bottom - 2].every((y) => row.contains(document.elementFromPoint(x, y)));
      })
      .map((row) => Number(row.getAttribute('row-index')))
      .sort((a, b) => a - b);
  });
}

export interface PaintedCheck {
  /** The thing exists in the row. */
  present: boolean;
  /** Its box is inside the window, the grid's viewport and its cell. */
  inside: boolean;
  /** The element painted at its centre is it (or inside it): nothing covers it. */
  painted: boolean;
  text: string;
}

/** Whether an element of a row (by selector within the row's cells) is on screen and not covered. */
export function paintedInRow(p: Page, rowIndex: number, selector: string): Promise<PaintedCheck[]> {
  return p.evaluate(
    ({ rowIndex, selector }) => {
      const gridEl = document.querySelector('[data-testid="example-grid"]')!;
      const viewport = gridEl.querySelector('.ag-grid-viewport')!.getBoundingClientRect();
      const header = gridEl.querySelector('.ag-header')!.getBoundingClientRect();
      const grid = { left: viewport.left, right: viewport.right, top: Math.max(viewport.top, header.bottom), bottom: viewport.bottom };
      const found = [...document.querySelectorAll<HTMLElement>(`[data-testid="example-grid"] .ag-row[row-index="${rowIndex}"] ${selector}`)];
      return found.map((el) => {
        const r = el.getBoundingClientRect();
        const cell = el.closest('.ag-cell')?.getBoundingClientRect() ?? r;
        const inside =
          r.width > 0 &&
          r.height > 0 &&
          r.left >= Math.max(0, grid.left) - 0.5 &&
          r.right <= Math.min(window.innerWidth, grid.right) + 0.5 &&
          r.top >= Math.max(0, grid.top) - 0.5 &&
          r.bottom <= Math.min(window.innerHeight, grid.bottom) + 0.5 &&
          r.top >= cell.top - 0.5 &&
          r.bottom <= cell.bottom + 0.5 &&
          r.left >= cell.left - 0.5 &&
          r.right <= cell.right + 0.5;
        // An inline mark may wrap over two lines: probe its first line box.
        const box = el.getClientRects()[0] ?? r;
        const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
        return { present: true, inside, painted: !!hit && (hit === el || el.contains(hit)), text: el.innerText };
      });
    },
    { rowIndex, selector },
  );
}

/** The grid row that has the keyboard focus (AG Grid's focused cell), or null. */
export function focusedRowIndex(p: Page): Promise<number | null> {
  return p.evaluate(() => {
    const cell = document.querySelector('[data-testid="example-grid"] .ag-cell-focus');
    const row = cell?.closest('.ag-row');
    return row ? Number(row.getAttribute('row-index')) : null;
  });
}
