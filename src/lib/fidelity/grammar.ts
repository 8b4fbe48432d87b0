/**
 * The grammar of scenarios: random but plausible command lines for iproute2 (link, addr, route,
 * neigh, netns), bridge, iptables, sysctl and ping, over a lab's hosts. Each form is a small
 * generator that reads the model of what the scenario made so far (so it names the links and
 * namespaces earlier commands created) and updates it; a share of the forms are invalid on
 * purpose (a missing argument, an unknown device, a bad prefix, a wrong chain or target), since
 * that is where the tools' error wording lies.
 */
import type { Lab } from '../shared/lab.ts';
import { allAddresses, initialModel, removeLink, removeNetns, usedNames, type Model, type ModelHost, type ModelLink } from './model.ts';
import type { Rng } from './prng.ts';
import type { Scenario, ScenarioStep } from './scenario.ts';

/** What a generator sees: the draw, the model, and the host the command will run on. */
interface Ctx {
	rng: Rng;
	model: Model;
	host: ModelHost;
}

/** A form: a command line for the host (updating the model as the command would), or nothing when it does not apply yet. */
type Form = (ctx: Ctx) => string | undefined;

const NETNS_NAMES = ['red', 'blue', 'green'];
// Not `vf`: iproute2 reads it as the SR-IOV keyword (`ip link add vf type veth` is refused), which the first
// seeds found at once; the simulator's gap is reported once, not in every scenario.
const VETH_NAMES = ['va', 'vb', 'vc', 'vd', 've', 'vg'];
const BRIDGE_NAMES = ['br0', 'br1'];

const links = (h: ModelHost, f: (l: ModelLink) => boolean = () => true): ModelLink[] => h.links.filter(f);
/** `ip` or `ip -n NS` for a device's namespace. */
const ipIn = (ns: string): string => (ns ? `ip -n ${ns}` : 'ip');
const maybe = <T>(rng: Rng, items: readonly T[]): T | undefined => (items.length ? rng.pick(items) : undefined);

function newSubnet(ctx: Ctx): number {
	const free = Array.from({ length: 40 }, (_, i) => i + 10).filter((n) => !ctx.model.subnets.includes(n));
	const n = ctx.rng.pick(free);
	ctx.model.subnets.push(n);
	return n;
}

/**
 * The address a device gets: a veth whose peer has one takes the other end of the same subnet,
 * a lab interface of a several-host lab one of a shared 10.0.0.0/24 (so hosts can ping each
 * other), anything else the first of a new 10.N.0.0/24.
 */
function addressFor(ctx: Ctx, l: ModelLink): string {
	const peerAddr = l.peer ? ctx.host.addrs.find((a) => a.dev === l.peer) : undefined;
	if (peerAddr) return peerAddr.ip.replace(/\.\d+$/, (m) => `.${Number(m.slice(1)) === 1 ? 2 : 1}`);
	if (l.kind === 'lab' && ctx.model.lab.hosts.length > 1) return `10.0.0.${ctx.model.hosts.indexOf(ctx.host) + 1}`;
	return `10.${newSubnet(ctx)}.0.1`;
}

