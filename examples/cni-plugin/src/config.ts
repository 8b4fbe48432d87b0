/**
 * The plugin's inputs, checked before anything changes: the CNI_* environment variables and the
 * network configuration on standard input. Every refusal is a CniError with the spec's code.
 */
import { broadcastOf, contains, formatIpv4, networkOf, parseCidr, parseIpv4, type Cidr } from './ipv4.ts';
import { Code, CniError, SUPPORTED_VERSIONS, type Dns, type Result, type Route } from './spec.ts';

export type Command = 'ADD' | 'DEL' | 'CHECK' | 'VERSION';

/** This call's parameters, from the environment. DEL may come without a namespace. */
export interface Env {
	command: Command;
	containerId: string;
	netns: string | undefined;
	ifname: string;
}

/** host-local's settings: the range it hands addresses from, the routes, where it keeps allocations. */
export interface IpamConf {
	subnet: Cidr;
	rangeStart: number;
	rangeEnd: number;
	gateway: number;
	routes: Route[];
	dataDir: string;
}

/** The network configuration, with its defaults filled in. */
export interface NetConf {
	cniVersion: string;
	name: string;
	bridge: string;
	isGateway: boolean;
	isDefaultGateway: boolean;
	ipMasq: boolean;
	ipam: IpamConf;
	dns: Dns;
	prevResult: Result | undefined;
}

type Obj = Record<string, unknown>;

const NEEDED: Record<Command, string[]> = {
	ADD: ['CNI_CONTAINERID', 'CNI_NETNS', 'CNI_IFNAME'],
	CHECK: ['CNI_CONTAINERID', 'CNI_NETNS', 'CNI_IFNAME'],
	DEL: ['CNI_CONTAINERID', 'CNI_IFNAME'],
	VERSION: [],
};
/** The spec's alphabet for container IDs and network names. */
const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
/** Linux's rules: at most 15 bytes, no `/`, `:` or blank, not `.` or `..`. */
const IFNAME = /^(?!\.\.?$)[^/:\s]{1,15}$/;
/** Options of the reference bridge plugin that this one does not implement. */
const UNSUPPORTED = ['mtu', 'vlan', 'hairpinMode', 'promiscMode', 'ipam.ranges'];

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const invalid = (msg: string): CniError => new CniError(Code.invalidConfig, msg);

/** Reads the variables CNI_COMMAND needs; code 4 names those missing or malformed. */
export function parseEnv(env: Record<string, string | undefined>): Env {
	const command = env['CNI_COMMAND'] ?? '';
	if (!Object.hasOwn(NEEDED, command)) throw new CniError(Code.invalidEnvironment, `CNI_COMMAND must be ADD, DEL, CHECK or VERSION, not "${command}"`);
	const missing = NEEDED[command as Command].filter((name) => !env[name]);
	if (missing.length) throw new CniError(Code.invalidEnvironment, `required environment variables missing: ${missing.join(', ')}`);
	const { CNI_CONTAINERID: containerId = '', CNI_IFNAME: ifname = '', CNI_NETNS: netns } = env;
	if (containerId && !ID.test(containerId)) throw new CniError(Code.invalidEnvironment, `CNI_CONTAINERID "${containerId}" has characters the spec does not allow`);
	if (ifname && !IFNAME.test(ifname)) throw new CniError(Code.invalidEnvironment, `CNI_IFNAME "${ifname}" is not a valid interface name`);
	return { command: command as Command, containerId, netns: netns || undefined, ifname };
}

/** Standard input → one JSON object, or code 6. */
export function decode(text: string): Obj {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (e) {
		throw new CniError(Code.decodingFailure, 'cannot decode the network configuration', (e as Error).message);
	}
	if (!isObject(value)) throw new CniError(Code.decodingFailure, 'cannot decode the network configuration', 'it must be one JSON object');
	return value;
}

/** Code 1 for a spec version this plugin does not speak (no cniVersion at all means 0.1.0). */
export function checkVersion(version: unknown = '0.1.0', where = 'cniVersion'): string {
	if (typeof version === 'string' && SUPPORTED_VERSIONS.includes(version)) return version;
	throw new CniError(Code.incompatibleVersion, `incompatible CNI version ${JSON.stringify(version)} in ${where}`, `this plugin supports ${SUPPORTED_VERSIONS.join(', ')}`);
}

