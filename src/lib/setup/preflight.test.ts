import { describe, expect, it } from 'vitest';
import { preflight, type PreflightHost } from './preflight.ts';
import type { Requirement } from './requirements.ts';

const req = (program: string, pkg: string | undefined): Requirement => ({ program, package: pkg, calledFrom: { where: 'content/chapters/07-nat.mdx:88 (host pi)' } });
const needs = [req('ip', 'iproute2'), req('iptables', 'iptables'), req('conntrack', 'conntrack'), req('iptables-save', 'iptables')];

/** A machine that has `present` and gains what apt-get installs, when it may install. */
function fakeHost(present: string[], options: { root: boolean; provides?: Record<string, string[]>; aptFails?: string }) {
	const have = new Set(present);
	const lines: string[] = [];
	const installs: string[][] = [];
	const host: PreflightHost = {
		find: (p) => (have.has(p) ? `/usr/sbin/${p}` : undefined),
		canInstall: () => options.root,
		install(packages) {
			installs.push(packages);
			if (options.aptFails) return options.aptFails;
			for (const pkg of packages) for (const p of options.provides?.[pkg] ?? []) have.add(p);
			return undefined;
		},
		log: (line) => void lines.push(line),
	};
	return { host, lines, installs };
}

describe('preflight', () => {
	it('is silent and installs nothing when every program is there', () => {
		const { host, lines, installs } = fakeHost(['ip', 'iptables', 'conntrack', 'iptables-save'], { root: true });
		expect(preflight('npm test', needs, host)).toEqual({ ok: true, installed: [] });
		expect(lines).toEqual([]);
		expect(installs).toEqual([]);
	});

	it('as root on Debian, installs the missing programs\' packages once, saying what and why in one line', () => {
		const { host, lines, installs } = fakeHost(['ip'], { root: true, provides: { iptables: ['iptables', 'iptables-save'], conntrack: ['conntrack'] } });
		expect(preflight('npm test', needs, host)).toEqual({ ok: true, installed: ['conntrack', 'iptables'] });
		expect(installs).toEqual([['conntrack', 'iptables']]);
		expect(lines).toEqual(['npm test: installing conntrack iptables with apt-get (missing programs: iptables conntrack iptables-save)']);
	});

	it('otherwise stops with one line naming the missing programs and the exact apt-get line', () => {
		const { host, installs } = fakeHost(['ip', 'iptables-save'], { root: false });
		expect(preflight('npm run verify', needs, host)).toEqual({
			ok: false,
			message: 'npm run verify: missing programs: iptables conntrack. Install them as root: apt-get install -y --no-install-recommends conntrack iptables',
		});
		expect(installs).toEqual([]);
	});

	it('says when apt-get failed, with the line to run by hand', () => {
		const { host } = fakeHost([], { root: true, aptFails: 'apt-get update failed (exit 100: E: no network)' });
		const result = preflight('npm test', needs.slice(0, 1), host);
		expect(result).toEqual({
			ok: false,
			message: 'npm test: apt-get update failed (exit 100: E: no network). Install them by hand as root: apt-get install -y --no-install-recommends iproute2',
		});
	});

	it('says when a package did not bring the program it should have', () => {
		const { host } = fakeHost([], { root: true, provides: { iproute2: [] } });
		expect(preflight('npm test', needs.slice(0, 1), host)).toEqual({ ok: false, message: 'npm test: still missing after apt-get: ip (package iproute2)' });
	});

	it('names the chapter line of a program no package is known for', () => {
		const { host } = fakeHost([], { root: true });
		expect(preflight('npm test', [req('tcpdump', undefined)], host)).toEqual({
			ok: false,
			message: 'npm test: no package is known for tcpdump (called in content/chapters/07-nat.mdx:88 (host pi)); add it to src/lib/book/packages.ts',
		});
	});
});
