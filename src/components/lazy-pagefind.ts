/**
 * Stand-in for `@pagefind/default-ui` in Starlight's search script (swapped in by the
 * `netbook:lazy-pagefind` Vite plugin in astro.config.mjs). Starlight loads Pagefind's UI
 * (~26 KB gzip) as soon as the page is idle; this shim waits for the reader to reach for
 * search (hover, focus or click on the search button, or Ctrl/⌘+K) and only then loads it,
 * which keeps a chapter page's JavaScript before interaction under its 30 KB budget.
 */
type Options = Record<string, unknown> & { element: string };

export class PagefindUI {
	constructor(options: Options) {
		const button = document.querySelector<HTMLButtonElement>('button[data-open-modal]');
		let started = false;
		const start = async () => {
			if (started) return;
			started = true;
			// @ts-expect-error: @pagefind/default-ui ships no types
			const { PagefindUI: Real } = await import('@pagefind/default-ui');
			new Real(options);
			const dialog = document.querySelector<HTMLDialogElement>('site-search dialog');
			if (dialog?.open) document.querySelector<HTMLInputElement>(`${options.element} input`)?.focus();
		};
		for (const type of ['pointerenter', 'focus', 'click', 'touchstart'])
			button?.addEventListener(type, () => void start(), { once: true, passive: true });
		window.addEventListener('keydown', (e) => {
			if ((e.metaKey || e.ctrlKey) && e.key === 'k') void start();
		});
		// Reached for search before this shim loaded (it loads when the page is idle)?
		const dialog = document.querySelector<HTMLDialogElement>('site-search dialog');
		if (!button || dialog?.open || button.matches(':hover, :focus')) void start();
	}
}
