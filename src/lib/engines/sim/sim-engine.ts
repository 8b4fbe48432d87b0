import { oneLine } from '../../runbook/commands.ts';
import { builtStateBlock } from '../../runbook/cleanup.ts';
import type { Chapter } from '../../runbook/types.ts';
import type { SimLab, SimProgram } from '../../netsim/index.ts';
import { chapterBookPrograms } from '../../runbook/programs.ts';
import { loadPrograms, simPrograms } from '../../simprograms/index.ts';
// The profile module is a leaf of the simulator's: choosing a profile loads nothing else of it.
import { profileFor, type SimProfile } from '../../netsim/profile/profile.ts';
import { LOCAL_TARGET } from '../../book/paths.ts';
import { targetKind } from '../../shared/machine.ts';
import { runnableBlocks, type BlockResult, type ChapterResult, type Engine, type ChapterRunOptions } from '../engine.ts';
import type { Lab } from '../../shared/lab.ts';

/** What the engine uses of a simulated lab (src/lib/netsim's `SimLab`): test doubles need no more. */
export type ChapterSimLab = Pick<SimLab, 'exec' | 'state'>;

/**
 * The simulator's `createLab`, as the engine calls it: a lab, the machine to imitate, and the
 * book's own programs the chapter calls (its CNI plugin), which the lab runs as files of its own.
 */
export type SimCreateLab = (lab: Lab, options: { profile: SimProfile; programs?: SimProgram[] }) => ChapterSimLab;

/** Loads the simulator's `createLab`. */
export type SimLoader = () => Promise<SimCreateLab>;

/** Loads the simulator only when this engine runs, so kernel runs never pay for it. */
async function loadNetsim(): Promise<SimCreateLab> {
	return (await import('../../netsim/index.ts')).createLab;
}

/**
 * The simulator as an engine (`--engine sim`): the same chapters and labs, commands sent as one
 * line each (continuations folded), state from `lab.state()`. Its results are compared with the
 * kernel's snapshots, never written as snapshots.
 */
export function createSimEngine(load: SimLoader = loadNetsim): Engine {
	return {
		name: 'sim',
		async run(chapter: Chapter, labDef: Lab, options: ChapterRunOptions = {}): Promise<ChapterResult> {
			const createLab = await load();
			const started = Date.now();
			// Imitate the machine of the snapshots the run is compared with (their tools' versions, a VM's
			// NICs; verify always says which: the primary's by default). Without one, this machine's sandbox.
			const set = options.compared?.set ?? LOCAL_TARGET;
			const profile = profileFor(options.compared?.recorded, targetKind(set));
			// The book's own programs the chapter calls, with their real code (as the kernel's lab has their files).
			const own = chapterBookPrograms(chapter).map((p) => p.path);
			if (own.length) await loadPrograms();
			const lab = createLab(labDef, { profile, ...(own.length ? { programs: simPrograms(own) } : {}) });
			const blocks = runnableBlocks(chapter);
			const built = builtStateBlock(chapter);
			const total = blocks.reduce((n, b) => n + b.commands.length, 0);
			let done = 0;
			const results: BlockResult[] = [];
			for (const [i, b] of blocks.entries()) {
				const result: BlockResult = { key: b.key, index: b.index, line: b.line, host: b.host, fails: b.attributes.fails, steps: [] };
				for (const c of b.commands) {
					if (options.signal?.aborted) throw new Error(`${chapter.id}: aborted`);
					const t0 = Date.now();
					const out = lab.exec(b.host, oneLine(c.text));
					result.steps.push({ cmd: c.text, line: c.line, stdout: out.stdout, stderr: out.stderr, exit: out.exit, timedOut: false, ms: Date.now() - t0 });
					options.onProgress?.(++done, total);
				}
				if (b.attributes.diagram || b === built || i === blocks.length - 1) result.state = lab.state();
				results.push(result);
			}
			const recorded = { kernel: 'netsim', iproute2: 'netsim', iptables: 'netsim', arch: 'any', os: `netsim imitating ${profile.name}`, date: new Date().toISOString().slice(0, 10) };
			return { chapter: chapter.id, file: chapter.file, engine: 'sim', recorded, blocks: results, ms: Date.now() - started };
		},
	};
}
