import { describe, expect, it } from 'vitest';
import { createLab, type LabDefinition } from './index.ts';

const MACHINE: LabDefinition = { name: 'machine', hosts: [{ name: 'pi', interfaces: [] }], switches: [] };

describe('a ping with no end', () => {
	it('is stopped at the prompt as Ctrl-C would stop it: ^C before the statistics, and a note saying so', () => {
		const r = createLab(MACHINE, { interactive: true }).exec('pi', 'ping 127.0.0.1');
		expect(r.stdout).toBe(
			[
				'PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.',
				'64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=0.077 ms',
				'64 bytes from 127.0.0.1: icmp_seq=2 ttl=64 time=0.054 ms',
				'64 bytes from 127.0.0.1: icmp_seq=3 ttl=64 time=0.091 ms',
				'64 bytes from 127.0.0.1: icmp_seq=4 ttl=64 time=0.068 ms',
				'^C',
				'--- 127.0.0.1 ping statistics ---',
				'4 packets transmitted, 4 received, 0% packet loss, time 3000ms',
				'rtt min/avg/max/mdev = 0.054/0.073/0.091/0.013 ms',
				'',
			].join('\n'),
		);
		expect(r.stderr).toBe('');
		expect(r.exit).toBe(0);
		expect(r.note).toBe('Without -c, ping runs until Ctrl-C: the simulator stopped it after 4 packets, as Ctrl-C would. Add -c N to send N.');
	});

	it('says nothing of the kind when it has an end (-c, -w), or outside a reader’s prompt', () => {
		const at = createLab(MACHINE, { interactive: true });
		for (const line of ['ping -c 2 127.0.0.1', 'ping -w 2 127.0.0.1']) {
			const r = at.exec('pi', line);
			expect(r.note, line).toBeUndefined();
			expect(r.stdout, line).toContain('\n\n--- 127.0.0.1 ping statistics ---\n');
		}
		const script = createLab(MACHINE).exec('pi', 'ping 127.0.0.1');
		expect(script.note).toBeUndefined();
		expect(script.stdout).not.toContain('^C');
	});
});
