import type { BookTiming } from './engines.ts';
import type { BenchResults } from './run.ts';
import { formatTargets } from './report-targets.ts';
import { formatTable, kb } from './table.ts';

/** The results as the tables `npm run bench` prints. */
export function formatResults(r: BenchResults): string {
	const out: string[] = [`bench ${r.date} · commit ${r.commit} · ${r.machine.cpu} ×${r.machine.cores} · ${r.machine.memoryGiB} GiB · Linux ${r.machine.kernel} · Node ${r.machine.node} · ${r.machine.chromium}`];
	if (r.site) {
		const s = r.site;
		out.push('', `Site: astro build ${s.buildMs.median} ms (median of ${s.buildMs.runs.length}: ${s.buildMs.runs.join(', ')}); ${s.files} files, ${kb(s.totalBytes)} KB; Pagefind index ${kb(s.pagefindBytes)} KB`);
		const rows: (string | number)[][] = [['page (KB)', 'HTML', 'HTML gz', 'CSS', 'CSS gz', 'JS', 'JS gz', 'JS gz w/ terminal']];
		for (const p of s.pages)
			rows.push([p.page, kb(p.before.html.raw), kb(p.before.html.gzip), kb(p.before.css.raw), kb(p.before.css.gzip), kb(p.before.js.raw), kb(p.before.js.gzip), p.afterTerminal ? kb(p.afterTerminal.js.gzip) : '-']);
		rows.push(['Starlight starter', kb(s.starter.html.raw), kb(s.starter.html.gzip), kb(s.starter.css.raw), kb(s.starter.css.gzip), kb(s.starter.js.raw), kb(s.starter.js.gzip), '-']);
		out.push(formatTable(rows), `chapter page / Starlight starter page (HTML+CSS+JS gzip, before interaction): ${s.chapterOverStarter}×`);
	}
	if (r.lighthouse) {
		const rows: (string | number)[][] = [['Lighthouse', 'preset', 'perf', 'a11y', 'best', 'SEO', 'LCP ms', 'TBT ms', 'CLS']];
		for (const l of r.lighthouse) rows.push([new URL(l.url).pathname, l.preset, l.performance, l.accessibility, l.bestPractices, l.seo, l.lcp, l.tbt, l.cls]);
		out.push('', formatTable(rows));
	}
	const engineRows = (t: BookTiming, label: string) => {
		const rows: (string | number)[][] = [[`${label} chapter`, 'commands', 'ms']];
		for (const c of t.chapters) rows.push([c.chapter, c.commands, c.ms]);
		rows.push(['whole book', t.commands, t.totalMs]);
		return formatTable(rows);
	};
	if (r.verify)
		out.push('', `Verify (kernel engine): whole book ${r.verify.totalMs} ms (median of ${r.verify.runs}, chapters one at a time), ${r.verify.commandsPerSecond} commands/s; empty sandbox start+teardown ${r.verify.sandboxMs} ms`, engineRows(r.verify, 'kernel'));
	if (r.sim) {
		out.push('', `Simulator: whole book ${r.sim.totalMs} ms (median of ${r.sim.runs}), ${r.sim.commandsPerSecond} commands/s; heap per lab ${kb(r.sim.heapPerLabBytes)} KB; browser bundle ${kb(r.sim.bundle.raw)} KB, ${kb(r.sim.bundle.gzip)} KB gzip, ${r.sim.bundle.firstLoad ? `${kb(r.sim.bundle.firstLoad.gzip)} KB gzip of it on opening the terminal` : 'first load not measured'}; createLab ${Object.entries(r.sim.createLabMs).map(([k, v]) => `${k} ${v} ms`).join(', ')}`);
		if (r.sim.clickToPromptMs) out.push(`terminal click → prompt in Chromium: ${r.sim.clickToPromptMs.median} ms (median of 5: ${r.sim.clickToPromptMs.runs.join(', ')})`);
		if (r.sim.browserCommandMs)
			out.push(`time per command in the page (${r.sim.browserCommandMs.commands} commands, Enter → prompt, pings skipped): median ${r.sim.browserCommandMs.median} ms, 90th percentile ${r.sim.browserCommandMs.p90} ms, max ${r.sim.browserCommandMs.max} ms`);
		out.push(engineRows(r.sim, 'sim'));
	}
	if (r.simOverKernel) {
		const rows: (string | number)[][] = [['sim / kernel', 'ratio']];
		for (const c of r.simOverKernel) rows.push([c.chapter, c.ratio]);
		out.push('', formatTable(rows));
	}
	if (r.targets) out.push('', formatTargets(r.targets));
	if (r.v86) {
		const v = r.v86;
		const mib = (n: number): string => `${(n / 1048576).toFixed(1)} MiB`;
		out.push(
			'',
			'The page\'s real kernel (v86)',
			formatTable([
				['figure', 'value'],
				['image, cold (scratch cache, packages downloaded)', `${(v.cold.imageMs / 1000).toFixed(1)} s`],
				['state, cold (first boot, save, zstd -19)', `${(v.cold.stateMs / 1000).toFixed(1)} s`],
				['image and state, cached', `${(v.cachedMs / 1000).toFixed(1)} s`],
				['download: state (zstd) / wasm / library', `${mib(v.bytes.state)} / ${mib(v.bytes.wasm)} / ${mib(v.bytes.lib)}`],
				[`restore under Node (median of ${v.restoreMs.length})`, `${v.restoreMedianMs} ms`],
				[`restore in headless Chromium, from the served site (median of ${v.browserRestoreMs.length})`, `${v.browserRestoreMedianMs} ms`],
				['the tab after restoring (renderers\' resident memory)', `${v.tabMiB} MiB`],
				[`${v.chapter.id}: ${v.chapter.commands} commands, median / p90`, `${v.chapter.medianMs} / ${v.chapter.p90Ms} ms (whole ${(v.chapter.wholeMs / 1000).toFixed(1)} s)`],
			]),
		);
	}
	return out.join('\n');
}
