/**
 * The part of "Try it" that loads with the page (kept small: it counts against the page's
 * JavaScript budget). It marks progress in the sidebar, adds "Run" and "Run up to here" to every
 * runnable block, and loads the terminal (./panel.ts, the topology code and, on the first
 * command, the simulator) only when the reader opens it or reaches for a Run button.
 */
import { readData } from './data.ts';
import { OPEN_TRYIT_EVENT, type OpenTryItDetail } from './open-event.ts';
import { watchSidebarProgress } from './sidebar-progress.ts';
import type { TryItPanel } from './panel.ts';

watchSidebarProgress();

const root = document.querySelector<HTMLElement>('[data-nb-tryit]');
const data = root ? readData(root) : undefined;
if (root && data) {
	const toggle = root.querySelector<HTMLButtonElement>('.nb-tryit-toggle')!;
	const body = root.querySelector<HTMLElement>('.nb-tryit-body')!;
	let module: Promise<typeof import('./panel.ts')> | undefined;
	let panel: Promise<TryItPanel> | undefined;
	const load = () => (module ??= import('./panel.ts'));

	// The dock covers the bottom of the window: as much scroll padding there keeps a focused
	// element (and anything scrolled into view) clear of it, resized with the bar or the panel.
	new ResizeObserver(() => {
		document.documentElement.style.setProperty('--nb-dock-cover', `${Math.ceil(root.getBoundingClientRect().height)}px`);
	}).observe(root);
	// Where the reader was when the panel opened: Escape closes it and puts the focus back there.
	let opener: HTMLElement | undefined;
	const setOpen = (open: boolean) => {
		if (open && root.dataset['open'] !== 'true') {
			const active = document.activeElement;
			opener = active instanceof HTMLElement && active !== document.body && !root.contains(active) ? active : toggle;
		}
		// Open, the panel lives in the top layer (a manual popover), above Starlight's sidebars
		// whatever their stacking; closed, it is the bar in the page again.
		if ('showPopover' in root) {
			if (open && !root.matches(':popover-open')) {
				root.popover = 'manual';
				root.showPopover();
			} else if (!open && root.popover) {
				root.hidePopover();
				root.removeAttribute('popover');
			}
		}
		root.dataset['open'] = String(open);
		toggle.setAttribute('aria-expanded', String(open));
		toggle.textContent = open ? 'Hide the terminal' : 'Open the terminal';
		if (open) toggle.setAttribute('aria-keyshortcuts', 'Escape');
		else toggle.removeAttribute('aria-keyshortcuts');
		body.hidden = !open;
	};
	const open = (): Promise<TryItPanel> => {
		setOpen(true);
		return (panel ??= load().then((m) => m.mountPanel(body, data)));
	};
	// The open panel covers the bottom of the window: bring a block it hides up above it.
	const uncover = (figure: HTMLElement) => {
		const box = figure.getBoundingClientRect();
		const top = root.getBoundingClientRect().top;
		if (box.bottom > top) window.scrollBy({ top: Math.max(0, Math.min(box.bottom - top + 8, box.top - 72)), behavior: 'smooth' });
	};
	toggle.addEventListener('click', () => {
		if (root.dataset['open'] === 'true') return setOpen(false);
		void open().then((p) => p.focus());
	});
	// Another part of the page asks for the terminal ("Open in a full shell", falling back to it).
	document.addEventListener(OPEN_TRYIT_EVENT, (e) => {
		const { reveal } = (e as CustomEvent<OpenTryItDetail>).detail ?? {};
		void open().then((p) => {
			p.focus();
			if (reveal) uncover(reveal);
		});
	});
	// Escape closes the panel, unless the terminal took it (skipping a running command); in the
	// terminal's line the first Escape means "Tab leaves the terminal", so there it takes two.
	let escaped = false;
	root.addEventListener('keydown', (e) => {
		const again = escaped;
		escaped = e.key === 'Escape';
		if (!escaped || e.defaultPrevented || root.dataset['open'] !== 'true') return;
		if ((e.target as Element).matches('.nb-tl-input') && !again) return;
		e.preventDefault();
		setOpen(false);
		(opener?.isConnected && opener.checkVisibility() ? opener : toggle).focus();
	});
	// Start downloading as soon as the reader reaches for a control: the click then waits less.
	const prefetch = () => void load();
	toggle.addEventListener('pointerenter', prefetch, { once: true });
	toggle.addEventListener('focus', prefetch, { once: true });
	// Once the reader starts reading (the first scroll, an interaction), fetch the panel and the
	// simulator when the browser is idle: the terminal then opens at once, and offline too. Nothing
	// of it loads before the reader does anything, so the page's own weight is unchanged.
	const idle = (fn: () => void) => ('requestIdleCallback' in window ? requestIdleCallback(fn, { timeout: 3000 }) : setTimeout(fn, 1000));
	const warm = () =>
		load()
			.then((m) => m.warmUp())
			.then(() => void (root.dataset['warm'] = ''))
			.catch(() => undefined); // offline already: the click will say so
	window.addEventListener('scroll', () => idle(() => void warm()), { once: true, passive: true });

	const byLine = new Map(data.blocks.map((b) => [b.line, b]));
	for (const figure of document.querySelectorAll<HTMLElement>('figure.nb-terminal.nb-runnable[data-nb-line]')) {
		const block = byLine.get(Number(figure.dataset['nbLine']));
		const badge = figure.querySelector('.nb-badge');
		if (!block || !badge) continue;
		const bar = document.createElement('span');
		bar.className = 'nb-run';
		const button = (text: string, label: string, run: (p: TryItPanel) => Promise<void>) => {
			const b = document.createElement('button');
			b.type = 'button';
			b.textContent = text;
			b.setAttribute('aria-label', label);
			b.title = label;
			b.addEventListener('click', () =>
				void open().then((p) => {
					uncover(figure);
					return run(p);
				}),
			);
			b.addEventListener('pointerenter', prefetch, { once: true });
			b.addEventListener('focus', prefetch, { once: true });
			return b;
		};
		const n = block.index + 1;
		bar.append(
			button('Run', `Run block ${n} in the terminal, on ${block.host}`, (p) => p.runBlock(block.index)),
			button('Run up to here', `Run up to here: a fresh lab with every block before block ${n}`, (p) => p.runUpTo(block.index)),
		);
		badge.append(bar);
		figure.dataset['nbRunReady'] = '';
	}
	root.dataset['ready'] = '';
}
