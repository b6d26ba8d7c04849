/**
 * Ponte's SFU bridge over Janus Gateway's VideoRoom plugin. `connectJanusSfu` gives the
 * `SfuBridge` the server uses for rooms too large for a mesh.
 * @packageDocumentation
 */
export { connectJanusSfu, JanusSfu, type JanusSfuOptions } from './JanusSfu.js';
export type { JanusLog } from './context.js';
export { publisherFeedId, videoRoomId, videoRoomKeys, watcherFeedId } from './naming.js';
