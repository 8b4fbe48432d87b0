/**
 * The part of "Open in a full shell" that loads with the page (it counts against the page's
 * JavaScript budget, so it only listens). Nothing else loads until the reader presses the button:
 * then it checks what a WebContainer needs, loads ./shell.ts (the WebContainer API, the terminal,
 * the editor) and the folder's files, and hands over; on any failure it says why in one line and
 * opens the page's built-in terminal instead.
 */
import { openTryIt, tryItReady } from '../try-it/open-event.ts';
import { asFailure, preflight, reasonLine, type Failure } from './reasons.ts';

const root = document.querySelector<HTMLElement>('[data-nb-fullshell]');
if (root) {
	const button = root.querySelector<HTMLButtonElement>('.nb-fs-open')!;
	const status = root.querySelector<HTMLElement>('.nb-fs-status')!;
	const body = root.querySelector<HTMLElement>('.nb-fs-body')!;
	let busy = false;

	const fallBack = (failure: Failure) => {
		const terminal = tryItReady();
		status.textContent = reasonLine(failure, terminal);
		root.dataset['state'] = 'fallback';
		root.dataset['reason'] = failure.kind;
		button.textContent = 'Try the full shell again';
		busy = false;
		button.removeAttribute('aria-disabled');
		if (terminal) openTryIt({ reveal: status });
	};

	button.addEventListener('click', () => {
		if (busy || root.dataset['state'] === 'ready') return;
		const early = preflight({ crossOriginIsolated: window.crossOriginIsolated, sharedArrayBuffer: typeof SharedArrayBuffer === 'function', onLine: navigator.onLine });
		if (early) return fallBack(early);
		busy = true;
		button.setAttribute('aria-disabled', 'true');
		root.dataset['state'] = 'loading';
		status.textContent = 'Loading the full shell…';
		import('./shell.ts')
			.catch((e: unknown) => Promise.reject(asFailure(e, 'load')))
			.then((shell) =>
				shell
					.openFullShell(body, {
						tree: root.dataset['tree']!,
						timeoutMs: Number(root.dataset['bootTimeout']),
						say: (line) => void (status.textContent = line),
					})
					.catch((e: unknown) => Promise.reject(asFailure(e, 'boot'))),
			)
			.then(
				() => {
					root.dataset['state'] = 'ready';
					button.hidden = true;
				},
				(failure: Failure) => fallBack(failure),
			);
	});
}
