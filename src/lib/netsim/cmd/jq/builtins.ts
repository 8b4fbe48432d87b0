/** The builtin table: every family's functions, keyed by `name/arity` as jq resolves them. */
import type { Builtin } from './runtime.ts';
import { BASICS } from './builtins-basics.ts';
import { COLLECTIONS } from './builtins-collections.ts';
import { PATHS } from './builtins-paths.ts';
import { STRINGS } from './builtins-strings.ts';

/** Every builtin the simulated jq knows; a name/arity missing here is "not defined". */
export const BUILTINS: ReadonlyMap<string, Builtin> = new Map(Object.entries({ ...BASICS, ...COLLECTIONS, ...STRINGS, ...PATHS }));
