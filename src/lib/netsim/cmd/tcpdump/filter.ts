/**
 * pcap-filter(7), the part a reader of the book writes: protocols (`arp`, `ip`, `icmp`, `tcp`,
 * `udp`, `ip6`, `icmp6`), `host`, `net`, `port` with `src`/`dst` and a protocol in front, `ether
 * host|src|dst`, `broadcast`, combined with `and`/`&&`, `or`/`||`, `not`/`!` and parentheses. A
 * bare address or number takes the qualifiers of the primitive before it (`host 10.0.0.1 or
 * 10.0.0.2`), as libpcap's grammar does. Anything else is a syntax error, worded as tcpdump words it.
 */
import { parseIpv4Strict, parsePrefix, inPrefix, type Prefix } from '../../addr/ipv4.ts';
import { parseMac, sameMac, type Mac } from '../../addr/mac.ts';
import type { Frame } from '../../model/packet.ts';
import { frameBytes } from './bytes.ts';

/** A compiled filter: does the frame pass? */
export type FrameFilter = (frame: Frame) => boolean;

/** Thrown with tcpdump's message for an expression it cannot compile. */
export class FilterError extends Error {}

const PROTOS = ['ether', 'ip', 'arp', 'tcp', 'udp', 'icmp', 'ip6', 'icmp6'] as const;
type Proto = (typeof PROTOS)[number];
type Dir = 'src' | 'dst' | 'src or dst' | 'src and dst';
type Kind = 'host' | 'net' | 'port';
interface Quals {
	proto?: Proto | undefined;
	dir?: Dir | undefined;
	kind?: Kind | undefined;
}

/** Compiles the words after tcpdump's options (joined by spaces, as tcpdump joins them). */
export function compileFilter(words: string[]): FrameFilter {
	const text = words.join(' ').trim();
	if (!text) return () => true;
	const tokens = text.match(/\(|\)|&&|\|\||!=|<=|>=|==|[=<>]|!|&|[^\s()!&|=<>]+/g) ?? [];
	let i = 0;
	let last: Quals = {};
	const peek = (): string | undefined => tokens[i];
	const syntax = (): never => {
		throw new FilterError("can't parse filter expression: syntax error");
	};

	/** A left-associative chain of `operand`s joined by either spelling of one operator. */
	const chain = (words: readonly string[], operand: () => FrameFilter, both: boolean): FrameFilter => {
		let left = operand();
		while (words.includes(peek() ?? '')) {
			i++;
			const l = left;
			const r = operand();
			left = both ? (f) => l(f) && r(f) : (f) => l(f) || r(f);
		}
		return left;
	};
	const orExpr = (): FrameFilter => chain(['or', '||'], andExpr, false);
	const andExpr = (): FrameFilter => chain(['and', '&&'], notExpr, true);
	const notExpr = (): FrameFilter => {
		if (peek() === 'not' || peek() === '!') {
			i++;
			const inner = notExpr();
			return (f) => !inner(f);
		}
		if (peek() === '(') {
			i++;
			const inner = orExpr();
			if (tokens[i++] !== ')') syntax();
			return inner;
		}
		return primitive();
	};
	const primitive = (): FrameFilter => {
		const q: Quals = {};
		let t = peek();
		if (t === undefined) syntax();
		const access = /^(ether|ip|arp|tcp|udp|icmp)\[(\d+)(?::([124]))?\]$/.exec(t as string);
		if (access) {
			i++;
			let mask: number | undefined;
			if (peek() === '&') {
				i++;
				mask = numberOf(tokens[i++], syntax);
			}
			const op = tokens[i++];
			if (!op || !['=', '==', '!=', '<', '>', '<=', '>='].includes(op)) syntax();
			const value = numberOf(tokens[i++], syntax);
			return byteTest(access[1] as Proto, Number(access[2]), Number(access[3] ?? 1), mask, op as string, value);
		}
		if ((PROTOS as readonly string[]).includes(t as string)) {
			q.proto = t as Proto;
			i++;
			t = peek();
		}
		if (t === 'src' || t === 'dst') {
			i++;
			q.dir = t;
			if ((peek() === 'or' || peek() === 'and') && (tokens[i + 1] === 'src' || tokens[i + 1] === 'dst') && tokens[i + 1] !== t) {
				q.dir = peek() === 'or' ? 'src or dst' : 'src and dst';
				i += 2;
			}
			t = peek();
		}
		if (t === 'host' || t === 'net' || t === 'port') {
			i++;
			q.kind = t;
			t = peek();
		}
		if (t === 'broadcast' && !q.dir && !q.kind) {
			i++;
			return (f) => f.dst.every((b) => b === 0xff);
		}
		// A protocol alone (`arp`, `icmp`): the frame carries it.
		if (q.proto && !q.dir && !q.kind && (t === undefined || isOperator(t))) return protoTest(q.proto);
		// A bare id takes the qualifiers before it.
		const quals: Quals = q.proto || q.dir || q.kind ? q : last;
		const id = tokens[i++];
		if (id === undefined || isOperator(id)) syntax();
		last = quals;
		return idTest(quals, id as string, syntax);
	};

	const f = orExpr();
	if (i !== tokens.length) syntax();
	return f;
}

