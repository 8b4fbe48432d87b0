/**
 * util-linux's lsns for one process's network namespace: `lsns -t net -p PID [-o COLUMNS] [-n]`.
 * A whole listing (every namespace of every process) declines: a lab host's other processes are
 * the sandbox's, which the simulator does not keep.
 */
import { netnsInode, type Proc } from '../../model/process.ts';
import type { Tool } from '../../tool/types.ts';
import { decline } from './decline.ts';

const INSTEAD = 'lsns -t net -p PID [-o COLUMNS] is modelled, for a process started here (unshare --net sleep 600 &)';

/** A column: how it is aligned, and its cell for a process. */
interface Column {
	right: boolean;
	cell: (proc: Proc, nprocs: number) => string;
}

/** The default columns of `lsns -t net` (NETNSID and NSFS come with the net type). */
const DEFAULT = ['NS', 'TYPE', 'NPROCS', 'PID', 'USER', 'NETNSID', 'NSFS', 'COMMAND'];

/** lsns -t net -p PID [-o LIST] [-n]. */
export const lsns: Tool = (argv, ctx) => {
	let type: string | undefined;
	let pid: string | undefined;
	let output: string[] | undefined;
	let headings = true;
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i] as string;
		const [opt, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
		const value = (): string | undefined => inline ?? argv[++i];
		if (opt === '-t' || opt === '--type') type = value();
		else if (opt === '-p' || opt === '--task') pid = value();
		else if (opt === '-o' || opt === '--output') output = value()?.split(',');
		else if (opt === '-n' || opt === '--noheadings') headings = false;
		else return decline('lsns', a.startsWith('-') ? `option ${a}` : 'lsns NSID', INSTEAD);
	}
	if (type !== 'net' || pid === undefined) return decline('lsns', type === 'net' ? 'a listing of every process' : 'a listing beyond network namespaces', INSTEAD);
	const proc = /^\d+$/.test(pid) ? ctx.host.procs.get(Number(pid)) : undefined;
	const known = pid === '1' || pid === 'self';
	if (known) return decline('lsns', `lsns -p ${pid}`, INSTEAD);
	const names = (output ?? DEFAULT).map((c) => c.toUpperCase());
	const columns: Record<string, Column> = {
		NS: { right: true, cell: (p) => String(netnsInode(p.ns)) },
		TYPE: { right: false, cell: () => 'net' },
		NPROCS: { right: true, cell: (_p, n) => String(n) },
		PID: { right: true, cell: (p) => String(p.pid) },
		UID: { right: true, cell: (p) => String(p.cred?.uid ?? 0) },
		USER: { right: false, cell: (p) => ((p.cred?.uid ?? 0) === 0 ? 'root' : 'nobody') },
		NETNSID: { right: true, cell: (p) => String(ctx.ns.nsid(p.ns, false) ?? 'unassigned') },
		NSFS: { right: false, cell: (p) => [...ctx.host.named].filter(([, ns]) => ns === p.ns).map(([n]) => `/run/netns/${n}`)[0] ?? '' },
		COMMAND: { right: false, cell: (p) => p.argv.join(' ') },
	};
	const unknown = names.find((n) => columns[n] === undefined);
	if (unknown) return decline('lsns', `the column ${unknown}`, INSTEAD);
	if (!proc) return { stdout: '', stderr: '', exit: 0 };
	// The namespace's lowest PID stands for it; NPROCS counts every process in it.
	const inside = [...ctx.host.procs.values()].filter((p) => p.ns === proc.ns).sort((a, b) => a.pid - b.pid);
	const row = names.map((n) => (columns[n] as Column).cell(inside[0] ?? proc, inside.length));
	const rows = headings ? [names, row] : [row];
	// Columns are as wide as their headers even without them (-n).
	const widths = names.map((n, k) => Math.max(n.length, (row[k] as string).length));
	const line = (r: string[]): string =>
		r
			.map((cell, k) => {
				const w = widths[k] as number;
				if ((columns[names[k] as string] as Column).right) return cell.padStart(w);
				// libsmartcols pads no column at the end of a line.
				return k === r.length - 1 ? cell : cell.padEnd(w);
			})
			.join(' ');
	return { stdout: rows.map((r) => `${line(r)}\n`).join(''), stderr: '', exit: 0 };
};
