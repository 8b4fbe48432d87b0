/**
 * How the kernel layer answers: a value, or a refusal carrying the errno (and, as netlink's
 * extended ack does, a message). Tools word refusals their own way: iproute2 prints the message as
 * `Error: …` or else `RTNETLINK answers: <strerror>`, a CNI plugin lowercases Go's error text.
 */

/** The errnos the simulated kernel answers with, and their strerror() text (glibc's wording). */
export const STRERROR = {
	ENOENT: 'No such file or directory',
	ESRCH: 'No such process',
	E2BIG: 'Argument list too long',
	EACCES: 'Permission denied',
	EBUSY: 'Device or resource busy',
	EEXIST: 'File exists',
	ENODEV: 'No such device',
	EINVAL: 'Invalid argument',
	ERANGE: 'Numerical result out of range',
	ELOOP: 'Too many levels of symbolic links',
	EMLINK: 'Too many links',
	EOPNOTSUPP: 'Operation not supported',
	EADDRNOTAVAIL: 'Cannot assign requested address',
	ENETDOWN: 'Network is down',
	ENETUNREACH: 'Network is unreachable',
	EHOSTUNREACH: 'No route to host',
	EXDEV: 'Invalid cross-device link',
} as const;

/** An errno name. */
type Errno = keyof typeof STRERROR;

/** A refusal: the errno, and the extended ack message when the kernel gives one. */
export interface Refusal {
	ok: false;
	errno: Errno;
	extack?: string | undefined;
}

/** What a kernel operation returns: its value, or why it refused. */
export type Result<T = void> = { ok: true; value: T } | Refusal;

/** A success carrying `value`. */
export function ok(): Result<void>;
export function ok<T>(value: T): Result<T>;
export function ok<T>(value?: T): Result<T | undefined> {
	return { ok: true, value };
}

/** A refusal with an errno and, optionally, the extended ack message. */
export function refuse(errno: Errno, extack?: string): Refusal {
	return extack === undefined ? { ok: false, errno } : { ok: false, errno, extack };
}
