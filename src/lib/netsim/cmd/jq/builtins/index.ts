/** The builtin table: every family's functions, keyed by `name/arity` as jq resolves them. */
import type { Builtin } from '../runtime.ts';
import { BASICS } from './basics.ts';
import { COLLECTIONS } from './collections.ts';
import { PATHS } from './paths.ts';
import { STRINGS } from './strings.ts';

/** Every builtin the simulated jq knows; a name/arity missing here is "not defined". */
export const BUILTINS: ReadonlyMap<string, Builtin> = new Map(Object.entries({ ...BASICS, ...COLLECTIONS, ...STRINGS, ...PATHS }));
