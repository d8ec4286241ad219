// Fails when a source line is longer than 120 characters (prettier wraps code; this catches strings and comments).
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const MAX = 120;
const files = execFileSync(
  'git',
  ['ls-files', '-co', '--exclude-standard', '*.ts', '*.mts', '*.mjs', '*.cjs', '*.js'],
  { encoding: 'utf8' },
)
  .split('\n')
  .filter((file) => file !== '' && !file.includes('/dist/'));
const long = [];
for (const file of files) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    continue; // listed but deleted in the working tree
  }
  text.split('\n').forEach((line, index) => {
    const length = [...line].length;
    if (length > MAX) long.push(`${file}:${index + 1}: ${length} characters`);
  });
}
for (const entry of long) console.log(entry);
console.log(`${long.length} line${long.length === 1 ? '' : 's'} over ${MAX} characters in ${files.length} files`);
process.exit(long.length === 0 ? 0 : 1);
