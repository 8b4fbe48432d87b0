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

/** printf: %s, %d, %u (with widths), \n, \t, \\, %%; the format repeats while arguments remain. */
export const printf: Tool = (argv) => {
	const fmt = argv[0];
	if (fmt === undefined) return { stdout: '', stderr: 'printf: usage: printf [-v var] format [arguments]\n', exit: 2 };
	const args = argv.slice(1);
	let out = '';
	let k = 0;
	do {
		out += fmt.replace(/\\n|\\t|\\\\|%%|%[-0-9]*[sdu]/g, (m) => {
			if (m === '\\n') return '\n';
			if (m === '\\t') return '\t';
			if (m === '\\\\') return '\\';
			if (m === '%%') return '%';
			const v = args[k++] ?? '';
			return m.endsWith('d') || m.endsWith('u') ? String(Number(v) || 0) : v;
		});
	} while (k < args.length && /%[-0-9]*[sdu]/.test(fmt));
	return { stdout: out, stderr: '', exit: 0 };
};
