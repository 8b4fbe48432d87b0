// The chapters' downloadable scripts on machines that are not empty labs: a Raspberry Pi that runs
// Docker, and a busy one that routes. Each script runs (twice, or failing at each step in turn) in
// the sealed sandbox on a lab whose hosts were first given that machine's state, and every host's
// state must be byte for byte what it was before (src/lib/engines/local/machines/dump.sh). Mandatory, like
// sandbox.test.ts: these tests need root on Linux and fail without it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanupBlocks } from '../../runbook/cleanup.ts';
import { chapterFiles, loadChapter } from '../../runbook/load.ts';
import { changeOf } from '../../runbook/script.ts';
import type { Chapter } from '../../runbook/types.ts';
import { bookFiles } from '../sandbox/book-files.ts';
import { buildJob } from '../sandbox/job.ts';
import { runSandbox } from './local.ts';
import { loadLab } from '../../book/labs.ts';
import { ROOT, snapshotPath } from '../../book/paths.ts';
import { servedScript } from '../../runbook/served.ts';
import { loadSnapshot } from '../../snapshot/store.ts';

/** The chapter's script byte for byte as readers download it. */
const downloaded = (chapter: Chapter): string => servedScript(chapter, loadLab(chapter.lab), loadSnapshot(snapshotPath(ROOT, chapter.id))?.recorded);

const MACHINES = join(import.meta.dirname, 'machines');
const machine = (name: string): string => readFileSync(join(MACHINES, `${name}.sh`), 'utf8');
const DUMP = machine('dump');

const book = chapterFiles().map((f) => loadChapter(f));
const ids = book.map((c) => c.id);

/** Two sandboxes at a time (the machine has two cores; other work runs beside the tests). */
let running = 0;
const waiting: (() => void)[] = [];
async function limited<T>(work: () => Promise<T>): Promise<T> {
	if (running >= 2) await new Promise<void>((r) => waiting.push(r));
	running++;
	try {
		return await work();
	} finally {
		running--;
		waiting.shift()?.();
	}
}

interface ScriptRuns {
	exits: number[];
	stderr: string[];
	/** Per host: its dump before the first run, then after each run. */
	dumps: Map<string, string[]>;
}

/** Runs `texts` (the chapter's script, or variants of it) one after another on a lab given `prepare`. */
async function runScripts(chapter: Chapter, prepare: string, texts: string[]): Promise<ScriptRuns> {
	const lab = loadLab(chapter.lab);
	// With the book's own programs the chapter calls (its CNI plugin), as verify's jobs have them.
	const own = await bookFiles(chapter);
	const job = { ...buildJob(chapter, lab, 30, { script: texts[0] ?? '' }), ...(own.length ? { files: own } : {}) };
	job.blocks = [];
	job.script = { ...job.script!, runs: texts, prepare, dump: DUMP, strict: false };
	const files = await limited(() => runSandbox(job, { id: chapter.id, lab: chapter.lab, total: 0 }));
	const exits = texts.map((_, k) => (JSON.parse(files.get(`script-${k}.json`) ?? '{"exit":-1}') as { exit: number }).exit);
	const stderr = texts.map((_, k) => files.get(`script-${k}.err`) ?? '');
	const dumps = new Map(lab.hosts.map((h) => [h.name, Array.from({ length: texts.length + 1 }, (_, k) => files.get(`dump-${k}-${h.name}`) ?? '')]));
	return { exits, stderr, dumps };
}

/** Every host's state after each run, as it differs from before the first (empty when kept). */
function changes(runs: ScriptRuns): string[] {
	const out: string[] = [];
	for (const [host, [before, ...after]] of runs.dumps) {
		// a dump that compared nothing would pass: each must hold every section
		expect(before).toMatch(/== processes[\s\S]*== ip -d link[\s\S]*== iptables-save[\s\S]*\*nat[\s\S]*== nft[\s\S]*== sysctl[\s\S]*ip_forward[\s\S]*== files[\s\S]*== mounts/);
		after.forEach((dump, k) => {
			if (dump === before) return;
			const a = before!.split('\n');
			const b = dump.split('\n');
			const lost = a.filter((l) => !b.includes(l)).map((l) => `- ${l}`);
			const found = b.filter((l) => !a.includes(l)).map((l) => `+ ${l}`);
			out.push(`${host} after run ${k + 1}:`, ...lost, ...found);
		});
	}
	return out;
}

/** The script with a failing command added at the end of step `n`. */
function failingAt(script: string, n: number): string {
	const start = script.indexOf(`\nstep_${n}() {\n`);
	const end = script.indexOf('\n}\n', start);
	if (start < 0 || end < 0) throw new Error(`no step_${n} in the script`);
	return `${script.slice(0, end)}\n\tfalse # the test: step ${n} fails here${script.slice(end)}`;
}

