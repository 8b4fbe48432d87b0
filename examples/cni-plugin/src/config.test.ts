import { describe, expect, it } from 'vitest';
import { checkVersion, decode, parseEnv, parseNetConf } from './config.ts';
import { parseIpv4 } from './ipv4.ts';
import { CniError } from './spec.ts';
import { podnet } from './chapter-9.test-helper.ts';

/** The CniError `fn` throws, as the plain fields a runtime would read. */
function refusal(fn: () => unknown): { code: number; msg: string; details: string | undefined } {
	try {
		fn();
	} catch (e) {
		if (e instanceof CniError) return { code: e.code, msg: e.message, details: e.details };
		throw e;
	}
	throw new Error('expected a CniError, and nothing was thrown');
}

const ADD = { CNI_COMMAND: 'ADD', CNI_CONTAINERID: 'pod1', CNI_NETNS: '/run/netns/pod1', CNI_IFNAME: 'eth0', CNI_PATH: '/usr/lib/cni' };


describe('parseEnv', () => {
	it('reads the parameters of an ADD', () => {
		expect(parseEnv(ADD)).toEqual({ command: 'ADD', containerId: 'pod1', netns: '/run/netns/pod1', ifname: 'eth0' });
	});

	it('names every missing variable, with code 4 (CNI_PATH is optional: no plugin is delegated to)', () => {
		expect(refusal(() => parseEnv({ CNI_COMMAND: 'CHECK', CNI_IFNAME: 'eth0' }))).toEqual({
			code: 4,
			msg: 'required environment variables missing: CNI_CONTAINERID, CNI_NETNS',
			details: undefined,
		});
		expect(parseEnv({ ...ADD, CNI_PATH: undefined }).command).toBe('ADD');
	});

	it('lets DEL come without a namespace and VERSION without anything', () => {
		expect(parseEnv({ CNI_COMMAND: 'DEL', CNI_CONTAINERID: 'pod1', CNI_IFNAME: 'eth0' }).netns).toBeUndefined();
		expect(parseEnv({ CNI_COMMAND: 'VERSION' })).toEqual({ command: 'VERSION', containerId: '', netns: undefined, ifname: '' });
	});

	it('refuses an unknown or absent command', () => {
		expect(refusal(() => parseEnv({ ...ADD, CNI_COMMAND: 'GC' })).msg).toBe('CNI_COMMAND must be ADD, DEL, CHECK or VERSION, not "GC"');
		expect(refusal(() => parseEnv({})).code).toBe(4);
	});

	it.each([['bad/id'], ['-pod'], ['pod 1']])('refuses the container ID %j', (id) => {
		expect(refusal(() => parseEnv({ ...ADD, CNI_CONTAINERID: id }))).toMatchObject({ code: 4, msg: `CNI_CONTAINERID "${id}" has characters the spec does not allow` });
	});

	it('accepts interface names as Linux does: up to 15 bytes, no / : or blank, not . or ..', () => {
		expect(parseEnv({ ...ADD, CNI_IFNAME: 'a23456789012345' }).ifname).toBe('a23456789012345');
		for (const bad of ['a234567890123456', '.', '..', 'eth/0', 'eth:0', 'eth 0'])
			expect(refusal(() => parseEnv({ ...ADD, CNI_IFNAME: bad })).msg, bad).toBe(`CNI_IFNAME "${bad}" is not a valid interface name`);
	});
});

describe('decode and checkVersion', () => {
	it('gives code 6 for what is not one JSON object', () => {
		expect(refusal(() => decode('{"cniVersion":'))).toEqual({ code: 6, msg: 'cannot decode the network configuration', details: 'Unexpected end of JSON input' });
		expect(refusal(() => decode('[1]'))).toMatchObject({ code: 6, details: 'it must be one JSON object' });
	});

	it('speaks 1.0.0 only: code 1 otherwise, and no cniVersion is 0.1.0', () => {
		expect(checkVersion('1.0.0')).toBe('1.0.0');
		expect(refusal(() => checkVersion('0.4.0'))).toEqual({ code: 1, msg: 'incompatible CNI version "0.4.0" in cniVersion', details: 'this plugin supports 1.0.0' });
		expect(refusal(() => checkVersion(undefined)).msg).toBe('incompatible CNI version "0.1.0" in cniVersion');
	});
});

