/** The targets part of `npm run bench` as text: the tables and lists it prints. */
import { formatTable } from './table.ts';
import type { BlockDifference } from './target-diff.ts';
import type { TargetsFigures } from './targets.ts';

const s = (ms: number | undefined): string => (ms === undefined ? '-' : (ms / 1000).toFixed(1));
const mb = (bytes: number): string => (bytes / 1e6).toFixed(1);

/** Trailing whitespace made visible, as verify's diffs show it. */
const visible = (text: string): string => text.replace(/[ \t]+$/, (ws) => ws.replace(/ /g, '·').replace(/\t/g, '→'));

/**
 * Two differing lines, short: when they share a long head, it is cut to `…` from the last comma
 * or space before the first difference, so what differs is in view; each then at most `width`
 * characters.
 */
export function shortPair(local: string | undefined, target: string | undefined, width = 96): { local?: string; target?: string } {
	let same = 0;
	if (local !== undefined && target !== undefined) while (same < local.length && same < target.length && local[same] === target[same]) same++;
	const head = (local ?? target ?? '').slice(0, same);
	const cutAt = Math.max(head.lastIndexOf(',', same - 1), head.lastIndexOf(' ', same - 1)) + 1;
	const from = same <= 40 ? 0 : same - cutAt <= 40 ? cutAt : same - 24;
	const shorten = (line: string): string => {
		const text = visible(`${from ? '…' : ''}${line.slice(from)}`);
		return text.length > width ? `${text.slice(0, width - 1)}…` : text;
	};
	return { ...(local === undefined ? {} : { local: shorten(local) }), ...(target === undefined ? {} : { target: shorten(target) }) };
}

const WHAT: Record<BlockDifference['what'], string> = {
	stdout: 'stdout',
	stderr: 'stderr',
	exit: 'exit code',
	state: 'state after the block',
	'only-target': 'a block local lacks',
	'only-local': 'a block only local has',
};

