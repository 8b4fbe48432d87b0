import type { BlockAttributes } from './types.ts';

const KNOWN = new Set(['host', 'fails', 'norun', 'diagram', 'predict', 'title']);
const FLAGS = new Set(['fails', 'diagram', 'predict']);

/** Parse result: the attributes, or a message saying what is wrong. */
export type MetaResult = { ok: true; attributes: BlockAttributes } | { ok: false; error: string };

/**
 * Parses a fence's meta string: `host=alice fails predict norun="needs Docker" title="A caption"`.
 * Values may be bare words or double-quoted strings (`\"` escapes a quote).
 */
export function parseMeta(meta: string): MetaResult {
	const attributes: BlockAttributes = { fails: false, diagram: false };
	const token = /\s*([A-Za-z][\w-]*)(?:=(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([^\s"']+)))?/y;
	let pos = 0;
	const seen = new Set<string>();
	while (pos < meta.length) {
		if (/^\s*$/.test(meta.slice(pos))) break;
		token.lastIndex = pos;
		const m = token.exec(meta);
		if (!m) return { ok: false, error: `cannot read the fence attributes near "${meta.slice(pos).trim()}"` };
		pos = token.lastIndex;
		const [, name, dq, sq, bare] = m as unknown as [string, string, string?, string?, string?];
		const value = dq !== undefined ? dq.replace(/\\(.)/g, '$1') : (sq ?? bare);
		if (!KNOWN.has(name)) return { ok: false, error: `unknown attribute "${name}"` };
		if (seen.has(name)) return { ok: false, error: `attribute "${name}" given twice` };
		seen.add(name);
		if (FLAGS.has(name)) {
			if (value !== undefined) return { ok: false, error: `attribute "${name}" takes no value` };
			attributes[name as 'fails' | 'diagram' | 'predict'] = true;
			continue;
		}
		if (value === undefined || value.trim() === '')
			return { ok: false, error: `attribute "${name}" needs a value, like ${name}="…"` };
		if (name === 'host') attributes.host = value;
		else if (name === 'norun') attributes.norun = value;
		else attributes.title = value;
	}
	return { ok: true, attributes };
}