/** Valid forms, each with its weight. */
const VALID: Record<string, [number, Form]> = {
	netnsAdd: [3, ({ rng, host }) => {
		const name = maybe(rng, NETNS_NAMES.filter((n) => !host.netns.includes(n)));
		if (!name) return undefined;
		host.netns.push(name);
		return `ip netns add ${name}`;
	}],
	netnsDel: [1, ({ rng, host }) => {
		const ns = maybe(rng, host.netns);
		if (!ns) return undefined;
		removeNetns(host, ns);
		return `ip netns del ${ns}`;
	}],
	vethAdd: [5, ({ rng, host }) => {
		const free = VETH_NAMES.filter((n) => !usedNames(host).has(n));
		if (free.length < 2) return undefined;
		const a = rng.pick(free);
		const b = rng.pick(free.filter((n) => n !== a));
		const ns = host.netns.length && rng.chance(0.4) ? rng.pick(host.netns) : '';
		host.links.push({ name: a, kind: 'veth', ns: '', peer: b, up: false }, { name: b, kind: 'veth', ns, peer: a, up: false });
		return `ip link add ${a} type veth peer name ${b}${ns ? ` netns ${ns}` : ''}`;
	}],
	bridgeAdd: [2, ({ rng, host }) => {
		const name = maybe(rng, BRIDGE_NAMES.filter((n) => !usedNames(host).has(n)));
		if (!name) return undefined;
		host.links.push({ name, kind: 'bridge', ns: '', up: false });
		return `ip link add ${name} type bridge`;
	}],
	linkUp: [5, ({ rng, host }) => {
		const l = maybe(rng, links(host, (x) => x.kind !== 'lab' && !x.up));
		if (!l) return undefined;
		l.up = true;
		return `${ipIn(l.ns)} link set ${l.name} up`;
	}],
	linkDown: [1, ({ rng, host }) => {
		const l = maybe(rng, links(host, (x) => x.kind !== 'lab' && x.up));
		if (!l) return undefined;
		l.up = false;
		return `${ipIn(l.ns)} link set ${l.name} down`;
	}],
	nsLoUp: [1, ({ rng, host }) => {
		const ns = maybe(rng, host.netns);
		return ns ? `ip -n ${ns} link set lo up` : undefined;
	}],
	master: [3, ({ rng, host }) => {
		const br = maybe(rng, links(host, (x) => x.kind === 'bridge'));
		const port = maybe(rng, links(host, (x) => x.kind === 'veth' && x.ns === '' && !x.master));
		if (!br || !port) return undefined;
		port.master = br.name;
		return `ip link set ${port.name} master ${br.name}`;
	}],
	nomaster: [1, ({ rng, host }) => {
		const port = maybe(rng, links(host, (x) => x.master !== undefined));
		if (!port) return undefined;
		delete port.master;
		return `ip link set ${port.name} nomaster`;
	}],
	moveNetns: [3, ({ rng, host }) => {
		const ns = maybe(rng, host.netns);
		const l = maybe(rng, links(host, (x) => x.kind === 'veth' && x.ns === '' && !x.master));
		if (!ns || !l) return undefined;
		l.ns = ns;
		l.up = false;
		host.addrs = host.addrs.filter((a) => a.dev !== l.name);
		return `ip link set ${l.name} netns ${ns}`;
	}],
	mtu: [1, ({ rng, host }) => {
		const l = maybe(rng, links(host, (x) => x.kind !== 'lab'));
		return l ? `${ipIn(l.ns)} link set ${l.name} mtu ${rng.pick([1280, 1400, 9000])}` : undefined;
	}],
	linkDel: [1, ({ rng, host }) => {
		const l = maybe(rng, links(host, (x) => x.kind !== 'lab'));
		if (!l) return undefined;
		removeLink(host, l);
		return `${ipIn(l.ns)} link del ${l.name}`;
	}],
	addrAdd: [6, (ctx) => {
		const { rng, host } = ctx;
		const l = maybe(rng, links(host, (x) => !host.addrs.some((a) => a.dev === x.name)));
		if (!l) return undefined;
		const ip = addressFor(ctx, l);
		if (allAddresses(ctx.model).includes(ip)) return undefined;
		host.addrs.push({ dev: l.name, ns: l.ns, ip, prefix: 24 });
		return `${ipIn(l.ns)} addr add ${ip}/24 dev ${l.name}`;
	}],
	addrDel: [1, ({ rng, host }) => {
		const a = maybe(rng, host.addrs.filter((x) => x.dev !== 'eth0' && x.dev !== 'eth1'));
		if (!a) return undefined;
		host.addrs = host.addrs.filter((x) => x !== a);
		return `${ipIn(a.ns)} addr del ${a.ip}/${a.prefix} dev ${a.dev}`;
	}],
	routeVia: [3, ({ rng, host }) => {
		const a = maybe(rng, host.addrs);
		if (!a) return undefined;
		const to = `10.${rng.between(100, 120)}.0.0/16`;
		if (host.routes.some((r) => r.to === to && r.ns === a.ns)) return undefined;
		host.routes.push({ to, ns: a.ns });
		const gw = a.ip.replace(/\.\d+$/, (m) => `.${Number(m.slice(1)) === 254 ? 253 : 254}`);
		return `${ipIn(a.ns)} route add ${to} via ${gw}`;
	}],
	routeDev: [2, ({ rng, host }) => {
		const l = maybe(rng, links(host, (x) => x.up));
		if (!l) return undefined;
		const to = `10.${rng.between(121, 140)}.${rng.int(4)}.0/24`;
		if (host.routes.some((r) => r.to === to && r.ns === l.ns)) return undefined;
		host.routes.push({ to, ns: l.ns });
		return `${ipIn(l.ns)} route add ${to} dev ${l.name}`;
	}],
	defaultRoute: [1, ({ rng, host }) => {
		const a = maybe(rng, host.addrs.filter((x) => x.ns !== ''));
		if (!a || host.routes.some((r) => r.to === 'default' && r.ns === a.ns)) return undefined;
		const peer = host.links.find((l) => l.name === a.dev)?.peer;
		const gw = host.addrs.find((x) => x.dev === peer)?.ip;
		if (!gw) return undefined;
		host.routes.push({ to: 'default', ns: a.ns });
		return `ip -n ${a.ns} route add default via ${gw}`;
	}],
	routeDel: [1, ({ rng, host }) => {
		const r = maybe(rng, host.routes);
		if (!r) return undefined;
		host.routes = host.routes.filter((x) => x !== r);
		return `${ipIn(r.ns)} route del ${r.to}`;
	}],
	neighAdd: [2, ({ rng, host }) => {
		const a = maybe(rng, host.addrs);
		if (!a) return undefined;
		const ip = a.ip.replace(/\.\d+$/, `.${rng.between(50, 60)}`);
		return `${ipIn(a.ns)} neigh ${rng.pick(['add', 'replace'])} ${ip} lladdr 02:00:00:aa:00:${rng.between(10, 99)} dev ${a.dev}${rng.chance(0.5) ? ' nud permanent' : ''}`;
	}],
	sysctl: [3, ({ rng, host }) => {
		const dev = maybe(rng, links(host, (x) => x.ns === ''))?.name ?? 'all';
		return rng.pick([
			`sysctl -w net.ipv4.ip_forward=${rng.int(2)}`,
			`sysctl net.ipv4.ip_forward`,
			`sysctl -w net.ipv4.conf.${dev}.rp_filter=${rng.int(3)}`,
			`sysctl net.ipv4.conf.${dev}.forwarding`,
			`sysctl -w net.ipv4.conf.${dev}.proxy_arp=1`,
		]);
	}],
	iptablesRule: [4, ({ rng, host }) => {
		const chain = rng.pick(['INPUT', 'FORWARD', 'OUTPUT', ...host.chains]);
		const match = rng.pick([`-s 10.${rng.between(10, 60)}.0.0/24`, '-p icmp', `-d 10.${rng.between(10, 60)}.0.2`, '-p tcp --dport 80', '-i eth0']);
		const target = rng.pick(['ACCEPT', 'DROP', 'RETURN', ...host.chains.filter((c) => c !== chain)]);
		const spec = `${chain} ${match} -j ${target}`;
		host.rules.push(spec);
		return `iptables ${rng.chance(0.8) ? '-A' : '-I'} ${spec}`;
	}],
	iptablesNat: [2, ({ rng, host }) => {
		const a = maybe(rng, host.addrs);
		return `iptables -t nat -A POSTROUTING -s ${a ? a.ip.replace(/\.\d+$/, '.0') : '10.99.0.0'}/24 -o eth0 -j MASQUERADE`;
	}],
	iptablesChain: [1, ({ rng, host }) => {
		const name = maybe(rng, ['LAB', 'FILTER1'].filter((c) => !host.chains.includes(c)));
		if (!name) return undefined;
		host.chains.push(name);
		return `iptables -N ${name}`;
	}],
	iptablesDel: [1, ({ rng, host }) => {
		const spec = maybe(rng, host.rules);
		if (!spec) return undefined;
		host.rules = host.rules.filter((r) => r !== spec);
		return `iptables -D ${spec}`;
	}],
	iptablesPolicy: [1, ({ rng }) => `iptables -P ${rng.pick(['FORWARD', 'INPUT', 'OUTPUT'])} ${rng.pick(['ACCEPT', 'DROP'])}`],
	iptablesList: [3, ({ rng }) =>
		rng.pick(['iptables -S', 'iptables -L -n', 'iptables -L -n -v', 'iptables -t nat -S', 'iptables -L FORWARD -n --line-numbers', 'iptables -t nat -L -n'])],
	ping: [4, ({ rng, host, model }) => {
		const targets = [...allAddresses(model), ...(model.lab.upstream ? ['8.8.8.8', model.lab.upstream.gateway.split('/')[0] ?? ''] : [])];
		const to = maybe(rng, targets);
		if (!to) return undefined;
		const ns = host.netns.length && rng.chance(0.3) ? rng.pick(host.netns) : '';
		return `${ns ? `ip netns exec ${ns} ` : ''}ping -c 1 -W 1 ${to}`;
	}],
	show: [8, ({ rng, host }) => {
		const l = maybe(rng, host.links);
		const ns = maybe(rng, host.netns);
		return rng.pick([
			'ip -br link',
			'ip -br addr',
			'ip route',
			'ip link',
			'ip addr',
			'ip netns list',
			'bridge link',
			...(l ? [`${ipIn(l.ns)} link show ${l.name}`, `${ipIn(l.ns)} addr show dev ${l.name}`, `${ipIn(l.ns)} -br addr show dev ${l.name}`, `${ipIn(l.ns)} neigh show dev ${l.name}`, `${ipIn(l.ns)} -j addr show dev ${l.name}`] : []),
			...(ns ? [`ip -n ${ns} -br link`, `ip -n ${ns} route`, `ip netns exec ${ns} ip -br addr`, `ip -n ${ns} addr`] : []),
		]);
	}],
	routeGet: [1, ({ rng, model }) => {
		const to = maybe(rng, allAddresses(model));
		return to ? `ip route get ${to}` : undefined;
	}],
};

