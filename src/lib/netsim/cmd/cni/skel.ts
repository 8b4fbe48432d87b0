/**
 * libcni's plugin skeleton (pkg/skel, cni 1.1.2) and invoke (how a plugin runs its IPAM
 * delegate through CNI_PATH), plus the pieces every plugin shares: CNI_ARGS parsing and opening
 * the namespace named by CNI_NETNS.
 */
import { netnsAtPath } from '../../shell/proc-pid.ts';
import { normalise, type Vfs } from '../../shell/vfs.ts';
import type { Netns } from '../../model/netns.ts';
import { JObject, JsonSyntaxError, parseJson } from '../json.ts';
import { ToolExit } from '../../tool/exit.ts';
import type { Context, ExecResult } from '../../tool/types.ts';
import { field } from './decode.ts';
import { CniError, ERR, fail, goQList } from './errors.ts';
import { type CniResult, convertResult, parseResult } from './result.ts';
import { SUPPORTED_VERSIONS, versionGte } from './version.ts';

/** What skel hands a plugin's command. */
export interface CmdArgs {
	containerId: string;
	netns: string;
	ifName: string;
	args: string;
	path: string;
	stdin: string;
}

/** Where a plugin runs: the shell context (its namespace is the "host" namespace) and the files. */
export interface PluginCtx {
	ctx: Context;
	vfs: Vfs;
	/** The table of simulated plugins, for delegation. */
	plugins: Map<string, Plugin>;
}

/** A plugin: its three commands return stdout (ADD: the result) or throw a CniError. */
export interface Plugin {
	name: string;
	add(a: CmdArgs, pc: PluginCtx): string;
	check(a: CmdArgs, pc: PluginCtx): string;
	del(a: CmdArgs, pc: PluginCtx): string;
}

const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
/** Parses stdin as the network configuration object; `prefix` as the plugin words its error. */
export function loadConf(text: string, prefix: string): JObject {
	let v;
	try {
		v = parseJson(text);
	} catch (e) {
		if (e instanceof JsonSyntaxError) fail(`${prefix}${e.message}`);
		throw e;
	}
	if (!(v instanceof JObject)) fail(`${prefix}json: cannot unmarshal ${Array.isArray(v) ? 'array' : typeof v === 'string' ? 'string' : typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'bool' : 'null'} into Go value of type main.NetConf`);
	return v;
}

/** create.DecodeVersion: "0.1.0" when absent. */
function confVersion(conf: JObject): string {
	const v = field(conf, 'cniVersion');
	if (v === undefined || v === null || v === '') return '0.1.0';
	if (typeof v !== 'string') throw new CniError(ERR.decoding, 'decoding version from network config: json: cannot unmarshal number into Go struct field .cniVersion of type string');
	return v;
}

function validate(a: CmdArgs): void {
	// validateConfig
	let conf: unknown;
	try {
		conf = parseJson(a.stdin);
	} catch (e) {
		if (e instanceof JsonSyntaxError) throw new CniError(ERR.decoding, `error unmarshall network config: ${e.message}`);
		throw e;
	}
	const name = conf instanceof JObject ? field(conf, 'name') : undefined;
	if (conf instanceof JObject && name !== undefined && typeof name !== 'string' && name !== null) {
		throw new CniError(ERR.decoding, `error unmarshall network config: json: cannot unmarshal ${typeof name === 'number' ? 'number' : 'value'} into Go struct field .name of type string`);
	}
	if (typeof name !== 'string' || name === '') throw new CniError(ERR.invalidConfig, 'missing network name');
	if (!NAME_RE.test(name)) throw new CniError(ERR.invalidConfig, 'invalid characters found in network name', name);
	// ValidateContainerID
	if (a.containerId === '') throw new CniError(ERR.unknownContainer, 'missing containerID');
	if (!NAME_RE.test(a.containerId)) throw new CniError(ERR.invalidEnv, 'invalid characters in containerID', a.containerId);
	// ValidateInterfaceName
	if (a.ifName.length === 0) throw new CniError(ERR.invalidEnv, 'interface name is empty');
	if (a.ifName.length > 15) throw new CniError(ERR.invalidEnv, 'interface name is too long', 'interface name should be less than 16 characters');
	if (a.ifName === '.' || a.ifName === '..') throw new CniError(ERR.invalidEnv, 'interface name is . or ..');
	if (/[/:\s]/.test(a.ifName)) throw new CniError(ERR.invalidEnv, 'interface name contains / or : or whitespace characters');
}

