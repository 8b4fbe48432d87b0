import { z } from 'zod';

const name = z
	.string()
	.regex(/^[a-z][a-z0-9-]{0,14}$/, 'lowercase letters, digits and dashes, at most 15 characters');
const cidr = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, 'an IPv4 address with prefix, like 192.168.1.1/24');
const ipv4 = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}$/, 'an IPv4 address, like 192.168.0.1');

/** One network interface of a lab host, wired to a switch or to the upstream. */
const labInterfaceSchema = z.strictObject({
	name: name.describe('Interface name inside the host, e.g. eth0'),
	switch: name.optional().describe('Switch this interface is plugged into'),
	uplink: z.boolean().optional().describe('Plugged into the upstream home router instead of a switch'),
	address: cidr.optional().describe('IPv4 address configured when the lab starts (none: the chapter adds it)'),
});

/** A static route a host has when the lab starts. */
const labRouteSchema = z.strictObject({
	to: z.union([z.literal('default'), cidr]).describe('Destination prefix or "default"'),
	via: ipv4.describe('Next-hop gateway'),
});

/** A lab host: a separate machine with its own network, mount and UTS namespaces. */
const labHostSchema = z.strictObject({
	name: name.describe('Host name, also its hostname and the prompt the site shows'),
	interfaces: z.array(labInterfaceSchema).describe('Interfaces besides lo, in ifindex order'),
	routes: z.array(labRouteSchema).default([]).describe('Routes present at start'),
	sysctls: z
		.record(z.string().regex(/^net\.[a-z0-9_.-]+$/), z.string())
		.default({})
		.describe('sysctls set when the lab starts, e.g. net.ipv4.ip_forward on a router appliance'),
});

/** The upstream: the home router that also answers as "the internet". */
const labUpstreamSchema = z.strictObject({
	gateway: cidr.describe('The home router address on the uplink, with the uplink prefix'),
	internet: z.array(ipv4).describe('Public addresses the pretend internet answers on'),
});

/** A lab: hosts, switches and an optional upstream, shared by the kernel sandbox and the simulator. */
export const labSchema = z
	.strictObject({
		name: name.describe('Lab name, equal to the file name without .json'),
		description: z.string().describe('One sentence on what the lab is'),
		hosts: z.array(labHostSchema).min(1).describe('Lab hosts; the first is the default host of a chapter'),
		switches: z.array(z.strictObject({ name: name })).default([]).describe('L2 segments'),
		upstream: labUpstreamSchema.optional().describe('Home router + internet, reached by interfaces with uplink: true'),
	})
	.superRefine((lab, ctx) => {
		const switches = new Set(lab.switches.map((s) => s.name));
		const hosts = new Set<string>();
		for (const host of lab.hosts) {
			if (hosts.has(host.name)) ctx.addIssue({ code: 'custom', message: `duplicate host "${host.name}"` });
			hosts.add(host.name);
			for (const iface of host.interfaces) {
				if (iface.switch && !switches.has(iface.switch))
					ctx.addIssue({ code: 'custom', message: `${host.name}/${iface.name}: unknown switch "${iface.switch}"` });
				if (iface.uplink && !lab.upstream)
					ctx.addIssue({ code: 'custom', message: `${host.name}/${iface.name}: uplink but the lab has no upstream` });
				if (Boolean(iface.switch) === Boolean(iface.uplink))
					ctx.addIssue({ code: 'custom', message: `${host.name}/${iface.name}: needs exactly one of switch or uplink` });
			}
		}
	});

export type Lab = z.output<typeof labSchema>;
export type LabHost = Lab['hosts'][number];
