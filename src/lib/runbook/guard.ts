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
export function shellWord(word: string): string {
	return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A bash function name for a host's survey. */
export function surveyName(host: string): string {
	return `nb_survey_${host.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/** How an owned thing reads in the script's header and in a refusal. */
export function ownedText(o: Owned): string {
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
export function settingText(s: Setting): string {
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
export function keptSettings(effects: HostEffects): Setting[] {
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

/** The bash helpers every script carries (survey, restore, error report), as lines. */
export const GUARD_HELPERS: readonly string[] = [
	'# nb_absent KIND NAME…: on this machine, notes a clash when something the script creates or',
	'# removes by name is already there (it would then be changing what it did not make).',
	'nb_absent() {',
	"\tlocal kind=$1 found=''",
	'\tshift',
	'\tcase $kind in',
	'\tlink) ip link show dev "$1" >/dev/null 2>&1 && found="link $1" ;;',
	'\tnetns) [[ -e /run/netns/$1 ]] && found="network namespace $1" ;;',
	'\tchain) command -v "$1" >/dev/null && "$1" -t "$2" -S "$3" >/dev/null 2>&1 && found="$1 chain $3 (table $2)" ;;',
	'\trule) command -v "$2" >/dev/null && "${@:2}" >/dev/null 2>&1 && found="${2} rule $1" ;;',
	'\taddress) [[ -n $(ip -o addr show to "$1" 2>/dev/null) ]] && found="address $1" ;;',
	'\troute) [[ -n $(ip ${3:-} route show table "$2" exact "$1" 2>/dev/null) ]] && found="route $1" ;;',
	'\tpath) [[ -e $1 || -L $1 ]] && found="$1" ;;',
	'\tesac',
	"\t[[ -z $found ]] || printf 'NB_CLASH+=(%q)\\n' \"$found\"",
	'}',
	'',
	'# nb_gone KIND NAME…: after the cleanup, removes what nb_absent found absent and is there now (so',
	'# made by this run), and says so on stdout.',
	'nb_gone() {',
	"\tlocal kind=$1 gone='' c i n=0",
	'\tshift',
	'\tcase $kind in',
	'\tlink) ip link show dev "$1" >/dev/null 2>&1 && ip link del dev "$1" && gone="link $1" ;;',
	'\tnetns)',
	'\t\tif [[ -e /run/netns/$1 ]]; then',
	'\t\t\tip netns pids "$1" 2>/dev/null | xargs -r kill 2>/dev/null',
	'\t\t\tip netns del "$1" && gone="network namespace $1 (and its processes)"',
	'\t\tfi ;;',
	'\tflush) command -v "$1" >/dev/null && "$1" -t "$2" -S "$3" >/dev/null 2>&1 && "$1" -t "$2" -F "$3" ;;',
	'\tchain) command -v "$1" >/dev/null && "$1" -t "$2" -S "$3" >/dev/null 2>&1 && "$1" -t "$2" -X "$3" && gone="$1 chain $3 (table $2)" ;;',
	'\trule)',
	'\t\tc=("${@:2}")',
	'\t\tfor i in "${!c[@]}"; do [[ ${c[$i]} != -C ]] || { c[$i]=-D; break; }; done',
	'\t\twhile (( n++ < 20 )) && command -v "$2" >/dev/null && "${@:2}" >/dev/null 2>&1 && "${c[@]}"; do gone="$2 rule $1"; done ;;',
	'\taddress)',
	'\t\tc=$(ip -o addr show to "$1" 2>/dev/null | head -n 1)',
	'\t\tread -r _ i _ c _ <<<"$c"',
	'\t\t[[ -n $c ]] && ip addr del "$c" dev "$i" && gone="address $c on $i" ;;',
	'\troute)',
	'\t\twhile (( n++ < 20 )) && [[ -n $(ip ${3:-} route show table "$2" exact "$1" 2>/dev/null) ]] && ip ${3:-} route del "$1" table "$2"; do gone="route $1"; done ;;',
	'\tpath) [[ -e $1 || -L $1 ]] && rm -rf -- "$1" && gone="$1" ;;',
	'\tesac',
	'\t[[ -z $gone ]] || echo "$gone"',
	'\treturn 0',
	'}',
	'',
	'# nb_keep KIND NAME…: notes a setting\'s value on this machine, to put it back at the end ("" = absent;',
	'# for a mount point, how many mounts are stacked there).',
	'nb_keep() {',
	"\tlocal value=''",
	'\tcase $1 in',
	"\tsysctl) value=$(sysctl -n \"$2\" 2>/dev/null) || value='' ;;",
	"\tpolicy) command -v \"$2\" >/dev/null && value=$(\"$2\" -t \"$3\" -S \"$4\" 2>/dev/null | sed -n '1s/^-P [^ ]* //p') ;;",
	"\tdir) value=$(stat -c %a \"$2\" 2>/dev/null) || value='' ;;",
	"\tmount) value=$(awk -v p=\"$2\" '$5 == p' /proc/self/mountinfo | wc -l) ;;",
	"\tnftables) value=$(nb_hooks | tr '\\n' ,) ;;",
	'\tesac',
	"\tprintf 'NB_KEPT+=(%q)\\nNB_SAVED[%q]=%q\\n' \"$NB_HOST $*\" \"$NB_HOST $*\" \"$value\"",
	'}',
	'',
	'# nb_forwards routes|bridges: notes when the iptables FORWARD policy would drop the packets this',
	'# chapter forwards (routed ones; or bridged ones, where br_netfilter passes them through iptables).',
	'nb_forwards() {',
	'\tcommand -v iptables >/dev/null || return 0',
	"\t[[ $(iptables -S FORWARD 2>/dev/null) == '-P FORWARD DROP'* ]] || return 0",
	'\t[[ $1 == routes || $(sysctl -n net.bridge.bridge-nf-call-iptables 2>/dev/null) == 1 ]] || return 0',
	"\tprintf 'NB_DROPS=%q\\n' \"$1\"",
	'}',
	'',
	'# nb_hooks: the nf_tables tables and base chains, one "table FAMILY NAME" or "chain FAMILY TABLE NAME" a line.',
	'nb_hooks() {',
	'\tcommand -v nft >/dev/null || return 0',
	'\t{',
	'\t\tnft list tables',
	"\t\tnft list chains | awk '$1 == \"table\" { t = $2 \" \" $3 } $1 == \"chain\" { c = $2 } /hook/ { print \"chain\", t, c }'",
	'\t} 2>/dev/null | sort',
	'}',
	'',
	'# nb_restore "KIND NAME…" VALUE …: puts settings back as the survey found them: sysctls and chain',
	'# policies; directories it found are made again if gone, new ones removed when left empty; a',
	'# mount point that was not one (/run/netns after `ip netns add`) is unmounted when left empty; new',
	'# nf_tables base chains and tables that iptables-nft made on first use are removed when empty.',
	'nb_restore() {',
	'\tlocal -a what=() value=()',
	'\tlocal -a w',
	'\tlocal i now',
	'\twhile (( $# >= 2 )); do',
	'\t\tread -r -a w <<<"$1"',
	'\t\twhat+=("${w[*]:1}") value+=("$2")',
	'\t\tshift 2',
	'\tdone',
	'\tfor i in "${!what[@]}"; do',
	'\t\tread -r -a w <<<"${what[$i]}"',
	'\t\tcase ${w[0]} in',
	'\t\tsysctl)',
	'\t\t\tnow=$(sysctl -n "${w[1]}" 2>/dev/null) || continue',
	'\t\t\tif [[ -n ${value[$i]} && $now != "${value[$i]}" ]]; then',
	'\t\t\t\tsysctl -qw "${w[1]}=${value[$i]}" && echo "netbook: put back ${w[1]} = ${value[$i]}, as found" >&2',
	'\t\t\tfi ;;',
	'\t\tpolicy)',
	"\t\t\tnow=$(\"${w[1]}\" -t \"${w[2]}\" -S \"${w[3]}\" 2>/dev/null | sed -n '1s/^-P [^ ]* //p')",
	'\t\t\tif [[ -n ${value[$i]} && $now != "${value[$i]}" ]]; then',
	'\t\t\t\t"${w[1]}" -t "${w[2]}" -P "${w[3]}" "${value[$i]}" && echo "netbook: put back the ${w[3]} policy ${value[$i]}, as found" >&2',
	'\t\t\tfi ;;',
	'\t\tnftables)',
	'\t\t\tlocal kind family table chain',
	'\t\t\twhile read -r kind family table chain; do',
	'\t\t\t\t[[ -n $kind && ,${value[$i]}, != *",$kind $family $table${chain:+ $chain},"* ]] || continue',
	'\t\t\t\tif [[ $kind == chain ]]; then',
	"\t\t\t\t\t(( $(nft list chain \"$family\" \"$table\" \"$chain\" 2>/dev/null | grep -cvE '^\\s*(table |chain |type .* policy accept;$|\\})') == 0 )) &&",
	'\t\t\t\t\t\tnft delete chain "$family" "$table" "$chain" && echo "netbook: removed the empty $family $table chain $chain that iptables made" >&2',
	'\t\t\t\telse',
	"\t\t\t\t\t(( $(nft list table \"$family\" \"$table\" 2>/dev/null | grep -c '^\\s*chain ') == 0 )) &&",
	'\t\t\t\t\t\tnft delete table "$family" "$table" && echo "netbook: removed the empty $family table $table that iptables made" >&2',
	'\t\t\t\tfi',
	'\t\t\tdone < <(nb_hooks) ;;',
	'\t\tdir)',
	'\t\t\tif [[ -n ${value[$i]} && ! -d ${w[1]} ]]; then',
	'\t\t\t\tmkdir -m "${value[$i]}" "${w[1]}" && echo "netbook: put back directory ${w[1]}, as found" >&2',
	'\t\t\tfi ;;',
	'\t\tesac',
	'\tdone',
	'\tfor ((i = ${#what[@]} - 1; i >= 0; i--)); do',
	'\t\tread -r -a w <<<"${what[$i]}"',
	'\t\t[[ -d ${w[1]} && -z $(ls -A "${w[1]}" 2>/dev/null) ]] || continue',
	'\t\tif [[ ${w[0]} == dir && -z ${value[$i]} ]]; then rmdir "${w[1]}"',
	"\t\telif [[ ${w[0]} == mount ]] && (( $(awk -v p=\"${w[1]}\" '$5 == p' /proc/self/mountinfo | wc -l) > value[i] )); then umount \"${w[1]}\"",
	'\t\tfi',
	'\tdone',
	'\treturn 0',
	'}',
	'',
	'# sysctl_as_found KEY: in a cleanup, sets KEY back to the value the survey found (the book sets the',
	'# lab\'s value, which need not be this machine\'s).',
	'sysctl_as_found() { ${NB_SAVED["$NB_HOST sysctl $1"]:+sysctl -w "$1=${NB_SAVED["$NB_HOST sysctl $1"]}"}; }',
	'',
	'# When a step\'s command fails: one line saying which, and what a `timeout`\'s status 124 means.',
	'nb_failed() {',
	'\t[[ -z ${NB_REPORTED:-} ]] || return 0',
	'\tNB_REPORTED=1',
	'\tif (( $1 == 124 )) && [[ $2 == *timeout* ]]; then',
	"\t\tprintf 'netbook: gave up waiting: this command ran out of time (exit status 124): %s\\n' \"$2\" >&2",
	'\telse',
	"\t\tprintf 'netbook: this command failed (exit status %d): %s\\n' \"$1\" \"$2\" >&2",
	'\tfi',
	'}',
];
