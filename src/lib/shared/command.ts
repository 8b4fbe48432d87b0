/** What one command printed and how it ended: the same three results everywhere. Types only. */
export interface CommandOutput {
	stdout: string;
	stderr: string;
	exit: number;
}
