/**
 * util-linux's setpriv: runs a command as another user. Modelled: root handing a command to an
 * unprivileged uid (`--reuid=65534 --regid=65534 --clear-groups`), so that the kernel's
 * capability checks can be seen to refuse it.
 */
import type { Tool } from '../../tool/types.ts';
import { decline } from './decline.ts';

const INSTEAD = 'setpriv --reuid=UID --regid=GID --clear-groups CMD is modelled, as root';

/** Users by name, as Debian's /etc/passwd has them. */
const IDS: Record<string, number> = { root: 0, nobody: 65534, nogroup: 65534 };

/** setpriv --reuid=UID [--regid=GID] [--clear-groups|--keep-groups|--init-groups] CMD…. */
export const setpriv: Tool = (argv, ctx) => {
	let uid: number | undefined;
	let i = 0;
	for (; i < argv.length; i++) {
		const a = argv[i] as string;
		if (a === '--') {
			i++;
			break;
		}
		if (!a.startsWith('-')) break;
		const [opt, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
		if (['--reuid', '--ruid', '--euid', '--regid', '--rgid', '--egid'].includes(opt)) {
			const value = inline ?? argv[++i];
			const id = value === undefined ? undefined : /^\d+$/.test(value) ? Number(value) : IDS[value];
			if (id === undefined) return decline('setpriv', `the user or group ${value ?? '(none)'}`, INSTEAD);
			if (opt.endsWith('uid')) uid = id;
		} else if (!['--clear-groups', '--keep-groups', '--init-groups', '--nnp', '--no-new-privs'].includes(opt)) return decline('setpriv', `option ${a}`, INSTEAD);
	}
	const cmd = argv.slice(i);
	if (cmd.length === 0 || ctx.cred !== undefined) return decline('setpriv', cmd.length === 0 ? 'setpriv without a command' : 'setpriv as a user other than root', INSTEAD);
	// Root that becomes another uid keeps no capabilities (unless asked to, which is not modelled).
	const cred = uid === undefined || uid === 0 ? ctx.cred : { uid };
	return ctx.run({ ...ctx, cred }, cmd);
};
