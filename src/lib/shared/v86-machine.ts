/**
 * The book's v86 machine, the same wherever it runs: when the state is saved, when verify's v86
 * target restores it under Node, and in the reader's page. A saved state restores only into a
 * machine made with the same settings.
 */

/** Guest memory and the kernel's command line. */
export const V86_MACHINE = {
	/** MiB of guest memory: the initramfs (about 59 MiB packed, 117 unpacked) must fit twice at boot. */
	memoryMiB: 384,
	/**
	 * The kernel's command line: the console on the first serial port; init_on_free zeroes the
	 * memory the kernel frees (the packed initramfs, above all), so the saved state compresses.
	 */
	cmdline: 'console=ttyS0 quiet panic=-1 mitigations=off init_on_free=1 tsc=reliable',
} as const;

/** What a machine starts from: a saved state, or the image's kernel and initramfs (to make one). */
export type V86Start = { state: ArrayBuffer } | { bzimage: ArrayBuffer; initrd: ArrayBuffer };

/**
 * The options of v86's `V86` constructor for the book's machine: no screen, keyboard, mouse,
 * speaker or ACPI; the virtio console (the job channel); `wasm` is v86.wasm's path or URL.
 */
export function v86Options(wasm: string, bios: ArrayBuffer, vgabios: ArrayBuffer, start: V86Start): Record<string, unknown> {
	return {
		wasm_path: wasm,
		bios: { buffer: bios },
		vga_bios: { buffer: vgabios },
		...('state' in start
			? { initial_state: { buffer: start.state } }
			: { bzimage: { buffer: start.bzimage }, initrd: { buffer: start.initrd }, cmdline: V86_MACHINE.cmdline }),
		memory_size: V86_MACHINE.memoryMiB << 20,
		vga_memory_size: 2 << 20,
		virtio_console: { type: 'none' },
		disable_speaker: true,
		disable_keyboard: true,
		disable_mouse: true,
		acpi: false,
		autostart: true,
	};
}
