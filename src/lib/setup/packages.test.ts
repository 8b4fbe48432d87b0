import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../book/paths.ts';
import { loadBook } from '../runbook/load.ts';
import { programsOf } from '../runbook/programs.ts';
import { packageOf, PROGRAMS } from '../book/packages.ts';
import { findProgram } from './preflight.ts';
import { sandboxNeeds } from '../engines/sandbox/script.ts';
import { chapterPrograms, requirementsOf, SANDBOX_SH } from './requirements.ts';

const book = loadBook();

/** Source files of the project that may start programs (the simulator only pretends to). */
function sourceFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return name === 'node_modules' || name === 'netsim' ? [] : sourceFiles(path);
		return /\.(ts|mjs)$/.test(name) ? [path] : [];
	});
}

/** A package and what it depends on, three levels deep (python3 → python3.11 → python3.11-minimal). */
function dependsOn(pkg: string, depth = 3): Set<string> {
	const found = new Set([pkg]);
	let level = [pkg];
	for (let d = 0; d < depth && level.length; d++) {
		const out = spawnSync('dpkg-query', ['-W', '-f=${Depends}, ${Pre-Depends}\\n', ...level], { encoding: 'utf8' }).stdout;
		level = out.split(/[,|\n]/).map((dep) => dep.trim().split(/[ :(]/)[0]!).filter((dep) => dep && !found.has(dep));
		level.forEach((dep) => found.add(dep));
	}
	return found;
}

describe('the one list of system packages', () => {
	it('names a package for every program the chapters call', () => {
		const programs = chapterPrograms(book);
		const unknown = [...programs].filter(([p]) => !packageOf(p)).map(([p, site]) => `${p} at ${site.where}`);
		expect(unknown).toEqual([]);
		// the chapters call ip, ping, iptables… : a parse that found nothing would pass above
		expect(programs.size).toBeGreaterThanOrEqual(20);
	});

	it('names a package for every program the lab sandbox declares, and the sandbox declares every program it calls', () => {
		const declared = sandboxNeeds();
		expect(declared.filter((p) => !packageOf(p))).toEqual([]);
		// Every command word of sandbox.sh that is a program on this machine (not a builtin, a
		// function of the script or a word inside a jq program) must be in its NEEDS line.
		const text = readFileSync(join(ROOT, SANDBOX_SH), 'utf8');
		const words = [...new Set(text.split('\n').flatMap((line) => programsOf(line)))];
		const types = execFileSync('bash', ['-c', 'for w; do printf "%s %s\\n" "$w" "$(type -t -- "$w" 2>/dev/null)"; done', '_', ...words], {
			encoding: 'utf8',
		});
		const called = types.split('\n').filter((l) => / file$/.test(l)).map((l) => l.split(' ')[0]!);
		expect(called.length).toBeGreaterThan(10);
		expect(called.filter((p) => !declared.includes(p))).toEqual([]);
	});

	it('names a package for every program the project\'s own code starts', () => {
		const started = new Map<string, string>();
		for (const file of [...sourceFiles(join(ROOT, 'src')), ...sourceFiles(join(ROOT, 'scripts')), ...sourceFiles(join(ROOT, 'tests'))]) {
			const text = readFileSync(file, 'utf8');
			for (const m of text.matchAll(/\b(?:spawnSync|spawn|execFileSync|execSync|sh)\(\s*['"`]([\w./-]+)['"`\s]/g))
				if (!started.has(m[1]!)) started.set(m[1]!, relative(ROOT, file));
		}
		expect([...started.keys()]).toEqual(expect.arrayContaining(['setpriv', 'nft', 'git', 'apt-get']));
		expect([...started].filter(([p]) => !packageOf(p)).map(([p, f]) => `${p} in ${f}`)).toEqual([]);
	});

	it('says, for every program, the package that really provides it on this machine (dpkg)', () => {
		const haveDpkg = spawnSync('dpkg-query', ['--version']).status === 0;
		expect(haveDpkg, 'the project runs its tests on Debian, where dpkg answers which package owns a file').toBe(true);
		const entries = Object.entries(PROGRAMS);
		const absent = entries.filter(([p]) => !findProgram(p)).map(([p, s]) => `${p} (npm test installs ${s.package} first)`);
		expect(absent, 'programs not on this machine').toEqual([]);
		const files = entries.map(([p]) => realpathSync(findProgram(p)!));
		// With merged /usr, dpkg may know /usr/bin/bash as /bin/bash: ask for both names.
		const aliases = (file: string) => [file, file.replace(/^\/usr\/(s?bin)\//, '/$1/')];
		const owners = new Map<string, string>();
		for (const line of spawnSync('dpkg-query', ['-S', ...new Set(files.flatMap(aliases))], { encoding: 'utf8' }).stdout.trim().split('\n')) {
			const [pkgs, file] = line.split(': ');
			const owner = pkgs!.split(',')[0]!.split(':')[0]!.trim();
			owners.set(file!, owner);
			owners.set(file!.replace(/^\/(s?bin)\//, '/usr/$1/'), owner);
		}
		const wrong = entries.flatMap(([program, source], i) => {
			const owner = owners.get(files[i]!) ?? 'no package';
			return dependsOn(source.package).has(owner) ? [] : [`${program}: ${files[i]} belongs to ${owner}, not ${source.package}`];
		});
		expect(wrong).toEqual([]);
		expect(files.filter((f) => !owners.has(f))).toEqual([]);
	});

	it('lists in the README exactly the packages npm test needs', () => {
		const packages = [...new Set(requirementsOf('test', ROOT, book).filter((r) => !packageOf(r.program)?.essential).map((r) => r.package!))].sort();
		const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
		const line = /^apt-get install .*$/m.exec(readme)?.[0];
		expect(line).toBe(`apt-get install -y --no-install-recommends ${packages.join(' ')}`);
	});
});
