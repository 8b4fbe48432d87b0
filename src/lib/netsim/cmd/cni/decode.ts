/** Go's encoding/json reading a document into a struct: keys found case-insensitively, fields typed, its error texts. */
import { JObject, jsonType, type Json } from '../json.ts';
import { CniError, ERR } from './errors.ts';

/** Go's encoding/json finds struct fields case-insensitively; the last matching key wins. */
export function field(o: JObject, name: string): Json | undefined {
	let found: Json | undefined;
	const lower = name.toLowerCase();
	for (const [k, v] of o.entries()) if (k === name || k.toLowerCase() === lower) found = v;
	return found;
}

/** Go's names of the JSON types, as its unmarshal errors say them. */
export const GO_TYPE: Record<string, string> = { null: 'null', boolean: 'bool', number: 'number', string: 'string', array: 'array', object: 'object' };

function unmarshalErr(v: Json, struct: string, key: string, goType: string): never {
	throw new CniError(ERR.internal, `json: cannot unmarshal ${GO_TYPE[jsonType(v)] ?? 'value'} into Go struct field ${struct}.${key} of type ${goType}`);
}

/** A string field (null reads as unset). */
export function str(o: JObject, key: string, struct: string): string | undefined {
	const v = field(o, key);
	if (v === undefined || v === null) return undefined;
	if (typeof v !== 'string') unmarshalErr(v, struct, key, 'string');
	return v;
}

/** A bool field. */
export function bool(o: JObject, key: string, struct: string): boolean {
	const v = field(o, key);
	if (v === undefined || v === null) return false;
	if (typeof v !== 'boolean') unmarshalErr(v, struct, key, 'bool');
	return v;
}

/** An int field. */
export function int(o: JObject, key: string, struct: string): number | undefined {
	const v = field(o, key);
	if (v === undefined || v === null) return undefined;
	if (typeof v !== 'number') unmarshalErr(v, struct, key, 'int');
	if (!Number.isInteger(v)) throw new CniError(ERR.internal, `json: cannot unmarshal number ${v} into Go struct field ${struct}.${key} of type int`);
	return v;
}

/** An object field. */
export function obj(o: JObject, key: string, struct: string, goType: string): JObject | undefined {
	const v = field(o, key);
	if (v === undefined || v === null) return undefined;
	if (!(v instanceof JObject)) unmarshalErr(v, struct, key, goType);
	return v;
}

/** An array field. */
export function arr(o: JObject, key: string, struct: string, goType: string): Json[] | undefined {
	const v = field(o, key);
	if (v === undefined || v === null) return undefined;
	if (!Array.isArray(v)) unmarshalErr(v, struct, key, goType);
	return v;
}

/** A string array field. */
export function strs(o: JObject, key: string, struct: string): string[] | undefined {
	const a = arr(o, key, struct, '[]string');
	if (!a) return undefined;
	return a.map((x) => (typeof x === 'string' ? x : unmarshalErr(x, struct, key, 'string')));
}
