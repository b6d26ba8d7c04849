/** The signaling server's WebSocket URL: the same host that served the page, at `/ws`. */
export function signalingUrl(location: Pick<Location, 'protocol' | 'host'> = window.location): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/ws`;
}
