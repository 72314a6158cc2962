// Electronegativity over the built desktop app (out/). The tool exits 0 whatever it
// finds, so this reads its SARIF and fails on any finding above "low". SARIF carries no
// severity, so the same run's CSV supplies it. A finding that only asks for a manual
// review may be accepted by security/electronegativity-reviewed.json, with the reason.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const outDir = join(root, 'out');
const artifacts = join(root, 'test', 'artifacts');
mkdirSync(artifacts, { recursive: true });
const sarifFile = join(artifacts, 'electronegativity.sarif');
const csvFile = join(artifacts, 'electronegativity.csv');
const cli = join(root, 'node_modules', '@doyensec', 'electronegativity', 'dist', 'index.js');
const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version as string;

for (const output of [sarifFile, csvFile]) {
  // The tool writes into an existing file without truncating it: start from none.
  rmSync(output, { force: true });
  // -e: the tool would ask the network for Electron's releases; name the version instead.
  execFileSync(process.execPath, [cli, '-i', outDir, '-o', output, '-r', '-v', 'false', '-e', electronVersion], { stdio: 'ignore' });
}

interface SarifResult {
  ruleId: string;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
}
const sarif = JSON.parse(readFileSync(sarifFile, 'utf8')) as { runs: { results: SarifResult[] }[] };
const severities = new Map<string, string>();
for (const row of parseCsv(readFileSync(csvFile, 'utf8')).slice(1)) {
  const [rule, severity, , file, location] = row.map((cell) => cell.trim());
  if (rule) severities.set(`${rule} ${file} ${location?.split(':')[0]}`, severity ?? '');
}
const reviewed = (JSON.parse(readFileSync(join(root, 'security', 'electronegativity-reviewed.json'), 'utf8')) as {
  reviewed: { ruleId: string; file: string; reason: string }[];
}).reviewed;

const results = sarif.runs.flatMap((run) => run.results);
const failures: string[] = [];
for (const result of results) {
  const location = result.locations[0]?.physicalLocation;
  const file = location?.artifactLocation.uri ?? '?';
  const line = location?.region.startLine ?? 0;
  const severity = severities.get(`${result.ruleId} ${file} ${line}`) ?? severities.get(`${result.ruleId} ${file} ${line - 1}`) ?? 'UNKNOWN';
  const accepted = result.level === 'note' && reviewed.some((r) => r.ruleId === result.ruleId && r.file === file && r.reason.length > 20);
  const verdict = severity === 'LOW' || severity === 'INFORMATIONAL' ? 'ok (low)' : accepted ? 'reviewed' : 'FAIL';
  console.log(`${verdict.padEnd(9)} ${result.ruleId} ${severity} ${file}:${line} ${result.message.text}`);
  if (verdict === 'FAIL') failures.push(result.ruleId);
}
console.log(`electronegativity: ${results.length} finding(s), ${failures.length} above low and not reviewed (SARIF: ${sarifFile})`);
process.exitCode = failures.length > 0 ? 1 : 0;

/** RFC 4180 CSV: quoted cells may hold commas, quotes ("") and line breaks (CSP samples do). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += char;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}
