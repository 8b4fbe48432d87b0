// npm run -s v86: builds the page's real kernel on this machine: the v86 image (image.sh v86:
// Debian 12 i386 packages, no root) and its saved state (booted once in v86 under Node, zstd -19),
// cached under ~/.cache/netbook/vm/. `npm run build` then serves them from dist/v86/ (see
// src/lib/book/v86.ts). Prints the image folder and the state file.
import { v86State } from '../src/lib/engines/v86/v86.ts';

try {
	const { image, state } = await v86State({ onLog: (line) => void process.stderr.write(`${line}\n`) });
	process.stdout.write(`${image}\n${state}\n`);
} catch (e) {
	process.stderr.write(`v86: ${(e as Error).message}\n`);
	process.exit(1);
}
