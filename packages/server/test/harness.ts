import type { JoinedFrame } from '@ponte/protocol';
import { createServer, type PonteServer, type ServerOptions } from '../src/index.js';
import { TestClient } from './TestClient.js';
import type { ClientOptions } from 'ws';

/** A listening server and the clients a test opened against it. */
export interface Harness {
  server: PonteServer;
  url: string;
  /** Opens a client (closed by `stop`). */
  connect(options?: ClientOptions & { path?: string }): Promise<TestClient>;
  /** Opens a client and joins `room` with it: the client, its peer id and the whole `joined`. */
  joined(room: string, name?: string): Promise<{ client: TestClient; id: string; joined: JoinedFrame }>;
  /** Closes every client and the server. */
  stop(): Promise<void>;
}

/** Starts a real server on a free port with silent logs. */
export async function startHarness(options: ServerOptions = {}): Promise<Harness> {
  const server = createServer({ logger: false, ...options });
  const { url } = await server.listen(0);
  const clients: TestClient[] = [];
  const connect = async (clientOptions?: ClientOptions & { path?: string }): Promise<TestClient> => {
    const client = await TestClient.connect(url, clientOptions);
    clients.push(client);
    return client;
  };
  return {
    server,
    url,
    connect,
    async joined(room, name = 'Ana') {
      const client = await connect();
      const joined = await client.join(room, name);
      return { client, id: joined.self, joined };
    },
    async stop() {
      for (const client of clients) client.ws.terminate();
      await server.close();
    },
  };
}
