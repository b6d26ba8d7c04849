/**
 * State of a serverless call: local media, one {@link ManualCall}, the codes, the connection
 * state and the chat. Nothing here talks to a server.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { LocalMedia, ManualCall, type ChatMessage, type ManualCallRole } from '@ponte/client';
import { describeManualError } from '../lib/manualMessages.js';

/** One line of the chat log. */
export interface ChatEntry extends ChatMessage {
  readonly id: number;
}

/** What {@link useManualCall} returns. */
export interface ManualCallState {
  readonly role: ManualCallRole | null;
  /** Getting the camera, making a code or applying one. */
  readonly busy: boolean;
  /** Our code to send: the offer (caller) or the answer (callee). */
  readonly ownCode: string | null;
  /** Both codes have been applied on this side. */
  readonly exchanged: boolean;
  readonly connectionState: RTCPeerConnectionState | null;
  readonly localStream: MediaStream | null;
  readonly remoteStream: MediaStream | null;
  /** Changes whenever the remote stream gains a track, to re-bind the video element. */
  readonly remoteTrackCount: number;
  readonly mediaWarning: string | null;
  /** Why the last pasted code was refused. */
  readonly codeError: string | null;
  /** Anything else that went wrong. */
  readonly failure: string | null;
  readonly chatOpen: boolean;
  readonly messages: readonly ChatEntry[];
  /** Takes a role: starts the camera and microphone; the caller also makes the offer code. */
  readonly start: (role: ManualCallRole, stunUrl: string) => void;
  /** Applies the other side's code (the offer for the callee, the answer for the caller). */
  readonly submitCode: (code: string) => void;
  /** Sends a chat message; false when it could not be sent. */
  readonly sendMessage: (text: string) => boolean;
  /** Hangs up and goes back to the role choice. */
  readonly reset: () => void;
}

/** Drives one serverless call for the page. */
export function useManualCall(): ManualCallState {
  const callRef = useRef<ManualCall | null>(null);
  const mediaRef = useRef<LocalMedia | null>(null);
  const nextId = useRef(1);
  const [role, setRole] = useState<ManualCallRole | null>(null);
  const [busy, setBusy] = useState(false);
  const [ownCode, setOwnCode] = useState<string | null>(null);
  const [exchanged, setExchanged] = useState(false);
  const [connectionState, setConnectionState] = useState<RTCPeerConnectionState | null>(null);
  const [localStream, setLocalStream] = useState<MediaStream | null>(null);
  const [remoteStream, setRemoteStream] = useState<MediaStream | null>(null);
  const [remoteTrackCount, setRemoteTrackCount] = useState(0);
  const [mediaWarning, setMediaWarning] = useState<string | null>(null);
  const [codeError, setCodeError] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [chatOpen, setChatOpen] = useState(false);
  const [messages, setMessages] = useState<readonly ChatEntry[]>([]);

  const addMessage = useCallback((message: ChatMessage) => {
    const id = nextId.current++;
    setMessages((current) => [...current, { ...message, id }]);
  }, []);

  const hangUp = useCallback(() => {
    callRef.current?.close();
    callRef.current = null;
    mediaRef.current?.stop();
    mediaRef.current = null;
  }, []);

  // Leaving the page hangs up and releases the camera.
  useEffect(() => hangUp, [hangUp]);

  const start = useCallback(
    (chosen: ManualCallRole, stunUrl: string) => {
      if (callRef.current) return;
      setRole(chosen);
      setBusy(true);
      setFailure(null);
      void (async () => {
        const media = new LocalMedia();
        mediaRef.current = media;
        await media.start({ audio: true, video: true });
        if (mediaRef.current !== media) return media.stop();
        setMediaWarning(media.warning);
        setLocalStream(media.stream);
        const stun = stunUrl.trim();
        const call = new ManualCall({
          role: chosen,
          localStream: media.stream,
          tracks: { audio: media.track('audio'), video: media.track('video') },
          iceServers: stun ? [{ urls: stun }] : [],
        });
        callRef.current = call;
        setRemoteStream(call.session.remoteStream);
        call.session.on('track', () => setRemoteTrackCount(call.session.remoteStream.getTracks().length));
        call.session.on('connection-state', (state) => {
          setConnectionState(state);
          if (state === 'failed' || state === 'closed') setChatOpen(false);
        });
        call.chat.on('open', () => setChatOpen(true));
        call.chat.on('message', addMessage);
        setConnectionState(call.session.connectionState);
        if (chosen !== 'caller') return;
        const offerCode = await call.createOffer();
        if (callRef.current === call) setOwnCode(offerCode);
      })()
        .catch((error: unknown) => setFailure(describeManualError(error, chosen === 'caller' ? 'answer' : 'offer')))
        .finally(() => setBusy(false));
    },
    [addMessage],
  );

  const submitCode = useCallback((code: string) => {
    const call = callRef.current;
    if (!call) return;
    const expected = call.role === 'caller' ? 'answer' : 'offer';
    setBusy(true);
    setCodeError(null);
    void (async () => {
      if (call.role === 'callee') {
        const answerCode = await call.acceptOffer(code);
        if (callRef.current === call) setOwnCode(answerCode);
      } else {
        await call.acceptAnswer(code);
      }
      if (callRef.current === call) setExchanged(true);
    })()
      .catch((error: unknown) => setCodeError(describeManualError(error, expected)))
      .finally(() => setBusy(false));
  }, []);

  const sendMessage = useCallback(
    (text: string): boolean => {
      const call = callRef.current;
      if (!call?.chat.isOpen) return false;
      try {
        addMessage(call.chat.send(text));
        return true;
      } catch (error) {
        setFailure(describeManualError(error, 'answer'));
        return false;
      }
    },
    [addMessage],
  );

  const reset = useCallback(() => {
    hangUp();
    setRole(null);
    setBusy(false);
    setOwnCode(null);
    setExchanged(false);
    setConnectionState(null);
    setLocalStream(null);
    setRemoteStream(null);
    setRemoteTrackCount(0);
    setMediaWarning(null);
    setCodeError(null);
    setFailure(null);
    setChatOpen(false);
    setMessages([]);
  }, [hangUp]);

  return {
    role,
    busy,
    ownCode,
    exchanged,
    connectionState,
    localStream,
    remoteStream,
    remoteTrackCount,
    mediaWarning,
    codeError,
    failure,
    chatOpen,
    messages,
    start,
    submitCode,
    sendMessage,
    reset,
  };
}
