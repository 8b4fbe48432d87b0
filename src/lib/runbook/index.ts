export * from './types.ts';
export { RunbookError } from './errors.ts';
export { parseChapter, blockKey, chapterId, type ParseOptions, type LabHosts } from './parse.ts';
export { parseMeta } from './meta.ts';
export { splitCommands, oneLine } from './commands.ts';
export { contentHash } from './hash.ts';
