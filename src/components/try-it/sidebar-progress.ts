/**
 * Shows each chapter's progress in the sidebar ("2/3", or a tick when all checks pass), from what
 * the terminal kept in localStorage. Runs on page load, so it stays small: no terminal code here.
 */
import { loadProgress, PROGRESS_KEY } from '../../lib/terminal/progress-store.ts';

/** Fired on document by the terminal when a chapter's progress changed. */
export const PROGRESS_EVENT = 'netbook:progress';

function storage(): Storage | undefined {
	try {
		return window.localStorage;
	} catch {
		return undefined;
	}
}

/** Adds or updates a progress mark after each chapter link of the sidebar. */
export function showSidebarProgress(root: ParentNode = document): void {
	const progress = loadProgress(storage());
	for (const link of root.querySelectorAll<HTMLAnchorElement>('nav.sidebar a[href]')) {
		const id = link.getAttribute('href')?.replace(/^.*\/([^/]+)\/?$/, '$1') ?? '';
		const p = progress[id];
		let mark = link.querySelector<HTMLElement>('.nb-progress');
		if (!p || p.passed.length === 0 || p.total === 0) {
			mark?.remove();
			continue;
		}
		if (!mark) {
			mark = document.createElement('span');
			mark.className = 'nb-progress';
			mark.innerHTML = '<span class="nb-progress-mark" aria-hidden="true"></span><span class="nb-sr"></span>';
			link.append(mark);
		}
		const done = Math.min(p.passed.length, p.total);
		mark.dataset['complete'] = String(done >= p.total);
		mark.title = `${done} of ${p.total} checks done in the terminal`;
		mark.firstElementChild!.textContent = done >= p.total ? '✓' : `${done}/${p.total}`;
		// Read as part of the link's name: "Bridges, 2 of 3 checks done".
		mark.lastElementChild!.textContent = `, ${done} of ${p.total} checks done`;
	}
}

/** Keeps the sidebar in step: on load, when the terminal records progress, and across tabs. */
export function watchSidebarProgress(): void {
	showSidebarProgress();
	document.addEventListener(PROGRESS_EVENT, () => showSidebarProgress());
	window.addEventListener('storage', (e) => {
		if (e.key === PROGRESS_KEY) showSidebarProgress();
	});
}