function checkVersion(a: CmdArgs): void {
	const v = confVersion(parseJson(a.stdin) as JObject);
	if (!SUPPORTED_VERSIONS.includes(v)) throw new CniError(ERR.incompatibleVersion, 'incompatible CNI versions', `config is ${JSON.stringify(v)}, plugin supports ${goQList(SUPPORTED_VERSIONS)}`);
}

/** Runs one plugin command with an environment: skel's PluginMain. */
export function runPlugin(plugin: Plugin, env: Record<string, string>, stdin: string, pc: PluginCtx): ExecResult {
	const get = (k: string): string => env[k] ?? '';
	const cmd = get('CNI_COMMAND');
	const required: Record<string, string[]> = { ADD: ['CNI_CONTAINERID', 'CNI_NETNS', 'CNI_IFNAME', 'CNI_PATH'], CHECK: ['CNI_CONTAINERID', 'CNI_NETNS', 'CNI_IFNAME', 'CNI_PATH'], DEL: ['CNI_CONTAINERID', 'CNI_IFNAME', 'CNI_PATH'] };
	const missing = ['CNI_COMMAND', 'CNI_CONTAINERID', 'CNI_NETNS', 'CNI_IFNAME', 'CNI_ARGS', 'CNI_PATH'].filter((k) => get(k) === '' && (k === 'CNI_COMMAND' || (required[cmd] ?? []).includes(k)));
	if (missing.length > 0) {
		if (cmd === '') return { stdout: '', stderr: `CNI ${plugin.name} plugin version unknown\nCNI protocol versions supported: ${SUPPORTED_VERSIONS.join(', ')}\n`, exit: 0 };
		return new CniError(ERR.invalidEnv, `required env variables [${missing.join(',')}] missing`).result();
	}
	const a: CmdArgs = { containerId: get('CNI_CONTAINERID'), netns: get('CNI_NETNS'), ifName: get('CNI_IFNAME'), args: get('CNI_ARGS'), path: get('CNI_PATH'), stdin: cmd === 'VERSION' ? '' : stdin };
	try {
		if (cmd === 'VERSION') return { stdout: `{"cniVersion":"1.0.0","supportedVersions":${JSON.stringify(SUPPORTED_VERSIONS)}}\n`, stderr: '', exit: 0 };
		validate(a);
		let stdout = '';
		if (cmd === 'ADD') {
			checkVersion(a);
			stdout = plugin.add(a, pc);
		} else if (cmd === 'DEL') {
			checkVersion(a);
			stdout = plugin.del(a, pc);
		} else if (cmd === 'CHECK') {
			const v = confVersion(parseJson(a.stdin) as JObject);
			const gte = versionGte(v, '0.4.0');
			if (typeof gte === 'string') throw new CniError(ERR.decoding, gte);
			if (!gte) throw new CniError(ERR.incompatibleVersion, 'config version does not allow CHECK');
			if (!SUPPORTED_VERSIONS.some((s) => versionGte(s, v) === true)) throw new CniError(ERR.incompatibleVersion, 'plugin version does not allow CHECK');
			checkVersion(a);
			stdout = plugin.check(a, pc);
		} else throw new CniError(ERR.invalidEnv, `unknown CNI_COMMAND: ${cmd}`);
		return { stdout, stderr: '', exit: 0 };
	} catch (e) {
		if (e instanceof ToolExit) return e.result();
		throw e;
	}
}

/** CNI_ARGS as types.LoadArgs reads them into a struct with the given Go field names. */
export function loadArgs(args: string, fields: string[]): Map<string, string> {
	const out = new Map<string, string>();
	if (args === '') return out;
	const unknown: string[] = [];
	for (const pair of args.split(';')) {
		const kv = pair.split('=');
		if (kv.length !== 2) fail(`ARGS: invalid pair "${pair}"`);
		const [k, v] = kv as [string, string];
		if (k === 'IgnoreUnknown') {
			const s = v.toLowerCase();
			if (!['1', 'true', '0', 'false'].includes(s)) fail(`ARGS: error parsing value of pair "${pair}": boolean unmarshal error: invalid input ${s}`);
			out.set(k, s === '1' || s === 'true' ? 'true' : 'false');
			continue;
		}
		if (!fields.includes(k)) {
			unknown.push(pair);
			continue;
		}
		out.set(k, v);
	}
	if (unknown.length > 0 && out.get('IgnoreUnknown') !== 'true') fail(`ARGS: unknown args ${goQList(unknown)}`);
	return out;
}

