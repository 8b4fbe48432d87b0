/**
 * CNI results as libcni 1.1 handles them: kept in the 1.0.0 shape, converted to and from the
 * spec versions 0.1.0 … 1.0.0, printed as each version's Go type marshals it.
 */
import { formatIpv4 } from '../../addr/ipv4.ts';
import { goMarshal, JObject, jsonType, type Json } from '../json.ts';
import { arr, field, GO_TYPE, int, obj, str, strs } from './decode.ts';
import { CniError, ERR, fail, goQ } from './errors.ts';
import { cidrText, isIpv6Text, maskHex, parseCidr, parseIp } from './net.ts';

/** An interface of a result: its name, MAC, and the sandbox (netns path) it is in. */
export interface CniInterface {
	name: string;
	mac?: string | undefined;
	sandbox?: string | undefined;
}

interface CniIpConfig {
	/** Index into interfaces. */
	interface?: number | undefined;
	/** `10.22.0.2/16` */
	address: string;
	gateway?: string | undefined;
}

/** A route of a result: destination CIDR and gateway. */
export interface CniRoute {
	dst: string;
	gw?: string | undefined;
}

interface CniDns {
	nameservers?: string[] | undefined;
	domain?: string | undefined;
	search?: string[] | undefined;
	options?: string[] | undefined;
}

/** A result, kept in the 1.0.0 shape; `kind` says which Go type holds it (and so how it prints). */
export interface CniResult {
	cniVersion: string;
	kind: '100' | '040' | '020';
	interfaces: CniInterface[];
	ips: CniIpConfig[];
	routes: CniRoute[];
	dns: CniDns;
}

/** The Go result type that holds a version's results. */
function kindOf(version: string): CniResult['kind'] | undefined {
	if (version === '1.0.0') return '100';
	if (version === '0.3.0' || version === '0.3.1' || version === '0.4.0') return '040';
	if (version === '0.1.0' || version === '0.2.0') return '020';
	return undefined;
}

/** An empty result of the current version. */
export function newResult(): CniResult {
	return { cniVersion: '1.0.0', kind: '100', interfaces: [], ips: [], routes: [], dns: {} };
}

/** convert.Convert(result, version). */
export function convertResult(r: CniResult, version: string): CniResult {
	const to = version === '' ? '0.1.0' : version;
	if (r.cniVersion === to) return r;
	const kind = kindOf(to);
	const fromKind = kindOf(r.cniVersion);
	if (!kind || !fromKind) fail(`no converter for CNI result version ${r.cniVersion} to ${to}`);
	if (kind === '020') {
		if (!r.ips.some((i) => !isIpv6Text(i.address))) fail('cannot convert: no valid IP addresses');
	}
	return { ...r, cniVersion: to, kind, interfaces: r.interfaces.map((i) => ({ ...i })), ips: r.ips.map((i) => ({ ...i })), routes: r.routes.map((x) => ({ ...x })), dns: { ...r.dns } };
}

function dnsJson(d: CniDns): JObject {
	const o = new JObject();
	if (d.nameservers?.length) o.set('nameservers', d.nameservers);
	if (d.domain) o.set('domain', d.domain);
	if (d.search?.length) o.set('search', d.search);
	if (d.options?.length) o.set('options', d.options);
	return o;
}

function routeJson(r: CniRoute): JObject {
	const o = new JObject([['dst', r.dst]]);
	if (r.gw) o.set('gw', r.gw);
	return o;
}

/** The result as its Go type marshals it. */
function resultJson(r: CniResult): JObject {
	const o = new JObject();
	if (r.cniVersion) o.set('cniVersion', r.cniVersion);
	if (r.kind === '020') {
		const ipc = (i: CniIpConfig | undefined, v6: boolean): JObject | undefined => {
			if (!i) return undefined;
			const x = new JObject([['ip', i.address]]);
			if (i.gateway) x.set('gateway', i.gateway);
			const routes = r.routes.filter((rt) => isIpv6Text(rt.dst) === v6);
			if (routes.length) x.set('routes', routes.map(routeJson));
			return x;
		};
		const ip4 = ipc(r.ips.find((i) => !isIpv6Text(i.address)), false);
		const ip6 = ipc(r.ips.find((i) => isIpv6Text(i.address)), true);
		if (ip4) o.set('ip4', ip4);
		if (ip6) o.set('ip6', ip6);
		o.set('dns', dnsJson(r.dns));
		return o;
	}
	if (r.interfaces.length) {
		o.set(
			'interfaces',
			r.interfaces.map((i) => {
				const x = new JObject([['name', i.name]]);
				if (i.mac) x.set('mac', i.mac);
				if (i.sandbox) x.set('sandbox', i.sandbox);
				return x;
			}),
		);
	}
	if (r.ips.length) {
		o.set(
			'ips',
			r.ips.map((i) => {
				const x = new JObject();
				if (r.kind === '040') x.set('version', isIpv6Text(i.address) ? '6' : '4');
				if (i.interface !== undefined) x.set('interface', i.interface);
				x.set('address', i.address);
				if (i.gateway) x.set('gateway', i.gateway);
				return x;
			}),
		);
	}
	if (r.routes.length) o.set('routes', r.routes.map(routeJson));
	o.set('dns', dnsJson(r.dns));
	return o;
}

