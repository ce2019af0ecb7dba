import * as jsonc from 'jsonc-parser';
import { WinnowError } from '../../../shared/errors';

/**
 * What is wrong with text that JSON.parse refused, said without quoting it. The engine's
 * messages quote the text (`Unexpected token 'r', "root:x:0:0"... is not valid JSON`), and a
 * message that travels to a client or a log must never echo a file's contents; so the error
 * is located again with a scanner that reports offsets and codes, and restated as a position
 * and a generic reason.
 */
const REASONS: Record<string, string> = {
  InvalidSymbol: 'an unexpected character',
  InvalidNumberFormat: 'a malformed number',
  PropertyNameExpected: 'a property name in double quotes was expected',
  ValueExpected: 'a value was expected',
  ColonExpected: 'a ":" was expected',
  CommaExpected: 'a "," was expected',
  CloseBraceExpected: 'a "}" was expected',
  CloseBracketExpected: 'a "]" was expected',
  EndOfFileExpected: 'unexpected text after the end of the value',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'comments are not allowed in JSON',
  UnexpectedEndOfString: 'a string is not closed',
  UnexpectedEndOfNumber: 'a number ends early',
  InvalidUnicode: 'a malformed \\u escape',
  InvalidEscapeCharacter: 'a malformed escape sequence',
  InvalidCharacter: 'a control character inside a string',
};

/** 1-based line and column of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * "not valid JSON: a "," was expected at line 3, column 17" for text that JSON.parse
 * refused (`error` is what it threw; its message is never used).
 */
export function jsonSyntaxReason(_error: unknown, text: string): string {
  if (text.trim() === '') return 'not valid JSON: it is empty';
  const errors: jsonc.ParseError[] = [];
  jsonc.parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return 'not valid JSON';
  const reason = REASONS[jsonc.printParseErrorCode(first.error)] ?? 'a syntax error';
  const at = Math.min(first.offset, text.length);
  if (at >= text.length) return `not valid JSON: ${reason} (the text ends early)`;
  const { line, column } = lineAndColumn(text, at);
  return `not valid JSON: ${reason} at ${line > 1 || text.includes('\n') ? `line ${line}, ` : ''}column ${column}`;
}

/** JSON.parse whose error names `where` and the position, never the text. */
export function parseJsonText(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw new WinnowError('INVALID_FILE', `${where}: ${jsonSyntaxReason(error, text)}`);
  }
}
