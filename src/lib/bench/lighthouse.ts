import { launch } from 'chrome-launcher';
import lighthouse, { desktopConfig } from 'lighthouse';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './browser.ts';
import { round } from './stats.ts';

/** Scores (0–100) and the three Core Web Vitals Lighthouse measures in a lab run. */
export interface LighthouseFigures {
	url: string;
	preset: 'mobile' | 'desktop';
	performance: number;
	accessibility: number;
	bestPractices: number;
	seo: number;
	/** Largest Contentful Paint, ms (simulated throttling). */
	lcp: number;
	/** Total Blocking Time, ms. */
	tbt: number;
	/** Cumulative Layout Shift, unitless. */
	cls: number;
}

/**
 * Runs Lighthouse (pinned 12.2.3) against `urls` with Debian's Chromium, once per preset.
 * One Chromium serves every run; each run gets a fresh page.
 */
export async function runLighthouse(urls: readonly string[]): Promise<LighthouseFigures[]> {
	const chrome = await launch({
		chromePath: CHROMIUM_PATH,
		chromeFlags: [...CHROMIUM_ARGS, '--headless=new'],
	});
	try {
		const results: LighthouseFigures[] = [];
		for (const url of urls) {
			for (const preset of ['mobile', 'desktop'] as const) {
				const runner = await lighthouse(
					url,
					{ port: chrome.port, output: 'json', logLevel: 'error' },
					preset === 'desktop' ? desktopConfig : undefined,
				);
				const lhr = runner?.lhr;
				if (!lhr) throw new Error(`lighthouse gave no result for ${url} (${preset})`);
				const score = (id: string) => Math.round((lhr.categories[id]?.score ?? 0) * 100);
				const metric = (id: string) => lhr.audits[id]?.numericValue ?? NaN;
				results.push({
					url,
					preset,
					performance: score('performance'),
					accessibility: score('accessibility'),
					bestPractices: score('best-practices'),
					seo: score('seo'),
					lcp: round(metric('largest-contentful-paint'), 0),
					tbt: round(metric('total-blocking-time'), 0),
					cls: round(metric('cumulative-layout-shift'), 3),
				});
			}
		}
		return results;
	} finally {
		chrome.kill();
	}
}
