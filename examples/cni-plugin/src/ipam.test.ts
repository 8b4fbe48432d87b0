import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recorded } from './chapter-9.test-helper.ts';
import type { IpamConf } from './config.ts';
import { AddressStore, candidates } from './ipam.ts';
import { formatIpv4, parseIpv4 } from './ipv4.ts';
import { nodeSystem } from './node-system.ts';
import { CniError } from './spec.ts';

const ip = (text: string): number => parseIpv4(text) as number;

/** host-local's defaults for a subnet: gateway .1, range .1 to the last address before broadcast. */
function ipamOf(subnet: string, dataDir: string, prefix: number): IpamConf {
	const net = ip(subnet);
	return { subnet: { address: net, prefix }, rangeStart: net + 1, rangeEnd: net + 2 ** (32 - prefix) - 2, gateway: net + 1, routes: [], dataDir };
}

describe('candidates: the order in which host-local tries addresses', () => {
	const range = { rangeStart: ip('10.0.0.1'), rangeEnd: ip('10.0.0.6'), gateway: ip('10.0.0.1') };
	const order = (last?: string): string[] => [...candidates(range, last === undefined ? undefined : ip(last))].map(formatIpv4);

	it('starts at the range\'s start and skips the gateway', () => {
		expect(order()).toEqual(['10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6']);
	});

	it('goes on after the last address handed out, then wraps around', () => {
		expect(order('10.0.0.4')).toEqual(['10.0.0.5', '10.0.0.6', '10.0.0.2', '10.0.0.3', '10.0.0.4']);
	});

	it('starts again at the beginning after the range\'s end, or when the last address is outside the range', () => {
		expect(order('10.0.0.6')).toEqual(order());
		expect(order('10.9.9.9')).toEqual(order());
	});
});

describe('AddressStore', () => {
	let dataDir = '';
	beforeEach(() => {
		dataDir = mkdtempSync(join(tmpdir(), 'cni-ipam-'));
	});
	afterEach(() => rmSync(dataDir, { recursive: true, force: true }));
	const files = (network: string): string[] => readdirSync(join(dataDir, network)).sort();
	const read = (network: string, name: string): string => readFileSync(join(dataDir, network, name), 'utf8');

	it('writes host-local\'s files byte for byte as chapter 9 recorded them', () => {
		const ipam = ipamOf('10.22.0.0', dataDir, 16);
		expect(formatIpv4(new AddressStore(nodeSystem.files, ipam, 'podnet').reserve('pod1', 'eth0'))).toBe('10.22.0.2');
		// `cat -v` shows the carriage return as ^M; `cat` adds nothing.
		expect(read('podnet', '10.22.0.2').replace(/\r/g, '^M')).toBe(recorded(/^cat -v \/var\/lib\/cni\/networks\/podnet\/10\.22\.0\.2$/));
		expect(read('podnet', 'last_reserved_ip.0')).toBe(recorded(/^cat \/var\/lib\/cni\/networks\/podnet\/last_reserved_ip\.0$/));
		// host-local also keeps a `lock` file for flock(2); O_EXCL reservations need none.
		expect(files('podnet')).toEqual(recorded(/^ls \/var\/lib\/cni\/networks\/podnet$/).split('\n').filter((f) => f && f !== 'lock'));
	});

	it('hands out the next address after a release, not the freed one, as host-local does', () => {
		const ipam = ipamOf('10.1.0.0', dataDir, 29);
		const store = new AddressStore(nodeSystem.files, ipam, 'n');
		expect([store.reserve('a', 'eth0'), store.reserve('b', 'eth0')].map(formatIpv4)).toEqual(['10.1.0.2', '10.1.0.3']);
		store.release('a', 'eth0');
		expect(files('n')).toEqual(['10.1.0.3', 'last_reserved_ip.0']);
		expect(formatIpv4(store.reserve('c', 'eth0'))).toBe('10.1.0.4');
		expect(store.find('b', 'eth0').map(formatIpv4)).toEqual(['10.1.0.3']);
	});

	it('says which range is full (code 101), and a released address is free again', () => {
		const ipam = ipamOf('10.1.0.0', dataDir, 30); // .1 is the gateway: only .2 is free
		const store = new AddressStore(nodeSystem.files, ipam, 'tiny');
		store.reserve('a', 'eth0');
		let full: unknown;
		try {
			store.reserve('b', 'eth0');
		} catch (e) {
			full = e;
		}
		expect(full).toBeInstanceOf(CniError);
		expect(full).toMatchObject({ code: 101, message: 'no free address left in 10.1.0.1-10.1.0.2', details: `allocations are files in ${dataDir}/tiny` });
		store.release('a', 'eth0');
		expect(formatIpv4(store.reserve('b', 'eth0'))).toBe('10.1.0.2');
	});

	it('skips an address another plugin reserved meanwhile (its file exists: O_EXCL fails)', () => {
		const ipam = ipamOf('10.1.0.0', dataDir, 29);
		const store = new AddressStore(nodeSystem.files, ipam, 'n');
		store.reserve('a', 'eth0');
		writeFileSync(join(dataDir, 'n', '10.1.0.3'), 'other\r\neth0');
		expect(formatIpv4(store.reserve('b', 'eth0'))).toBe('10.1.0.4');
		expect(read('n', '10.1.0.3')).toBe('other\r\neth0');
	});

	it('keys allocations by container and interface, and releasing twice, or on a network never used, is no error', () => {
		const ipam = ipamOf('10.1.0.0', dataDir, 29);
		const store = new AddressStore(nodeSystem.files, ipam, 'n');
		store.reserve('a', 'eth0');
		store.reserve('a', 'eth1');
		store.release('a', 'eth1');
		store.release('a', 'eth1');
		expect(store.find('a', 'eth0').map(formatIpv4)).toEqual(['10.1.0.2']);
		expect(store.find('a', 'eth1')).toEqual([]);
		expect(() => new AddressStore(nodeSystem.files, ipam, 'never').release('a', 'eth0')).not.toThrow();
	});
});
