// The VM target's pure parts: which lab interfaces become NICs, QEMU's command line (no network
// device that reaches outside), and the image builder's helpers (sourced from image.sh).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { loadLab } from '../../book/labs.ts';
import { accelFromEnv, IMAGE_SCRIPT, isVmArch, labNics, qemuArgs } from './vm.ts';

const files = { kernel: '/i/vmlinuz', initrd: '/i/initrd.img', control: '/r/control.sock' };

/** Runs bash with image.sh sourced (its functions only) and returns stdout as a Buffer. */
function imageSh(code: string, input = ''): Buffer {
	const r = spawnSync('bash', ['-c', `source "$1"; ${code}`, '_', IMAGE_SCRIPT], { input });
	expect(r.stderr.toString()).toBe('');
	expect(r.status).toBe(0);
	return r.stdout;
}

describe('the NICs of a VM', () => {
	it("are the machine lab's uplink, with the MACs the sandbox gives veths", () => {
		expect(labNics(loadLab('machine'))).toEqual([{ host: 'pi', name: 'eth0', mac: '02:00:00:00:00:01', wire: '02:00:00:00:01:01' }]);
	});

	it('are none in labs without an uplink', () => {
		expect(labNics(loadLab('two-hosts'))).toEqual([]);
		expect(labNics(loadLab('nodes'))).toEqual([]);
	});
});

describe("QEMU's command line", () => {
	const nics = labNics(loadLab('machine'));

	it('puts each NIC pair on a hub of its own, with no host backend, and nothing else on a network', () => {
		const args = qemuArgs('arm64', files, nics);
		const values = (flag: string) => args.flatMap((a, i) => (args[i - 1] === flag ? [a] : []));
		expect(values('-netdev')).toEqual(['hubport,id=hub0h,hubid=0', 'hubport,id=hub0w,hubid=0']);
		expect(values('-device').filter((d) => d.startsWith('virtio-net'))).toEqual([
			'virtio-net-pci,netdev=hub0h,mac=02:00:00:00:00:01,romfile=',
			'virtio-net-pci,netdev=hub0w,mac=02:00:00:00:01:01,romfile=',
		]);
		expect(args).toContain('-nodefaults');
		// every network backend QEMU has that could reach the host or beyond: none
		expect(args.filter((a) => /^-(nic|net)$/.test(a))).toEqual([]);
		expect(values('-netdev').filter((n) => /^(user|tap|bridge|socket|stream|dgram|vde|l2tpv3|vhost-user|vhost-vdpa|af-xdp)\b/.test(n))).toEqual([]);
		// the one socket is the control port's, a Unix socket in a private folder (no host, no port)
		expect(values('-chardev')).toEqual(['socket,id=control,path=/r/control.sock,server=on,wait=off']);
		expect(values('-netdev').every((n) => n.startsWith('hubport,'))).toBe(true);
	});

	it('runs under KVM on the host\'s CPU only when asked (NETBOOK_VM_ACCEL=kvm), TCG otherwise', () => {
		const kvm = qemuArgs('x86_64', files, [], { accel: 'kvm', icount: true }).join(' ');
		expect(kvm).toContain('-M q35 -cpu host -accel kvm -smp 1');
		expect(kvm).not.toContain('icount');
		expect(qemuArgs('arm64', files, [], { accel: 'kvm' }).join(' ')).toContain('-M virt,gic-version=max -cpu host -accel kvm');
		expect(accelFromEnv(undefined)).toBe('tcg');
		expect(accelFromEnv('kvm')).toBe('kvm');
		expect(() => accelFromEnv('hvf')).toThrow('NETBOOK_VM_ACCEL=hvf: use tcg (the default) or kvm');
	});

	it('has no network device at all without NICs', () => {
		const args = qemuArgs('x86_64', files, []);
		expect(args.filter((a) => /netdev|virtio-net|^-nic$|^-net$/.test(a))).toEqual([]);
	});

	it('boots each architecture with its machine, console and the control port (jobs in, results out)', () => {
		const arm = qemuArgs('arm64', files, []).join(' ');
		expect(arm).toContain('-M virt -cpu cortex-a72 -accel tcg,tb-size=128 -smp 1 -m 1024');
		expect(qemuArgs('arm64', files, [], { icount: true }).join(' ')).toContain('-accel tcg,tb-size=128 -icount shift=1,sleep=off -smp 1');
		expect(arm).toContain('-append console=ttyAMA0 quiet panic=-1');
		expect(arm).toContain(
			'-chardev socket,id=control,path=/r/control.sock,server=on,wait=off -device virtserialport,bus=vs.0,chardev=control,name=netbook.control',
		);
		const x86 = qemuArgs('x86_64', files, []).join(' ');
		expect(x86).toContain('-M q35 -accel tcg,tb-size=128 -smp 1');
		expect(x86).toContain('console=ttyS0');
		expect(isVmArch('arm64') && isVmArch('x86_64') && !isVmArch('riscv64')).toBe(true);
	});
});

describe('the image builder', () => {
	it("reads the packages apt would install from its simulation's Inst lines", () => {
		const apt = [
			'NOTE: This is only a simulation!',
			'Inst libc6 (2.41-12 Debian:13.2/stable [arm64])',
			'Inst bash (5.2.37-2+b5 Debian:13.2/stable [arm64]) []',
			'Inst python3.13-minimal (3.13.5-2 Debian:13.2/stable, Debian-Security:13/stable-security [arm64])',
			'Conf libc6 (2.41-12 Debian:13.2/stable [arm64])',
			'Inst base-passwd (1:3.6.7 Debian:13.2/stable [arm64])',
		].join('\n');
		expect(imageSh('simulated_installs', `${apt}\n`).toString()).toBe('libc6=2.41-12\nbash=5.2.37-2+b5\npython3.13-minimal=3.13.5-2\nbase-passwd=1:3.6.7\n');
	});

	it('lists words of a list file without comments and blank lines', () => {
		expect(imageSh('words <(cat)', '# a comment\nbash  # the shell\n\n  jq\nnft_*\n').toString()).toBe('bash\njq\nnft_*\n');
	});

	it('writes by hand a cpio archive that holds /dev/console, which cpio itself reads back', () => {
		const archive = imageSh('console_cpio');
		expect(archive.length % 4).toBe(0);
		const listed = spawnSync('cpio', ['-itv', '--quiet'], { input: archive, encoding: 'utf8' });
		expect(listed.status).toBe(0);
		expect(listed.stdout.replace(/ +/g, ' ')).toBe(
			'drwxr-xr-x 1 root root 0 Jan 1 1970 dev\ncrw------- 1 root root 5, 1 Jan 1 1970 dev/console\n',
		);
	});
});
