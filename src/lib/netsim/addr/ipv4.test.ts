import { describe, expect, it } from 'vitest';
import { maskOf, networkOf } from './ipv4.ts';

describe('netmasks', () => {
	it('are all zeros for /0, which a hand-built shift gets wrong (JS shift counts are taken mod 32)', () => {
		const handBuilt = (len: number): number => (0xffffffff << (32 - len)) >>> 0;
		expect(handBuilt(0)).toBe(0xffffffff);
		expect(maskOf(0)).toBe(0);
		expect(networkOf(0x0a000001, 0)).toBe(0);
	});

	it('keep every bit for /32 and the leading bits in between', () => {
		expect(maskOf(32)).toBe(0xffffffff);
		expect(maskOf(24)).toBe(0xffffff00);
		expect(maskOf(1)).toBe(0x80000000);
		expect(networkOf(0x0a160203, 16)).toBe(0x0a160000);
	});
});
