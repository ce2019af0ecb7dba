import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvField, csvRow, DECISION_CSV_HEADER } from '../../../src/main/core/export/decisions-csv';

/** An independent RFC 4180 reader, to check that what is written reads back as it was. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  expect(field).toBe('');
  expect(row).toEqual([]);
  return rows;
}

describe('CSV quoting', () => {
  it('quotes exactly the fields that need it', () => {
    expect(csvField('per:title')).toBe('per:title');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "no"')).toBe('"say ""no"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(csvField(' padded')).toBe('" padded"');
    expect(csvField('padded\t')).toBe('"padded\t"');
    expect(csvField('')).toBe('');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField(0.125)).toBe('0.125');
    expect(csvField('é, ü')).toBe('"é, ü"');
  });

  it('ends records with CRLF and writes the documented header', () => {
    expect(csvRow(['a', null, 'b"c'])).toBe('a,,"b""c"\r\n');
    expect(csvRow(DECISION_CSV_HEADER)).toBe(
      'id,split,source,action,applied,old_label,new_label,annotator,time,note,run,scores_run,score_is,score_es,score_esp,score_cl,score_knn\r\n',
    );
  });

  it('reads back as written for any text (property)', () => {
    const cell = fc.oneof(fc.string(), fc.constantFrom('"', ',', '\r\n', '\n', ' ', '""', 'a"b,c\nd'));
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 5 }), (rows) => {
        expect(parseCsv(rows.map((r) => csvRow(r)).join(''))).toEqual(rows);
      }),
      { numRuns: 500 },
    );
  });
});
