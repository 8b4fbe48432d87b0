/**
 * The fidelity report: figures, the divergences grouped by kind (the command's form and what
 * differs), then each divergence with its seed, its minimised scenario (as a recorder scenario,
 * ready for tests/fixtures/netsim/recorder/scenarios/) and the normalised diff.
 */
import type { Field } from './compare.ts';
import type { FidelityReport, ScenarioOutcome } from './runner.ts';
import { scenarioText } from './scenario.ts';

const IP_OPTIONS_WITH_VALUE = new Set(['-n', '-netns', '-f', '-family']);

/**
 * The form of a command, its values left out: `ip -n red link set va up` → `ip link set`,
 * `iptables -t nat -A POSTROUTING …` → `iptables -A`, `ip netns exec red ping …` → `ping`.
 */
export function commandForm(cmd: string): string {
	let words = cmd.trim().split(/\s+/);
	while (words[0] === 'ip' && words[1] === 'netns' && words[2] === 'exec') words = words.slice(4);
	const [tool = '', ...rest] = words;
	if (tool === 'ip' || tool === 'bridge') {
		const plain: string[] = [];
		for (let i = 0; i < rest.length && plain.length < 2; i++) {
			const w = rest[i] ?? '';
			if (w.startsWith('-')) {
				if (IP_OPTIONS_WITH_VALUE.has(w)) i++;
				continue;
			}
			plain.push(w);
		}
		return [tool, ...plain].join(' ');
	}
	if (tool === 'iptables') return `iptables ${rest.find((w) => /^-[A-Z]$/.test(w)) ?? ''}`.trim();
	if (tool === 'sysctl') return rest.includes('-w') ? 'sysctl -w' : 'sysctl';
	return tool;
}

/** The first line where the kernel's text and the simulator's differ: the kernel's (`-`), or the simulator's (`+`) when the kernel's ended. */
function firstDifference(kernel: string, sim: string): string {
	const a = kernel.split('\n');
	const b = sim.split('\n');
	for (let i = 0; i < Math.max(a.length, b.length); i++)
		if (a[i] !== b[i]) return a[i] !== undefined && a[i] !== '' ? `- ${a[i]}` : `+ ${b[i] ?? ''}`;
	return '';
}

/**
 * A divergence's kind: the divergent command's form, what differs, and the first line that
 * differs, its addresses and numbers left out (`ip addr del: stderr: - Error: ipv4: Address not found.`).
 */
export function divergenceKind(outcome: ScenarioOutcome): string | undefined {
	const d = outcome.minimised?.divergence ?? outcome.divergence;
	if (!d) return undefined;
	const steps = outcome.minimised?.steps ?? outcome.scenario.steps;
	const cmd = outcome.minimised ? steps.at(-1)?.cmd : steps[d.step]?.cmd;
	const field = d.fields.find((f): f is 'stdout' | 'stderr' => f === 'stdout' || f === 'stderr');
	const line = field
		? firstDifference(d.kernel[field], d.sim[field])
				.replace(/\b\d{1,3}(?:\.\d{1,3}){3}(?:\/\d+)?\b/g, 'ADDR')
				.replace(/\b\d+\b/g, 'N')
				.slice(0, 70)
				.trimEnd()
		: d.fields.includes('exit')
			? `exit ${d.kernel.exit} on the kernel, ${d.sim.exit} in the simulator`
			: 'the state after the last command';
	return `${outcome.minimised?.confirmed === false ? '(flaky) ' : ''}${commandForm(cmd ?? '')}: ${d.fields.join('+')}: ${line}`;
}

/** Figures of a run. */
export interface Figures {
	scenarios: number;
	/** Commands generated, and commands compared before each scenario's first divergence (included). */
	commands: number;
	compared: number;
	invalid: number;
	divergences: number;
	kernelRuns: number;
	timing: number;
	byKind: Map<string, ScenarioOutcome[]>;
	byField: Record<Field, number>;
}