describe('parseNetConf', () => {
	it('reads chapter 9\'s configuration, with host-local\'s defaults: gateway and range from the subnet', () => {
		expect(parseNetConf(podnet)).toEqual({
			cniVersion: '1.0.0',
			name: 'podnet',
			bridge: 'cni0',
			isGateway: true,
			isDefaultGateway: false,
			ipMasq: true,
			ipam: {
				subnet: { address: parseIpv4('10.22.0.0'), prefix: 16 },
				rangeStart: parseIpv4('10.22.0.1'),
				rangeEnd: parseIpv4('10.22.255.254'),
				gateway: parseIpv4('10.22.0.1'),
				routes: [{ dst: '0.0.0.0/0' }],
				dataDir: '/var/lib/cni/networks',
			},
			dns: {},
			prevResult: undefined,
		});
	});

	it('takes the network of a subnet written with host bits, and a range and gateway inside it', () => {
		const ipam = parseNetConf({ ...podnet, ipam: { type: 'host-local', subnet: '10.9.8.7/24', rangeStart: '10.9.8.100', rangeEnd: '10.9.8.110', gateway: '10.9.8.254' } }).ipam;
		expect([ipam.subnet.address, ipam.rangeStart, ipam.rangeEnd, ipam.gateway]).toEqual(['10.9.8.0', '10.9.8.100', '10.9.8.110', '10.9.8.254'].map(parseIpv4));
	});

	it('defaults the bridge to cni0, and isDefaultGateway makes the bridge a gateway too', () => {
		const conf = parseNetConf({ cniVersion: '1.0.0', name: 'n', type: 't', isDefaultGateway: true, ipam: { type: 'host-local', subnet: '10.0.0.0/30' } });
		expect(conf).toMatchObject({ bridge: 'cni0', isGateway: true, isDefaultGateway: true, ipMasq: false });
	});

	it('names the key and value of an option it does not implement (code 2)', () => {
		expect(refusal(() => parseNetConf({ ...podnet, hairpinMode: true }))).toEqual({ code: 2, msg: 'unsupported field hairpinMode: true', details: 'this plugin does not implement it' });
		expect(refusal(() => parseNetConf({ ...podnet, ipam: { ...podnet.ipam, type: 'dhcp' } })).msg).toBe('unsupported field ipam.type: "dhcp"');
		expect(refusal(() => parseNetConf({ ...podnet, ipam: { ...podnet.ipam, ranges: [[{ subnet: '10.1.0.0/16' }]] } })).code).toBe(2);
		expect(parseNetConf({ ...podnet, hairpinMode: false }).name).toBe('podnet');
	});

	it.each([
		[{ name: 'pod net' }, 'name must start with a letter or digit and hold only letters, digits, _ . and -'],
		[{ type: undefined }, 'type is required: the name of the plugin executable'],
		[{ isGateway: 'yes' }, 'isGateway must be of type boolean, not "yes"'],
		[{ bridge: 'a-bridge-name-too-long' }, 'bridge "a-bridge-name-too-long" is not a valid interface name'],
		[{ ipam: undefined }, 'ipam is required, e.g. {"type": "host-local", "subnet": "10.22.0.0/16"}'],
		[{ ipam: { type: 'host-local', subnet: '10.0.0.0/31' } }, 'ipam.subnet must be an IPv4 network with room for addresses, such as 10.22.0.0/16'],
		[{ ipam: { type: 'host-local', subnet: '10.0.0.0/24', gateway: '10.0.1.1' } }, 'ipam.gateway must be an address inside ipam.subnet'],
		[{ ipam: { type: 'host-local', subnet: '10.0.0.0/24', rangeStart: '10.0.0.9', rangeEnd: '10.0.0.8' } }, 'ipam.rangeStart comes after ipam.rangeEnd'],
		[{ ipam: { type: 'host-local', subnet: '10.0.0.0/24', routes: [{ dst: 'default' }] } }, 'ipam.routes: {"dst":"default"} is not {"dst": CIDR} or {"dst": CIDR, "gw": address}'],
	])('refuses %j with code 7', (change, msg) => {
		expect(refusal(() => parseNetConf({ ...podnet, ...change }))).toEqual({ code: 7, msg, details: undefined });
	});

	it('reads prevResult, and refuses one of another spec version (code 1)', () => {
		const prevResult = { cniVersion: '1.0.0', interfaces: [{ name: 'eth0', sandbox: '/run/netns/pod1' }], ips: [{ interface: 0, address: '10.22.0.2/16' }] };
		expect(parseNetConf({ ...podnet, prevResult }).prevResult).toEqual({ ...prevResult, routes: [], dns: {} });
		expect(refusal(() => parseNetConf({ ...podnet, prevResult: { ...prevResult, cniVersion: '0.4.0' } })).msg).toBe('incompatible CNI version "0.4.0" in prevResult');
	});
});
