import type { HostEffects, Owned, Setting } from './effects.ts';

/**
 * The part of a chapter script that keeps a reader's machine safe (see docs/writing-chapters.md,
 * "What the downloadable script guarantees"): before the first step it surveys every machine it
 * will change, refuses with one line if anything it would create or remove by name is already
 * there (or if the FORWARD policy would drop the chapter's packets), and saves the settings it
 * will change; after the cleanup, also on error, it puts those settings back as it found them.
 *
 * The survey runs on each machine as a function of the script (`nb_survey_HOST`, through
 * `on_host`, so also through NETBOOK_ENTER) and prints bash assignments that the script reads back:
 * `NB_CLASH+=(…)`, `NB_DROPS=…`, `NB_KEPT+=(…)` and `NB_SAVED[…]=…`.
 */

/** Quotes a word for bash only when it needs it. */
function shellWord(word: string): string {
	return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A bash function name for a host's survey. */
function surveyName(host: string): string {
	return `nb_survey_${host.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/** How an owned thing reads in the script's header and in a refusal. */
function ownedText(o: Owned): string {
	switch (o.kind) {
		case 'link':
			return `link ${o.name}`;
		case 'netns':
			return `network namespace ${o.name}`;
		case 'chain':
			return `${o.tool} chain ${o.chain}${o.table === 'filter' ? '' : ` (table ${o.table})`}`;
		case 'rule':
			return `${o.tool} rule ${o.table === 'filter' ? '' : `-t ${o.table} `}${o.rule}`;
		case 'address':
			return `address ${o.address}`;
		case 'route':
			return `${o.family ? 'IPv6 ' : ''}route ${o.prefix}${o.table === 'main' ? '' : ` (table ${o.table})`}`;
		case 'path':
			return o.path;
	}
}

/** How a setting reads in the script's header. */
function settingText(s: Setting): string {
	if (s.kind === 'sysctl') return `sysctl ${s.key}`;
	if (s.kind === 'policy') return `${s.tool} ${s.table === 'filter' ? '' : `-t ${s.table} `}policy of ${s.chain}`;
	if (s.kind === 'mount') return `mount point ${s.path}`;
	if (s.kind === 'nftables') return 'nf_tables tables and base chains';
	return `directory ${s.path}`;
}

const GROUPS: [Owned['kind'], string][] = [
	['link', 'links'],
	['netns', 'network namespaces'],
	['chain', 'iptables chains'],
	['rule', 'iptables rules'],
	['address', 'addresses'],
	['route', 'routes'],
	['path', 'files and directories'],
];

/** The name of an owned thing within its group of the header ("docker0", "-t nat -A …"). */
function shortText(o: Owned): string {
	switch (o.kind) {
		case 'link':
		case 'netns':
			return o.name;
		case 'chain':
			return `${o.chain}${o.table === 'filter' ? '' : ` (${o.table})`}${o.tool === 'iptables' ? '' : ` (${o.tool})`}`;
		case 'rule':
			return `${o.tool === 'iptables' ? '' : `${o.tool} `}${o.table === 'filter' ? '' : `-t ${o.table} `}${o.rule}`;
		case 'address':
			return `${o.address} (${o.dev})`;
		case 'route':
			return ownedText(o).replace(/^(IPv6 )?route /, '$1');
		case 'path':
			return o.path;
	}
}

/**
 * The header lines that tell a reader what the script checks before it starts and what it puts
 * back at the end, grouped by kind (per machine when the lab has several).
 */
export function guardHeader(effects: HostEffects[], multi: boolean): string[] {
	const out = [
		'# Before it changes anything it checks the machine, and stops with one line, changing nothing,',
		'# if any of these is already there: it creates or removes them by name, and its cleanup must',
		'# remove only what this run made.',
	];
	const item = (label: string, list: string[], indent: string) => {
		if (!list.length) return;
		const lead = `#   ${indent}${label}: `;
		const lines: string[] = [];
		for (const text of list) {
			const last = lines.at(-1);
			if (last !== undefined && last.length + text.length + 2 <= 100 && !text.includes(' -A ') && !last.includes(' -A ')) lines[lines.length - 1] = `${last}, ${text}`;
			else lines.push(text);
		}
		out.push(`${lead}${lines[0]}`, ...lines.slice(1).map((l) => `#   ${indent}${' '.repeat(label.length + 2)}${l}`));
	};
	for (const e of effects) {
		if (!e.owned.length) continue;
		if (multi) out.push(`#   on ${e.host}:`);
		for (const [kind, label] of GROUPS) item(label, e.owned.filter((o) => o.kind === kind).map(shortText), multi ? '  ' : '');
	}
	if (effects.every((e) => !e.owned.length)) out.push('#   (nothing: this chapter creates nothing by name)');
	const forwarding = effects.filter((e) => e.forwards || e.bridges);
	if (forwarding.length)
		out.push(
			`# It also stops if the iptables FORWARD policy is DROP (Docker sets it)${multi ? ` on ${forwarding.map((e) => e.host).join(' or ')}` : ''}: the chapter`,
			`# ${forwarding.some((e) => e.forwards) ? 'routes packets through it' : 'bridges packets that br_netfilter hands to iptables'}, and they would be dropped.`,
		);
	const kept = effects.flatMap((e) => keptSettings(e).map((k) => `${multi ? `${e.host}: ` : ''}${settingText(k)}`));
	if (kept.length)
		out.push(
			'# It saves these settings first and puts them back as it found them, at the end and on error:',
			...wrapList(kept).map((l) => `#   ${l}`),
		);
	return out;
}

