/**
 * Just enough of the tar format for the jobs that go into the v86 guest and the results that come
 * back (the guest's GNU tar writes them): regular files and folders, names under 100 bytes or
 * split with ustar's prefix. Pure TypeScript, so the page's engine uses it too; the VM transport
 * calls the tar program instead, which a browser does not have.
 */

const BLOCK = 512;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** One regular file of an archive. */
export interface TarFile {
	name: string;
	data: Uint8Array;
}

/** A ustar archive of `files` (mode 0644, owner root, time 0). */
export function packTar(files: readonly TarFile[]): Uint8Array {
	const parts: Uint8Array[] = [];
	for (const f of files) {
		parts.push(header(f.name, f.data.length));
		parts.push(f.data);
		const pad = (BLOCK - (f.data.length % BLOCK)) % BLOCK;
		if (pad) parts.push(new Uint8Array(pad));
	}
	parts.push(new Uint8Array(2 * BLOCK));
	const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
	let at = 0;
	for (const p of parts) {
		out.set(p, at);
		at += p.length;
	}
	return out;
}

function header(name: string, size: number): Uint8Array {
	const h = new Uint8Array(BLOCK);
	let path = encoder.encode(name);
	let prefix = new Uint8Array(0);
	if (path.length > 100) {
		const cut = name.lastIndexOf('/', 155);
		if (cut <= 0 || encoder.encode(name.slice(cut + 1)).length > 100) throw new Error(`tar: name too long: ${name}`);
		prefix = encoder.encode(name.slice(0, cut));
		path = encoder.encode(name.slice(cut + 1));
	}
	const octal = (n: number, width: number): Uint8Array => encoder.encode(`${n.toString(8).padStart(width - 1, '0')}\0`);
	h.set(path, 0);
	h.set(octal(0o644, 8), 100);
	h.set(octal(0, 8), 108);
	h.set(octal(0, 8), 116);
	h.set(octal(size, 12), 124);
	h.set(octal(0, 12), 136);
	h.set(encoder.encode('        '), 148); // the checksum counts its own field as spaces
	h[156] = 0x30; // '0': a regular file
	h.set(encoder.encode('ustar\u000000'), 257);
	h.set(encoder.encode('root'), 265);
	h.set(encoder.encode('root'), 297);
	h.set(prefix, 345);
	const sum = h.reduce((a, b) => a + b, 0);
	h.set(encoder.encode(`${sum.toString(8).padStart(6, '0')}\0 `), 148);
	return h;
}

/**
 * The regular files of a tar archive, by name (folders are skipped; GNU long names, which the
 * guest never writes for its short paths, are read too). Throws on a damaged header.
 */
export function unpackTar(tar: Uint8Array): Map<string, Uint8Array> {
	const files = new Map<string, Uint8Array>();
	let at = 0;
	let longName: string | undefined;
	while (at + BLOCK <= tar.length) {
		const h = tar.subarray(at, at + BLOCK);
		if (h.every((b) => b === 0)) break;
		const text = (from: number, len: number): string => {
			const field = h.subarray(from, from + len);
			const end = field.indexOf(0);
			return decoder.decode(end < 0 ? field : field.subarray(0, end));
		};
		const stored = Number.parseInt(text(148, 8).trim(), 8);
		const actual = h.reduce((a, b, i) => a + (i >= 148 && i < 156 ? 32 : b), 0);
		if (stored !== actual) throw new Error(`tar: damaged header at byte ${at}`);
		const size = Number.parseInt(text(124, 12).trim() || '0', 8);
		const type = String.fromCharCode(h[156] ?? 0);
		const prefix = text(345, 155);
		const name = longName ?? (prefix ? `${prefix}/${text(0, 100)}` : text(0, 100));
		const data = tar.subarray(at + BLOCK, at + BLOCK + size);
		longName = undefined;
		if (type === 'L') longName = decoder.decode(data).replace(/\0+$/, '');
		else if (type === '0' || type === '\0') files.set(name.replace(/^\.\//, ''), data);
		at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
	}
	return files;
}