/** Counts a run's figures. */
export function figures(report: FidelityReport): Figures {
	const byKind = new Map<string, ScenarioOutcome[]>();
	const byField: Record<Field, number> = { exit: 0, stdout: 0, stderr: 0, state: 0 };
	for (const o of report.outcomes) {
		const kind = divergenceKind(o);
		if (kind === undefined) continue;
		byKind.set(kind, [...(byKind.get(kind) ?? []), o]);
		for (const f of (o.minimised?.divergence ?? o.divergence)?.fields ?? []) byField[f]++;
	}
	const sum = (f: (o: ScenarioOutcome) => number): number => report.outcomes.reduce((s, o) => s + f(o), 0);
	return {
		scenarios: report.outcomes.length,
		commands: sum((o) => o.scenario.steps.length),
		compared: sum((o) => o.compared),
		invalid: sum((o) => o.scenario.steps.filter((s) => s.invalid).length),
		divergences: sum((o) => (o.divergence ? 1 : 0)),
		kernelRuns: sum((o) => o.kernelRuns),
		timing: sum((o) => o.timing),
		byKind: new Map([...byKind].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))),
		byField,
	};
}

const indent = (text: string, pad: string): string => text.trimEnd().split('\n').map((l) => `${pad}${l}`).join('\n');

/** One scenario's divergence, minimised, for the report. */
export function formatOutcome(o: ScenarioOutcome): string {
	const d = o.divergence;
	if (!d) return `${o.scenario.id} [${o.scenario.lab}] no divergence in ${o.compared} commands`;
	const at = o.scenario.steps[d.step];
	const lines = [
		d.fields.includes('state')
			? `${o.scenario.id} [${o.scenario.lab}] first divergence in the state after the last of ${o.scenario.steps.length} commands, which all match (state)`
			: `${o.scenario.id} [${o.scenario.lab}] first divergence at command ${d.step + 1} of ${o.scenario.steps.length}: [${at?.host}] $ ${at?.cmd} (${d.fields.join(', ')})`,
	];
	const m = o.minimised;
	if (m) {
		const replayed = m.confirmed === undefined ? '' : m.confirmed ? '; replayed: diverges again' : '; replayed: did NOT diverge again, it comes and goes (flaky)';
		lines.push(`  minimised to ${m.steps.length} command${m.steps.length === 1 ? '' : 's'} (${m.minimal ? '1-minimal' : 'budget reached, not proven minimal'}; ${m.kernelRuns} kernel runs, ${m.candidates} candidates${replayed}):`);
		lines.push(indent(scenarioText(o.scenario.lab, m.steps), '    '));
		lines.push(m.divergence.diff);
	} else lines.push(d.diff);
	return lines.join('\n');
}

/** The whole report as text. */
export function formatReport(report: FidelityReport): string {
	const f = figures(report);
	const out = [
		`fidelity: seed ${report.seed}, ${f.scenarios} scenarios, ${f.commands} commands (${f.invalid} invalid forms), ${f.compared} compared up to each first divergence; ${f.divergences} divergences in ${f.byKind.size} kinds; ${f.kernelRuns} kernel runs`,
	];
	if (f.timing) out.push(`  ${f.timing} commands differed only in a neighbour state that time decides (not divergences, as in verify)`);
	if (f.byKind.size) {
		out.push('', 'Divergences by kind (the divergent command\'s form: what differs: its first line that differs, - kernel, + simulator):');
		for (const [kind, list] of f.byKind) out.push(`  ${String(list.length).padStart(3)}  ${kind}  (${list.map((o) => o.scenario.id).join(', ')})`);
		out.push('', 'Each scenario\'s first divergence (- kernel, + simulator, normalised):', '');
		for (const o of report.outcomes) if (o.divergence) out.push(formatOutcome(o), '');
	}
	return out.join('\n').trimEnd() + '\n';
}
