/**
 * The shapes of the CNI specification 1.0.0 that this plugin reads and prints, and its errors.
 * https://github.com/containernetworking/cni/blob/spec-v1.0.0/SPEC.md
 */

/** The only spec version this plugin speaks: results and errors carry it. */
export const CNI_VERSION = '1.0.0';

/** What `VERSION` reports. */
export const SUPPORTED_VERSIONS = [CNI_VERSION];

/** The spec's well-known error codes (below 100) and this plugin's own (100 and up). */
export const Code = {
	incompatibleVersion: 1,
	unsupportedField: 2,
	unknownContainer: 3,
	invalidEnvironment: 4,
	ioFailure: 5,
	decodingFailure: 6,
	invalidConfig: 7,
	tryAgainLater: 11,
	/** A command (`ip`, `iptables`, `sysctl`) failed: the details hold what it said. */
	commandFailed: 100,
	/** Every address of the range is taken. */
	noFreeAddress: 101,
	/** `CHECK` found something missing or different from `prevResult`. */
	checkFailed: 102,
	/** `ADD` found the interface already in the container. */
	interfaceExists: 103,
} as const;

/** A failure the plugin reports as the spec's error JSON: a code, a short message, details. */
export class CniError extends Error {
	readonly code: number;
	readonly details: string | undefined;
	// (Plain fields, not constructor parameter properties: Node runs this file by stripping types.)
	constructor(code: number, message: string, details?: string) {
		super(message);
		this.name = 'CniError';
		this.code = code;
		this.details = details;
	}
}

/** One interface of a result: `sandbox` is set for those inside the container. */
export interface Interface {
	name: string;
	mac?: string;
	sandbox?: string;
}

/** An address the attachment assigned, and the index of its interface in `interfaces`. */
export interface IpConfig {
	interface?: number;
	address: string;
	gateway?: string;
}

/** A route in the container; without `gw` it goes via the gateway of the address. */
export interface Route {
	dst: string;
	gw?: string;
}

/** Resolver settings the runtime may apply: the plugin only passes them on. */
export type Dns = Partial<Record<'nameservers' | 'domain' | 'search' | 'options', string | string[]>>;

/** What ADD prints, and what the runtime hands back as `prevResult`. */
export interface Result {
	cniVersion: string;
	interfaces: Interface[];
	ips: IpConfig[];
	routes: Route[];
	dns: Dns;
}

/** The spec's error JSON, as the runtime reads it from standard output. */
export function errorJson(error: CniError, cniVersion = CNI_VERSION): string {
	const body = { cniVersion, code: error.code, msg: error.message, ...(error.details ? { details: error.details } : {}) };
	return JSON.stringify(body, null, 4);
}