/** Joins items with ", " into lines of at most 94 characters. */
function wrapList(items: string[]): string[] {
	const lines: string[] = [];
	for (const text of items) {
		const last = lines.at(-1);
		if (last !== undefined && last.length + text.length + 2 <= 94) lines[lines.length - 1] = `${last}, ${text}`;
		else lines.push(text);
	}
	return lines;
}

function absentCall(o: Owned): string {
	switch (o.kind) {
		case 'link':
		case 'netns':
			return `nb_absent ${o.kind} ${shellWord(o.name)}`;
		case 'chain':
			return `nb_absent chain ${o.tool} ${shellWord(o.table)} ${shellWord(o.chain)}`;
		case 'rule':
			return `nb_absent rule ${shellWord(`${o.table === 'filter' ? '' : `-t ${o.table} `}${o.rule}`)} ${o.check.map(shellWord).join(' ')}`;
		case 'address':
			return `nb_absent address ${shellWord(o.address)}`;
		case 'route':
			return `nb_absent route ${shellWord(o.prefix)} ${shellWord(o.table)} ${o.family}`.trimEnd();
		case 'path':
			return `nb_absent path ${shellWord(o.path)}`;
	}
}

function keepCall(s: Setting): string {
	if (s.kind === 'sysctl') return `nb_keep sysctl ${shellWord(s.key)}`;
	if (s.kind === 'policy') return `nb_keep policy ${s.tool} ${shellWord(s.table)} ${shellWord(s.chain)}`;
	if (s.kind === 'mount') return `nb_keep mount ${shellWord(s.path)}`;
	if (s.kind === 'nftables') return 'nb_keep nftables';
	return `nb_keep dir ${shellWord(s.path)}`;
}

function goneCall(o: Owned): string[] {
	switch (o.kind) {
		case 'chain':
			return [`nb_gone chain ${o.tool} ${shellWord(o.table)} ${shellWord(o.chain)}`];
		case 'rule':
			return [absentCall(o).replace(/^nb_absent/, 'nb_gone')];
		default:
			return [absentCall(o).replace(/^nb_absent/, 'nb_gone')];
	}
}

/**
 * The sweep function of one machine, run after the chapter's cleanup: it removes whatever the
 * survey found absent and is there now, so made by this run (after a failure, the cleanup of a
 * half-built lab can miss things). Rules go first, then chains (all flushed, then deleted), then
 * namespaces (their processes stopped), links, addresses, routes and files.
 */
export function sweepFunction(effects: HostEffects): string[] {
	const of = (kind: Owned['kind']) => effects.owned.filter((o) => o.kind === kind);
	const chains = of('chain').filter((o): o is Extract<Owned, { kind: 'chain' }> => o.kind === 'chain');
	const body = [
		...of('rule').flatMap(goneCall),
		...chains.map((o) => `nb_gone flush ${o.tool} ${shellWord(o.table)} ${shellWord(o.chain)}`),
		...chains.flatMap(goneCall),
		...(['netns', 'link', 'address', 'route', 'path'] as const).flatMap((k) => of(k).flatMap(goneCall)),
	];
	return [`${surveyName(effects.host).replace('nb_survey_', 'nb_sweep_')}() {`, ...(body.length ? body : [':']).map((l) => `\t${l}`), '}'];
}

/**
 * Settings worth saving: top-level directories (`/etc`, `/tmp`…) are always there and left out;
 * directories come parents first, so they are put back in that order and removed in the reverse.
 */
function keptSettings(effects: HostEffects): Setting[] {
	const dirs = effects.settings.filter((s): s is Extract<Setting, { kind: 'dir' }> => s.kind === 'dir' && s.path.split('/').filter(Boolean).length > 1);
	dirs.sort((a, b) => a.path.split('/').length - b.path.split('/').length || a.path.localeCompare(b.path));
	return [...effects.settings.filter((s) => s.kind !== 'dir'), ...dirs];
}

/** The survey function of one machine: what must be absent, what to save, whether forwarding is needed. */
export function surveyFunction(effects: HostEffects): string[] {
	const body = [
		...effects.owned.map(absentCall),
		...keptSettings(effects).map(keepCall),
		...(effects.forwards ? ['nb_forwards routes'] : effects.bridges ? ['nb_forwards bridges'] : []),
	];
	return [`${surveyName(effects.host)}() {`, ...(body.length ? body : [':']).map((l) => `\t${l}`), '}'];
}
