/** jq's two kinds of failure, and the way its messages name a value. */
import { jqDump, jsonType, type Json } from '../json.ts';

/** A jq runtime error (exit 5); `error(v)` raises any value, which `try … catch` receives. */
export class JqError extends Error {
	constructor(readonly value: Json) {
		super(typeof value === 'string' ? value : jqDump(value, 0));
	}
}

/** A jq compile error (exit 3); syntax errors point at a program offset. */
export class JqCompileError extends Error {
	constructor(
		message: string,
		readonly pos?: number,
	) {
		super(message);
	}
}

/** Raises a runtime error with jq's message; typed `never` so it fits any expression. */
export function typeErr(msg: string): never {
	throw new JqError(msg);
}

/** How jq names a value in an error: type and a truncated dump. */
export function desc(v: Json): string {
	const d = jqDump(v, 0);
	return `${jsonType(v)} (${d.length > 11 ? `${d.slice(0, 10)}...` : d})`;
}
