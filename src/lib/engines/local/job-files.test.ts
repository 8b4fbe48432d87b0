// The job's files (sandbox.sh, "files"): the book's own programs reach the lab through them. They
// must appear on every host, byte for byte and executable, never on the real machine, and a path
// outside the overlaid folders must be refused before anything is written. Needs root on Linux.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadLab } from '../../book/labs.ts';
import { downloadUrl, TSBRIDGE } from '../../book/book-programs.ts';
import { ROOT, snapshotPath } from '../../book/paths.ts';
import { servedScript } from '../../runbook/served.ts';
import { loadSnapshot } from '../../snapshot/store.ts';
import { loadBook } from '../../runbook/load.ts';
import { EngineRefusedError, EngineRunError } from '../engine.ts';
import { bookFiles } from '../sandbox/book-files.ts';
import { buildJob, type SandboxJob } from '../sandbox/job.ts';
import { runSandbox } from './local.ts';

/** A text with what a shell or JSON might mangle: quotes, backslashes, `$`, tabs, no final newline. */
const TEXT = `#!/bin/sh\necho 'it ran' "\\$0" \t$HOME\n# ünïcödé, {"json": true}\nexit 0`;

const job = (files: NonNullable<SandboxJob['files']>, commands: string[]): SandboxJob => ({
	chapter: 'job-files',
	timeout: 30,
	lab: loadLab('two-hosts'),
	files,
	blocks: [
		{ index: 0, line: 1, host: 'alice', capture: false, commands },
		{ index: 1, line: 2, host: 'bob', capture: false, commands },
	],
});

describe('the files of a sandbox job', () => {
	it('are on every host from the start, byte for byte, with their mode, and nowhere on this machine', async () => {
		const path = '/opt/netbook-job-files-test/bin/hello';
		expect(existsSync('/opt/netbook-job-files-test')).toBe(false);
		const commands = [`stat -c %a ${path}`, `cat ${path}`, path];
		const out = await runSandbox(job([{ path, mode: '755', text: TEXT }], commands), { id: 'job-files', lab: 'two-hosts', total: 6 });
		for (const b of [0, 1]) {
			expect(out.get(`${b}.0.out`)).toBe('755\n');
			expect(out.get(`${b}.1.out`)).toBe(TEXT);
			expect(out.get(`${b}.2.out`)).toBe('it ran $0 /root\n');
		}
		expect(existsSync('/opt/netbook-job-files-test')).toBe(false);
	});

	it('are refused outside the folders the sandbox overlays, before the lab is built', async () => {
		const run = runSandbox(job([{ path: '/netbook-job-files-test/x', mode: '644', text: 'x' }], ['true']), { id: 'job-files-out', lab: 'two-hosts', total: 2 });
		await expect(run).rejects.toThrow(/not under a folder the sandbox overlays/);
		await expect(run).rejects.toSatisfy((e) => e instanceof EngineRunError || e instanceof EngineRefusedError);
		expect(existsSync('/netbook-job-files-test')).toBe(false);
	});
});

describe('bookFiles', () => {
	it('gives a chapter that calls the book\'s CNI plugin its bundle, and other chapters nothing', async () => {
		const book = loadBook();
		const callers = book.filter((c) => c.blocks.some((b) => b.runnable && b.commands.some((cmd) => cmd.text.includes(TSBRIDGE.path))));
		expect(callers.length).toBeGreaterThan(0);
		for (const chapter of book) {
			const files = await bookFiles(chapter);
			if (callers.includes(chapter)) {
				expect(files.map((f) => [f.path, f.mode])).toEqual([[TSBRIDGE.path, '755']]);
				expect(files[0]!.text.startsWith('#!/usr/bin/env node\n')).toBe(true);
			} else expect(files, chapter.id).toEqual([]);
		}
	});
});

describe('a chapter\'s script on a machine without the book\'s program', () => {
	it('refuses before it changes anything, and says where to download the program', async () => {
		const chapter = loadBook().find((c) => c.blocks.some((b) => b.runnable && b.commands.some((cmd) => cmd.text.includes(TSBRIDGE.path))))!;
		const lab = loadLab(chapter.lab);
		const script = servedScript(chapter, lab, loadSnapshot(snapshotPath(ROOT, chapter.id))?.recorded);
		// The chapter's script alone, in a lab that has everything but the plugin (no job files).
		const job = { ...buildJob(chapter, lab, 30, { script }), blocks: [] };
		const out = await runSandbox(job, { id: 'no-plugin', lab: lab.name, total: 0 });
		expect(JSON.parse(out.get('script-0.json')!)).toMatchObject({ exit: 2 });
		expect(out.get('script-0.err')).toBe(
			`${chapter.id}.sh: missing: ${TSBRIDGE.path}, ${TSBRIDGE.what} (download ${downloadUrl(TSBRIDGE)} to that path and make it executable: chmod 755 ${TSBRIDGE.path})\n`,
		);
	});
});
