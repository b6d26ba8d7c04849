/**
 * The Lua scripts that make each room-seam operation one atomic step in Redis. Every script
 * takes the key prefix as ARGV[1] and builds key names the way `RedisKeys` does (the names
 * below must stay in step with keys.ts); scripts touch keys named by peer and room ids they
 * read, so Ponte needs a standalone Redis (or one primary), not Redis Cluster.
 */

/** Key names and the steps several scripts share. */
const COMMON = `
local P = ARGV[1]
local function members_key(room) return P .. 'room:' .. room .. ':members' end
local function password_key(room) return P .. 'room:' .. room .. ':password' end
local function session_key(peer) return P .. 'peer:' .. peer .. ':session' end
local function log_key(peer) return P .. 'peer:' .. peer .. ':log' end
local function owner_key(peer) return P .. 'peer:' .. peer .. ':node' end
local function lapsed_key(peer) return P .. 'peer:' .. peer .. ':lapsed' end
local function node_peers_key(node) return P .. 'node:' .. node .. ':peers' end
local function channel(node) return P .. 'node:' .. node .. ':frames' end
local STATS = P .. 'stats'
local HOLDS = P .. 'holds'

-- Appends an entry to the replay log of a peer that has a session, keeping the last limit;
-- returns its index, or -1 when the peer has no session (nothing is logged).
local function log_frame(peer, entry, limit)
  local session = session_key(peer)
  if redis.call('EXISTS', session) == 0 then return -1 end
  local log = log_key(peer)
  redis.call('RPUSH', log, entry)
  redis.call('LTRIM', log, -limit, -1)
  return redis.call('HINCRBY', session, 'n', 1) - 1
end

-- Logs an entry (type, newline, bytes: built by the caller, so that the frame, kilobytes, is
-- copied into one new string only) for the peer, then publishes it, after the peer's id and
-- its index in the log (-1: the peer has no session, nothing was logged), each ended by a
-- newline, to the node that speaks for the peer, if any. Logged first: a frame the receiving
-- process never passes on (it dies) is replayed on a resume.
local function send(peer, entry, limit)
  local index = log_frame(peer, entry, limit)
  local node = redis.call('GET', owner_key(peer))
  if node then redis.call('PUBLISH', channel(node), peer .. '\\n' .. index .. '\\n' .. entry) end
end

-- Ends a peer's session, hold and log; with lapsed, remembers the id as lapsed.
local function end_session(peer, lapsed, now, memory)
  local session = session_key(peer)
  local node = redis.call('HGET', session, 'node')
  if node then redis.call('SREM', node_peers_key(node), peer) end
  redis.call('DEL', session, log_key(peer))
  redis.call('ZREM', HOLDS, peer)
  if lapsed then redis.call('SET', lapsed_key(peer), tostring(now + memory), 'PX', memory) end
end
`;