/** ns.GetNS: the namespace at a path, or the error text (NSPathNotExistErr when `missing`). */
export function openNetns(pc: PluginCtx, path: string): { ns: Netns } | { error: string; missing: boolean } {
	const p = normalise(path);
	const host = pc.ctx.host;
	const m = /^(?:\/var)?\/run\/netns\/([^/]+)$/.exec(p);
	if (m) {
		const ns = host.named.get(m[1] as string);
		if (ns) return { ns };
	}
	// A process's namespace: a container started with no network, the runtime's own (self).
	const proc = p.startsWith('/proc/') ? netnsAtPath(host, pc.ctx.ns, p) : undefined;
	if (proc) return { ns: proc };
	if (pc.vfs.exists(p, pc.ctx.ns) && !p.startsWith('/proc/')) return { error: `unknown FS magic on ${JSON.stringify(path)}: ef53`, missing: false };
	return { error: `failed to Statfs ${JSON.stringify(path)}: no such file or directory`, missing: true };
}

/** invoke.FindInPath over CNI_PATH. */
function findInPath(pc: PluginCtx, plugin: string, cniPath: string): string {
	if (plugin === '') fail('no plugin name provided');
	if (plugin.includes('/')) fail(`invalid plugin name: ${plugin}`);
	const paths = cniPath === '' ? [] : cniPath.split(':');
	if (paths.length === 0) fail('no paths provided');
	for (const dir of paths) {
		const full = normalise(`${dir}/${plugin}`);
		if (dir !== '' && pc.vfs.exists(full, pc.ctx.ns) && !pc.vfs.isDir(full)) return full;
	}
	return fail(`failed to find plugin "${plugin}" in path [${paths.join(' ')}]`);
}

/** Runs a delegate (the IPAM plugin) with CNI_COMMAND overridden, as invoke.Delegate* do. */
function delegate(pc: PluginCtx, type: string, command: string, stdin: string): string {
	const env = pc.ctx.env;
	findInPath(pc, type, env['CNI_PATH'] ?? '');
	const plugin = pc.plugins.get(type);
	if (!plugin) fail(`netsim: the ${type} plugin is not simulated`);
	const r = runPlugin(plugin, { ...env, CNI_COMMAND: command }, stdin, pc);
	if (r.exit !== 0) {
		let e: unknown;
		try {
			e = parseJson(r.stdout);
		} catch {
			fail(`netplugin failed: ${JSON.stringify(r.stdout)}`);
		}
		if (e instanceof JObject) {
			const code = e.get('code');
			const msg = e.get('msg');
			const details = e.get('details');
			throw new CniError(typeof code === 'number' ? code : 0, typeof msg === 'string' ? msg : '', typeof details === 'string' ? details : '');
		}
		fail(`netplugin failed: ${JSON.stringify(r.stdout)}`);
	}
	return r.stdout;
}

/** ipam.ExecAdd + current.NewResultFromResult. */
export function ipamAdd(pc: PluginCtx, type: string, stdin: string): CniResult {
	const out = delegate(pc, type, 'ADD', stdin);
	let v;
	try {
		v = parseJson(out);
	} catch (e) {
		if (e instanceof JsonSyntaxError) fail(`failed to unmarshal raw result: ${e.message}`);
		throw e;
	}
	if (!(v instanceof JObject)) fail('failed to unmarshal raw result');
	const rv = field(v, 'cniVersion');
	const version = typeof rv === 'string' && rv !== '' ? rv : confVersion(parseJson(stdin) as JObject);
	if (typeof rv !== 'string' || rv === '') v.set('cniVersion', version);
	return convertResult(parseResult(version, v), '1.0.0');
}

/** ipam.ExecDel. */
export function ipamDel(pc: PluginCtx, type: string, stdin: string): void {
	delegate(pc, type, 'DEL', stdin);
}

/** ipam.ExecCheck. */
export function ipamCheck(pc: PluginCtx, type: string, stdin: string): void {
	delegate(pc, type, 'CHECK', stdin);
}
