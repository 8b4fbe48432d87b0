// npm run setup -- test|verify|verify-vm|lab|bench   (lab: what a machine that runs the labs needs, e.g. a Pi)
// Checks that this machine has every program that command needs and, as root on Debian or
// Ubuntu, installs what is missing with apt-get (one line says what and why). Otherwise it stops
// with one line naming the missing programs and the apt-get line to run. `npm test` runs it first.
// The list of programs and packages: src/lib/book/packages.ts.
import { prepareMachine } from '../src/lib/setup/prepare.ts';

const purpose = process.argv[2];
if (purpose !== 'test' && purpose !== 'verify' && purpose !== 'verify-vm' && purpose !== 'lab' && purpose !== 'bench') {
	process.stderr.write('usage: npm run setup -- test|verify|verify-vm|lab|bench\n');
	process.exit(2);
}
process.exit(prepareMachine(purpose));