/** A state line's label (`alice (host) link`) and its `ip -j` entry. */
const STATE_LINE = /^(\S+ \S+ \S+) (\{.*)$/;

/** One differing block: where, what, and its first differing line on each side. */
function differenceLines(chapter: string, d: BlockDifference): string[] {
	let { local, target } = d;
	let what = WHAT[d.what];
	const label = d.what === 'state' ? STATE_LINE.exec(target ?? local ?? '')?.[1] : undefined;
	if (label) {
		what = `${what}, ${label}`;
		local = local === undefined ? local : (STATE_LINE.exec(local)?.[2] ?? local);
		target = target === undefined ? target : (STATE_LINE.exec(target)?.[2] ?? target);
	}
	const pair = shortPair(local, target);
	return [
		`  ${chapter}:${d.line} [${d.host}]${d.cmd ? ` $ ${d.cmd.split('\n')[0]}` : ''} (${what})`,
		...(pair.local === undefined ? [] : [`      - ${pair.local}`]),
		...(pair.target === undefined ? [] : [`      + ${pair.target}`]),
	];
}

/** The targets part: whole book per target, per chapter, VM images and boots, differences from local, the SSH check. */
export function formatTargets(t: TargetsFigures): string {
	const out: string[] = ['Verify targets: the whole book per target (verify --update into a scratch copy of the book, 2 chapters at a time, chapter scripts included)'];
	const rows: (string | number)[][] = [['target', 'engine', 'wall s', 'commands', 'commands/s', '× local', 'failures', 'errors']];
	for (const b of t.books)
		rows.push(b.error ? [b.target, 'not run', '-', '-', '-', '-', '-', '-'] : [b.target, b.engine, s(b.wallMs), b.commands, b.commandsPerSecond, b.overLocal?.toFixed(2) ?? '-', b.failures, b.errors]);
	out.push(formatTable(rows));
	for (const b of t.books) if (b.error) out.push(`${b.target} not run: ${b.error.split('\n')[0]}`);
	const ran = t.books.filter((b) => !b.error);
	if (ran.length) {
		out.push(`snapshots left in ${ran.map((b) => b.snapshots).join(', ')}: review them, then copy a VM target's into content/snapshots/<target>/`);
		const chapters = [...new Set(ran.flatMap((b) => b.chapters.map((c) => c.chapter)))];
		const perChapter: (string | number)[][] = [['chapter (s)', 'commands', ...ran.map((b) => b.target)]];
		for (const chapter of chapters) {
			const cells = ran.map((b) => b.chapters.find((c) => c.chapter === chapter));
			perChapter.push([chapter, cells.find((c) => c)?.commands ?? '-', ...cells.map((c) => (c ? `${s(c.ms)}${c.problems ? ' ✗' : ''}` : '-'))]);
		}
		out.push('', formatTable(perChapter));
		if (ran.some((b) => b.chapters.some((c) => c.problems))) out.push('✗: the chapter had failures or errors (the log above names them)');
	}
	if (t.images.length) {
		const images: (string | number)[][] = [['VM image', 'cold s', 'downloaded', 'cached s', 'vmlinuz MB', 'initrd MB', 'packages', 'kernel']];
		for (const i of t.images)
			images.push(
				'error' in i
					? [i.arch, 'not built', '-', '-', '-', '-', '-', '-']
					: [i.arch, s(i.coldMs), i.downloaded ? `${i.downloaded.count} of ${i.downloaded.of}` : '-', s(i.cachedMs), mb(i.vmlinuzBytes), mb(i.initrdBytes), i.packages, i.kernelRelease],
			);
		out.push('', formatTable(images), ...t.images.flatMap((i) => ('error' in i ? [`${i.arch} not built: ${i.error.split('\n')[0]}`] : [])), 'cold: image.sh --rebuild (apt index, resolve, unpack, modules, pack), the packages already in its download cache (downloaded: what it fetched all the same); cached: image.sh again, nothing changed');
	}
	if (t.boot.length) {
		const boot: (string | number)[][] = [['VM boot', 'to ready s', 'to first command s', 'one-command chapter s']];
		for (const b of t.boot) boot.push('error' in b ? [b.arch, 'failed', '-', '-'] : [b.arch, s(b.readyMs), s(b.firstCommandMs), s(b.totalMs)]);
		out.push('', formatTable(boot), ...t.boot.flatMap((b) => ('error' in b ? [`${b.arch} boot failed: ${b.error.split('\n')[0]}`] : [])), 'a fresh VM running `hostname` on the machine lab; ready: the guest\'s init takes jobs; first command: the sandbox sealed, the lab built, the command run');
	}
	if (t.differences.length) {
		const chapters = [...new Set(t.differences.flatMap((d) => d.chapters.map((c) => c.chapter)))];
		const table: (string | number)[][] = [['blocks that differ', ...t.differences.map((d) => d.target)]];
		for (const chapter of chapters)
			table.push([chapter, ...t.differences.map((d) => {
				const c = d.chapters.find((x) => x.chapter === chapter);
				return !c ? '-' : 'missing' in c ? c.missing : `${c.differing} of ${c.blocks}`;
			})]);
		table.push(['whole book', ...t.differences.map((d) => `${d.differing} of ${d.blocks}`)]);
		const against = t.differences[0]!.local === 'this run' ? "local's snapshots from this run" : "local's snapshots in the repository";
		out.push('', `Blocks whose outputs differ from local's, after normalisation (against ${against}):`, formatTable(table));
		for (const d of t.differences) {
			const listed = d.chapters.flatMap((c) => ('differences' in c ? c.differences.flatMap((x) => differenceLines(c.chapter, x)) : []));
			if (listed.length) out.push('', `${d.target}: the first differing line of each block (- local, + ${d.target}):`, ...listed);
		}
	}
	if (t.ssh) {
		const network = t.ssh.network === 'unchanged' ? 'unchanged' : `CHANGED:\n${t.ssh.network.map((l) => `  ${l}`).join('\n')}`;
		out.push('', `SSH target ${t.ssh.engine} (this machine, loopback sshd): the machine's network (ip -j link, addr, route) after the book, against before: ${network}`);
	}
	return out.join('\n');
}
