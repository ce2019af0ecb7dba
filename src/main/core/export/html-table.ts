/** HTML text and tables for the saved report: every value escaped. */
export const escapeHtml = (text: string | number) =>
  String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A table of values, each cell escaped; `cellStyle` may colour a cell. */
export function table(head: (string | number)[], rows: (string | number)[][], cellStyle?: (r: number, c: number) => string | null): string {
  const th = head.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows
    .map((row, r) => `<tr>${row.map((cell, c) => {
      const style = cellStyle?.(r, c);
      return `<td${style ? ` style="${escapeHtml(style)}"` : ''}>${escapeHtml(cell)}</td>`;
    }).join('')}</tr>`)
    .join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}
