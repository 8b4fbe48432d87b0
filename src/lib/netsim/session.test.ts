import { describe, expect, it } from 'vitest';
import { createLab, type LabDefinition } from './index.ts';

const MACHINE: LabDefinition = { name: 'machine', hosts: [{ name: 'pi', interfaces: [] }], switches: [] };

function lab(interactive = true) {
	const l = createLab(MACHINE, { interactive });
	l.exec('pi', 'ip netns add alice');
	return (line: string) => {
		const r = l.exec('pi', line);
		return `${r.stdout}|${r.stderr}|${r.exit}`;
	};
}

describe('the session: who, where, which system', () => {
	it('is root in /root on Linux, named after the host', () => {
		const run = lab();
		expect(run('whoami')).toBe('root\n||0');
		expect(run('pwd')).toBe('/root\n||0');
		expect(run('uname')).toBe('Linux\n||0');
		expect(run('uname -n -s')).toBe('Linux pi\n||0');
		expect(run('uname -so')).toBe('Linux GNU/Linux\n||0');
	});

	it('has no kernel release, version or machine to name, and says so rather than invent one', () => {
		const run = lab();
		expect(run('uname -r')).toBe('|uname: the kernel release is not available in this simulator (there is no kernel here: it models Linux networking in your browser)\n|1');
		expect(run('uname -a')).toBe(run('uname -r'));
		expect(run('uname -m')).toBe('|uname: the machine is not available in this simulator (there is no kernel here: it models Linux networking in your browser)\n|1');
		expect(run('uname -q')).toBe("|uname: invalid option -- 'q'\nTry 'uname --help' for more information.\n|1");
		expect(run('whoami bob')).toBe("|whoami: extra operand ‘bob’\nTry 'whoami --help' for more information.\n|1");
	});

	it('stays in /root: cd there works, elsewhere says it is not simulated, a missing directory fails as in bash', () => {
		const run = lab();
		expect(run('cd')).toBe('||0');
		expect(run('cd ~')).toBe('||0');
		expect(run('cd /root/')).toBe('||0');
		expect(run('cd /tmp')).toBe('|bash: cd: /tmp: not available in this simulator (the shell stays in /root: give full paths instead)\n|1');
		expect(run('cd /nope')).toBe('|bash: cd: /nope: No such file or directory\n|1');
		expect(run('cd /etc/hosts')).toBe('|bash: cd: /etc/hosts: Not a directory\n|1');
		expect(run('cd a b')).toBe('|bash: cd: too many arguments\n|1');
		expect(run('pwd -x')).toBe('|bash: pwd: -x: invalid option\npwd: usage: pwd [-LP]\n|2');
		// Under bash -c (the book's recordings) the same errors name the line.
		expect(lab(false)('cd /nope')).toBe('|bash: line 1: cd: /nope: No such file or directory\n|1');
	});

	it('starts no interactive shell at the prompt, and says how to run commands instead', () => {
		const run = lab();
		expect(run('ip netns exec alice bash')).toBe('|bash: an interactive shell is not available in this simulator (run each command as ip netns exec alice CMD)\n|1');
		expect(run('sh')).toBe('|sh: an interactive shell is not available in this simulator (type the commands at this prompt)\n|1');
		expect(run('ip netns exec alice bash -c "ip -br link"')).toBe('lo               DOWN           00:00:00:00:00:00 <LOOPBACK> \n||0');
		// A script's bash with nothing on its input just ends, as bash -c does.
		expect(lab(false)('bash')).toBe('||0');
	});
});
