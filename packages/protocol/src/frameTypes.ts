/**
 * The TypeScript types of the frames, each inferred from its schema in `frames.ts` (which
 * re-exports them): what server and SDK code names a frame by.
 * @module
 */
import type { z } from 'zod';
import type {
  ClientFrameSchema,
  ErrorFrameSchema,
  IceCandidateSchema,
  IceServerSchema,
  JoinFrameSchema,
  JoinedFrameSchema,
  LeaveFrameSchema,
  MediaStateSchema,
  MessageFrameSchema,
  PeerIdSchema,
  PeerInfoSchema,
  PeerJoinedFrameSchema,
  PeerLeftFrameSchema,
  PeerUpdatedFrameSchema,
  RefreshFrameSchema,
  RelayedMessageFrameSchema,
  RelayedSignalFrameSchema,
  ResumeFrameSchema,
  ResumedFrameSchema,
  RoomIdSchema,
  ServerFrameSchema,
  SessionDescriptionSchema,
  SfuAnswerFrameSchema,
  SfuCandidatesFrameSchema,
  SfuConfigureFrameSchema,
  SfuDescriptionSchema,
  SfuLegSchema,
  SfuOfferFrameSchema,
  SfuPublishFrameSchema,
  SfuPublishedFrameSchema,
  SfuSpeakingFrameSchema,
  SfuStreamRequestSchema,
  SfuStreamSchema,
  SfuSubscribeFrameSchema,
  SignalDataSchema,
  SignalFrameSchema,
  TopologyFrameSchema,
  UpdateFrameSchema,
} from './frames.js';

export type RoomId = z.infer<typeof RoomIdSchema>;
export type PeerId = z.infer<typeof PeerIdSchema>;
export type MediaState = z.infer<typeof MediaStateSchema>;
export type PeerInfo = z.infer<typeof PeerInfoSchema>;
export type SessionDescription = z.infer<typeof SessionDescriptionSchema>;
export type IceCandidate = z.infer<typeof IceCandidateSchema>;
export type SignalData = z.infer<typeof SignalDataSchema>;
export type IceServer = z.infer<typeof IceServerSchema>;
export type JoinFrame = z.infer<typeof JoinFrameSchema>;
export type SignalFrame = z.infer<typeof SignalFrameSchema>;
export type UpdateFrame = z.infer<typeof UpdateFrameSchema>;
export type LeaveFrame = z.infer<typeof LeaveFrameSchema>;
export type ResumeFrame = z.infer<typeof ResumeFrameSchema>;
export type ResumedFrame = z.infer<typeof ResumedFrameSchema>;
export type RefreshFrame = z.infer<typeof RefreshFrameSchema>;
export type ClientFrame = z.infer<typeof ClientFrameSchema>;
export type JoinedFrame = z.infer<typeof JoinedFrameSchema>;
export type PeerJoinedFrame = z.infer<typeof PeerJoinedFrameSchema>;
export type PeerLeftFrame = z.infer<typeof PeerLeftFrameSchema>;
export type PeerUpdatedFrame = z.infer<typeof PeerUpdatedFrameSchema>;
export type RelayedSignalFrame = z.infer<typeof RelayedSignalFrameSchema>;
export type ErrorFrame = z.infer<typeof ErrorFrameSchema>;
export type ServerFrame = z.infer<typeof ServerFrameSchema>;
/** Why a peer left, as told by `peer-left`. */
export type LeaveReason = PeerLeftFrame['reason'];
export type SfuDescription = z.infer<typeof SfuDescriptionSchema>;
export type SfuLegName = z.infer<typeof SfuLegSchema>;
export type SfuStreamRequestFrame = z.infer<typeof SfuStreamRequestSchema>;
export type SfuStreamInfo = z.infer<typeof SfuStreamSchema>;
export type SfuPublishFrame = z.infer<typeof SfuPublishFrameSchema>;
export type SfuSubscribeFrame = z.infer<typeof SfuSubscribeFrameSchema>;
export type SfuAnswerFrame = z.infer<typeof SfuAnswerFrameSchema>;
export type SfuConfigureFrame = z.infer<typeof SfuConfigureFrameSchema>;
export type SfuCandidatesFrame = z.infer<typeof SfuCandidatesFrameSchema>;
export type TopologyFrame = z.infer<typeof TopologyFrameSchema>;
export type TopologyMode = TopologyFrame['mode'];
export type SfuPublishedFrame = z.infer<typeof SfuPublishedFrameSchema>;
export type SfuOfferFrame = z.infer<typeof SfuOfferFrameSchema>;
export type SfuSpeakingFrame = z.infer<typeof SfuSpeakingFrameSchema>;
/** A client's request about its SFU connections, brokered by the server. */
export type SfuRequestFrame = SfuPublishFrame | SfuSubscribeFrame | SfuAnswerFrame | SfuConfigureFrame | SfuCandidatesFrame;
/** What the server tells a client about its SFU connections: the SFU's answers and offers, and who speaks. */
export type SfuNewsFrame = SfuPublishedFrame | SfuOfferFrame | SfuSpeakingFrame;
export type MessageFrame = z.infer<typeof MessageFrameSchema>;
export type RelayedMessageFrame = z.infer<typeof RelayedMessageFrameSchema>;
