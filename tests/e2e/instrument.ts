import type { Page } from '@playwright/test';

/**
 * Counts the `RTCPeerConnection`s a page creates, and keeps them for `getStats()`, by
 * wrapping the browser's own constructor before any page script runs. Call before `goto`.
 */
export async function trackPeerConnections(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const Native = window.RTCPeerConnection;
    const created: RTCPeerConnection[] = [];
    (window as unknown as { __ponteConnections: RTCPeerConnection[] }).__ponteConnections = created;
    window.RTCPeerConnection = class extends Native {
      constructor(configuration?: RTCConfiguration) {
        super(configuration);
        created.push(this);
      }
    };
  });
}

/** How many `RTCPeerConnection`s the page has created (see {@link trackPeerConnections}). */
export function peerConnectionsCreated(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __ponteConnections: RTCPeerConnection[] }).__ponteConnections.length);
}

/** The type of the local candidate of each open connection's selected pair (`host`, `relay`...). */
export function selectedLocalCandidateTypes(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const connections = (window as unknown as { __ponteConnections: RTCPeerConnection[] }).__ponteConnections;
    const types: string[] = [];
    for (const connection of connections) {
      if (connection.connectionState !== 'connected') continue;
      const stats = await connection.getStats();
      let pairId: string | undefined;
      stats.forEach((report: RTCStats & Partial<RTCTransportStats>) => {
        if (report.type === 'transport' && report.selectedCandidatePairId) pairId = report.selectedCandidatePairId;
      });
      const pair = pairId ? (stats.get(pairId) as RTCIceCandidatePairStats | undefined) : undefined;
      const local = pair ? (stats.get(pair.localCandidateId) as { candidateType?: string } | undefined) : undefined;
      if (local?.candidateType) types.push(local.candidateType);
    }
    return types;
  });
}

/** Records the types of the signaling frames a page receives, from now on. */
export function recordReceivedFrames(page: Page): { types(): string[] } {
  const types: string[] = [];
  page.on('websocket', (socket) =>
    socket.on('framereceived', ({ payload }) => {
      types.push((JSON.parse(String(payload)) as { type: string }).type);
    }),
  );
  return { types: () => [...types] };
}
