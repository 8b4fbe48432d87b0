// npm test: the plugin (plugin.js, built from src/) called as a container runtime calls it, against
// a simulated lab of the tests' own (your shell's lab is left alone). The calls follow chapter 9:
// ADD pod1, look at what it built, CHECK, DEL twice; and two calls the plugin must refuse.
//
// node:test runs the tests one after another, in this order: each builds on the one before.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tsbridge-test-'));
/** The simulator's tools (ip, iptables, ping…) are on PATH; NETSIM_STATE picks the tests' lab. */
const env = { ...process.env, NETSIM_STATE: join(dir, 'lab.json') };
const networks = join(dir, 'networks');
const conf = {
	cniVersion: '1.0.0',
	name: 'podnet',
	type: 'tsbridge',
	bridge: 'cni0',
	isGateway: true,
	ipMasq: true,
	ipam: { type: 'host-local', subnet: '10.22.0.0/16', routes: [{ dst: '0.0.0.0/0' }], dataDir: networks },
};
const pod1 = { CNI_CONTAINERID: 'pod1', CNI_NETNS: '/run/netns/pod1', CNI_IFNAME: 'eth0' };

/** One call of the plugin: CNI_COMMAND and the other variables, the configuration on standard input. */
function plugin(command, vars, stdin = JSON.stringify(conf)) {
	const r = spawnSync(process.execPath, [join(root, 'plugin.js')], { input: stdin, encoding: 'utf8', env: { ...env, CNI_COMMAND: command, ...vars } });
	return { stdout: r.stdout, stderr: r.stderr, exit: r.status };
}

/** A command of the simulated lab (`ip`, `ping`…), its output; it throws if the command fails. */
function lab(program, ...args) {
	return execFileSync(program, args, { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The IPv4 addresses of `dev` (in the namespace `netns`, if given), as ADDRESS/LENGTH. */
function addresses(dev, netns) {
	const shown = JSON.parse(lab('ip', ...(netns ? ['-n', netns] : []), '-j', 'addr', 'show', 'dev', dev));
	return shown.flatMap((l) => l.addr_info.filter((a) => a.family === 'inet').map((a) => `${a.local}/${a.prefixlen}`));
}

let result;

before(() => {
	lab('netsim-lab', 'init', '--lab', 'machine');
	lab('ip', 'netns', 'add', 'pod1');
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('VERSION names the spec versions the plugin speaks', () => {
	const r = plugin('VERSION', {}, '{"cniVersion":"1.0.0"}');
	assert.equal(r.exit, 0, r.stderr);
	assert.deepEqual(JSON.parse(r.stdout), { cniVersion: '1.0.0', supportedVersions: ['1.0.0'] });
});

test('ADD without CNI_NETNS is refused with code 4, and changes nothing', () => {
	const r = plugin('ADD', { ...pod1, CNI_NETNS: '' });
	assert.equal(r.exit, 1);
	const error = JSON.parse(r.stdout);
	assert.equal(error.code, 4);
	assert.match(error.msg, /CNI_NETNS/);
	assert.throws(() => lab('ip', 'link', 'show', 'cni0'));
});

test('ADD plugs pod1 into the bridge and reports what it built', () => {
	const r = plugin('ADD', pod1);
	assert.equal(r.exit, 0, r.stdout + r.stderr);
	result = JSON.parse(r.stdout);
	assert.deepEqual(
		result.interfaces.map((i) => [i.name.replace(/^veth[0-9a-f]{8}$/, 'veth…'), i.sandbox ?? '']),
		[['cni0', ''], ['veth…', ''], ['eth0', '/run/netns/pod1']],
	);
	assert.deepEqual(result.ips, [{ interface: 2, address: '10.22.0.2/16', gateway: '10.22.0.1' }]);
	assert.deepEqual(result.routes, [{ dst: '0.0.0.0/0' }]);
});

test('the lab has what ADD reported: addresses, the bridge port, the reservation, a way out', () => {
	assert.deepEqual(addresses('eth0', 'pod1'), ['10.22.0.2/16']);
	assert.deepEqual(addresses('cni0'), ['10.22.0.1/16']);
	assert.match(lab('ip', 'link', 'show', 'dev', result.interfaces[1].name), /master cni0/);
	assert.ok(existsSync(join(networks, 'podnet', '10.22.0.2')), 'the address file of 10.22.0.2');
	assert.match(lab('ip', 'netns', 'exec', 'pod1', 'ping', '-c', '1', '8.8.8.8'), / 1 received/);
});

test('CHECK with ADD\'s result finds everything in place', () => {
	const r = plugin('CHECK', pod1, JSON.stringify({ ...conf, prevResult: result }));
	assert.deepEqual(r, { stdout: '', stderr: '', exit: 0 });
});

test('ADD again without DEL is refused: eth0 exists (code 103)', () => {
	const r = plugin('ADD', pod1);
	assert.equal(r.exit, 1);
	assert.equal(JSON.parse(r.stdout).code, 103);
});

test('DEL unplugs pod1 and frees its address, and succeeds a second time', () => {
	for (const time of ['first', 'second']) assert.deepEqual(plugin('DEL', pod1), { stdout: '', stderr: '', exit: 0 }, `DEL, the ${time} time`);
	assert.throws(() => lab('ip', '-n', 'pod1', 'link', 'show', 'eth0'));
	assert.equal(existsSync(join(networks, 'podnet', '10.22.0.2')), false);
});
