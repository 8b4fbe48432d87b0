/**
 * A frame as the bytes on the wire, for pcap-filter's byte tests (`udp[28:2] = 0x0800`): the
 * headers the simulator knows, with zero checksums and IP ids (which it does not keep), and
 * zero-filled payloads of the right length.
 */
import type { Frame, Ip4 } from '../../model/packet.ts';
import { frameLen } from '../../model/packet.ts';

/** Where each layer starts in a frame's bytes (undefined when the frame lacks it). */
export interface Layers {
	bytes: Uint8Array;
	ip?: number | undefined;
	/** The transport (or ARP, or ICMP) header. */
	l4?: number | undefined;
}

/** Serialises a frame. */
export function frameBytes(frame: Frame): Layers {
	const b = new Uint8Array(frameLen(frame));
	const w = new Writer(b);
	w.bytes(frame.dst);
	w.bytes(frame.src);
	if (frame.arp) {
		const a = frame.arp;
		w.u16(0x0806);
		const l4 = w.at;
		w.u16(1).u16(0x0800).u8(6).u8(4).u16(a.op === 'request' ? 1 : 2);
		w.bytes(a.senderMac).u32(a.senderIp).bytes(a.targetMac).u32(a.targetIp);
		return { bytes: b, l4 };
	}
	w.u16(0x0800);
	if (!frame.ip) return { bytes: b };
	return { bytes: b, ip: 14, l4: ipBytes(w, frame.ip) };
}

/** Writes an IPv4 packet; returns where its transport header starts. */
function ipBytes(w: Writer, p: Ip4): number {
	w.u8(0x45).u8(0).u16(p.len).u16(0).u16(p.df ? 0x4000 : 0).u8(p.ttl).u8(p.proto).u16(0).u32(p.src).u32(p.dst);
	const l4 = w.at;
	if (p.icmp) w.u8(p.icmp.type).u8(p.icmp.code).u16(0).u16(p.icmp.id).u16(p.icmp.seq);
	else if (p.udp) {
		w.u16(p.udp.sport).u16(p.udp.dport).u16(p.len - 20).u16(0);
		if (p.udp.frame) {
			// VXLAN: the I flag, 24 reserved bits, the VNI, 8 reserved bits; then the inner frame.
			w.u8(0x08).u8(0).u16(0).u16((p.udp.vni ?? 0) >>> 8).u8((p.udp.vni ?? 0) & 0xff).u8(0);
			w.bytes(frameBytes(p.udp.frame).bytes);
		}
	} else if (p.tcp) {
		const t = p.tcp;
		let flags = 0;
		for (const [letter, bit] of [['F', 1], ['S', 2], ['R', 4], ['P', 8], ['A', 16]] as const) if (t.flags.includes(letter)) flags |= bit;
		w.u16(t.sport).u16(t.dport).u32(0).u32(0).u8(0x50).u8(flags).u16(64240).u16(0).u16(0);
		for (const ch of t.payload ?? '') w.u8(ch.charCodeAt(0) & 0xff);
	}
	return l4;
}

/** Big-endian writes into a buffer, ignoring what would run past its end. */
class Writer {
	at = 0;
	constructor(private readonly b: Uint8Array) {}
	u8(v: number): this {
		if (this.at < this.b.length) this.b[this.at] = v & 0xff;
		this.at++;
		return this;
	}
	u16(v: number): this {
		return this.u8(v >>> 8).u8(v);
	}
	u32(v: number): this {
		return this.u16(v >>> 16).u16(v);
	}
	bytes(v: ArrayLike<number>): this {
		for (let i = 0; i < v.length; i++) this.u8(v[i] ?? 0);
		return this;
	}
}