/** Script sources by name; each becomes a command on the connection (see `defineScripts`). */
export const SCRIPTS = {
  /** ARGV: prefix, room, peer, info JSON, max per room, expected password ('-': unchecked), new password, max rooms, max peers. */
  ponteJoin: `${COMMON}
local room, peer, info = ARGV[2], ARGV[3], ARGV[4]
local max_room, expect, create = tonumber(ARGV[5]), ARGV[6], ARGV[7]
local members = members_key(room)
if expect ~= '-' and (redis.call('GET', password_key(room)) or '') ~= expect then return {'changed'} end
local size = redis.call('HLEN', members)
if size > 0 and size >= max_room then return {'full'} end
if ARGV[9] ~= '' and tonumber(redis.call('HGET', STATS, 'peers') or '0') >= tonumber(ARGV[9]) then return {'peers'} end
if size == 0 then
  if ARGV[8] ~= '' and tonumber(redis.call('HGET', STATS, 'rooms') or '0') >= tonumber(ARGV[8]) then return {'rooms'} end
  redis.call('HINCRBY', STATS, 'rooms', 1)
  if create ~= '' then redis.call('SET', password_key(room), create) else redis.call('DEL', password_key(room)) end
end
local before = redis.call('HVALS', members)
local old = redis.call('HGET', members, peer)
local sequence
if old then
  sequence = string.match(old, '^(%d+)')
else
  sequence = redis.call('INCR', P .. 'join-sequence')
  redis.call('HINCRBY', STATS, 'peers', 1)
end
redis.call('HSET', members, peer, sequence .. '\\n' .. info)
table.insert(before, 1, 'ok')
return before`,

  /** ARGV: prefix, room, peer. */
  ponteLeave: `${COMMON}
local room, peer = ARGV[2], ARGV[3]
local members = members_key(room)
if redis.call('HDEL', members, peer) == 0 then return 0 end
redis.call('HINCRBY', STATS, 'peers', -1)
if redis.call('EXISTS', members) == 0 then
  redis.call('DEL', password_key(room))
  redis.call('HINCRBY', STATS, 'rooms', -1)
end
return 1`,

  /** ARGV: prefix, room, peer, info JSON. */
  ponteUpdate: `${COMMON}
local members = members_key(ARGV[2])
local old = redis.call('HGET', members, ARGV[3])
if not old then return 0 end
redis.call('HSET', members, ARGV[3], string.match(old, '^(%d+)') .. '\\n' .. ARGV[4])
return 1`,

  /** ARGV: prefix, room, peer, entry (`<type>\n<bytes>`), replay limit. */
  ponteDeliver: `${COMMON}
if redis.call('HEXISTS', members_key(ARGV[2]), ARGV[3]) == 0 then return 0 end
send(ARGV[3], ARGV[4], tonumber(ARGV[5]))
return 1`,

  /** ARGV: prefix, room, peer left out ('' none), entry (`<type>\n<bytes>`), replay limit. */
  ponteBroadcast: `${COMMON}
for _, peer in ipairs(redis.call('HKEYS', members_key(ARGV[2]))) do
  if peer ~= ARGV[3] then send(peer, ARGV[4], tonumber(ARGV[5])) end
end
return 1`,

  /** ARGV: prefix, peer, node. */
  ponteUnregister: `${COMMON}
if redis.call('GET', owner_key(ARGV[2])) == ARGV[3] then redis.call('DEL', owner_key(ARGV[2])) end
return 1`,

  /** ARGV: prefix, peer, room, node, now. Returns {epoch, resumes, lapsed (0/1)}. */
  ponteAttach: `${COMMON}
local peer, room, node, now = ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
local epoch = redis.call('INCR', P .. 'epoch')
local lapsed_until = redis.call('GET', lapsed_key(peer))
redis.call('DEL', lapsed_key(peer))
local lapsed = 0
if lapsed_until and tonumber(lapsed_until) > now then lapsed = 1 end
local session = session_key(peer)
local current = redis.call('HMGET', session, 'room', 'node', 'hold')
if current[2] and current[2] ~= node then redis.call('SREM', node_peers_key(current[2]), peer) end
redis.call('SADD', node_peers_key(node), peer)
redis.call('ZREM', HOLDS, peer)
if current[1] == room then
  local resumes = 'attached'
  if current[3] then resumes = 'held' end
  -- An older connection on another process still speaks for the peer: tell it to give way.
  if resumes == 'attached' and current[2] and current[2] ~= node then
    redis.call('PUBLISH', channel(current[2]), peer .. '\\n-1\\nsuperseded\\n' .. epoch)
  end
  redis.call('HSET', session, 'epoch', epoch, 'node', node)
  redis.call('HDEL', session, 'hold', 'deadline')
  return {epoch, resumes, lapsed}
end
redis.call('DEL', session, log_key(peer))
redis.call('HSET', session, 'room', room, 'epoch', epoch, 'node', node, 'n', 0)
return {epoch, 'none', lapsed}`,

  /** ARGV: prefix, peer, room, epoch, deadline. */
  ponteHold: `${COMMON}
local session = session_key(ARGV[2])
local current = redis.call('HMGET', session, 'epoch', 'room')
if current[1] ~= ARGV[4] or current[2] ~= ARGV[3] then return 0 end
redis.call('HSET', session, 'hold', ARGV[4], 'deadline', ARGV[5])
redis.call('ZADD', HOLDS, ARGV[5], ARGV[2])
return 1`,

  /** ARGV: prefix, peer, epoch, now, lapsed memory. */
  ponteExpire: `${COMMON}
if redis.call('HGET', session_key(ARGV[2]), 'hold') ~= ARGV[3] then return 0 end
end_session(ARGV[2], true, tonumber(ARGV[4]), tonumber(ARGV[5]))
return 1`,

  /** ARGV: prefix, peer, epoch ('' any), lapsed ('1'/'0'), now, lapsed memory. */
  ponteRelease: `${COMMON}
local session = session_key(ARGV[2])
local existed = redis.call('EXISTS', session)
if ARGV[3] ~= '' and redis.call('HGET', session, 'epoch') ~= ARGV[3] then return 0 end
end_session(ARGV[2], ARGV[4] == '1', tonumber(ARGV[5]), tonumber(ARGV[6]))
return existed`,

  /** ARGV: prefix, peer, entry, replay limit. */
  ponteRecord: `${COMMON}
log_frame(ARGV[2], ARGV[3], tonumber(ARGV[4]))
return 1`,

  /**
   * ARGV: prefix, now, grace, lapsed memory, most holds to end. Turns the sessions of nodes
   * whose lease lapsed into holds, then ends the holds whose deadline passed: returns
   * {peer, room, peer, room, ...} for the caller to remove from their rooms.
   */
  ponteSweep: `${COMMON}
local now, grace, memory = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
for _, node in ipairs(redis.call('SMEMBERS', P .. 'nodes')) do
  if redis.call('EXISTS', P .. 'node:' .. node .. ':lease') == 0 then
    for _, peer in ipairs(redis.call('SMEMBERS', node_peers_key(node))) do
      local session = session_key(peer)
      local current = redis.call('HMGET', session, 'epoch', 'hold')
      if current[1] and not current[2] then
        redis.call('HSET', session, 'hold', current[1], 'deadline', now + grace)
        redis.call('ZADD', HOLDS, now + grace, peer)
      end
    end
    redis.call('SREM', P .. 'nodes', node)
  end
end
local ended = {}
for _, peer in ipairs(redis.call('ZRANGEBYSCORE', HOLDS, '-inf', now, 'LIMIT', 0, tonumber(ARGV[5]))) do
  local current = redis.call('HMGET', session_key(peer), 'room', 'hold')
  if current[1] and current[2] then
    end_session(peer, true, now, memory)
    table.insert(ended, peer)
    table.insert(ended, current[1])
  else
    redis.call('ZREM', HOLDS, peer)
  end
end
return ended`,

  /** ARGV: prefix, failure key, forget after ms. One more wrong password; the count is forgotten after the TTL. */
  ponteFail: `${COMMON}
local key = P .. 'password-failures:' .. ARGV[2]
redis.call('INCR', key)
redis.call('PEXPIRE', key, tonumber(ARGV[3]))
return 1`,

  /** ARGV: prefix, node, lease ms. Renews the lease; returns 1 when it had lapsed (or never existed). */
  ponteRenew: `${COMMON}
local previous = redis.call('SET', P .. 'node:' .. ARGV[2] .. ':lease', '1', 'PX', tonumber(ARGV[3]), 'GET')
local added = redis.call('SADD', P .. 'nodes', ARGV[2])
if previous == false or added == 1 then return 1 end
return 0`,
} as const;

/** The name of one of {@link SCRIPTS}. */
export type ScriptName = keyof typeof SCRIPTS;
