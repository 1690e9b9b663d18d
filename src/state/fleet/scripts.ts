// Every write to the fleet's state is one Lua script: Redis runs it whole, so
// a read-compare-write cannot interleave with another replica's, and the
// change is published on the channel in the same step as it is stored.
//
// Stored shapes (JSON in hashes):
//   blocks[key]    = {"u": until ms, "r": reason}
//   circuits[name] = {"g": generation, "p": "closed"|"open"|"half-open",
//                     "u": end of the open period, or of the probe's lease when half-open,
//                     "o": open period ms, "c": consecutive failures, "pb": probing replica,
//                     "w": {bucket start ms: [failures, attempts]},
//                     "sg": generation at which the failure streak last started or ended}
// Times are the writing replica's clock (ms since the epoch): replicas are
// expected to keep their clocks in sync (NTP). Retry leases alone use Redis's
// own clock, because a lease must expire even when its replica is gone.
// Numbers stay below 10^14, which cjson encodes exactly.
import { LuaScript } from './luaScript.js';

/** A block is a maximum: a write that would not extend it changes nothing and announces nothing. */
const SET_BLOCK = `
local function setBlock(hash, field, untilMs, value, now, channel, message)
  if untilMs <= now then return 0 end
  local cur = redis.call('HGET', hash, field)
  if cur then
    local ok, c = pcall(cjson.decode, cur)
    if ok and type(c) == 'table' and tonumber(c.u) ~= nil and tonumber(c.u) >= untilMs then return 0 end
  end
  redis.call('HSET', hash, field, value)
  if redis.call('PTTL', hash) < untilMs - now then redis.call('PEXPIRE', hash, untilMs - now) end
  redis.call('PUBLISH', channel, message)
  return 1
end
`;

/** KEYS: blocks. ARGV: field, until, stored value, now, channel, message. Returns 1 when the block grew. */
export const SET_BLOCK_SCRIPT = new LuaScript(`${SET_BLOCK}
return setBlock(KEYS[1], ARGV[1], tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4]), ARGV[5], ARGV[6])`);

/** KEYS: blocks. ARGV: now. Drops ended blocks; returns the rest as field, value, field, value… */
export const LIVE_BLOCKS_SCRIPT = new LuaScript(`
local all = redis.call('HGETALL', KEYS[1])
local live = {}
for i = 1, #all, 2 do
  local ok, c = pcall(cjson.decode, all[i + 1])
  if ok and type(c) == 'table' and tonumber(c.u) ~= nil and tonumber(c.u) > tonumber(ARGV[1]) then
    live[#live + 1] = all[i]
    live[#live + 1] = all[i + 1]
  else
    redis.call('HDEL', KEYS[1], all[i])
  end
end
return live`);

/**
 * KEYS: latency events of one block key, blocks. ARGV: now, min_triggers,
 * window ms (-1: none), a unique member, then setBlock's field, until, value,
 * channel, message. Keeps the last min_triggers events; when the oldest of
 * them is inside the window, starts the count afresh and blocks. Returns 1
 * when the window filled.
 */
export const LATENCY_EVENT_SCRIPT = new LuaScript(`${SET_BLOCK}
local now = tonumber(ARGV[1])
local need = tonumber(ARGV[2])
local windowMs = tonumber(ARGV[3])
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(need + 1))
if windowMs >= 0 then redis.call('PEXPIRE', KEYS[1], math.max(windowMs, 1)) else redis.call('PEXPIRE', KEYS[1], 86400000) end
if redis.call('ZCARD', KEYS[1]) < need then return 0 end
local oldest = tonumber(redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2])
if windowMs >= 0 and now - oldest > windowMs then return 0 end
redis.call('DEL', KEYS[1])
setBlock(KEYS[2], ARGV[5], tonumber(ARGV[6]), ARGV[7], now, ARGV[8], ARGV[9])
return 1`);

/** Shared by the circuit scripts: load, store, and announce a circuit's state. */
const CIRCUIT = `
local function loadCircuit(name)
  local raw = redis.call('HGET', KEYS[1], name)
  if raw then return cjson.decode(raw) end
  return nil
end
local function store(name, s)
  redis.call('HSET', KEYS[1], name, cjson.encode(s))
  redis.call('PEXPIRE', KEYS[1], 86400000)
end
local function message(origin, now, name, s)
  return {v = 1, k = 'circuit', o = origin, t = now, n = name, g = s.g or 0, p = s.p, u = s.u or 0, om = s.o or 0}
end
local function announce(channel, origin, now, name, s)
  s.g = redis.call('INCR', KEYS[2])
  store(name, s)
  local m = cjson.encode(message(origin, now, name, s))
  redis.call('PUBLISH', channel, m)
  return m
end
`;

/**
 * KEYS: circuits, generation. ARGV: name, now, trailing failures, whether an
 * ok came (1/0), failures, attempts, failure_threshold, failure_ratio (-1:
 * none), min_requests, window ms, open ms, channel, origin. A batch of one
 * replica's verdicts on a closed circuit. Returns the announcement when they
 * open it; else {consecutive failures, generation of the streak's last start
 * or end}. A streak that starts or ends is announced too (`sg` in the state):
 * replicas report successes only while one runs, so a healthy fleet sends
 * nothing. Verdicts on an open or probing circuit say nothing new (nil).
 */
