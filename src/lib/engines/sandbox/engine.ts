/**
 * The real-kernel engine, wherever the kernel is: the chapter becomes a sandbox job (./job.ts),
 * a transport runs it in a sealed sandbox.sh and brings back the files it wrote, and the result
 * is read from them. Transports differ only in how the job gets in and the files come out: this
 * machine (../local), a Linux VM, a Raspberry Pi over SSH.
 */
import type { Chapter } from '../../runbook/types.ts';
import type { Lab } from '../../shared/lab.ts';
import { runnableBlocks, type ChapterResult, type ChapterRunOptions, type Engine } from '../engine.ts';
import { bookFiles } from './book-files.ts';
import { buildJob, readSandboxOutput, type SandboxJob } from './job.ts';

/** What a sandbox wrote to its output folder: file name → text. */
export type SandboxFiles = ReadonlyMap<string, string>;

/** Options of {@link runSandbox}. */
export interface SandboxRunOptions extends ChapterRunOptions {
	/** Names the run in errors, e.g. the chapter id. */
	id: string;
	/** The lab's name, for the hint when it cannot be built. */
	lab: string;
	/** Commands in the job, for progress. */
	total: number;
}

/** Runs one sandbox job somewhere and returns every file the sandbox wrote. */
export type SandboxTransport = (job: SandboxJob, options: SandboxRunOptions) => Promise<SandboxFiles>;

/** An {@link Engine} that runs each chapter as one sandbox job through `transport`. */
export function createSandboxEngine(name: string, transport: SandboxTransport): Engine {
	return {
		name,
		async run(chapter: Chapter, lab: Lab, runOptions: ChapterRunOptions = {}): Promise<ChapterResult> {
			const files = await bookFiles(chapter);
			const job = {
				...buildJob(chapter, lab, runOptions.timeoutSec ?? 30, runOptions.script === undefined ? {} : { script: runOptions.script }),
				...(files.length ? { files } : {}),
			};
			const total = runnableBlocks(chapter).reduce((n, b) => n + b.commands.length, 0);
			const started = Date.now();
			const outputs = await transport(job, { ...runOptions, id: chapter.id, lab: chapter.lab, total });
			const read = (f: string): string => outputs.get(f) ?? '';
			const scriptRun = outputs.has('script-0.json') ? { json: read('script-0.json'), stdout: read('script-0.out'), stderr: read('script-0.err') } : undefined;
			const result = readSandboxOutput(
				chapter,
				{
					steps: read('steps.jsonl'),
					states: read('states.jsonl'),
					recorded: read('recorded.json'),
					output: (b, s, stream) => read(`${b}.${s}.${stream}`),
					...(scriptRun ? { script: scriptRun } : {}),
				},
				Date.now() - started,
			);
			return { ...result, engine: name };
		},
	};
}
