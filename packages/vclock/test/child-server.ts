// Starts test/child-server.mjs and returns its port and a way to stop it.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const file = fileURLToPath(new URL('./child-server.mjs', import.meta.url));

export interface ChildServer {
  readonly port: number;
  /** Ends the child and waits for its exit. */
  close(): Promise<void>;
}

export async function startChildServer(
  delay: number,
  connection: 'keep-alive' | 'close' = 'close',
): Promise<ChildServer> {
  const child = spawn(process.execPath, [file, String(delay), connection], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  const close = async () => {
    child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    try {
      await exited;
    } finally {
      clearTimeout(timer);
    }
  };
  try {
    child.stdout.setEncoding('utf8');
    let text = '';
    for await (const chunk of child.stdout) {
      text += chunk as string;
      if (text.includes('\n')) break;
    }
    const port = Number.parseInt(text, 10);
    if (!Number.isInteger(port)) throw new Error(`child server did not start: ${text}`);
    return { port, close };
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw error;
  }
}
