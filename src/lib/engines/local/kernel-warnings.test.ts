import { describe, expect, it } from 'vitest';
import { hostToolVersions, kernelHostWarnings } from './local.ts';

const versions = hostToolVersions();
const here = { iproute2: versions.iproute2!, iptables: versions.iptables!, os: 'this machine' };
const toolWarnings = (recorded: (typeof here)[]) => kernelHostWarnings(recorded).filter((w) => w.includes('recorded with'));

describe('kernelHostWarnings: tool versions', () => {
	it('says nothing when the snapshots were recorded with this machine\'s iproute2 and iptables', () => {
		expect(toolWarnings([here, here])).toEqual([]);
	});

	it('names both versions when a snapshot was recorded with other tools (trixie\'s or bookworm\'s, whichever this is not)', () => {
		// The suite runs on Debian 12 and 13 alike, so the other set is the release this machine is not.
		const trixie = { iproute2: '6.15.0', iptables: '1.8.11 (nf_tables)', os: 'Debian GNU/Linux 13 (trixie)' };
		const bookworm = { iproute2: '6.1.0', iptables: '1.8.9 (nf_tables)', os: 'Debian GNU/Linux 12 (bookworm)' };
		const other = here.iproute2 === trixie.iproute2 ? bookworm : trixie;
		expect(toolWarnings([here, other])).toEqual([
			`the snapshots were recorded with iproute2 ${other.iproute2} and iptables ${other.iptables} (${other.os}); this machine has ` +
				`iproute2 ${here.iproute2} and iptables ${here.iptables}, which print some outputs differently ` +
				'(docs/verify.md, "Tool versions"): expect mismatches that are spelling, not behaviour',
		]);
	});
});
