/** coreutils' echo and printf, as bash's builtins behave for the book's lines. */
import type { Tool } from '../../tool/types.ts';

/** echo: -n, -e, -E (only \n and \t expand). */
export const echo: Tool = (argv) => {
	let newline = true;
	let escapes = false;
	let i = 0;
	for (; i < argv.length; i++) {
		const a = argv[i] as string;
		if (!/^-[neE]+$/.test(a)) break;
		if (a.includes('n')) newline = false;
		if (a.includes('e')) escapes = true;
		if (a.includes('E')) escapes = false;
	}
	let text = argv.slice(i).join(' ');
	if (escapes) text = text.replace(/\\n/g, '\n').replace(/\\t/g, '\t');
	return { stdout: newline ? `${text}\n` : text, stderr: '', exit: 0 };
};

/** The characters of bash's printf escapes that are one letter: `\n`, `\r`, `\t`… */
const ESCAPES: Record<string, string> = { a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'", '?': '?' };

/**
 * printf: %s, %d, %u (with widths), %%, and bash's escapes in the format (`\n`, `\r`, `\t`,
 * `\\`, octal `\NNN`, `\xHH`…; an unknown one stays as written); the format repeats while
 * arguments remain.
 */
export const printf: Tool = (argv) => {
	const fmt = argv[0];
	if (fmt === undefined) return { stdout: '', stderr: 'printf: usage: printf [-v var] format [arguments]\n', exit: 2 };
	const args = argv.slice(1);
	let out = '';
	let k = 0;
	do {
		out += fmt.replace(/\\(?:[0-7]{1,3}|x[0-9A-Fa-f]{1,2}|.)|%%|%[-0-9]*[sdu]/g, (m) => {
			if (m.startsWith('\\')) {
				const e = m.slice(1);
				if (/^[0-7]+$/.test(e)) return String.fromCharCode(parseInt(e, 8) & 255);
				if (/^x[0-9A-Fa-f]+$/.test(e)) return String.fromCharCode(parseInt(e.slice(1), 16));
				return ESCAPES[e] ?? m;
			}
			if (m === '%%') return '%';
			const v = args[k++] ?? '';
			return m.endsWith('d') || m.endsWith('u') ? String(Number(v) || 0) : v;
		});
	} while (k < args.length && /%[-0-9]*[sdu]/.test(fmt));
	return { stdout: out, stderr: '', exit: 0 };
};
