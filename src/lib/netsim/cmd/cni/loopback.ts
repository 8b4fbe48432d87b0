/** The loopback plugin (plugins 1.1.1): brings `lo` up (ADD) or down (DEL) in the namespace. */
import { formatIpv4 } from '../../addr/ipv4.ts';
import { linkDown, linkUp } from '../../kernel/link.ts';
import { loadConf, openNetns, type CmdArgs, type Plugin, type PluginCtx } from './skel.ts';
import { field, str } from './decode.ts';
import { CniError, fail } from './errors.ts';
import { type CniResult, parsePrevResult, printResult } from './result.ts';

function parseNetConf(stdin: string): { version: string; prev?: CniResult | undefined; raw: unknown } {
	const raw = loadConf(stdin, 'failed to parse network config: ');
	let version: string;
	try {
		version = str(raw, 'cniVersion', 'NetConf') ?? '';
	} catch (e) {
		if (e instanceof CniError) fail(`failed to parse network config: ${e.msg}`);
		throw e;
	}
	let prev: CniResult | undefined;
	if (field(raw, 'prevResult') !== undefined && field(raw, 'prevResult') !== null) {
		try {
			prev = parsePrevResult(raw, version);
		} catch (e) {
			if (e instanceof CniError) fail(`failed to parse prevResult: ${e.msg}`);
			throw e;
		}
	}
	return { version, prev, raw };
}

function add(a: CmdArgs, pc: PluginCtx): string {
	const conf = parseNetConf(a.stdin);
	const opened = openNetns(pc, a.netns);
	if ('error' in opened) fail(opened.error);
	const ns = opened.ns;
	const lo = ns.link('lo');
	if (!lo) fail('Link not found');
	linkUp(lo);
	const v4 = ns.v4(lo);
	for (const x of v4) if ((x.local as number) >>> 24 !== 127) fail(`loopback interface found with non-loopback address "${formatIpv4(x.local as number)}"`);
	const v6 = ns.addrs.filter((x) => x.family === 6 && x.link === lo);
	for (const x of v6) if (x.local !== '::1') fail(`loopback interface found with non-loopback address "${x.local}"`);
	if (conf.prev) return printResult(conf.prev, conf.version);
	const r: CniResult = { cniVersion: conf.version, kind: '100', interfaces: [{ name: 'lo', mac: '00:00:00:00:00:00', sandbox: a.netns }], ips: [], routes: [], dns: {} };
	const first4 = v4[0];
	if (first4) r.ips.push({ interface: 0, address: `${formatIpv4(first4.local as number)}/${first4.prefixlen}` });
	const first6 = v6[0];
	if (first6) r.ips.push({ interface: 0, address: `${first6.local}/${first6.prefixlen}` });
	return printResult(r, conf.version);
}

function del(a: CmdArgs, pc: PluginCtx): string {
	if (a.netns === '') return '';
	const opened = openNetns(pc, a.netns);
	if ('error' in opened) {
		if (opened.missing) return '';
		fail(opened.error);
	}
	const lo = opened.ns.link('lo');
	if (!lo) fail('Link not found');
	linkDown(lo);
	return '';
}

function check(a: CmdArgs, pc: PluginCtx): string {
	const opened = openNetns(pc, a.netns);
	if ('error' in opened) fail(opened.error);
	const lo = opened.ns.link('lo');
	if (!lo) fail('Link not found');
	if (!lo.adminUp) fail('loopback interface is down');
	return '';
}

/** The plugin. */
export const loopbackPlugin: Plugin = { name: 'loopback', add, check, del };
