// A second process for the lock tests: takes a lab's lock in the given state directory,
// says so on stdout, and holds it until its stdin ends (or it is killed).
import { LabLocks } from '../../electron/engine/lab-lock.js';

const [stateDirectory, lab] = process.argv.slice(2);
if (!stateDirectory || !lab) {
  process.stderr.write('usage: lock-holder-process.ts STATE_DIRECTORY LAB\n');
  process.exit(2);
}
const locks = new LabLocks(stateDirectory, { command: 'lock-holder test process' });
const release = await locks.acquire(lab);
process.stdout.write(`held ${process.pid}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void release().then(() => {
    process.stdout.write('released\n');
    process.exit(0);
  });
});
