/**
 * Opening the "Try it" panel from elsewhere in the page: "Open in a full shell" falls back to it.
 * Dispatch the event on `document`; loader.ts opens the panel, puts the focus in its terminal,
 * and scrolls `reveal` (if given) above the panel, which covers the bottom of the window.
 */
export const OPEN_TRYIT_EVENT = 'nb:tryit-open';

/** The event's detail. */
export interface OpenTryItDetail {
	/** An element to keep in view once the panel is open (the line that says why it opened). */
	reveal?: HTMLElement;
}

/** True when the page has a Try-it panel ready to answer {@link OPEN_TRYIT_EVENT}. */
export function tryItReady(): boolean {
	return document.querySelector('[data-nb-tryit][data-ready]') !== null;
}

/** Opens the page's Try-it panel (see {@link OPEN_TRYIT_EVENT}). */
export function openTryIt(detail: OpenTryItDetail = {}): void {
	document.dispatchEvent(new CustomEvent<OpenTryItDetail>(OPEN_TRYIT_EVENT, { detail }));
}
