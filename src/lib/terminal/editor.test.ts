import { describe, expect, it } from 'vitest';
import { editKey, History, type LineState } from './editor.ts';

const line = (text: string, cursor = text.length): LineState => ({ text, cursor });
const key = (k: string, mods: { ctrl?: boolean; alt?: boolean; shift?: boolean } = {}) => ({ key: k, ...mods });

describe('editKey', () => {
	it('moves to the start and the end with Ctrl-A, Ctrl-E, Home and End', () => {
		expect(editKey(line('ip link', 3), key('a', { ctrl: true }))?.state).toEqual(line('ip link', 0));
		expect(editKey(line('ip link', 0), key('e', { ctrl: true }))?.state).toEqual(line('ip link', 7));
		expect(editKey(line('ip link', 3), key('Home'))?.state.cursor).toBe(0);
		expect(editKey(line('ip link', 3), key('End'))?.state.cursor).toBe(7);
	});

	it('cuts before the cursor with Ctrl-U, after it with Ctrl-K, and pastes back with Ctrl-Y', () => {
		const u = editKey(line('ip addr show', 8), key('u', { ctrl: true }));
		expect(u).toEqual({ state: line('show', 0), killed: 'ip addr ' });
		const k = editKey(line('ip addr show', 7), key('k', { ctrl: true }));
		expect(k).toEqual({ state: line('ip addr', 7), killed: ' show' });
		expect(editKey(line('show', 0), key('y', { ctrl: true }), 'ip addr ')?.state).toEqual(line('ip addr show', 8));
	});

	it('cuts the word before the cursor with Ctrl-W (up to a space) and Alt-Backspace (a word)', () => {
		expect(editKey(line('ip link set dev eth0'), key('w', { ctrl: true }))).toEqual({ state: line('ip link set dev ', 16), killed: 'eth0' });
		expect(editKey(line('ping 10.0.0.1  '), key('w', { ctrl: true }))?.state).toEqual(line('ping ', 5));
		expect(editKey(line('sysctl net.ipv4.ip_forward=1'), key('Backspace', { alt: true }))?.state.text).toBe('sysctl net.ipv4.ip_forward=');
	});

	it('moves by character and word with Ctrl-B/F and Alt-B/F', () => {
		expect(editKey(line('ip link', 3), key('b', { ctrl: true }))?.state.cursor).toBe(2);
		expect(editKey(line('ip link', 3), key('f', { ctrl: true }))?.state.cursor).toBe(4);
		expect(editKey(line('ip link show', 12), key('b', { alt: true }))?.state.cursor).toBe(8);
		expect(editKey(line('ip link show', 0), key('f', { alt: true }))?.state.cursor).toBe(2);
	});

	it('turns Enter, Tab, arrows, Ctrl-C, Ctrl-L and Ctrl-D into actions', () => {
		expect(editKey(line('ip a'), key('Enter'))?.action).toBe('submit');
		expect(editKey(line('ip a'), key('Tab'))?.action).toBe('complete');
		expect(editKey(line('ip a'), key('ArrowUp'))?.action).toBe('history-prev');
		expect(editKey(line('ip a'), key('ArrowDown'))?.action).toBe('history-next');
		expect(editKey(line('ip a'), key('c', { ctrl: true }))).toEqual({ state: line('', 0), action: 'interrupt' });
		expect(editKey(line('ip a'), key('l', { ctrl: true }))?.action).toBe('clear-screen');
		expect(editKey(line(''), key('d', { ctrl: true }))?.action).toBe('eof');
		expect(editKey(line('ip a', 0), key('d', { ctrl: true }))?.state).toEqual(line('p a', 0));
	});

	it('leaves typing, Shift-Tab and Meta shortcuts to the browser', () => {
		expect(editKey(line('ip'), key('x'))).toBeUndefined();
		expect(editKey(line('ip'), key('Tab', { shift: true }))).toBeUndefined();
		expect(editKey(line('ip'), { key: 'c', meta: true })).toBeUndefined();
		expect(editKey(line('ip'), key('ArrowLeft'))).toBeUndefined();
	});
});

describe('History', () => {
	it('walks back and forth and keeps the line being typed as a draft', () => {
		const h = new History();
		h.push('ip link');
		h.push('ip addr');
		expect(h.prev('ip r')).toBe('ip addr');
		expect(h.prev('ip addr')).toBe('ip link');
		expect(h.prev('ip link')).toBeUndefined();
		expect(h.next()).toBe('ip addr');
		expect(h.next()).toBe('ip r');
		expect(h.next()).toBeUndefined();
	});

	it('skips blank lines and repeats, and drops the oldest past its limit', () => {
		const h = new History(2);
		for (const l of ['a', 'a', ' ', 'b', 'c']) h.push(l);
		expect(h.list()).toEqual(['b', 'c']);
	});
});
