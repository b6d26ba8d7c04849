/** The room page at /r/<id>: the lobby, then the call, then (if it closes) the end view. */
import { useEffect, useRef, useState, type ReactElement } from 'react';
import { PonteError, Room, readJoinToken, type MediaState } from '@ponte/client';
import type { InputKind } from '../components/DevicePickers.js';
import { useAlerts } from '../hooks/useAlerts.js';
import { useRoom } from '../hooks/useRoom.js';
import { saveDisplayName } from '../lib/displayName.js';
import { describeError, describePeerDataError, type UserAction } from '../lib/errorMessages.js';
import { navigate } from '../lib/router.js';
import { signalingUrl } from '../lib/signalingUrl.js';
import { rememberedRoomPassword, rememberRoomPassword, takeJoinToken } from '../lib/roomAccess.js';
import { CallEnded } from './CallEnded.js';
import { CallView } from './CallView.js';
import { Lobby, type JoinChoice } from './Lobby.js';

/** Props of {@link RoomPage}. */
export interface RoomPageProps {
  readonly roomId: string;
}

/** Owns the {@link Room} for this page and leaves it when the page goes away. */
export function RoomPage({ roomId }: RoomPageProps): ReactElement {
  // The joined room: null in the lobby (and while joining).
  const [room, setRoom] = useState<Room | null>(null);
  const [joining, setJoining] = useState(false);
  const [busy, setBusy] = useState<ReadonlySet<keyof MediaState>>(new Set());
  const alerts = useAlerts();
  const snapshot = useRoom(room);
  const roomRef = useRef<Room | null>(null);
  const mountedRef = useRef(true);
  // Read once: the token leaves the address bar as soon as it is read.
  const [token] = useState(() => takeJoinToken(roomId));
  const invitation = token === undefined ? null : readJoinToken(token);
  const [needsPassword, setNeedsPassword] = useState(false);

  // Leave when the page unmounts (navigation) or the tab closes, so others see us go at once.
  useEffect(() => {
    mountedRef.current = true;
    const leaveOnHide = (): void => roomRef.current?.leave();
    window.addEventListener('pagehide', leaveOnHide);
    return () => {
      mountedRef.current = false;
      window.removeEventListener('pagehide', leaveOnHide);
      roomRef.current?.leave();
      roomRef.current = null;
    };
  }, []);

  // Errors the room reports on its own, outside any user action; one alert per cause.
  useEffect(() => {
    if (!room) return undefined;
    const offs = [
      room.on('error', (error) => alerts.show(`room-${error.code}`, describeError(error, 'room'))),
      room.on('data-error', ({ peer }) => alerts.show(`data-${peer.id}`, describePeerDataError(peer.name))),
    ];
    return () => {
      for (const off of offs) off();
    };
  }, [room, alerts.show]);

  const join = async (choice: JoinChoice): Promise<void> => {
    saveDisplayName(choice.name);
    alerts.clear();
    setJoining(true);
    const password = choice.password ?? rememberedRoomPassword(roomId);
    const next = new Room({
      url: signalingUrl(),
      room: roomId,
      name: choice.name,
      ...(password === undefined ? {} : { password }),
      ...(token === undefined ? {} : { token }),
    });
    try {
      await next.join({ audio: choice.audio, video: choice.video });
    } catch (error) {
      next.leave();
      if (!mountedRef.current) return;
      alerts.show('join', describeError(error, 'join'));
      if (error instanceof PonteError && (error.code === 'PASSWORD_REQUIRED' || error.code === 'WRONG_PASSWORD')) {
        rememberRoomPassword(roomId, '');
        setNeedsPassword(true);
      }
      setJoining(false);
      return;
    }
    if (!mountedRef.current) {
      next.leave();
      return;
    }
    roomRef.current = next;
    setRoom(next);
    setJoining(false);
    if (next.local.warning) alerts.show('media-warning', next.local.warning);
  };

  /** Runs a control action, disabling its toggle meanwhile and reporting its failure. */
  const control = async (kind: keyof MediaState, action: UserAction, run: () => Promise<void>): Promise<void> => {
    setBusy((current) => new Set(current).add(kind));
    try {
      await run();
      alerts.dismiss(action);
    } catch (error) {
      alerts.show(action, describeError(error, action));
    } finally {
      setBusy((current) => {
        const next = new Set(current);
        next.delete(kind);
        return next;
      });
    }
  };

  const leave = (): void => {
    roomRef.current = null;
    room?.leave();
    navigate('/');
  };

  const rejoin = (): void => {
    roomRef.current?.leave();
    roomRef.current = null;
    setRoom(null);
    alerts.clear();
  };

  if (!room) {
    return (
      <Lobby
        roomId={roomId}
        joining={joining}
        alerts={alerts.alerts}
        onDismissAlert={alerts.dismiss}
        onJoin={(choice) => void join(choice)}
        needsPassword={needsPassword}
        invitation={invitation}
      />
    );
  }

  if (snapshot.closure) return <CallEnded closure={snapshot.closure} onRejoin={rejoin} />;

  const media = room.local.state;
  return (
    <CallView
      roomId={roomId}
      room={room}
      snapshot={snapshot}
      busy={busy}
      alerts={alerts.alerts}
      onDismissAlert={alerts.dismiss}
      onToggleMicrophone={() => void control('audio', 'microphone', () => room.setMicrophone(!media.audio))}
      onToggleCamera={() => void control('video', 'camera', () => room.setCamera(!media.video))}
      onToggleScreenShare={() => void control('screen', 'screen', () => (media.screen ? room.stopScreenShare() : room.startScreenShare()))}
      onSelectDevice={(kind: InputKind, deviceId: string) =>
        void control(kind === 'audioinput' ? 'audio' : 'video', 'device', () => room.switchDevice(kind, deviceId))
      }
      onLeave={leave}
    />
  );
}
