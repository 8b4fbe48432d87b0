/**
 * The book's own programs that a chapter calls (src/lib/book/book-programs.ts), as files for the
 * chapter's lab: the sandbox writes them before it builds the hosts, so the lab has them as a
 * reader's Pi has them once downloaded. Each is built from its sources once per process.
 */
import type { BookProgram } from '../../book/book-programs.ts';
import { TSBRIDGE } from '../../book/book-programs.ts';
import { chapterBookPrograms } from '../../runbook/programs.ts';
import type { Chapter } from '../../runbook/types.ts';
import type { SandboxFile } from './job.ts';

/** How each program of the book is built: its text, from its sources. */
const BUILDERS: ReadonlyMap<BookProgram, () => Promise<string>> = new Map([
	[TSBRIDGE, async () => (await import('../../../../examples/cni-plugin/build.ts')).bundlePlugin()],
]);

const built = new Map<BookProgram, Promise<string>>();

/** The text of a program of the book, built on first use. */
export function bookProgramText(program: BookProgram): Promise<string> {
	const builder = BUILDERS.get(program);
	if (!builder) return Promise.reject(new Error(`no way to build ${program.path} (${program.source}): add one to BUILDERS in src/lib/engines/sandbox/book-files.ts`));
	let text = built.get(program);
	if (!text) {
		text = builder();
		built.set(program, text);
		// A failed build is not kept: the next chapter tries again.
		text.catch(() => built.delete(program));
	}
	return text;
}

/** The files of the book's programs that `chapter` calls, for its sandbox job (none for most chapters). */
export async function bookFiles(chapter: Chapter): Promise<SandboxFile[]> {
	return Promise.all(chapterBookPrograms(chapter).map(async (p) => ({ path: p.path, mode: '755', text: await bookProgramText(p) })));
}