/** How each chapter's script ends, run twice on a Docker machine: 0 ran, 2 refused before changing anything. */
const ON_DOCKER: Record<string, number> = {
	'01-two-machines-and-a-switch': 0,
	'02-two-networks-and-a-router': 2, // the router forwards; Docker's FORWARD policy is DROP
	'03-a-linux-box-as-a-router': 2,
	'04-network-namespaces': 0,
	'05-veth-pairs': 0,
	'06-bridges': 2, // br_netfilter hands the bridge's packets to iptables' FORWARD (DROP)
	'07-reaching-the-internet': 2,
	'08-docker-bridge-by-hand': 2, // docker0 and Docker's MASQUERADE rule are there
	'09-cni-by-hand': 2,
	'10-cri-and-the-kubelet': 2,
	'11-pods-across-nodes': 2,
	'12-services-and-kube-proxy': 2,
	'13-hairpin-nodeport-and-dns': 2,
	'14-network-policy': 2,
	'15-write-a-cni-plugin': 2,
};

beforeAll(() => {
	if (process.platform !== 'linux' || process.getuid?.() !== 0)
		throw new Error('the chapter scripts\' safety tests need root on Linux (they run the scripts in the sealed sandbox): run `npm test` as root. They are never skipped.');
});

describe('chapter scripts on a Raspberry Pi that runs Docker', () => {
	it('expects an outcome for every chapter', () => {
		expect(Object.keys(ON_DOCKER).sort()).toEqual([...ids].sort());
	});

	it.concurrent.each(ids)('%s: leaves Docker\'s state as it was, run twice', async (id) => {
		const chapter = book.find((c) => c.id === id)!;
		const script = downloaded(chapter);
		const runs = await runScripts(chapter, machine('docker'), [script, script]);
		expect(changes(runs)).toEqual([]);
		expect(runs.exits).toEqual([ON_DOCKER[id], ON_DOCKER[id]]);
		if (ON_DOCKER[id] === 2)
			for (const err of runs.stderr) expect(err).toMatch(new RegExp(`^${id}\\.sh: refused, nothing changed: [^\\n]+\\n$`));
	}, 300_000);
});

/**
 * On the busy router: the script twice, then once failing at the end of each step that changes
 * something (a step that only looks leaves the machine as the step before it did), in one sandbox.
 */
const onRouter = new Map<string, Promise<{ runs: ScriptRuns; steps: number[] }>>();
function routerRuns(id: string): Promise<{ runs: ScriptRuns; steps: number[] }> {
	let p = onRouter.get(id);
	if (!p) {
		const chapter = book.find((c) => c.id === id)!;
		const script = downloaded(chapter);
		const cleanup = new Set(cleanupBlocks(chapter).map((b) => b.index));
		const steps = chapter.blocks
			.filter((b) => b.runnable && !cleanup.has(b.index) && b.commands.some((c) => changeOf(c.text) !== undefined))
			.map((b) => b.index + 1);
		p = runScripts(chapter, machine('router'), [script, script, ...steps.map((n) => failingAt(script, n))]).then((runs) => ({ runs, steps }));
		onRouter.set(id, p);
	}
	return p;
}

/** The runs `from`…`to` (exclusive) of a ScriptRuns, with the dump before the first kept. */
function slice(runs: ScriptRuns, from: number, to: number): ScriptRuns {
	return {
		exits: runs.exits.slice(from, to),
		stderr: runs.stderr.slice(from, to),
		dumps: new Map([...runs.dumps].map(([h, d]) => [h, [d[0]!, ...d.slice(from + 1, to + 1)]])),
	};
}

describe('chapter scripts on a busy Raspberry Pi that routes its own network (no Docker)', () => {
	it.concurrent.each(ids)('%s: runs, and leaves the machine as it was, run twice', async (id) => {
		const { runs } = await routerRuns(id);
		const twice = slice(runs, 0, 2);
		expect(changes(twice)).toEqual([]);
		expect(twice.exits, twice.stderr.join('\n').slice(-2000)).toEqual([0, 0]);
	}, 900_000);

	it.concurrent.each(ids)('%s: a failure at any step leaves nothing behind', async (id) => {
		const { runs, steps } = await routerRuns(id);
		const failing = slice(runs, 2, 2 + steps.length);
		expect(steps.length).toBeGreaterThan(0);
		expect(changes(failing)).toEqual([]);
		expect(failing.exits).toEqual(steps.map(() => 1));
		failing.stderr.forEach((err, k) => expect(err, `step ${steps[k]}`).toContain('netbook: this command failed (exit status 1): false\n'));
	}, 900_000);
});
