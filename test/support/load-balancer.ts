import http from 'node:http';

/**
 * A small reverse proxy for tests with several app processes: round robin over the backends, the
 * client's address passed on in X-Forwarded-For (from the test's `x-test-client` header, so a test
 * can speak as many addresses; the apps run with TRUST_PROXY=1). Like nginx, it tries the next
 * backend only when a connection could not be opened (the request never reached an app); a backend
 * that dies with the request in it is a 502, and the client decides whether to send again.
 */
export interface LoadBalancer {
  url: string;
  /** Requests each backend answered. */
  answered: number[];
  close(): Promise<void>;
}

export async function startLoadBalancer(ports: readonly number[]): Promise<LoadBalancer> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const answered = ports.map(() => 0);
  let next = 0;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const headers = { ...req.headers };
      const client = headers['x-test-client'];
      delete headers['x-test-client'];
      headers['x-forwarded-for'] = typeof client === 'string' ? client : '192.0.2.1';
      const attempt = (tries: number) => {
        const index = next++ % ports.length;
        const upstream = http.request(
          {
            host: '127.0.0.1',
            port: ports[index],
            method: req.method,
            path: req.url,
            headers,
            agent,
          },
          (response) => {
            answered[index] = (answered[index] ?? 0) + 1;
            res.writeHead(response.statusCode ?? 502, response.headers);
            response.pipe(res);
            response.on('error', () => res.destroy());
          },
        );
        upstream.on('error', (error: NodeJS.ErrnoException) => {
          if (res.headersSent) {
            res.destroy();
          } else if (error.code === 'ECONNREFUSED' && tries < ports.length * 3) {
            attempt(tries + 1);
          } else {
            res.writeHead(502, { 'content-type': 'text/plain' }).end(`bad gateway: ${error.code}`);
          }
        });
        upstream.end(body);
      };
      attempt(0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    answered,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
