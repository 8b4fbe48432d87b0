/**
 * The full shell's editor: a plain textarea over one file of the WebContainer at a time, chosen
 * from a list, written back with Save (or Ctrl+S / ⌘S, or by switching files). A textarea keeps
 * what the browser gives for free: selection, undo, find, spell-check off, screen readers, phones.
 */
import type { FileSystemAPI } from '@webcontainer/api';
import { h } from '../try-it/dom.ts';

/** The editor's element, and a way to put the focus in it. */
export interface FullShellEditor {
	element: HTMLElement;
	focus(): void;
}

/** Builds the editor over `fs` for `files` (paths in the working folder), showing `first`. */
export function mountEditor(fs: FileSystemAPI, files: readonly string[], first: string): FullShellEditor {
	const select = h('select', { class: 'nb-fs-file' });
	for (const f of files) select.append(h('option', { value: f, selected: f === first }, f));
	const save = h('button', { type: 'button', class: 'nb-fs-save' }, 'Save');
	const said = h('span', { class: 'nb-fs-saved', role: 'status' });
	const text = h('textarea', { class: 'nb-fs-text', spellcheck: 'false', wrap: 'off', autocapitalize: 'off', autocomplete: 'off', 'aria-label': first });
	const element = h(
		'div',
		{ class: 'nb-fs-editor' },
		h('div', { class: 'nb-fs-editor-bar' }, h('label', {}, 'File ', select), save, said),
		text,
	);

	let current = first;
	let loaded = '';
	const load = async (path: string) => {
		loaded = await fs.readFile(path, 'utf-8');
		current = path;
		text.value = loaded;
		text.setAttribute('aria-label', `Contents of ${path}`);
	};
	const write = async (): Promise<void> => {
		if (text.value === loaded) return void (said.textContent = `${current}: no changes to save`);
		const value = text.value;
		await fs.writeFile(current, value);
		loaded = value;
		said.textContent = current.endsWith('.ts') ? `Saved ${current}: npm test rebuilds and tests it` : `Saved ${current}`;
	};
	const report = (e: unknown) => void (said.textContent = `Not saved: ${(e as Error).message}`);

	save.addEventListener('click', () => void write().catch(report));
	text.addEventListener('keydown', (e) => {
		if (e.key === 's' && (e.ctrlKey || e.metaKey)) {
			e.preventDefault();
			void write().catch(report);
		}
	});
	select.addEventListener('change', () => {
		const next = select.value;
		select.value = current;
		void write()
			.then(() => load(next))
			.then(() => void (select.value = next))
			.catch(report);
	});
	void load(first).catch(report);
	return { element, focus: () => text.focus() };
}
