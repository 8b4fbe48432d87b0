/** The parsed jq program: one node per construct, as the parser builds it and the evaluator walks it. */
import type { Json } from '../json.ts';

/** A filter. `opt` marks a trailing `?` (errors suppressed) on an index, iteration or slice. */
export type Node =
	| { t: 'identity' }
	| { t: 'recurse' }
	| { t: 'lit'; v: Json }
	| { t: 'var'; name: string }
	| { t: 'field'; of: Node; name: Node; opt: boolean }
	| { t: 'iter'; of: Node; opt: boolean }
	| { t: 'slice'; of: Node; from?: Node | undefined; to?: Node | undefined; opt: boolean }
	| { t: 'pipe'; l: Node; r: Node }
	| { t: 'comma'; l: Node; r: Node }
	| { t: 'bin'; op: string; l: Node; r: Node }
	| { t: 'neg'; e: Node }
	| { t: 'array'; e?: Node | undefined }
	| { t: 'object'; entries: ObjectEntry[] }
	| { t: 'format'; name: string; str?: Node | undefined }
	| { t: 'call'; name: string; args: Node[] }
	| { t: 'if'; cond: Node; then: Node; elifs: [Node, Node][]; else?: Node | undefined }
	| { t: 'as'; src: Node; name: string; body: Node }
	| { t: 'reduce'; src: Node; name: string; init: Node; update: Node }
	| { t: 'try'; body: Node; catch?: Node | undefined }
	| { t: 'str'; parts: (string | Node)[]; format?: string | undefined };

/** One `key: value` of an object construction; no value is the `{name}` shorthand. */
export interface ObjectEntry {
	key: Node;
	value?: Node | undefined;
}

/** The node of a given kind. */
export type NodeOf<T extends Node['t']> = Extract<Node, { t: T }>;
