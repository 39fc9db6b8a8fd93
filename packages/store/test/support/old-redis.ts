// A stand-in for a Redis too old for the store: it speaks just enough RESP2
// for ioredis's handshake and answers INFO with the version given. Only the
// start-up version check meets it; everything else runs against real Redis.
import { createServer, type Server } from 'node:net';
import { once } from 'node:events';

/** Splits complete RESP arrays of bulk strings off `buffer`; returns the commands and the rest. */
function parseCommands(buffer: string): [string[][], string] {
  const commands: string[][] = [];
  let rest = buffer;
  for (;;) {
    const header = /^\*(\d+)\r\n/.exec(rest);
    if (!header) return [commands, rest];
    let at = header[0].length;
    const args: string[] = [];
    for (let i = 0; i < Number(header[1]); i++) {
      const bulk = /^\$(\d+)\r\n/.exec(rest.slice(at));
      if (!bulk || rest.length < at + bulk[0].length + Number(bulk[1]) + 2) return [commands, rest];
      at += bulk[0].length;
      args.push(rest.slice(at, at + Number(bulk[1])));
      at += Number(bulk[1]) + 2;
    }
    commands.push(args);
    rest = rest.slice(at);
  }
}

export async function startOldRedis(version: string): Promise<{ url: string; server: Server }> {
  const server = createServer((socket) => {
    let buffer = '';
    socket.on('data', (chunk) => {
      const [commands, rest] = parseCommands(buffer + chunk.toString());
      buffer = rest;
      for (const [name = ''] of commands) {
        const info = `# Server\r\nredis_version:${version}\r\nloading:0\r\n`;
        if (name.toUpperCase() === 'HELLO') socket.write('-ERR unknown command HELLO\r\n');
        else if (name.toUpperCase() === 'INFO') socket.write(`$${info.length}\r\n${info}\r\n`);
        else socket.write('+OK\r\n');
      }
    });
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `redis://127.0.0.1:${(server.address() as { port: number }).port}`, server };
}
