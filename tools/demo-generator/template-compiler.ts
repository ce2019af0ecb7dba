// A small template language, compiled once at load time so that rendering a sentence is a walk
// over prepared nodes (no string parsing per record: 100k records must take seconds, not minutes).
//
//   {S} {O}            the subject and object of the example (exactly once each, never inside
//                      a choice, so every expansion carries both)
//   {PER} {ORG} ...    a fresh distractor entity of that kind (see DISTRACTOR_SLOTS)
//   {S:his} {O:son}    a word agreeing with an entity: pronouns and kinship nouns by gender,
//                      {X:a} for a/an, {X:on} for the preposition a date takes
//   (a b|c|d e)        choose one alternative uniformly
//   [a b]              include with probability one half
//   ~                  a place where a short parenthetical may be inserted
//   @NAME              a named fragment from the macro table
//   word/TAG           a literal word with an explicit Penn tag; other words are tagged by table

import { tagWord } from './pos-tags';

export const DISTRACTOR_SLOTS = [
  'PER',
  'ORG',
  'CITY',
  'COUNTRY',
  'STATE',
  'LOC',
  'DAY',
  'YEAR',
  'NUM',
  'TITLE',
  'NAT',
] as const;

export type DistractorSlot = (typeof DISTRACTOR_SLOTS)[number];
export type Role = 'S' | 'O';

/** Words whose form follows an entity: [male, female, neuter (organisations, unknown)]. */
export const AGREEING_FORMS: Readonly<Record<string, readonly [string, string, string]>> = {
  his: ['his', 'her', 'its'],
  he: ['he', 'she', 'it'],
  him: ['him', 'her', 'it'],
  son: ['son', 'daughter', 'child'],
  father: ['father', 'mother', 'parent'],
  brother: ['brother', 'sister', 'sibling'],
  husband: ['husband', 'wife', 'spouse'],
  widow: ['widower', 'widow', 'widow'],
  nephew: ['nephew', 'niece', 'nephew'],
  uncle: ['uncle', 'aunt', 'uncle'],
  grandson: ['grandson', 'granddaughter', 'grandchild'],
  grandfather: ['grandfather', 'grandmother', 'grandparent'],
  stepson: ['stepson', 'stepdaughter', 'stepchild'],
  'brother-in-law': ['brother-in-law', 'sister-in-law', 'brother-in-law'],
  'son-in-law': ['son-in-law', 'daughter-in-law', 'son-in-law'],
  spokesman: ['spokesman', 'spokeswoman', 'spokesman'],
  man: ['man', 'woman', 'person'],
};

const FORM_TAGS: Readonly<Record<string, string>> = { his: 'PRP$', he: 'PRP', him: 'PRP', a: 'DT', on: 'IN' };

export type TemplateNode =
  | { readonly kind: 'word'; readonly text: string; readonly pos: string }
  | { readonly kind: 'entity'; readonly role: Role }
  | { readonly kind: 'distractor'; readonly slot: DistractorSlot }
  | { readonly kind: 'form'; readonly role: Role; readonly form: string; readonly pos: string }
  | { readonly kind: 'choice'; readonly alternatives: readonly (readonly TemplateNode[])[] }
  | { readonly kind: 'optional'; readonly body: readonly TemplateNode[] }
  | { readonly kind: 'sequence'; readonly body: readonly TemplateNode[] }
  | { readonly kind: 'parenthetical' };

export interface CompiledTemplate {
  readonly source: string;
  readonly nodes: readonly TemplateNode[];
  /** How many {S} and {O} the template holds at top level (1 and 1 for relation templates). */
  readonly subjects: number;
  readonly objects: number;
}

const LEXER = /\(|\)|\[|\]|\||\{[^}]*\}|@[A-Z_]+|~|[^\s()[\]|{}~]+/g;

class TemplateSyntaxError extends Error {
  constructor(source: string, message: string) {
    super(`template "${source}": ${message}`);
    this.name = 'TemplateSyntaxError';
  }
}

/** Literal words are tagged after parsing so that their neighbours can inform the tag. */
function tagLiterals(nodes: TemplateNode[], wordBefore: string | undefined): void {
  const textOf = (node: TemplateNode | undefined): string | undefined =>
    node?.kind === 'word' ? node.text : undefined;
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i];
    // An empty tag marks a word written without an explicit /TAG.
    if (node?.kind !== 'word' || node.pos !== '') continue;
    const prev = i === 0 ? wordBefore : textOf(nodes[i - 1]);
    nodes[i] = { kind: 'word', text: node.text, pos: tagWord(node.text, prev, textOf(nodes[i + 1])) };
  }
}

