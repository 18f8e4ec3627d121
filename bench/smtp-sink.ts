/**
 * A local SMTP server in a process of its own, as a mail relay on the same machine would be: the
 * invitations benchmark measures what Loyaal's process spends per message, not what the receiving
 * server spends parsing it. Started by `startSmtpSink()`; answers `count` with the messages taken in.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { startSmtpServer } from '../test/support/smtp-server.ts';

export interface SmtpSink {
  url: string;
  /** The messages the sink has taken in so far. */
  count(): Promise<number>;
  close(): Promise<void>;
}

type FromSink = { port: number } | { count: number };

export async function startSmtpSink(): Promise<SmtpSink> {
  const child = fork(fileURLToPath(import.meta.url), ['--sink'], { stdio: 'inherit' });
  const [ready] = (await once(child, 'message')) as [FromSink];
  if (!('port' in ready)) throw new Error('the SMTP sink did not start');
  return {
    url: `smtp://127.0.0.1:${ready.port}`,
    async count() {
      child.send('count');
      const [reply] = (await once(child, 'message')) as [FromSink];
      if (!('count' in reply)) throw new Error('the SMTP sink did not count');
      return reply.count;
    },
    async close() {
      child.kill();
      await once(child, 'exit');
    },
  };
}

if (process.argv.includes('--sink') && process.send) {
  const server = await startSmtpServer();
  process.on('message', (message) => {
    if (message === 'count') process.send?.({ count: server.received.length });
  });
  process.send({ port: server.port });
}
