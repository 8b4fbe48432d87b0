/** jq's inputs: files or stdin, parsed as a JSON stream or read as raw lines, slurped or not. */
import { JsonSyntaxError, parseJsonStream, type Json } from '../json.ts';
import { inputError } from './input-error.ts';
import type { JqOptions, ReadFile } from './options.ts';

/** One input text and the name jq gives it in error positions. */
export interface InputText {
	name: string;
	text: string;
}

/** The values to run the program on, and what went wrong reading them. */
export interface Inputs {
	values: Json[];
	/** The texts read (a runtime error names the last one). */
	texts: InputText[];
	/** Files that could not be opened, one line each. */
	stderr: string;
	exit: number;
	/** A JSON syntax error: the outputs so far are printed, then this, and jq exits 4. */
	failure?: string | undefined;
}

/** Reads the files (or stdin) and turns them into input values as the options say. */
export function readInputs(o: JqOptions, stdin: string, readFile: ReadFile): Inputs {
	const r: Inputs = { values: [], texts: [], stderr: '', exit: 0 };
	if (o.files.length === 0) r.texts.push({ name: '<stdin>', text: stdin });
	for (const f of o.files) {
		const text = readFile(f);
		if (text === undefined) {
			r.stderr += `jq: error: Could not open file ${f}: No such file or directory\n`;
			r.exit = 2;
			continue;
		}
		r.texts.push({ name: f, text });
	}
	// -n -s still reads (and checks) the inputs, then runs once on null.
	if (!o.nullInput || o.slurp) {
		for (const { text } of r.texts) {
			if (o.rawInput) {
				if (o.slurp) r.values.push(text);
				else r.values.push(...text.split('\n').filter((l, i, a) => i < a.length - 1 || l !== ''));
				continue;
			}
			try {
				r.values.push(...parseJsonStream(text));
			} catch (e) {
				if (!(e instanceof JsonSyntaxError)) throw e;
				r.failure = `parse error: ${inputError(e, text)}\n`;
				break;
			}
		}
		if (o.slurp && !o.rawInput) r.values = [r.values];
		else if (o.slurp && o.rawInput) r.values = [r.values.join('')];
	}
	if (o.nullInput) r.values = [null];
	return r;
}
