import type { ExampleRow } from '../../../shared/domain';

type Part = { text: string; role: 'subj' | 'obj' | null };

function splitSentence(row: Pick<ExampleRow, 'tokens' | 'subjStart' | 'subjEnd' | 'objStart' | 'objEnd'>): Part[] {
  const parts: Part[] = [];
  let plain: string[] = [];
  const flush = () => {
    if (plain.length) parts.push({ text: plain.join(' '), role: null });
    plain = [];
  };
  let i = 0;
  while (i < row.tokens.length) {
    const role = i === row.subjStart ? 'subj' : i === row.objStart ? 'obj' : null;
    if (role) {
      flush();
      const end = role === 'subj' ? row.subjEnd : row.objEnd;
      parts.push({ text: row.tokens.slice(i, end + 1).join(' '), role });
      i = end + 1;
    } else {
      plain.push(row.tokens[i]!);
      i++;
    }
  }
  flush();
  return parts;
}

/**
 * The sentence with subject and object marked by colour and by a text tag with the entity
 * type, so the roles are readable without colour.
 */
export function Sentence({ row }: { row: Pick<ExampleRow, 'tokens' | 'subjStart' | 'subjEnd' | 'objStart' | 'objEnd' | 'subjType' | 'objType'> }) {
  return (
    <span className="sentence">
      {splitSentence(row).map((part, index) =>
        part.role ? (
          <mark key={index} className={`entity entity-${part.role}`} data-role={part.role} title={`${part.role === 'subj' ? 'Subject' : 'Object'}: ${part.role === 'subj' ? row.subjType : row.objType}`}>
            <span className="entity-text">{part.text}</span>
            <span className="entity-tag">
              {part.role === 'subj' ? 'S' : 'O'}:{part.role === 'subj' ? row.subjType : row.objType}
            </span>
          </mark>
        ) : (
          <span key={index}> {part.text} </span>
        ),
      )}
    </span>
  );
}
