import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Sentence } from '../../../src/renderer/src/components/SentenceCell';

// The fitting (sentence-window) counts a line break between any two words, so the markup must
// offer one there too: two adjacent entity marks with nothing between them made the browser
// wrap the second entity onto a third, hidden line (seen at 1024x700).
const row = {
  tokens: ['He', 'said', 'that', 'retired', 'chairman', 'Amanda', 'Ruiz', 'left', '.'],
  subjStart: 5,
  subjEnd: 6,
  objStart: 4,
  objEnd: 4,
  subjType: 'PERSON',
  objType: 'TITLE',
};

describe('sentence markup', () => {
  // The grid's cell and the detail pane render their pieces with the same component.
  it('separates adjacent entity marks by a space', () => {
    const html = renderToStaticMarkup(createElement(Sentence, { row }));
    expect(html).toMatch(/O:TITLE<\/span><\/mark> <mark class="entity entity-subj"/);
    expect(html.match(/<mark /g)).toHaveLength(2);
  });
});