/** Invalid forms: each is refused by the real tool (or the grammar expects it to be). */
const INVALID: Form[] = [
	() => 'ip link set nosuch0 up',
	() => 'ip link del nosuch0',
	({ rng, host }) => `ip addr add 10.77.0.1/${rng.pick([33, 40, -1])} dev ${rng.pick(host.links).name}`,
	() => 'ip addr add 10.77.0.1/24',
	({ host }) => `ip addr add 300.1.1.1/24 dev ${host.links[0]?.name ?? 'eth0'}`,
	() => 'ip link add vz type veth peer',
	({ host }) => `ip link add ${host.links.at(-1)?.name ?? 'eth0'} type bridge`,
	() => 'ip link add vz type nosuchkind',
	// A keyword as a name: iproute2 reads `vf` as SR-IOV's `vf NUM` and refuses the line.
	() => 'ip link add vf type veth peer name vh',
	() => 'ip link set dev',
	({ rng, host }) => `ip link set ${rng.pick(host.links).name} mtu ${rng.pick([70000, 20])}`,
	({ host }) => {
		const notBridge = host.links.find((l) => l.kind === 'veth' && l.ns === '') ?? host.links[0];
		return `ip link set ${notBridge?.name ?? 'eth0'} master ${host.links.find((l) => l.kind !== 'bridge')?.name ?? 'eth0'}`;
	},
	({ rng, host }) => `ip link set ${rng.pick(host.links).name} netns nosuchns`,
	() => 'ip route add 10.88.0.0/16 via 10.250.0.1',
	() => 'ip route add 10.88.0.0/33 dev lo',
	() => 'ip route del 10.123.0.0/16',
	({ host }) => {
		const a = host.addrs[0];
		return a ? `${ipIn(a.ns)} addr add ${a.ip}/${a.prefix} dev ${a.dev}` : 'ip addr del 10.66.0.1/24 dev lo';
	},
	({ rng, host }) => `ip neigh add 10.66.0.9 lladdr zz:00:00:00:00:01 dev ${rng.pick(host.links).name}`,
	() => 'ip neigh add 10.66.0.9 lladdr 02:00:00:00:00:01 dev nosuch0',
	({ host }) => (host.netns[0] ? `ip netns add ${host.netns[0]}` : 'ip netns del nosuchns'),
	() => 'ip netns exec nosuchns ip addr',
	() => 'ip -n nosuchns link',
	() => 'iptables -A INPUT -j NOPE',
	() => 'iptables -A NOSUCHCHAIN -j DROP',
	() => 'iptables -P FORWARD REJECT',
	() => 'iptables -P NOSUCH DROP',
	() => 'iptables -D INPUT -s 10.1.2.3 -j DROP',
	() => 'iptables -t nosuch -L',
	() => 'iptables -A INPUT -s 10.1.2.300 -j DROP',
	() => 'iptables -X NOSUCH',
	() => 'sysctl -w net.ipv4.nonexistent_key=1',
	() => 'sysctl net.ipv4.conf.nosuch0.forwarding',
	() => 'ping -c 1 -W 1 10.254.1.1',
	() => 'ping -c 1 -W 1 300.1.1.1',
	() => 'ip route get 10.254.1.1',
	() => 'bridge link set dev nosuch0 hairpin on',
];

