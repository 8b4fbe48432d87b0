import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEVICE_MEMORY_FACTOR, megabytes, progressOf, reasonOf, refusal, Stall, tabMemoryMB } from './real-kernel-support.ts';

describe('whether a browser can take the real kernel', () => {
	const machine = { memoryMiB: 384 };

	it('refuses without WebAssembly, whatever the memory', () => {
		expect(refusal({ webAssembly: false, deviceMemory: 8 }, machine)).toBe('this browser has no WebAssembly, which v86 needs');
	});

	it('refuses a device that reports less than four times the machine’s memory, and trusts one that reports nothing', () => {
		expect(DEVICE_MEMORY_FACTOR).toBe(4);
		expect(refusal({ webAssembly: true, deviceMemory: 1 }, machine)).toBe(
			'this device reports 1 GB of memory, and the machine alone takes 384 MB: it needs a device with at least 2 GB',
		);
		expect(refusal({ webAssembly: true, deviceMemory: 0.5 }, machine)).toMatch(/reports 0.5 GB/);
		expect(refusal({ webAssembly: true, deviceMemory: 2 }, machine)).toBeUndefined();
		expect(refusal({ webAssembly: true }, machine)).toBeUndefined();
		// A smaller machine fits a smaller device.
		expect(refusal({ webAssembly: true, deviceMemory: 0.5 }, { memoryMiB: 128 })).toBeUndefined();
	});
});

describe('the words of the real kernel’s start', () => {
	it('states the tab’s memory from the machine’s, as measured, to 50 MB', () => {
		expect(tabMemoryMB({ memoryMiB: 384 })).toBe(600);
		expect(tabMemoryMB({ memoryMiB: 128 })).toBe(200);
	});

	it('writes sizes in decimal units, as downloads are shown', () => {
		expect(megabytes(39_934_734)).toBe('40 MB');
		expect(megabytes(3_240_000)).toBe('3.2 MB');
		expect(megabytes(850_000)).toBe('850 KB');
	});

	it('maps the phases onto one bar: the download to 80 %, the restore to 90 %, the lab to 100 %', () => {
		expect(progressOf({ phase: 'download', loaded: 0, total: 40e6 })).toEqual({ percent: 0, text: 'Downloading the saved machine: 0 MB of 40 MB' });
		expect(progressOf({ phase: 'download', loaded: 20e6, total: 40e6 })).toEqual({ percent: 40, text: 'Downloading the saved machine: 20 MB of 40 MB' });
		expect(progressOf({ phase: 'restore' }).percent).toBe(80);
		expect(progressOf({ phase: 'lab' })).toEqual({ percent: 90, text: 'Building the chapter’s lab in the kernel with sandbox.sh…' });
		expect(progressOf({ phase: 'lab', loaded: 3, total: 3 }).percent).toBe(100);
	});

	it('keeps one line of an error, and says what a failed fetch means', () => {
		expect(reasonOf(new Error('could not download state-x.bin.zst (HTTP 404)'))).toBe('could not download state-x.bin.zst (HTTP 404)');
		expect(reasonOf(new Error('the guest did not answer.\nconsole: …'))).toBe('the guest did not answer');
		expect(reasonOf(new TypeError('Failed to fetch'))).toBe('a download failed (offline, or the server did not answer)');
		expect(reasonOf(new TypeError('Failed to fetch dynamically imported module: http://x/_astro/v86-engine.js'))).toBe(
			'the page could not load the real kernel’s code (offline, or the server did not answer)',
		);
	});
});

describe('the stall timer', () => {
	afterEach(() => void vi.useRealTimers());

	it('fires only after a whole wait without a kick, with the wait it was last given', () => {
		vi.useFakeTimers();
		const fired: number[] = [];
		const stall = new Stall(1000, (ms) => fired.push(ms));
		vi.advanceTimersByTime(900);
		stall.kick();
		vi.advanceTimersByTime(900);
		expect(fired).toEqual([]);
		stall.kick(5000);
		vi.advanceTimersByTime(4999);
		expect(fired).toEqual([]);
		vi.advanceTimersByTime(1);
		expect(fired).toEqual([5000]);
		stall.kick();
		stall.stop();
		vi.advanceTimersByTime(10_000);
		expect(fired).toEqual([5000]);
	});
});
