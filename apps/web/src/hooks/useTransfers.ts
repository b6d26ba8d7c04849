/**
 * The files sent and received in a room: offers to accept or decline, progress, and a
 * download link for each file received. Files go peer to peer; the server never sees them.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { IncomingFile, OutgoingFile, Room, TransferEnd, TransferProgress, TransferState } from '@ponte/client';

/** One transfer as the panel shows it. */
export interface TransferView {
  /** Unique in the list. */
  readonly key: string;
  readonly direction: 'incoming' | 'outgoing';
  readonly name: string;
  readonly size: number;
  /** Who it is from (incoming) or to (outgoing), e.g. "Ana" or "everyone". */
  readonly peer: string;
  readonly state: TransferState;
  readonly progress: TransferProgress;
  /** Where to download a received file, once it is done. */
  readonly url: string | null;
  /** How it ended, in words, once it has. */
  readonly outcome: string | null;
}

/** What {@link useTransfers} returns. */
export interface RoomTransfers {
  readonly transfers: readonly TransferView[];
  /** Offers `file` to one participant (by id) or to everyone (null). */
  readonly send: (file: File, to: string | null) => void;
  readonly accept: (key: string) => void;
  readonly decline: (key: string) => void;
  readonly cancel: (key: string) => void;
}

interface Entry {
  readonly key: string;
  readonly handle: OutgoingFile | IncomingFile;
  readonly peer: string;
  url: string | null;
}

function describeEnd(direction: TransferView['direction'], end: TransferEnd, peer: string): string {
  switch (end.reason) {
    case 'completed':
      return direction === 'incoming' ? 'Received' : 'Sent';
    case 'declined':
      return 'Declined';
    case 'cancelled':
    case 'left':
      return 'Cancelled';
    case 'cancelled-by-peer':
      return `Cancelled by ${peer}`;
    case 'peer-left':
      return `Stopped: ${peer} left`;
    case 'integrity':
      return 'Failed: the file changed on the way';
    case 'bad-data':
      return 'Failed: invalid data from the other side';
    case 'closed':
      return 'Failed: the connection closed';
    case 'unreadable':
      return 'Failed: the file could not be read';
  }
}

function outcomeOf(entry: Entry): string | null {
  const { handle } = entry;
  if ('transfers' in handle) {
    const ended = handle.ended;
    if (!ended) return null;
    if (handle.transfers.length === 1 || ended.state === 'cancelled') {
      const first = [...ended.results.values()][0];
      return first && ended.state !== 'cancelled' ? describeEnd('outgoing', first, entry.peer) : 'Cancelled';
    }
    const done = [...ended.results.values()].filter((end) => end.state === 'done').length;
    return `Sent to ${done} of ${ended.results.size}`;
  }
  return handle.ended ? describeEnd('incoming', handle.ended, entry.peer) : null;
}

function viewOf(entry: Entry): TransferView {
  const { handle } = entry;
  return {
    key: entry.key,
    direction: 'transfers' in handle ? 'outgoing' : 'incoming',
    name: handle.name,
    size: handle.size,
    peer: entry.peer,
    state: handle.state,
    progress: handle.progress,
    url: entry.url,
    outcome: outcomeOf(entry),
  };
}

/** The transfers of `room`. */
export function useTransfers(room: Room): RoomTransfers {
  const entries = useRef(new Map<string, Entry>());
  const [version, setVersion] = useState(0);
  const refresh = useCallback(() => setVersion((v) => v + 1), []);

  const track = useCallback(
    (entry: Entry) => {
      entries.current.set(entry.key, entry);
      entry.handle.on('progress', refresh);
      entry.handle.on('end', () => {
        const { handle } = entry;
        if (!('transfers' in handle) && handle.file) entry.url = URL.createObjectURL(handle.file);
        refresh();
      });
      refresh();
    },
    [refresh],
  );

  useEffect(() => {
    const current = entries.current;
    const off = room.on('file-offer', ({ from, file }) => track({ key: `in:${from.id}:${file.id}`, handle: file, peer: from.name, url: null }));
    return () => {
      off();
      for (const entry of current.values()) {
        entry.handle.cancel();
        if (entry.url) URL.revokeObjectURL(entry.url);
      }
      current.clear();
    };
  }, [room, track]);

  const send = useCallback(
    (file: File, to: string | null) => {
      let handle: OutgoingFile;
      try {
        handle = room.sendFile(file, to === null ? {} : { to });
      } catch {
        return; // Nobody left to send to (they left as the file was chosen).
      }
      const peer = to === null ? 'everyone' : (room.peers.get(to)?.name ?? 'them');
      track({ key: `out:${handle.id}`, handle, peer, url: null });
    },
    [room, track],
  );

  const act = useCallback((key: string, action: 'accept' | 'decline' | 'cancel') => {
    const handle = entries.current.get(key)?.handle;
    if (!handle) return;
    if (action === 'cancel') handle.cancel();
    else if (!('transfers' in handle)) handle[action]();
  }, []);

  // `version` changes whenever a handle reports: the views are rebuilt from the live handles.
  const transfers = useMemo(() => [...entries.current.values()].map(viewOf).reverse(), [version]);

  return {
    transfers,
    send,
    accept: useCallback((key: string) => act(key, 'accept'), [act]),
    decline: useCallback((key: string) => act(key, 'decline'), [act]),
    cancel: useCallback((key: string) => act(key, 'cancel'), [act]),
  };
}
