import { execFileSync } from 'node:child_process';

/** Tags our rules so they can be removed exactly. */
const COMMENT = 'ponte-e2e-path-break';
const RULES: [command: string, loopback: string][] = [
  ['iptables', '127.0.0.0/8'],
  ['ip6tables', '::1/128'],
];

function rule(action: '-I' | '-D', command: string, loopback: string): void {
  execFileSync(command, [action, 'INPUT', '-p', 'udp', '!', '-s', loopback, '-m', 'comment', '--comment', COMMENT, '-j', 'DROP']);
}

/**
 * Breaks every UDP path that is not loopback (browsers on this machine connect over its
 * own addresses, so this cuts their media while signaling, over TCP, goes on). Needs root.
 * Returns the function that restores the path.
 */
export function breakUdpPaths(): () => void {
  for (const [command, loopback] of RULES) rule('-I', command, loopback);
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    for (const [command, loopback] of RULES) rule('-D', command, loopback);
  };
}
