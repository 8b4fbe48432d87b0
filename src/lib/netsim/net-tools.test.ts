import { describe, expect, it } from 'vitest';
import { createLab, type LabDefinition } from './index.ts';

const MACHINE: LabDefinition = { name: 'machine', hosts: [{ name: 'pi', interfaces: [] }], switches: [] };

/** A pi serving /root on port 8080; returns a runner giving stdout|stderr|exit. */
function served() {
	const lab = createLab(MACHINE, { interactive: true });
	for (const line of ['ip link set lo up', 'echo "<p>hi</p>" > /root/index.html', 'python3 -m http.server 8080 &']) lab.exec('pi', line);
	return (line: string) => {
		const r = lab.exec('pi', line);
		return `${r.stdout}|${r.stderr}|${r.exit}`;
	};
}

// The headers and their order are those of curl 7.88.1 against Python 3.11's http.server, as run on
// this machine in a throwaway network namespace; Date and Last-Modified come from the virtual clock.
describe('curl', () => {
	it('reads clusters of short options: -sI asks for the headers only', () => {
		const run = served();
		expect(run('curl -sI http://127.0.0.1:8080/')).toBe(
			'HTTP/1.0 200 OK\r\nServer: SimpleHTTP/0.6 Python/3.11.2\r\nDate: Tue, 14 Nov 2023 22:13:20 GMT\r\nContent-type: text/html\r\nContent-Length: 10\r\nLast-Modified: Tue, 14 Nov 2023 22:13:20 GMT\r\n\r\n||0',
		);
		expect(run('curl -si http://127.0.0.1:8080/nope').split('\r\n').slice(0, 6)).toEqual([
			'HTTP/1.0 404 File not found',
			'Server: SimpleHTTP/0.6 Python/3.11.2',
			'Date: Tue, 14 Nov 2023 22:13:20 GMT',
			'Connection: close',
			'Content-Type: text/html;charset=utf-8',
			'Content-Length: 335',
		]);
		expect(run('curl -sm2 http://127.0.0.1:8080/')).toBe('<p>hi</p>\n||0');
		expect(run('curl -so /tmp/page http://127.0.0.1:8080/ && cat /tmp/page')).toBe('<p>hi</p>\n||0');
		expect(run('curl -sSf http://127.0.0.1:8080/nope')).toBe('|curl: (22) The requested URL returned error: 404\n|22');
	});

	it('says which options it does not run, and still calls an unknown long option unknown', () => {
		const run = served();
		expect(run('curl -sv http://127.0.0.1:8080/')).toBe('|curl: option -v: not available in this simulator (it runs -s, -S, -f, -I, -i, -o, -m, --retry, --local-port)\n|2');
		expect(run('curl --location http://127.0.0.1:8080/')).toBe('|curl: option --location: not available in this simulator (it runs -s, -S, -f, -I, -i, -o, -m, --retry, --local-port)\n|2');
		expect(run('curl --bogus http://127.0.0.1:8080/')).toBe("|curl: option --bogus: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n|2");
	});
});
