/**
 * The page's real kernel as the site build finds it: the v86 image and its saved state, if this
 * machine has built them (`npm run -s v86`, or any `verify --target v86`), and the manifest the
 * page reads (src/lib/shared/v86-manifest.ts). The build copies {@link v86Assets}' files into
 * `dist/v86/`; when they are missing the page says how to build them. Build-time only.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { V86_MACHINE } from '../shared/v86-machine.ts';
import type { V86Manifest } from '../shared/v86-manifest.ts';
import { ROOT } from './paths.ts';

/** The image builder, which knows where the v86 image of the current inputs lives. */
const IMAGE_SCRIPT = join(ROOT, 'src/lib/engines/vm/image.sh');
/** The lab's sandbox script, which the page sends into the guest as verify does. */
const SANDBOX = join(ROOT, 'src/lib/engines/sandbox/sandbox.sh');

/** The manifest and the files behind it (source path → served name). */
export interface V86Assets {
	manifest: V86Manifest;
	copies: { from: string; to: string }[];
}

let cached: V86Assets | null | undefined;

/**
 * The assets of the page's real kernel, or undefined when this machine has not built the v86
 * image and state for the current inputs and v86 version. Computed once per process.
 */
export function v86Assets(): V86Assets | undefined {
	if (cached !== undefined) return cached ?? undefined;
	cached = find() ?? null;
	return cached ?? undefined;
}

/** The manifest the page states its sizes from (undefined when the build has no kernel). */
export function readV86Manifest(): V86Manifest | undefined {
	return v86Assets()?.manifest;
}

const require = createRequire(join(ROOT, 'package.json'));

/** The exact v86 release in node_modules: a saved state restores only on the version that saved it. */
export function v86Version(): string {
	return (JSON.parse(readFileSync(require.resolve('v86/package.json'), 'utf8')) as { version: string }).version;
}

/** The saved state's file in an image folder (per v86 version: a state restores only on its own). */
export function v86StateFile(image: string): string {
	return join(image, `state-v86-${v86Version()}.bin.zst`);
}

function find(): V86Assets | undefined {
	const located = spawnSync('bash', [IMAGE_SCRIPT, 'v86', '--path'], { encoding: 'utf8' });
	const image = located.status === 0 ? located.stdout.trim() : '';
	if (!image) return undefined;
	const version = v86Version();
	const state = v86StateFile(image);
	if (!existsSync(state)) return undefined;
	const tag = basename(image).split('-').at(-1) ?? 'image';
	const lib = require.resolve('v86/build/libv86.mjs');
	const wasm = require.resolve('v86/build/v86.wasm');
	const files = {
		lib: `libv86-${version.replace(/[^0-9a-z.]/gi, '-')}.mjs`,
		wasm: `v86-${version.replace(/[^0-9a-z.]/gi, '-')}.wasm`,
		state: `state-${tag}.bin.zst`,
		bios: `bios-${tag}.bin`,
		vgabios: `vgabios-${tag}.bin`,
		sandbox: `sandbox-${createHash('sha256').update(readFileSync(SANDBOX)).digest('hex').slice(0, 12)}.sh`,
	};
	const copies = [
		{ from: lib, to: files.lib },
		{ from: wasm, to: files.wasm },
		{ from: state, to: files.state },
		{ from: join(image, 'bios.bin'), to: files.bios },
		{ from: join(image, 'vgabios.bin'), to: files.vgabios },
		{ from: SANDBOX, to: files.sandbox },
	];
	const size = (f: string): number => statSync(f).size;
	const bytes = { state: size(state), wasm: size(wasm), lib: size(lib), total: 0 };
	bytes.total = bytes.state + bytes.wasm + bytes.lib + size(join(image, 'bios.bin')) + size(join(image, 'vgabios.bin'));
	const sources = readFileSync(join(image, 'sources.txt'), 'utf8')
		.split('\n')
		.filter(Boolean)
		.map((l) => {
			const [pkg = '', ver = ''] = l.split(' ');
			return { package: pkg, version: ver };
		});
	const manifest: V86Manifest = {
		v86: version,
		kernel: readFileSync(join(image, 'kernel-release'), 'utf8').trim(),
		release: readFileSync(join(image, 'release'), 'utf8').trim(),
		memoryMiB: V86_MACHINE.memoryMiB,
		files,
		bytes,
		sources,
	};
	return { manifest, copies };
}
