/**
 * The domain vocabulary, one module per topic; this index re-exports them all so that a
 * consumer needs one import. Each word is defined once, in the module named for it.
 */
export * from './compare';
export * from './decisions';
export * from './examples';
export * from './exporting';
export * from './files';
export * from './jobs';
export * from './labels';
export * from './names';
export * from './project';
export * from './quality';
export * from './ranking';
export * from './references';
export * from './report';
export * from './strategies';
export * from './team';
