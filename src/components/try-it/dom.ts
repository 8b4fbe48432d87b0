/** A tiny element builder for the terminal's DOM (no framework on the page). */

type Child = Node | string | false | undefined;

/** `h('button', { class: 'x', type: 'button' }, 'Run')`: attributes set as given, `false`/`undefined` skipped. */
export function h<K extends keyof HTMLElementTagNameMap>(
	tag: K,
	attrs: Record<string, string | boolean | undefined> = {},
	...children: Child[]
): HTMLElementTagNameMap[K] {
	const el = document.createElement(tag);
	for (const [name, value] of Object.entries(attrs)) {
		if (value === false || value === undefined) continue;
		el.setAttribute(name, value === true ? '' : value);
	}
	for (const child of children) if (child !== false && child !== undefined) el.append(child);
	return el;
}
