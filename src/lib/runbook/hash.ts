/**
 * A stable 64-bit content hash as 16 hex digits. Two independent 32-bit FNV-1a style lanes over
 * the UTF-16 code units: good enough to tell blocks apart, and free of `node:` imports so the
 * browser can compute the same keys.
 */
export function contentHash(text: string): string {
	let a = 0x811c9dc5;
	let b = 0x01000193 ^ text.length;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		a = Math.imul(a ^ c, 0x01000193);
		b = Math.imul(b ^ c, 0x5bd1e995);
		b ^= b >>> 15;
	}
	a ^= a >>> 13;
	a = Math.imul(a, 0x85ebca6b);
	a ^= a >>> 16;
	return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}
