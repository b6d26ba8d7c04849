/** The call: video grid, participants, chat, files, device pickers, alerts and the control bar. */
import { useState, type ReactElement } from 'react';
import type { MediaState, Room } from '@ponte/client';
import { Alerts, type AlertMessage } from '../components/Alerts.js';
import { ChatPanel } from '../components/ChatPanel.js';
import { ControlBar } from '../components/ControlBar.js';
import { DevicePickers, type InputKind } from '../components/DevicePickers.js';
import { ParticipantsList } from '../components/ParticipantsList.js';
import { TransfersPanel } from '../components/TransfersPanel.js';
import { StatsPanel } from '../components/StatsPanel.js';
import { VideoGrid } from '../components/VideoGrid.js';
import { useActiveSpeakers } from '../hooks/useActiveSpeakers.js';
import { useRoomStats } from '../hooks/useRoomStats.js';
import { useViewport } from '../hooks/useViewport.js';
import { useChat } from '../hooks/useChat.js';
import { useMediaDevices } from '../hooks/useMediaDevices.js';
import { useTransfers } from '../hooks/useTransfers.js';
import { CHAT_MAX_LENGTH } from '../lib/chatMessage.js';
import { gridPageSize, pageSizeOverride, planLayout, stripPageSize, type CallLayout } from '../lib/layout.js';
import type { RoomSnapshot } from '../hooks/useRoom.js';

/** Props of {@link CallView}. */
export interface CallViewProps {
  readonly roomId: string;
  /** The joined room, for chat and files. */
  readonly room: Room;
  readonly snapshot: RoomSnapshot;
  readonly busy: ReadonlySet<keyof MediaState>;
  readonly alerts: readonly AlertMessage[];
  readonly onDismissAlert: (id: string) => void;
  readonly onToggleMicrophone: () => void;
  readonly onToggleCamera: () => void;
  readonly onToggleScreenShare: () => void;
  readonly onSelectDevice: (kind: InputKind, deviceId: string) => void;
  readonly onLeave: () => void;
}

const NO_MEDIA: MediaState = { audio: false, video: false, screen: false };

// Read once per page load: `?tiles=N` sets how many tiles a page holds (tests page a small room with it).
const PAGE_SIZE_OVERRIDE = pageSizeOverride(window.location.search);

/** The dark call layout. */
export function CallView(props: CallViewProps): ReactElement {
  const { snapshot } = props;
  const participants = snapshot.self ? [snapshot.self, ...snapshot.peers] : [...snapshot.peers];
  // Device labels are hidden until media permission was asked for, which join does.
  const devices = useMediaDevices(snapshot.self !== null);
  const alone = snapshot.peers.length === 0;
  const [chatOpen, setChatOpen] = useState(false);
  const chat = useChat(props.room, chatOpen);
  const stats = useRoomStats(props.room);
  const qualities = new Map([...stats].map(([id, entry]) => [id, entry.quality]));
  const files = useTransfers(props.room);
  const speakers = useActiveSpeakers(props.room);
  const viewport = useViewport();
  const [layout, setLayout] = useState<CallLayout>('grid');
  const [page, setPage] = useState(0);
  const [pinned, setPinned] = useState<string | null>(null);
  const plan = planLayout({
    layout,
    participants: participants.map((participant) => participant.id),
    selfId: snapshot.self?.id ?? null,
    recentSpeakers: speakers.recent,
    pinned,
    pageSize: PAGE_SIZE_OVERRIDE ?? (layout === 'grid' ? gridPageSize(viewport) : stripPageSize(viewport)),
    page,
  });

  return (
    <div className="call">
      <header className="call-header">
        <h1 className="call-title">
          Ponte <span className="call-room">room {props.roomId}</span>
        </h1>
      </header>
      {snapshot.reconnecting ? (
        <p role="status" className="call-reconnecting">
          Reconnecting to the server… The call goes on meanwhile.
        </p>
      ) : null}
      <div className="call-body">
        <main className="call-stage">
          <Alerts alerts={props.alerts} onDismiss={props.onDismissAlert} className="alerts--call" />
          <VideoGrid
            participants={participants}
            layout={layout}
            plan={plan}
            qualities={qualities}
            speaking={speakers.speaking}
            sizeSink={props.room}
            pinned={pinned}
            onPin={setPinned}
            onPage={setPage}
          />
          {alone ? <p className="call-empty">Waiting for others to join. Use “Copy invite link” to invite them.</p> : null}
        </main>
        <div className="call-side">
          {chatOpen ? <ChatPanel messages={chat.messages} open maxLength={CHAT_MAX_LENGTH} onSend={chat.send} /> : null}
          <ParticipantsList participants={participants} topology={snapshot.topology} speaking={speakers.speaking} />
          <StatsPanel peers={snapshot.peers} stats={stats} />
          <TransfersPanel
            transfers={files.transfers}
            recipients={snapshot.peers}
            onSend={files.send}
            onAccept={files.accept}
            onDecline={files.decline}
            onCancel={files.cancel}
          />
          <section className="call-settings" aria-label="Devices">
            <h2 className="participants-heading">Devices</h2>
            <DevicePickers devices={devices} stream={snapshot.self?.stream ?? null} onSelect={props.onSelectDevice} />
          </section>
        </div>
      </div>
      <ControlBar
        media={snapshot.self?.state ?? NO_MEDIA}
        busy={props.busy}
        onToggleMicrophone={props.onToggleMicrophone}
        onToggleCamera={props.onToggleCamera}
        onToggleScreenShare={props.onToggleScreenShare}
        chat={{ open: chatOpen, unread: chat.unread }}
        onToggleChat={() => setChatOpen((open) => !open)}
        layout={layout}
        onToggleLayout={() => {
          setLayout((current) => (current === 'grid' ? 'speaker' : 'grid'));
          setPage(0);
        }}
        onLeave={props.onLeave}
        permissions={props.room.permissions}
      />
    </div>
  );
}
