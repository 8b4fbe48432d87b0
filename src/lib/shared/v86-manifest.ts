/**
 * What the site serves of the page's real kernel (dist/v86/manifest.json), and what the page
 * states before the reader opts in. Written by the build (scripts/v86-assets.ts) from the v86
 * image and its saved state; absent when this machine has not built them.
 */
export interface V86Manifest {
	/** v86's version: the state restores only on it. */
	v86: string;
	/** The guest kernel's release, e.g. 6.1.0-57-686. */
	kernel: string;
	/** The guest's distribution, e.g. "Debian bookworm (i386)". */
	release: string;
	/** Guest memory, MiB. */
	memoryMiB: number;
	/** File names in the served v86 folder. */
	files: { lib: string; wasm: string; state: string; bios: string; vgabios: string; sandbox: string };
	/** Bytes of each file as stored (the state is zstd already), and their sum. */
	bytes: { state: number; wasm: number; lib: number; total: number };
	/** The Debian source packages the image was made from, for the licences page. */
	sources: { package: string; version: string }[];
}