/** Options of {@link generateScenario}. */
export interface GrammarOptions {
	/** Number of commands, drawn between these bounds (default 20–50). */
	minSteps?: number;
	maxSteps?: number;
	/** Share of invalid forms (default 0.2). */
	invalidShare?: number;
}

/** The next host: mostly the one before (a reader stays on one machine a while). */
function nextHost(rng: Rng, model: Model, previous: ModelHost | undefined): ModelHost {
	if (previous && (model.hosts.length === 1 || rng.chance(0.75))) return previous;
	return rng.pick(model.hosts);
}

/** Generates one scenario on `lab` from `rng`: the same draw, the same commands. */
export function generateScenario(rng: Rng, lab: Lab, id: string, options: GrammarOptions = {}): Scenario {
	const model = initialModel(lab);
	const count = rng.between(options.minSteps ?? 20, options.maxSteps ?? 50);
	const invalidShare = options.invalidShare ?? 0.2;
	const weights = Object.fromEntries(Object.entries(VALID).map(([k, [w]]) => [k, w])) as Record<string, number>;
	const steps: ScenarioStep[] = [];
	let host: ModelHost | undefined;
	while (steps.length < count) {
		host = nextHost(rng, model, host);
		const ctx: Ctx = { rng, model, host };
		if (rng.chance(invalidShare)) {
			steps.push({ host: host.name, cmd: rng.pick(INVALID)(ctx) ?? 'ip link set nosuch0 up', invalid: true });
			continue;
		}
		// Draw valid forms until one applies to what the scenario has made so far.
		let cmd: string | undefined;
		for (let tries = 0; cmd === undefined && tries < 50; tries++) cmd = VALID[rng.weighted(weights)]?.[1](ctx);
		steps.push({ host: host.name, cmd: cmd ?? 'ip -br addr' });
	}
	return { id, lab: lab.name, steps };
}

/** Names of the valid forms and the number of invalid ones (for the documentation and tests). */
export const GRAMMAR_SIZE = { valid: Object.keys(VALID).length, invalid: INVALID.length };
