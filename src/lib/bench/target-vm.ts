/**
 * What a VM target costs before its first chapter: building its image (cold and cached; sizes,
 * packages) and booting a VM to its first command. Part of `npm run bench -- --only targets`.
 */
import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createVmEngine, IMAGE_SCRIPT, type VmArch } from '../engines/vm/vm.ts';
import { parseChapter } from '../runbook/parse.ts';
import type { Lab } from '../shared/lab.ts';
import { round } from './stats.ts';

/** One progress line of image.sh: `vm-image: <stage> (<seconds> s)`. */
export interface ImageStage {
	stage: string;
	seconds: number;
}

/** The image of one architecture: built again from the same inputs, then found in the cache. */
export interface ImageFigures {
	arch: VmArch;
	/** `image.sh ARCH --rebuild`: apt index, resolve, unpack, modules, pack (the packages are already downloaded, unless `downloaded` says otherwise). */
	coldMs: number;
	/** Packages the cold build downloaded (0: all were in the cache folder) and the packages it resolved. */
	downloaded?: { count: number; of: number };
	/** image.sh's own stages of the cold build. */
	stages: ImageStage[];
	/** `image.sh ARCH` right after: the inputs did not change, the image is reused. */
	cachedMs: number;
	vmlinuzBytes: number;
	initrdBytes: number;
	/** Lines of packages.txt: the packages unpacked into the image, the kernel's included. */
	packages: number;
	kernelRelease: string;
	/** The image folder (in ${NETBOOK_CACHE:-~/.cache/netbook}/vm). */
	folder: string;
}

/** Reads `vm-image: <stage> (<seconds> s)`; undefined for any other line. */
export function readImageStage(line: string): ImageStage | undefined {
	const m = /^vm-image: (.*) \((\d+(?:\.\d+)?) s\)$/.exec(line);
	return m ? { stage: m[1]!, seconds: Number(m[2]) } : undefined;
}

/** Runs image.sh; resolves with its folder, wall time and progress lines; rejects with its last line. */
function runImageScript(arch: VmArch, rebuild: boolean, log: (line: string) => void): Promise<{ folder: string; ms: number; lines: string[] }> {
	return new Promise((resolve, reject) => {
		const started = performance.now();
		const child = spawn('bash', [IMAGE_SCRIPT, arch, ...(rebuild ? ['--rebuild'] : [])], { stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let pending = '';
		const lines: string[] = [];
		child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
		child.stderr.setEncoding('utf8').on('data', (d: string) => {
			const parts = (pending + d).split('\n');
			pending = parts.pop() ?? '';
			for (const line of parts) {
				lines.push(line);
				log(`targets: ${line}`);
			}
		});
		child.on('error', reject);
		child.on('close', (code) => {
			const ms = performance.now() - started;
			if (pending) lines.push(pending);
			if (code === 0) resolve({ folder: stdout.trim(), ms, lines });
			else reject(new Error(`image.sh ${arch}${rebuild ? ' --rebuild' : ''} failed (exit ${code}): ${lines.at(-1) ?? ''}`));
		});
	});
}

/** Builds the image of `arch` again (`--rebuild`), then asks for it once more (cached), and reads its sizes. */
export async function measureImage(arch: VmArch, log: (line: string) => void): Promise<ImageFigures> {
	log(`targets: image ${arch}, cold (--rebuild)`);
	const cold = await runImageScript(arch, true, log);
	log(`targets: image ${arch}, cached`);
	const cached = await runImageScript(arch, false, log);
	const stages = cold.lines.flatMap((l) => readImageStage(l) ?? []);
	const download = stages.map((s) => /^downloaded (\d+) of (\d+) packages$/.exec(s.stage)).find((m) => m);
	const file = (name: string) => join(cached.folder, name);
	return {
		arch,
		coldMs: round(cold.ms, 0),
		...(download ? { downloaded: { count: Number(download[1]), of: Number(download[2]) } } : {}),
		stages,
		cachedMs: round(cached.ms, 0),
		vmlinuzBytes: statSync(file('vmlinuz')).size,
		initrdBytes: statSync(file('initrd.img')).size,
		packages: readFileSync(file('packages.txt'), 'utf8').split('\n').filter(Boolean).length,
		kernelRelease: readFileSync(file('kernel-release'), 'utf8').trim(),
		folder: cached.folder,
	};
}

/** A fresh VM's boot: to the pool's "ready" line and to the first command's progress event. */
export interface BootFigures {
	arch: VmArch;
	/** From `engine.run` to the pool's `vm: … ready` line (QEMU started, the guest's init ready for jobs), ms. */
	readyMs?: number;
	/** From `engine.run` to the first progress event: the sandbox sealed, the lab built, one command run, ms. */
	firstCommandMs?: number;
	/** The whole one-command chapter (the state captured, the results back), ms. */
	totalMs: number;
}

/** The one-command chapter a boot is timed with, on the `machine` lab. */
export const BOOT_CHAPTER = parseChapter(['---', 'title: Boot', 'description: One command.', 'lab: machine', '---', '', '```sh', 'hostname', '```', ''].join('\n'), {
	file: 'content/chapters/00-boot.mdx',
	lab: () => ({ hosts: ['pi'] }),
});

/** Boots a fresh VM of `arch` from `image` and runs {@link BOOT_CHAPTER} on `lab` (the machine lab). */
export async function measureBoot(arch: VmArch, image: string, lab: Lab, log: (line: string) => void): Promise<BootFigures> {
	let readyMs: number | undefined;
	let firstCommandMs: number | undefined;
	const started = performance.now();
	const engine = createVmEngine(arch, {
		image,
		onLog: (line) => {
			if (readyMs === undefined && /^vm: \S+ ready \(/.test(line)) readyMs = performance.now() - started;
			log(`targets: ${line}`);
		},
	});
	await engine.run(BOOT_CHAPTER, lab, { onProgress: () => void (firstCommandMs ??= performance.now() - started) });
	const totalMs = performance.now() - started;
	// The VM powers off 2 s after its last job: let it go before anything else is timed.
	await new Promise((resolve) => setTimeout(resolve, 3000));
	return {
		arch,
		...(readyMs === undefined ? {} : { readyMs: round(readyMs, 0) }),
		...(firstCommandMs === undefined ? {} : { firstCommandMs: round(firstCommandMs, 0) }),
		totalMs: round(totalMs, 0),
	};
}
