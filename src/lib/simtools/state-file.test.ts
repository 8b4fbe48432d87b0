import { describe, expect, it } from 'vitest';
import { formatStateFile, looksLikeStateFile, parseStateFile, resultDigest, STATE_FORMAT, type LabStateFile } from './state-file.ts';

const STATE: LabStateFile = {
	format: STATE_FORMAT,
	lab: { name: 'machine', description: 'one host', hosts: [{ name: 'pi', interfaces: [], routes: [], sysctls: {} }], switches: [] },
	machine: { set: 'local', kind: 'local', recorded: { kernel: '6.18.44-fc-v657', iproute2: '6.1.0', iptables: '1.8.9 (nf_tables)', arch: 'x86_64', os: 'Debian GNU/Linux 12 (bookworm)' } },
	host: 'pi',
	journal: [{ host: 'pi', line: 'ip -br link', out: '0123abcd' }, { state: true }, { host: 'pi', line: 'cat', stdin: '{"a": 1}\n', out: 'ffffffff' }],
};

describe('the state file', () => {
	it('reads back what it wrote, one journal entry a line', () => {
		const text = formatStateFile(STATE);
		expect(parseStateFile(text)).toEqual({ ok: true, value: STATE });
		expect(text.split('\n').filter((l) => l.startsWith('\t\t{')).length).toBe(3);
		expect(parseStateFile(formatStateFile({ ...STATE, journal: [] }))).toEqual({ ok: true, value: { ...STATE, journal: [] } });
	});

	it('says what is wrong with a file it cannot use', () => {
		const broken = (edit: (s: Record<string, unknown>) => void): string => {
			const raw = JSON.parse(formatStateFile(STATE)) as Record<string, unknown>;
			edit(raw);
			return JSON.stringify(raw);
		};
		const error = (text: string): string => {
			const r = parseStateFile(text);
			return r.ok ? 'ok' : r.error;
		};
		expect(error('{"format": "netsim-lab/1", ')).toMatch(/^it is not JSON \(/);
		expect(error('{"name": "machine"}')).toBe('it is not a netsim-lab state file this version reads (no "format": "netsim-lab/1")');
		expect(error(broken((s) => (s['format'] = 'netsim-lab/9')))).toBe('it is not a netsim-lab state file this version reads (format netsim-lab/9, this version reads netsim-lab/1)');
		expect(error(broken((s) => (s['journal'] = [{ host: 'pi', line: 'ip link' }])))).toBe('it does not hold a lab as this version writes one (journal.0: neither a command (host, line, out, optional stdin) nor a state capture)');
		expect(error(broken((s) => delete s['host']))).toBe('it does not hold a lab as this version writes one (host: not a host name)');
		expect(error(broken((s) => ((s['machine'] as Record<string, unknown>)['kind'] = 'pi')))).toBe('it does not hold a lab as this version writes one (machine: needs a set name and a kind (local, vm, ssh))');
		expect(error(broken((s) => (s['lab'] = 'machine')))).toBe('it does not hold a lab as this version writes one (lab: not a lab definition (name, hosts with names and interfaces))');
	});

	it('tells a state file of any version from another file', () => {
		expect(looksLikeStateFile(formatStateFile(STATE))).toBe(true);
		expect(looksLikeStateFile('{"format": "netsim-lab/9"}')).toBe(true);
		expect(looksLikeStateFile('{"name": "machine"}')).toBe(false);
		expect(looksLikeStateFile('#!/bin/sh\n')).toBe(false);
	});

	it('digests a result so that any change to stdout, stderr or exit shows', () => {
		const r = { stdout: 'a\n', stderr: '', exit: 0 };
		expect(resultDigest(r)).toMatch(/^[0-9a-f]{8}$/);
		expect(resultDigest({ ...r })).toBe(resultDigest(r));
		const others = [{ ...r, stdout: 'b\n' }, { ...r, stderr: 'a\n', stdout: '' }, { ...r, exit: 1 }, { ...r, stdout: 'a\n\n' }].map(resultDigest);
		expect(new Set([resultDigest(r), ...others]).size).toBe(5);
	});
});
