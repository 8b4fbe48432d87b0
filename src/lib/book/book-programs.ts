/**
 * Programs the book itself provides, which no Debian package has: its CNI plugin (chapter 15).
 * A chapter runs one by its path like any other program; then
 * - the lab sandbox writes it into the chapter's lab (the job's `files`, built from its sources
 *   by the engine: src/lib/engines/sandbox/book-files.ts);
 * - the simulator runs its real code (src/lib/simprograms);
 * - the site serves it for a reader's own machine (src/pages/downloads/), and the chapter's script
 *   checks for it and for the program that runs it, and says where to get it when it is missing.
 */
import { SITE_BASE, SITE_URL } from './site.ts';

/** One program of the book. */
export interface BookProgram {
	/** Where labs and readers' machines have it: the path chapters call it by. */
	path: string;
	/** What it is, in a few words, for messages (`the book's CNI plugin`). */
	what: string;
	/** Its sources in the repository (a folder). */
	source: string;
	/** The file name the site serves it under, in /downloads/. */
	download: string;
	/** The program its `#!` line runs (a program of src/lib/book/packages.ts): scripts check for it too. */
	interpreter: string;
}

/** The book's CNI plugin, tsbridge: examples/cni-plugin, one JavaScript file that Debian's Node.js runs. */
export const TSBRIDGE: BookProgram = {
	path: '/opt/cni/bin/tsbridge',
	what: "the book's CNI plugin",
	source: 'examples/cni-plugin',
	download: 'tsbridge',
	interpreter: 'node',
};

/** Every program of the book. */
export const BOOK_PROGRAMS: readonly BookProgram[] = [TSBRIDGE];

/** The book's program at `path`, if that is one. */
export function bookProgram(path: string): BookProgram | undefined {
	return BOOK_PROGRAMS.find((p) => p.path === path);
}

/** Site-relative address of a program's download, e.g. /downloads/tsbridge. */
export function downloadHref(program: BookProgram): string {
	return `${SITE_BASE}downloads/${program.download}`;
}

/** Public address of a program's download, for scripts and messages. */
export function downloadUrl(program: BookProgram): string {
	return new URL(downloadHref(program), SITE_URL).href;
}