export const CIRCUIT_RECORD_SCRIPT = new LuaScript(`${CIRCUIT}
local s = loadCircuit(ARGV[1]) or {p = 'closed', c = 0, w = {}}
if s.p ~= 'closed' then return false end
local now = tonumber(ARGV[2])
local before = s.c or 0
local trailing = tonumber(ARGV[3])
if ARGV[4] == '1' then s.c = trailing else s.c = (s.c or 0) + trailing end
local trip = s.c >= tonumber(ARGV[7])
local ratio = tonumber(ARGV[8])
if not trip and ratio >= 0 then
  local windowMs = tonumber(ARGV[10])
  local width = math.max(1, math.floor(windowMs / 20))
  local w = s.w
  if type(w) ~= 'table' then w = {} end
  local bucket = string.format('%d', now - now % width)
  local b = w[bucket] or {0, 0}
  b[1] = b[1] + tonumber(ARGV[5])
  b[2] = b[2] + tonumber(ARGV[6])
  w[bucket] = b
  local failed, total = 0, 0
  for start, counts in pairs(w) do
    if tonumber(start) > now - windowMs then
      failed = failed + counts[1]
      total = total + counts[2]
    else
      w[start] = nil
    end
  end
  s.w = w
  trip = total >= tonumber(ARGV[9]) and total > 0 and failed / total > ratio
end
if not trip then
  if (before > 0) ~= (s.c > 0) then
    s.sg = redis.call('INCR', KEYS[2])
    local m = {v = 1, k = 'streak', o = ARGV[13], t = now, n = ARGV[1], g = s.sg, s = 0}
    if s.c > 0 then m.s = 1 end
    redis.call('PUBLISH', ARGV[12], cjson.encode(m))
  end
  store(ARGV[1], s)
  return {s.c, s.sg or 0}
end
local openMs = tonumber(ARGV[11])
return announce(ARGV[12], ARGV[13], now, ARGV[1], {p = 'open', o = openMs, u = now + openMs, c = 0, w = {}})`);

/**
 * KEYS: circuits, generation. ARGV: name, now, lease ms, origin, channel.
 * Claims the single probe of a circuit whose open period (or previous probe's
 * lease) is over. Returns the circuit as a message with claimed = 1 or 0.
 */
export const CIRCUIT_CLAIM_SCRIPT = new LuaScript(`${CIRCUIT}
local now = tonumber(ARGV[2])
local s = loadCircuit(ARGV[1])
if s == nil or s.p == 'closed' or now < (s.u or 0) then
  local m = message(ARGV[4], now, ARGV[1], s or {p = 'closed'})
  m.claimed = 0
  return cjson.encode(m)
end
s.p = 'half-open'
s.u = now + tonumber(ARGV[3])
s.pb = ARGV[4]
announce(ARGV[5], ARGV[4], now, ARGV[1], s)
local m = message(ARGV[4], now, ARGV[1], s)
m.claimed = 1
return cjson.encode(m)`);

/**
 * KEYS: circuits, generation. ARGV: name, now, verdict, origin, max open ms,
 * channel. The probe's result, from the replica that holds it: ok closes the
 * circuit, a failure reopens it for twice as long (up to the cap), a neutral
 * result lets the next request probe. Nil when the probe is no longer this
 * replica's (its lease ran out and another replica took over).
 */
export const CIRCUIT_PROBE_SCRIPT = new LuaScript(`${CIRCUIT}
local s = loadCircuit(ARGV[1])
if s == nil or s.p ~= 'half-open' or s.pb ~= ARGV[4] then return false end
local now = tonumber(ARGV[2])
local openMs = s.o or 1000
local next
if ARGV[3] == 'ok' then
  next = {p = 'closed', c = 0, w = {}}
elseif ARGV[3] == 'failure' then
  openMs = math.min(openMs * 2, tonumber(ARGV[5]))
  next = {p = 'open', o = openMs, u = now + openMs, c = 0, w = {}}
else
  next = {p = 'open', o = openMs, u = now, c = 0, w = {}}
end
return announce(ARGV[6], ARGV[4], now, ARGV[1], next)`);

/**
 * KEYS: circuits, generation. ARGV: name, now, until, open ms, origin,
 * channel. A circuit this replica opened while Redis was unreachable, offered
 * to the fleet after reconnecting: taken when the fleet has it closed.
 */
export const CIRCUIT_ADOPT_SCRIPT = new LuaScript(`${CIRCUIT}
local s = loadCircuit(ARGV[1])
if s ~= nil and s.p ~= 'closed' then return false end
local now = tonumber(ARGV[2])
local untilMs = tonumber(ARGV[3])
if untilMs <= now then return false end
return announce(ARGV[6], ARGV[5], now, ARGV[1], {p = 'open', o = tonumber(ARGV[4]), u = untilMs, c = 0, w = {}})`);

const REDIS_NOW_MS = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/** KEYS: leases. ARGV: capacity, lease ms, member. 1: a slot was taken; 0: the fleet is at its cap. */
export const LEASE_ACQUIRE_SCRIPT = new LuaScript(`${REDIS_NOW_MS}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
return 1`);

/**
 * KEYS: leases. ARGV: lease ms, members…. Extends the leases of retries still
 * in flight; one whose lease had already lapsed is counted again, since the
 * retry really is in flight.
 */
export const LEASE_RENEW_SCRIPT = new LuaScript(`${REDIS_NOW_MS}
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]))
return #ARGV - 1`);

/**
 * KEYS: replicas. ARGV: lease ms, replica. Marks this replica alive for one
 * lease and returns how many are: what a replica's fair share of the retry
 * cap is computed from while Redis is unreachable.
 */
export const HEARTBEAT_SCRIPT = new LuaScript(`${REDIS_NOW_MS}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[2])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]))
return redis.call('ZCARD', KEYS[1])`);
