/**
 * Processes the simulator keeps: the ones that hold a namespace (`unshare --net sleep 600 &`).
 * A lab host is a PID namespace of its own, so PIDs are per host; PID 1 is the host's init, in
 * the host's own network namespace. Namespaces have inode numbers, as /proc/PID/ns/* names them.
 */
import type { Netns } from './netns.ts';

/** A user namespace made by `unshare --user`: who is root in it is decided by its uid map. */
export interface UserNs {
	/** Its inode number (`user:[N]`). */
	readonly inode: number;
}

/** Who a command runs as: a uid, in a user namespace (undefined: the host's own). */
export interface Cred {
	readonly uid: number;
	readonly userns?: UserNs | undefined;
}

/** A process that outlives the command line that started it. */
export interface Proc {
	readonly pid: number;
	/** Its argv after its last exec, as /proc/PID/cmdline and lsns's COMMAND show it. */
	readonly argv: string[];
	/** The network namespace it is in (it holds it: the namespace lives while it does). */
	readonly ns: Netns;
	/** Its credentials (undefined: root in the host's user namespace). */
	readonly cred?: Cred | undefined;
}

/** The namespace types /proc/PID/ns lists, in ls's order. */
export const NS_TYPES = ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'pid_for_children', 'time', 'time_for_children', 'user', 'uts'] as const;

/** The kernel's fixed inode numbers of the initial namespaces (PROC_*_INIT_INO): what a lab host shares with the machine. */
const INIT_INODES: Record<string, number> = { time: 4026531834, time_for_children: 4026531834, cgroup: 4026531835, user: 4026531837 };

/** The first inode number the kernel hands a new namespace (proc_inum_ida starts at 0xF0000000). */
const FIRST_INODE = 0xf0000000;

/** A network namespace's inode number (`net:[N]`): the lowest free when it was made, as the kernel's. */
export function netnsInode(ns: Netns): number {
	return ns.inode;
}

/** The inode of a host's namespace of another type (its ipc, mnt, pid and uts are its own). */
export function hostNsInode(hostIndex: number, type: string): number {
	const init = INIT_INODES[type];
	if (init !== undefined) return init;
	const k = ['ipc', 'mnt', 'pid', 'pid_for_children', 'uts'].indexOf(type);
	return FIRST_INODE + 100 + hostIndex * 4 + (k >= 3 ? k - 1 : k);
}

/** comm: the last part of argv[0], cut to 15 characters (TASK_COMM_LEN). */
export function procComm(proc: Proc): string {
	return (proc.argv[0] ?? '').split('/').pop()!.slice(0, 15);
}
