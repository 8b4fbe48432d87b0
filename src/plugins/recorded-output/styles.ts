/**
 * Styles of the recorded-output terminal, added by Expressive Code to every page with code
 * (scoped to `.expressive-code`). Colours come from Starlight's theme variables, so they follow
 * its light and dark themes; `-high` shades are the ones Starlight keeps readable as text.
 */
export const recordedOutputStyles = `
.nb-prompt, .nb-ps2 {
	user-select: none;
	-webkit-user-select: none;
}
.nb-prompt {
	font-weight: 600;
	color: var(--sl-color-green-high, #2e7d32);
}
.nb-prompt .nb-path {
	color: var(--sl-color-blue-high, #1565c0);
}
.nb-ps2 {
	color: var(--sl-color-gray-3, #666);
}
.nb-out {
	display: block;
	padding-inline: var(--ec-codePadInl);
	margin-block: 0.15rem 0.5rem;
	color: var(--ec-codeFg);
	border-inline-start: 3px solid var(--sl-color-gray-5, #ccc);
}
.nb-out .nb-stderr {
	color: var(--sl-color-orange-high, #a04000);
}
/* An output that is one empty line (\`ip netns identify\` of an unnamed namespace) still shows as a line. */
.nb-out > span:empty {
	display: inline-block;
	min-height: 1lh;
}
.nb-out .nb-exit {
	display: block;
	width: fit-content;
	margin-block-start: 0.25rem;
	padding: 0 0.6em;
	border: 1px solid currentColor;
	border-radius: 999px;
	font-family: var(--ec-uiFontFml);
	font-size: 0.8em;
	color: var(--sl-color-gray-2, #333);
}
.nb-out .nb-exit.nb-expected {
	color: var(--sl-color-red-high, #b00020);
}
.nb-out.nb-fails {
	border-inline-start-color: var(--sl-color-red, #b00020);
}
.nb-out details.nb-more > summary {
	cursor: pointer;
	width: fit-content;
	font-family: var(--ec-uiFontFml);
	font-size: 0.85em;
	color: var(--sl-color-text-accent, #0055aa);
	text-decoration: underline;
	text-underline-offset: 0.2em;
}
.nb-out details.nb-reveal > summary {
	cursor: pointer;
	width: fit-content;
	font-family: var(--ec-uiFontFml);
	font-size: 0.85em;
	font-weight: 600;
	color: var(--sl-color-text-accent, #0055aa);
	text-decoration: underline;
	text-underline-offset: 0.2em;
}
.nb-out details.nb-reveal > summary:focus-visible,
.nb-out details.nb-more > summary:focus-visible {
	outline: 2px solid var(--sl-color-text-accent, #0055aa);
	outline-offset: 2px;
}
.nb-out details.nb-more[open] > summary {
	margin-block-end: 0.25rem;
}
/* The badge and the other targets' note: one strip under the terminal. */
.nb-badge,
.nb-alts {
	padding: 0.3rem var(--ec-codePadInl);
	border: var(--ec-brdWd) solid var(--ec-brdCol);
	border-top: none;
	font-family: var(--ec-uiFontFml);
	font-size: 0.8rem;
	line-height: 1.4;
	color: var(--sl-color-gray-2, #333);
	background: var(--sl-color-gray-6, #eee);
}
.nb-badge {
	display: flex;
	gap: 0.5em;
	align-items: baseline;
}
.nb-badge.nb-verified .nb-badge-icon {
	color: var(--sl-color-green-high, #2e7d32);
	font-weight: 700;
}
.nb-badge.nb-unverified {
	color: var(--sl-color-red-high, #b00020);
	font-weight: 600;
}
/* Another target printed something different (.nb-alts): a note, then its output (details; with JS a switch). */
.nb-alts > p {
	margin: 0;
}
.nb-alts-icon {
	font-weight: 700;
	color: var(--sl-color-orange-high, #a04000);
}
.nb-alt > summary {
	cursor: pointer;
	width: fit-content;
	color: var(--sl-color-text-accent, #0055aa);
	text-decoration: underline;
	text-underline-offset: 0.2em;
}
.nb-alt > pre {
	margin-block: 0.3rem;
	font-size: var(--ec-codeFontSize);
}
pre[hidden] {
	display: none;
}
.nb-switch {
	display: flex;
	flex-wrap: wrap;
	align-items: center;
	gap: 0.35rem;
	margin-block-start: 0.3rem;
}
.nb-switch button {
	padding: 0.1rem 0.6rem;
	border: 1px solid var(--sl-color-text-accent, #0055aa);
	border-radius: 999px;
	background: var(--sl-color-bg, #fff);
	color: var(--sl-color-text-accent, #0055aa);
	font: inherit;
	cursor: pointer;
}
/* Pressed: filled, same width as unpressed (no bold), so switching moves nothing. */
.nb-switch button[aria-pressed='true'] {
	background: var(--sl-color-text-accent, #0055aa);
	color: var(--sl-color-black, #fff);
}
.nb-switch button:focus-visible, .nb-alt > summary:focus-visible {
	outline: 2px solid var(--sl-color-text-accent, #0055aa);
	outline-offset: 2px;
}
`;