/** `obj[key]` when it is absent or of the JSON type `kind`; code 7 otherwise. */
function field<T>(obj: Obj, key: string, kind: 'string' | 'boolean' | 'object' | 'array', fallback: T): T {
	const v = obj[key];
	if (v === undefined) return fallback;
	if (kind === 'array' ? Array.isArray(v) : kind === 'object' ? isObject(v) : typeof v === kind) return v as T;
	throw invalid(`${key} must be of type ${kind}, not ${JSON.stringify(v)}`);
}

/** The network configuration (with `prevResult` for CHECK and DEL), checked, defaults filled in. */
export function parseNetConf(raw: Obj): NetConf {
	const cniVersion = checkVersion(raw['cniVersion']);
	for (const path of UNSUPPORTED) {
		const [outer, inner] = path.split('.') as [string, string?];
		const value = inner ? (raw[outer] as Obj | undefined)?.[inner] : raw[outer];
		if (value !== undefined && value !== false) throw new CniError(Code.unsupportedField, `unsupported field ${path}: ${JSON.stringify(value)}`, 'this plugin does not implement it');
	}
	const name = field(raw, 'name', 'string', '');
	if (!ID.test(name)) throw invalid('name must start with a letter or digit and hold only letters, digits, _ . and -');
	if (!field(raw, 'type', 'string', '')) throw invalid('type is required: the name of the plugin executable');
	const bridge = field(raw, 'bridge', 'string', 'cni0');
	if (!IFNAME.test(bridge)) throw invalid(`bridge "${bridge}" is not a valid interface name`);
	const isDefaultGateway = field(raw, 'isDefaultGateway', 'boolean', false);
	const prevResult = field<Obj | undefined>(raw, 'prevResult', 'object', undefined);
	return {
		cniVersion,
		name,
		bridge,
		isDefaultGateway,
		isGateway: isDefaultGateway || field(raw, 'isGateway', 'boolean', false),
		ipMasq: field(raw, 'ipMasq', 'boolean', false),
		ipam: parseIpam(raw['ipam']),
		dns: field(raw, 'dns', 'object', {}),
		prevResult: prevResult && {
			cniVersion: checkVersion(prevResult['cniVersion'], 'prevResult'),
			interfaces: field(prevResult, 'interfaces', 'array', []),
			ips: field(prevResult, 'ips', 'array', []),
			routes: field(prevResult, 'routes', 'array', []),
			dns: field(prevResult, 'dns', 'object', {}),
		},
	};
}

/** host-local's part: the subnet, an optional range and gateway inside it, the routes. */
function parseIpam(ipam: unknown): IpamConf {
	if (!isObject(ipam)) throw invalid('ipam is required, e.g. {"type": "host-local", "subnet": "10.22.0.0/16"}');
	if (ipam['type'] !== 'host-local') throw new CniError(Code.unsupportedField, `unsupported field ipam.type: ${JSON.stringify(ipam['type'])}`, 'this plugin has host-local built in');
	const subnet = parseCidr(field(ipam, 'subnet', 'string', ''));
	if (!subnet || subnet.prefix > 30) throw invalid('ipam.subnet must be an IPv4 network with room for addresses, such as 10.22.0.0/16');
	const address = (key: string, fallback: number): number => {
		const ip = parseIpv4(field(ipam, key, 'string', formatIpv4(fallback)));
		if (ip === undefined || !contains(subnet, ip)) throw invalid(`ipam.${key} must be an address inside ipam.subnet`);
		return ip;
	};
	const network = networkOf(subnet);
	const routes = field<unknown[]>(ipam, 'routes', 'array', []).map((r) => {
		if (!isObject(r) || typeof r['dst'] !== 'string' || !parseCidr(r['dst']) || (r['gw'] !== undefined && parseIpv4(String(r['gw'])) === undefined))
			throw invalid(`ipam.routes: ${JSON.stringify(r)} is not {"dst": CIDR} or {"dst": CIDR, "gw": address}`);
		return r as unknown as Route;
	});
	const ipamConf = {
		subnet: { address: network, prefix: subnet.prefix },
		rangeStart: address('rangeStart', network + 1),
		rangeEnd: address('rangeEnd', broadcastOf(subnet) - 1),
		gateway: address('gateway', network + 1),
		routes,
		dataDir: field(ipam, 'dataDir', 'string', '/var/lib/cni/networks'),
	};
	if (ipamConf.rangeStart > ipamConf.rangeEnd) throw invalid('ipam.rangeStart comes after ipam.rangeEnd');
	return ipamConf;
}
