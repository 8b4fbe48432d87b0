// The VM figures' pure parts: image.sh's progress lines as the builder prints them, and the
// one-command chapter a boot is timed with. (Booting a VM is tests/vm-boot.test.ts's job.)
import { describe, expect, it } from 'vitest';
import { BOOT_CHAPTER, readImageStage } from './target-vm.ts';

describe('readImageStage', () => {
	it('reads the stage and its seconds from image.sh\'s lines, and nothing else', () => {
		expect(readImageStage('vm-image: apt index of Debian trixie/arm64 (5.2 s)')).toEqual({ stage: 'apt index of Debian trixie/arm64', seconds: 5.2 });
		expect(readImageStage('vm-image: downloaded 0 of 122 packages (0.4 s)')).toEqual({ stage: 'downloaded 0 of 122 packages', seconds: 0.4 });
		expect(readImageStage('vm-image: initramfs 54 MiB (125 MiB unpacked), kernel 36 MiB (12.0 s)')).toEqual({ stage: 'initramfs 54 MiB (125 MiB unpacked), kernel 36 MiB', seconds: 12 });
		expect(readImageStage('vm-image: built trixie-arm64-30edb187d1d3 (41.3 s)')).toEqual({ stage: 'built trixie-arm64-30edb187d1d3', seconds: 41.3 });
		expect(readImageStage('vm-image: apt-get update failed: …')).toBeUndefined();
		expect(readImageStage('vm: ready 12')).toBeUndefined();
	});
});

describe('BOOT_CHAPTER', () => {
	it('is one command on the machine lab\'s pi', () => {
		expect(BOOT_CHAPTER).toMatchObject({ id: '00-boot', lab: 'machine' });
		expect(BOOT_CHAPTER.blocks.map((b) => [b.host, b.runnable, b.commands.map((c) => c.text)])).toEqual([['pi', true, ['hostname']]]);
	});
});
