/**
 * One printing path for text and JSON, after iproute2's json_print: each call names a JSON key
 * and a text format; the mode decides which one is used.
 */

/** A JSON value. */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Marks a string that stands for a number written with fixed decimals (Printer.fixed). */
const FIXED = '\u0000fixed:';
/** A fixed-decimals number as JSON.stringify writes the marked string, to unquote it. */
const FIXED_JSON = /"\\u0000fixed:(-?[0-9.]+)"/g;

/** Which output a call is meant for. */
type Only = 'any' | 'text' | 'json';

/** Collects output either as text or as a JSON document. */
export class Printer {
	readonly json: boolean;
	private text = '';
	private stack: Json[] = [];
	private keys: (string | undefined)[] = [];
	private root: Json | undefined;

	constructor(json: boolean) {
		this.json = json;
	}

	private put(key: string | undefined, value: Json): void {
		const top = this.stack[this.stack.length - 1];
		if (key === undefined && !Array.isArray(top) && top !== undefined) return;
		if (top === undefined) {
			this.root = value;
			return;
		}
		if (Array.isArray(top)) top.push(value);
		else if (top && typeof top === 'object' && key !== undefined) (top as Record<string, Json>)[key] = value;
	}

	/** Opens a JSON array (nothing in text mode). */
	openArray(key?: string): void {
		if (!this.json) return;
		const a: Json[] = [];
		this.put(key, a);
		this.stack.push(a);
		this.keys.push(key);
	}

	/** Opens a JSON object (nothing in text mode). */
	openObject(key?: string): void {
		if (!this.json) return;
		const o: Record<string, Json> = {};
		this.put(key, o);
		this.stack.push(o);
		this.keys.push(key);
	}

	/** Closes the innermost array or object. */
	close(): void {
		if (!this.json) return;
		this.stack.pop();
		this.keys.pop();
	}

	/** A string value: `fmt` has one `%s`. */
	str(key: string | undefined, fmt: string, value: string, only: Only = 'any'): void {
		if (this.json) {
			if (only !== 'text') this.put(key, value);
		} else if (only !== 'json') this.text += fmt.replace('%s', value);
	}

	/** A number value. */
	num(key: string | undefined, fmt: string, value: number, only: Only = 'any'): void {
		if (this.json) {
			if (only !== 'text') this.put(key, value);
		} else if (only !== 'json') this.text += fmt.replace(/%[sdu]/, String(value));
	}

	/**
	 * A number with a fixed count of decimals, written so in JSON too (iproute2's timers print
	 * `0.00`, which JSON.stringify would shorten to `0`): `fmt` has one `%s` for the text, padded
	 * to `width` as printf's `%7.2f` would.
	 */
	fixed(key: string, fmt: string, value: number, digits: number, width = 0): void {
		if (this.json) this.put(key, `${FIXED}${value.toFixed(digits)}`);
		else this.text += fmt.replace('%s', value.toFixed(digits).padStart(width));
	}

	/** A boolean (JSON `true`), or a word in text. */
	bool(key: string, fmt: string, value: boolean, only: Only = 'any'): void {
		if (this.json) {
			if (only !== 'text') this.put(key, value);
		} else if (only !== 'json') this.text += fmt;
	}

	/** A raw JSON value. */
	raw(key: string | undefined, value: Json): void {
		if (this.json) this.put(key, value);
	}

	/** Text only. */
	out(text: string): void {
		if (!this.json) this.text += text;
	}

	/** The output: text as collected, or the JSON document followed by a newline. */
	result(pretty = false): string {
		if (!this.json) return this.text;
		const doc = pretty ? prettyJson(this.root ?? []) : JSON.stringify(this.root ?? []);
		return doc.replace(FIXED_JSON, '$1') + '\n';
	}
}

/** Pads like printf's `%-Ns`. */
export function padEnd(text: string, width: number): string {
	return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/** Pads like printf's `%Ns`. */
export function padStart(text: string, width: number): string {
	return text.length >= width ? text : ' '.repeat(width - text.length) + text;
}

/**
 * `-j -p` output, laid out as iproute2's json_writer does: objects one member per line indented
 * by four spaces, arrays inline as `[ a,b ]`, an object inside an array opening on the same line.
 */
export function prettyJson(value: Json): string {
	let out = '';
	let depth = 0;
	let sep = '';
	const eol = (): void => {
		out += '\n' + '    '.repeat(depth);
	};
	const eor = (): void => {
		out += sep;
		sep = ',';
	};
	const write = (v: Json): void => {
		if (Array.isArray(v)) {
			eor();
			out += '[';
			depth++;
			sep = '';
			out += ' ';
			for (const x of v) write(x);
			if (sep) out += ' ';
			sep = '';
			depth--;
			out += ']';
			sep = ',';
		} else if (v !== null && typeof v === 'object') {
			eor();
			out += '{';
			depth++;
			sep = '';
			for (const [k, x] of Object.entries(v)) {
				eor();
				eol();
				sep = '';
				out += `${JSON.stringify(k)}: `;
				write(x);
			}
			depth--;
			if (sep) eol();
			out += '}';
			sep = ',';
		} else {
			eor();
			out += JSON.stringify(v);
		}
	};
	write(value);
	return out;
}
