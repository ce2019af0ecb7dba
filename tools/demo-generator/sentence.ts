// Renders compiled templates into tokens with POS and NER tags, and frames the core clause with
// optional openers and attributions so that sentences vary in length (10 to 40 tokens) and
// carry the kind of surrounding noise real newswire has.

import { WEEKDAYS, makeEntity, makeOrganization, makePerson, type Entity } from './lexicon';
import type { Rng } from '../../src/main/core/random/seeded-rng';
import { NER_TAG, type EntityType } from './relations';
import { AGREEING_FORMS, type CompiledTemplate, type DistractorSlot, type TemplateNode } from './template-compiler';

export const MIN_TOKENS = 10;
export const MAX_TOKENS = 40;

const PREFIX_RATE = 0.5;
const SUFFIX_RATE = 0.55;
const PARENTHETICAL_RATE = 0.3;

class TokenBuffer {
  readonly tokens: string[] = [];
  readonly pos: string[] = [];
  readonly ner: string[] = [];
  /** Inclusive [start, end] pairs of every entity mention, distractors included. */
  readonly mentions: number[] = [];
  subjStart = -1;
  subjEnd = -1;
  objStart = -1;
  objEnd = -1;

  get length(): number {
    return this.tokens.length;
  }

  pushWord(text: string, pos: string): void {
    this.tokens.push(text);
    this.pos.push(pos);
    this.ner.push('O');
  }

  pushEntity(entity: Entity, ner: string): void {
    const start = this.tokens.length;
    for (let i = 0; i < entity.tokens.length; i++) {
      this.tokens.push(entity.tokens[i] as string);
      this.pos.push(entity.pos[i] ?? 'NNP');
      this.ner.push(ner);
    }
    this.mentions.push(start, this.tokens.length - 1);
  }
}

export interface RenderContext {
  readonly rng: Rng;
  readonly subject: Entity;
  readonly object: Entity;
  readonly subjectType: EntityType;
  readonly objectType: EntityType;
  readonly parentheticals: readonly CompiledTemplate[];
}

const WEEKDAY_ENTITIES: readonly Entity[] = WEEKDAYS.map((day) => ({ tokens: [day], pos: ['NNP'], gender: 'n' }));

function makeDistractor(slot: DistractorSlot, rng: Rng): [Entity, EntityType] {
  switch (slot) {
    case 'PER':
      return [makePerson(rng), 'PERSON'];
    case 'ORG':
      return [makeOrganization(rng), 'ORGANIZATION'];
    case 'CITY':
      return [makeEntity(rng, 'CITY'), 'CITY'];
    case 'COUNTRY':
      return [makeEntity(rng, 'COUNTRY'), 'COUNTRY'];
    case 'STATE':
      return [makeEntity(rng, 'STATE_OR_PROVINCE'), 'STATE_OR_PROVINCE'];
    case 'LOC':
      return [makeEntity(rng, 'LOCATION'), 'LOCATION'];
    case 'DAY':
      return [rng.pick(WEEKDAY_ENTITIES), 'DATE'];
    case 'YEAR':
      return [{ tokens: [String(rng.between(1995, 2012))], pos: ['CD'], gender: 'n' }, 'DATE'];
    case 'NUM':
      return [makeEntity(rng, 'NUMBER', 'count'), 'NUMBER'];
    case 'TITLE':
      return [makeEntity(rng, 'TITLE'), 'TITLE'];
    case 'NAT':
      return [makeEntity(rng, 'NATIONALITY'), 'NATIONALITY'];
  }
}

const GENDER_INDEX = { m: 0, f: 1, n: 2 } as const;

function resolveForm(form: string, entity: Entity): string {
  if (form === 'a') return /^[AEIOaeio]/.test(entity.tokens[0] ?? '') ? 'an' : 'a';
  if (form === 'on') return entity.prep ?? 'on';
  const forms = AGREEING_FORMS[form];
  if (forms === undefined) throw new Error(`no agreeing form "${form}"`);
  return forms[GENDER_INDEX[entity.gender]];
}