export function compileTemplate(source: string, macros: Readonly<Record<string, string>> = {}): CompiledTemplate {
  return compileWith(source, macros, new Set());
}

/** `expanding` holds the macros being expanded above this call, to catch a macro that uses itself. */
function compileWith(source: string, macros: Readonly<Record<string, string>>, expanding: Set<string>): CompiledTemplate {
  const lexemes = source.match(LEXER) ?? [];
  let cursor = 0;
  let subjects = 0;
  let objects = 0;

  /** `wordBefore`: the literal just before a group, so "was (founded|set up)" tags as passive. */
  const parseSequence = (depth: number, stops: ReadonlySet<string>, wordBefore?: string): TemplateNode[] => {
    const nodes: TemplateNode[] = [];
    const lastWord = (): string | undefined => {
      const last = nodes[nodes.length - 1];
      return last?.kind === 'word' ? last.text : undefined;
    };
    while (cursor < lexemes.length) {
      const lexeme = lexemes[cursor] as string;
      if (stops.has(lexeme)) break;
      cursor++;
      if (lexeme === '(') {
        const before = lastWord();
        const alternatives: TemplateNode[][] = [parseSequence(depth + 1, new Set(['|', ')']), before)];
        while (lexemes[cursor] === '|') {
          cursor++;
          alternatives.push(parseSequence(depth + 1, new Set(['|', ')']), before));
        }
        if (lexemes[cursor] !== ')') throw new TemplateSyntaxError(source, 'unclosed (');
        cursor++;
        nodes.push({ kind: 'choice', alternatives });
      } else if (lexeme === '[') {
        const body = parseSequence(depth + 1, new Set([']']), lastWord());
        if (lexemes[cursor] !== ']') throw new TemplateSyntaxError(source, 'unclosed [');
        cursor++;
        nodes.push({ kind: 'optional', body });
      } else if (lexeme === ')' || lexeme === ']' || lexeme === '|') {
        throw new TemplateSyntaxError(source, `unexpected ${lexeme}`);
      } else if (lexeme === '~') {
        nodes.push({ kind: 'parenthetical' });
      } else if (lexeme.startsWith('@')) {
        const name = lexeme.slice(1);
        const body = macros[name];
        if (body === undefined) throw new TemplateSyntaxError(source, `unknown macro ${lexeme}`);
        if (expanding.has(name)) throw new TemplateSyntaxError(source, `recursive macro ${lexeme}`);
        expanding.add(name);
        const inner = compileWith(body, macros, expanding);
        expanding.delete(name);
        if (inner.subjects + inner.objects > 0) throw new TemplateSyntaxError(source, `macro ${lexeme} uses {S}/{O}`);
        nodes.push({ kind: 'sequence', body: inner.nodes });
      } else if (lexeme.startsWith('{')) {
        nodes.push(parseSlot(lexeme, depth));
      } else {
        const slash = lexeme.lastIndexOf('/');
        const explicit = slash > 0 && /^[A-Z$,.:]+$/.test(lexeme.slice(slash + 1));
        nodes.push({
          kind: 'word',
          text: explicit ? lexeme.slice(0, slash) : lexeme,
          pos: explicit ? lexeme.slice(slash + 1) : '',
        });
      }
    }
    tagLiterals(nodes, wordBefore);
    return nodes;
  };

  const parseSlot = (lexeme: string, depth: number): TemplateNode => {
    const inner = lexeme.slice(1, -1);
    const [name = '', form] = inner.split(':');
    if (name === 'S' || name === 'O') {
      if (form !== undefined) {
        if (form !== 'a' && form !== 'on' && AGREEING_FORMS[form] === undefined) {
          throw new TemplateSyntaxError(source, `unknown form ${lexeme}`);
        }
        return { kind: 'form', role: name, form, pos: FORM_TAGS[form] ?? 'NN' };
      }
      if (depth > 0) throw new TemplateSyntaxError(source, `${lexeme} inside a choice or option`);
      if (name === 'S') subjects++;
      else objects++;
      return { kind: 'entity', role: name };
    }
    if ((DISTRACTOR_SLOTS as readonly string[]).includes(name) && form === undefined) {
      return { kind: 'distractor', slot: name as DistractorSlot };
    }
    throw new TemplateSyntaxError(source, `unknown slot ${lexeme}`);
  };

  const nodes = parseSequence(0, new Set());
  if (cursor !== lexemes.length) throw new TemplateSyntaxError(source, `unexpected ${lexemes[cursor]}`);
  return { source, nodes, subjects, objects };
}
