import { z } from 'zod';
import { SEGMENT_FEATURE_SETS } from './builtin/segment-features';

/**
 * `winnow-model.json`, the manifest of a model package (a folder with model.onnx,
 * tokenizer.json and this file). It says how to turn an example into the model's inputs
 * and which outputs hold the logits and the embedding.
 */
const nonEmpty = z.string().min(1);

/** How subject and object are marked in the text given to a transformer tokenizer. */
export const EntityMarkers = z.object({
  /**
   * `typed`: markers carry the entity type, e.g. "[S:PERSON]" ... "[/S:PERSON]", built from
   * the templates with `{type}` replaced; `plain`: fixed markers; `none`: no markers.
   */
  style: z.enum(['typed', 'plain', 'none']),
  subjStart: z.string().default('[E1]'),
  subjEnd: z.string().default('[/E1]'),
  objStart: z.string().default('[E2]'),
  objEnd: z.string().default('[/E2]'),
});
export type EntityMarkers = z.infer<typeof EntityMarkers>;
const withTypedTemplates = (markers: EntityMarkers) =>
  markers.style !== 'typed' || [markers.subjStart, markers.subjEnd, markers.objStart, markers.objEnd].every((m) => m.includes('{type}'));

export const TransformerInput = z.object({
  kind: z.literal('transformer'),
  maxLength: z.number().int().min(8).max(8192),
  entityMarkers: EntityMarkers.refine(withTypedTemplates, {
    message: 'typed markers must contain {type} in every template, e.g. "[S:{type}]"',
  }),
  inputNames: z
    .object({
      inputIds: nonEmpty.default('input_ids'),
      attentionMask: nonEmpty.nullable().default('attention_mask'),
      tokenTypeIds: nonEmpty.nullable().default(null),
    })
    .default({ inputIds: 'input_ids', attentionMask: 'attention_mask', tokenTypeIds: null }),
});

/** The built-in model: segment-aware bag of features, computed in Winnow, looked up in tokenizer.json. */
export const SegmentFeaturesInput = z.object({
  kind: z.literal('segment-features'),
  /** Which features the package's tokenizer maps (its weights were trained on exactly these strings). */
  featureSet: z.enum(SEGMENT_FEATURE_SETS),
  /** Feature ids per example; the input is padded with the tokenizer's [PAD] id to this width. */
  maxFeatures: z.number().int().min(1).max(4096),
  inputName: nonEmpty.default('feature_ids'),
});

export const ModelManifest = z.object({
  format: z.literal('winnow-model/1'),
  name: nonEmpty,
  /** Labels in the order of the logits. */
  labels: z.array(nonEmpty).min(2),
  negativeLabel: nonEmpty,
  input: z.discriminatedUnion('kind', [TransformerInput, SegmentFeaturesInput]),
  outputs: z.object({
    logits: nonEmpty,
    /** Hidden representation used for neighbour search; null when the model has none. */
    embedding: nonEmpty.nullable().default(null),
  }),
  /** True when the logits output already holds probabilities (softmax inside the graph). */
  outputsAreProbabilities: z.boolean().default(false),
}).refine((m) => m.labels.includes(m.negativeLabel), { message: 'negativeLabel must be one of labels', path: ['negativeLabel'] })
  .refine((m) => new Set(m.labels).size === m.labels.length, { message: 'labels must be unique', path: ['labels'] });
export type ModelManifest = z.infer<typeof ModelManifest>;

export const MODEL_FILES = { model: 'model.onnx', tokenizer: 'tokenizer.json', manifest: 'winnow-model.json' } as const;
