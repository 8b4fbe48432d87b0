import type { Lab } from '../shared/lab.ts';
import { median, round } from './stats.ts';

type CreateLab = (lab: Lab) => { exec(host: string, line: string): unknown; state(): unknown };

async function loadCreateLab(): Promise<CreateLab> {
	const mod = (await import('../netsim/index.ts')) as { createLab: CreateLab };
	return mod.createLab;
}

/** Simulator costs that do not depend on a chapter: lab creation time and memory per lab. */
export interface SimulatorCosts {
	/** Median of createLab over the runs, per lab, ms. */
	createLabMs: Record<string, number>;
	/** Heap growth per live lab, bytes, for the largest lab, measured with 200 labs alive. */
	heapPerLabBytes: number;
}

/** Measures lab creation and memory per lab in this process. */
export async function measureSimulatorCosts(labs: readonly Lab[], runs = 50): Promise<SimulatorCosts> {
	const createLab = await loadCreateLab();
	const createLabMs: Record<string, number> = {};
	for (const lab of labs) {
		createLab(lab); // warm up the module's code paths
		const times: number[] = [];
		for (let i = 0; i < runs; i++) {
			const t0 = performance.now();
			createLab(lab);
			times.push(performance.now() - t0);
		}
		createLabMs[lab.name] = round(median(times), 3);
	}
	const largest = [...labs].sort((a, b) => b.hosts.length - a.hosts.length)[0]!;
	const gc = (globalThis as { gc?: () => void }).gc;
	gc?.();
	const before = process.memoryUsage().heapUsed;
	const alive = Array.from({ length: 200 }, () => createLab(largest));
	gc?.();
	const after = process.memoryUsage().heapUsed;
	const heapPerLabBytes = Math.round((after - before) / alive.length);
	return { createLabMs, heapPerLabBytes };
}