function numberOf(t: string | undefined, syntax: () => never): number {
	if (t === undefined || !/^(0x[0-9a-f]+|\d+)$/i.test(t)) syntax();
	return Number(t);
}

/** `proto[offset:size] (& mask) relop value`: the bytes at an offset into the protocol's header. */
function byteTest(proto: Proto, offset: number, size: number, mask: number | undefined, op: string, value: number): FrameFilter {
	return (f) => {
		if (!protoTest(proto)(f)) return false;
		const layers = frameBytes(f);
		const base = proto === 'ether' ? 0 : proto === 'ip' ? layers.ip : layers.l4;
		if (base === undefined || base + offset + size > layers.bytes.length) return false;
		let v = 0;
		for (let k = 0; k < size; k++) v = v * 256 + (layers.bytes[base + offset + k] ?? 0);
		if (mask !== undefined) v &= mask;
		switch (op) {
			case '!=':
				return v !== value;
			case '<':
				return v < value;
			case '>':
				return v > value;
			case '<=':
				return v <= value;
			case '>=':
				return v >= value;
			default:
				return v === value;
		}
	};
}

function isOperator(t: string): boolean {
	return ['and', 'or', 'not', '&&', '||', '!', '(', ')', '&', '=', '==', '!=', '<', '>', '<=', '>='].includes(t);
}

function protoTest(p: Proto): FrameFilter {
	switch (p) {
		case 'ether':
			return () => true;
		case 'ip':
			return (f) => !!f.ip;
		case 'arp':
			return (f) => !!f.arp;
		case 'tcp':
			return (f) => !!f.ip?.tcp;
		case 'udp':
			return (f) => !!f.ip?.udp;
		case 'icmp':
			return (f) => !!f.ip?.icmp;
		default:
			// The simulator carries no IPv6 packets.
			return () => false;
	}
}

/** The addresses of a frame in one direction: IPv4's, or ARP's sender (src) and target (dst). */
function addrsOf(f: Frame, dir: 'src' | 'dst', proto: Proto | undefined): number[] {
	if (f.ip && (proto === undefined || proto === 'ip' || proto === 'tcp' || proto === 'udp' || proto === 'icmp')) return [dir === 'src' ? f.ip.src : f.ip.dst];
	if (f.arp && (proto === undefined || proto === 'arp')) return [dir === 'src' ? f.arp.senderIp : f.arp.targetIp];
	return [];
}

function byDir<T>(dir: Dir | undefined, one: (d: 'src' | 'dst') => T[], test: (v: T) => boolean): boolean {
	const s = one('src').some(test);
	const d = one('dst').some(test);
	if (dir === 'src') return s;
	if (dir === 'dst') return d;
	if (dir === 'src and dst') return s && d;
	return s || d;
}

function idTest(q: Quals, id: string, syntax: () => never): FrameFilter {
	const kind = q.kind ?? (/^\d+$/.test(id) && q.proto !== 'ether' ? 'port' : 'host');
	if (q.proto === 'ether') {
		const mac: Mac | null = parseMac(id);
		if (!mac || kind !== 'host') syntax();
		return (f) => byDir(q.dir, (d) => [d === 'src' ? f.src : f.dst], (m) => sameMac(m, mac as Mac));
	}
	if (kind === 'port') {
		if (!/^\d+$/.test(id) || q.proto === 'arp' || q.proto === 'icmp') syntax();
		const port = Number(id);
		return (f) => {
			const p = f.ip;
			const t = q.proto === 'udp' ? p?.udp : q.proto === 'tcp' ? p?.tcp : (p?.tcp ?? p?.udp);
			if (!t) return false;
			return byDir(q.dir, (d) => [d === 'src' ? t.sport : t.dport], (v) => v === port);
		};
	}
	if (kind === 'net') {
		const net: Prefix | null = parsePrefix(id);
		if (!net) syntax();
		return (f) => byDir(q.dir, (d) => addrsOf(f, d, q.proto), (a) => inPrefix(a, net as Prefix));
	}
	const addr = parseIpv4Strict(id);
	if (addr === null) syntax();
	return (f) => byDir(q.dir, (d) => addrsOf(f, d, q.proto), (a) => a === addr);
}
