import { describe, expect, it } from 'vitest';
import { signedKernelRelease, snapshotUrl, upstreamVersion } from './debian-sources.ts';

describe('where the sources of the image’s Debian packages are', () => {
	it('links a source package version on snapshot.debian.org, epoch and plus signs escaped', () => {
		expect(snapshotUrl('bash', '5.2.15-2')).toBe('https://snapshot.debian.org/package/bash/5.2.15-2/');
		expect(snapshotUrl('iputils', '3:20221126-1+deb12u1')).toBe('https://snapshot.debian.org/package/iputils/3%3A20221126-1%2Bdeb12u1/');
	});

	it('reads the upstream release out of a Debian version', () => {
		expect(upstreamVersion('1:2.5.1-4')).toBe('2.5.1');
		expect(upstreamVersion('1.1.1+ds1-3')).toBe('1.1.1+ds1');
		expect(upstreamVersion('6.1.192+3')).toBe('6.1.192+3');
	});

	it('names the linux release behind a signed kernel package, and nothing for other packages', () => {
		expect(signedKernelRelease('linux-signed-i386', '6.1.192+3')).toBe('6.1.192');
		expect(signedKernelRelease('linux', '6.1.192-1')).toBeUndefined();
		expect(signedKernelRelease('bash', '5.2.15-2')).toBeUndefined();
	});
});