function renderNodes(nodes: readonly TemplateNode[], out: TokenBuffer, ctx: RenderContext): void {
  for (const node of nodes) {
    switch (node.kind) {
      case 'word':
        out.pushWord(node.text, node.pos);
        break;
      case 'entity': {
        const start = out.length;
        if (node.role === 'S') {
          out.pushEntity(ctx.subject, NER_TAG[ctx.subjectType]);
          out.subjStart = start;
          out.subjEnd = out.length - 1;
        } else {
          out.pushEntity(ctx.object, NER_TAG[ctx.objectType]);
          out.objStart = start;
          out.objEnd = out.length - 1;
        }
        break;
      }
      case 'distractor': {
        const [entity, type] = makeDistractor(node.slot, ctx.rng);
        out.pushEntity(entity, NER_TAG[type]);
        break;
      }
      case 'form':
        out.pushWord(resolveForm(node.form, node.role === 'S' ? ctx.subject : ctx.object), node.pos);
        break;
      case 'choice':
        renderNodes(ctx.rng.pick(node.alternatives), out, ctx);
        break;
      case 'optional':
        if (ctx.rng.chance(0.5)) renderNodes(node.body, out, ctx);
        break;
      case 'sequence':
        renderNodes(node.body, out, ctx);
        break;
      case 'parenthetical':
        if (ctx.parentheticals.length > 0 && ctx.rng.chance(PARENTHETICAL_RATE)) {
          renderNodes(ctx.rng.pick(ctx.parentheticals).nodes, out, ctx);
        }
        break;
    }
  }
}

export interface RenderedSentence {
  readonly tokens: string[];
  readonly pos: string[];
  readonly ner: string[];
  readonly mentions: number[];
  readonly subjStart: number;
  readonly subjEnd: number;
  readonly objStart: number;
  readonly objEnd: number;
}

export interface Framing {
  readonly prefixes: readonly CompiledTemplate[];
  readonly suffixes: readonly CompiledTemplate[];
}

function renderTemplate(template: CompiledTemplate, ctx: RenderContext): TokenBuffer {
  const out = new TokenBuffer();
  renderNodes(template.nodes, out, ctx);
  return out;
}

interface Frame {
  prefix: TokenBuffer | null;
  suffix: TokenBuffer | null;
  /** Tokens in prefix + core + suffix + the final period. */
  length: number;
}

/** Draws an opener or an attribution, replacing the current one, if the result still fits. */
function tryFraming(frame: Frame, opener: boolean, framing: Framing, ctx: RenderContext): void {
  const replacing = opener ? frame.prefix : frame.suffix;
  const candidate = renderTemplate(ctx.rng.pick(opener ? framing.prefixes : framing.suffixes), ctx);
  const length = frame.length - (replacing?.length ?? 0) + candidate.length;
  if (length > MAX_TOKENS) return;
  frame.length = length;
  if (opener) frame.prefix = candidate;
  else frame.suffix = candidate;
}

/**
 * Renders `core` and frames it. Returns null when the core alone is too long, so the caller
 * can draw another template; the framing itself always lands inside [MIN_TOKENS, MAX_TOKENS].
 */
export function renderSentence(core: CompiledTemplate, framing: Framing, ctx: RenderContext): RenderedSentence | null {
  const body = renderTemplate(core, ctx);
  if (body.subjStart < 0 || body.objStart < 0) throw new Error(`template lacks {S} or {O}: ${core.source}`);
  if (body.length + 1 > MAX_TOKENS) return null;

  const frame: Frame = { prefix: null, suffix: null, length: body.length + 1 };
  if (ctx.rng.chance(PREFIX_RATE)) tryFraming(frame, true, framing, ctx);
  if (ctx.rng.chance(SUFFIX_RATE)) tryFraming(frame, false, framing, ctx);
  // A short core gets framed until it reaches the minimum; every opener plus every attribution
  // is long enough, and short enough to fit, so this ends within a few rounds.
  for (let round = 0; frame.length < MIN_TOKENS && round < 8; round++) {
    tryFraming(frame, frame.prefix === null || (frame.suffix !== null && round % 2 === 1), framing, ctx);
  }
  const { prefix, suffix } = frame;

  const tokens: string[] = [];
  const pos: string[] = [];
  const ner: string[] = [];
  const mentions: number[] = [];
  let subjStart = -1;
  let subjEnd = -1;
  let objStart = -1;
  let objEnd = -1;
  for (const part of [prefix, body, suffix]) {
    if (part === null) continue;
    const offset = tokens.length;
    tokens.push(...part.tokens);
    pos.push(...part.pos);
    ner.push(...part.ner);
    for (const index of part.mentions) mentions.push(index + offset);
    if (part === body) {
      subjStart = body.subjStart + offset;
      subjEnd = body.subjEnd + offset;
      objStart = body.objStart + offset;
      objEnd = body.objEnd + offset;
    }
  }
  tokens.push('.');
  pos.push('.');
  ner.push('O');

  const first = tokens[0];
  if (first !== undefined && /^[a-z]/.test(first) && !/^(http|www)/.test(first)) {
    tokens[0] = first.charAt(0).toUpperCase() + first.slice(1);
  }
  return { tokens, pos, ner, mentions, subjStart, subjEnd, objStart, objEnd };
}
