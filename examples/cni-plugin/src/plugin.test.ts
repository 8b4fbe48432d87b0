// The plugin's pure parts and the calls that end before any command runs (no kernel needed);
// tests/cni-plugin/kernel.test.ts runs the rest on the real kernel.
import { describe, expect, it } from 'vitest';
import { podnet, recorded } from './chapter-9.test-helper.ts';
import { parseEnv, parseNetConf } from './config.ts';
import { parseIpv4 } from './ipv4.ts';
import { buildResult, containerRoutes, runPlugin } from './plugin.ts';
import type { Result } from './spec.ts';
import type { System } from './system.ts';

/** A machine the calls below must never touch: each of them ends before the first command. */
const untouched: System = {
	run: (program, args) => {
		throw new Error(`ran ${program} ${args.join(' ')}`);
	},
	files: new Proxy({} as System['files'], {
		get: (_, name) => () => {
			throw new Error(`used the file system (${String(name)})`);
		},
	}),
	randomHex: () => {
		throw new Error('asked for random bytes');
	},
	sha512Hex: () => {
		throw new Error('asked for a hash');
	},
};

const env = { CNI_COMMAND: 'ADD', CNI_CONTAINERID: 'pod1', CNI_NETNS: '/run/netns/pod1', CNI_IFNAME: 'eth0' };

describe('buildResult', () => {
	it('prints ADD\'s result byte for byte as the reference plugin did in chapter 9, given the same names and MACs', () => {
		const reference = recorded(/^CNI_COMMAND=ADD CNI_CONTAINERID=pod1 .*\| tee/s);
		const { interfaces } = JSON.parse(reference) as Result;
		const macs = interfaces.map((i) => i.mac);
		const result = buildResult(parseNetConf(podnet), parseEnv(env), interfaces[1]!.name, macs, { address: parseIpv4('10.22.0.2') as number, prefix: 16 });
		expect(JSON.stringify(result, null, 4)).toBe(reference);
	});
});

describe('containerRoutes', () => {
	const conf = (change: object, routes: object[] = []) => parseNetConf({ ...podnet, ...change, ipam: { ...podnet.ipam, routes } });

	it('are IPAM\'s routes', () => {
		expect(containerRoutes(conf({}, [{ dst: '10.0.0.0/8', gw: '10.22.0.9' }]))).toEqual([{ dst: '10.0.0.0/8', gw: '10.22.0.9' }]);
	});

	it('get a default route via the gateway with isDefaultGateway, unless IPAM has one', () => {
		expect(containerRoutes(conf({ isDefaultGateway: true }))).toEqual([{ dst: '0.0.0.0/0', gw: '10.22.0.1' }]);
		expect(containerRoutes(conf({ isDefaultGateway: true }, [{ dst: '0.0.0.0/0' }]))).toEqual([{ dst: '0.0.0.0/0' }]);
	});
});

describe('runPlugin, up to the first command', () => {
	const stdinOf = (doc: unknown) => () => (typeof doc === 'string' ? doc : JSON.stringify(doc));

	it('answers VERSION with the input\'s cniVersion and its one supported version', () => {
		expect(runPlugin({ CNI_COMMAND: 'VERSION' }, stdinOf({ cniVersion: '1.0.0' }), untouched)).toEqual({ stdout: '{"cniVersion":"1.0.0","supportedVersions":["1.0.0"]}\n', exit: 0 });
		expect(runPlugin({ CNI_COMMAND: 'VERSION' }, stdinOf({ cniVersion: '0.4.0' }), untouched).stdout).toBe('{"cniVersion":"0.4.0","supportedVersions":["1.0.0"]}\n');
	});

	it('prints the spec\'s error JSON and exits 1: code 4 before reading standard input', () => {
		let read = false;
		const out = runPlugin({ ...env, CNI_NETNS: undefined }, () => ((read = true), JSON.stringify(podnet)), untouched);
		expect(out).toEqual({ stdout: '{\n    "cniVersion": "1.0.0",\n    "code": 4,\n    "msg": "required environment variables missing: CNI_NETNS"\n}', exit: 1 });
		expect(read).toBe(false);
	});

	it('gives code 5 when standard input cannot be read, 6 when it is no JSON, 1 for another version (echoed)', () => {
		const code = (o: { stdout: string }) => (JSON.parse(o.stdout) as { code: number }).code;
		expect(code(runPlugin(env, () => { throw new Error('EAGAIN: resource temporarily unavailable, read'); }, untouched))).toBe(5);
		expect(code(runPlugin(env, stdinOf('{"cniVersion":'), untouched))).toBe(6);
		expect(JSON.parse(runPlugin(env, stdinOf({ ...podnet, cniVersion: '9.9.9' }), untouched).stdout)).toEqual({
			cniVersion: '9.9.9',
			code: 1,
			msg: 'incompatible CNI version "9.9.9" in cniVersion',
			details: 'this plugin supports 1.0.0',
		});
	});

	it('refuses CHECK without prevResult (code 7) before it looks at the network', () => {
		expect(JSON.parse(runPlugin({ ...env, CNI_COMMAND: 'CHECK' }, stdinOf(podnet), untouched).stdout)).toEqual({
			cniVersion: '1.0.0',
			code: 7,
			msg: 'CHECK needs prevResult',
			details: 'add the result of the ADD to the configuration as "prevResult"',
		});
	});
});