/** types.PrintResult(result, version): the converted result, MarshalIndent with 4 spaces, no newline. */
export function printResult(r: CniResult, version: string): string {
	return goMarshal(resultJson(convertResult(r, version)), '    ');
}

function parseRoutes(a: Json[] | undefined, struct: string): CniRoute[] {
	return (a ?? []).map((x) => {
		if (!(x instanceof JObject)) throw new CniError(ERR.internal, `json: cannot unmarshal ${GO_TYPE[jsonType(x)]} into Go struct field ${struct}.routes of type types.route`);
		const dst = str(x, 'dst', 'route') ?? '';
		const d = parseCidr(dst);
		const gw = str(x, 'gw', 'route');
		if (gw !== undefined && parseIp(gw) === undefined) throw new CniError(ERR.internal, `invalid IP address: ${gw}`);
		return { dst: cidrText(d), gw };
	});
}

function parseDns(o: JObject | undefined): CniDns {
	if (!o) return {};
	return { nameservers: strs(o, 'nameservers', 'DNS'), domain: str(o, 'domain', 'DNS'), search: strs(o, 'search', 'DNS'), options: strs(o, 'options', 'DNS') };
}

/** create.Create(version, json): the Go type of `version` reads the JSON and checks its cniVersion. */
export function parseResult(version: string, o: JObject): CniResult {
	const kind = kindOf(version);
	if (!kind) fail(`unsupported CNI result version "${version}"`);
	const struct = 'Result';
	const cniVersion = str(o, 'cniVersion', struct) ?? '';
	const supported = kind === '100' ? ['1.0.0'] : kind === '040' ? ['0.3.0', '0.3.1', '0.4.0'] : ['0.1.0', '0.2.0'];
	const r: CniResult = { cniVersion, kind, interfaces: [], ips: [], routes: [], dns: parseDns(obj(o, 'dns', struct, 'types.DNS')) };
	if (kind === '020') {
		for (const key of ['ip4', 'ip6']) {
			const ipc = obj(o, key, struct, 'types020.IPConfig');
			if (!ipc) continue;
			const ip = str(ipc, 'ip', 'ipConfig') ?? '';
			const n = parseCidr(ip);
			const gw = str(ipc, 'gateway', 'ipConfig');
			r.ips.push({ address: cidrText(n), gateway: gw });
			r.routes.push(...parseRoutes(arr(ipc, 'routes', 'ipConfig', '[]types.Route'), 'ipConfig'));
		}
	} else {
		for (const x of arr(o, 'interfaces', struct, '[]*types100.Interface') ?? []) {
			if (!(x instanceof JObject)) continue;
			r.interfaces.push({ name: str(x, 'name', 'Interface') ?? '', mac: str(x, 'mac', 'Interface'), sandbox: str(x, 'sandbox', 'Interface') });
		}
		for (const x of arr(o, 'ips', struct, '[]*types100.IPConfig') ?? []) {
			if (!(x instanceof JObject)) continue;
			const n = parseCidr(str(x, 'address', 'ipConfig') ?? '');
			const gw = str(x, 'gateway', 'ipConfig');
			if (gw !== undefined && parseIp(gw) === undefined) throw new CniError(ERR.internal, `invalid IP address: ${gw}`);
			r.ips.push({ interface: int(x, 'interface', 'ipConfig'), address: cidrText(n), gateway: gw });
		}
		r.routes = parseRoutes(arr(o, 'routes', struct, '[]*types.Route'), 'Result');
	}
	if (!supported.includes(cniVersion)) fail(`result type supports ${`[${supported.join(' ')}]`} but unmarshalled CNIVersion is ${goQ(cniVersion)}`);
	return r;
}

/** version.ParsePrevResult + current.NewResultFromResult: prevResult as a 1.0.0-shaped result. */
export function parsePrevResult(conf: JObject, confVersion: string): CniResult | undefined {
	const raw = field(conf, 'prevResult');
	if (raw === undefined || raw === null) return undefined;
	if (!(raw instanceof JObject)) throw new CniError(ERR.internal, `json: cannot unmarshal ${GO_TYPE[jsonType(raw)]} into Go struct field NetConf.prevResult of type map[string]interface {}`);
	const copy = new JObject(raw.entries());
	if (field(copy, 'cniVersion') === undefined || field(copy, 'cniVersion') === '') copy.set('cniVersion', confVersion);
	let r: CniResult;
	try {
		r = parseResult(confVersion, copy);
	} catch (e) {
		if (e instanceof CniError) fail(`could not parse prevResult: ${e.msg}`);
		throw e;
	}
	return convertResult(r, '1.0.0');
}

/** Go's `%+v` of a types.Route: `{Dst:{IP:0.0.0.0 Mask:00000000} GW:<nil>}`. */
export function routeText(r: CniRoute): string {
	const d = parseCidr(r.dst);
	return `{Dst:{IP:${formatIpv4(d.ip)} Mask:${maskHex(d.len)}} GW:${r.gw ?? '<nil>'}}`;
}
