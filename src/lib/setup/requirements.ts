import { relative } from 'node:path';
import { SANDBOX_SCRIPT, sandboxNeeds } from '../engines/sandbox/script.ts';
import { ROOT } from '../book/paths.ts';
import { loadBook } from '../runbook/load.ts';
import { programsOf } from '../runbook/programs.ts';
import { definedFunctions } from '../runbook/functions.ts';
import type { Chapter } from '../runbook/types.ts';
import { bookProgram } from '../book/book-programs.ts';
import { packageOf, programsCalledBy, type Caller } from '../book/packages.ts';

/** What a command of the project needs the machine to have. */
export type Purpose = 'test' | 'verify' | 'verify-vm' | 'lab' | 'bench';

/** Where a program is first called: a chapter line and host, or a part of the project. */
export interface CallSite {
	/** e.g. "content/chapters/07-nat.mdx:88 (host pi)" or "the lab sandbox (src/lib/engines/sandbox/sandbox.sh)". */
	where: string;
}

/** A program a purpose needs, with its package (undefined when the table lacks it) and first caller. */
export interface Requirement {
	program: string;
	package: string | undefined;
	calledFrom: CallSite;
}

/** Path of the lab sandbox script, relative to the repository root. */
export const SANDBOX_SH = relative(ROOT, SANDBOX_SCRIPT);

/**
 * Every program the chapters' runnable commands call, with the first line that calls it. A
 * program of the book's own (its CNI plugin) is no package's: the lab gets it from the book, and
 * what it needs of the machine is the program that runs it (`node`).
 */
export function chapterPrograms(book: readonly Chapter[]): Map<string, CallSite> {
	const found = new Map<string, CallSite>();
	for (const chapter of book) {
		// A shell function the chapter defines (mkpod) is called like a program but is none.
		const own = definedFunctions(chapter.blocks.flatMap((b) => (b.runnable ? b.commands.map((c) => c.text) : [])));
		for (const block of chapter.blocks.filter((b) => b.runnable))
			for (const command of block.commands)
				for (const called of programsOf(command.text)) {
					const program = bookProgram(called)?.interpreter ?? called;
					if (!own.has(program) && !found.has(program)) found.set(program, { where: `${chapter.file}:${command.line} (host ${block.host})` });
				}
	}
	return found;
}

const CALLERS: Record<Purpose, { sandbox: boolean; chapters: boolean; callers: Caller[] }> = {
	verify: { sandbox: true, chapters: true, callers: ['engine'] },
	// A VM target runs the chapters and the sandbox inside the VM: the host needs QEMU and the image builder's tools.
	'verify-vm': { sandbox: false, chapters: false, callers: ['vm'] },
	// What the machine the lab runs on needs (a VM image, a reader's Pi): the sandbox and the chapters, no transport.
	lab: { sandbox: true, chapters: true, callers: [] },
	test: { sandbox: true, chapters: true, callers: ['engine', 'tests', 'browser', 'vm'] },
	bench: { sandbox: true, chapters: true, callers: ['engine', 'browser', 'bench'] },
};

/** Every program a purpose needs, first caller first; those missing from the table have no package. */
export function requirementsOf(purpose: Purpose, root = ROOT, book: readonly Chapter[] = loadBook(root)): Requirement[] {
	const wanted = CALLERS[purpose];
	const sites = new Map<string, CallSite>();
	const add = (program: string, site: CallSite) => void (sites.has(program) || sites.set(program, site));
	if (wanted.chapters) for (const [program, site] of chapterPrograms(book)) add(program, site);
	if (wanted.sandbox) for (const program of sandboxNeeds()) add(program, { where: `the lab sandbox (${SANDBOX_SH})` });
	for (const program of programsCalledBy(wanted.callers))
		add(program, { where: `the ${wanted.callers.filter((c) => packageOf(program)?.calledBy?.includes(c)).join(' and ')} (src/lib/book/packages.ts)` });
	return [...sites].map(([program, calledFrom]) => ({ program, package: packageOf(program)?.package, calledFrom }));
}
