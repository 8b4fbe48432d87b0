import { describe, expect, it } from 'vitest';
import { toolNames } from '../netsim/index.ts';
import { helpText } from './help.ts';

/** The lines of help that are laid out by the terminal, not wrapped by the page: all but the prose paragraphs. */
const laidOut = (text: string) => text.split('\n\n').filter((p) => p.includes('\n')).flatMap((p) => p.split('\n'));

describe('help', () => {
	it('lists the commands of the simulator’s own registry, in columns, and the CNI plugins by folder', () => {
		const text = helpText(toolNames(), 80);
		const commands = text.split('\n\n').find((p) => p.startsWith('Commands the simulator runs:'))!;
		expect(commands.split('\n').slice(1).join(' ').split(/\s+/).sort()).toEqual(toolNames().filter((t) => !t.startsWith('/') && t !== ':'));
		expect(commands.split('\n')[1]).toMatch(/^arp {2,}\S/);
		for (const t of ['arp', 'route', 'netstat', 'ip', 'ss', 'iptables', 'ping', 'tcpdump', 'lsns', 'nsenter', 'unshare', 'readlink']) expect(commands.split(/\s+/), t).toContain(t);
		for (const t of ['tshark', 'traceroute', 'nft']) expect(commands.split(/\s+/), t).not.toContain(t);
		const cni = text.split('\n\n').find((p) => p.startsWith('Run by path, /usr/lib/cni/NAME:'))!;
		expect(cni.split(/\s+/)).toContain('host-local');
	});

	it.each([36, 44, 80, 120])('fits every laid-out line into %i columns, never breaking a word', (width) => {
		const text = helpText(toolNames(), width);
		for (const line of laidOut(text)) expect(line.length, line).toBeLessThanOrEqual(width);
		expect(text).toContain('ping --trace ADDR');
		expect(text).toContain('walk the first packet on the diagram'.split(' ').at(-1));
		expect(text).toContain('A common tool the simulator does not model says so, with what to use here and how to run it on a real Linux machine.');
	});

	it('leaves out what the engine does not say it runs', () => {
		expect(helpText([], 80)).not.toContain('Commands the simulator runs');
	});
});
