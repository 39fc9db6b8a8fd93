// Passwords reach the CLI on standard input (a hidden prompt on a terminal),
// never as a flag, so they land in neither the shell history nor the process list.
import { createInterface } from 'node:readline';

export async function readPasswordFromStdin(): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) {
    let text = '';
    for await (const chunk of input) text += String(chunk);
    return text.replace(/\r?\n$/, '');
  }
  const rl = createInterface({ input, output: process.stderr, terminal: true });
  process.stderr.write('Password: ');
  (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => {};
  const answer = await new Promise<string>((resolve) => rl.question('', resolve));
  rl.close();
  process.stderr.write('\n');
  return answer;
}
