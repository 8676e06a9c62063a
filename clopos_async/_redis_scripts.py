"""The Lua the Redis backend runs, and the names of its keys (DESIGN §7).

Every read-modify-write of a shared budget is one script, so two processes can
never both take the last slot. Time inside the scripts is Redis's own
(``TIME``), so hosts whose clocks disagree still share one window. Every key
the scripts write gets an expiry: an idle tenant leaves nothing behind.

Key layout (``ns`` is the backend's namespace, ``key`` a bucket's key: the
tenant ``integrator_id:brand`` or the client id of the ``/auth`` tier):

* ``ns:rl:key:inflight`` sorted set, slot id -> lease expiry (ms);
* ``ns:rl:key:done``     sorted set, slot id -> time its response arrived (ms);
* ``ns:rl:key:hold``     the time (ms) until which the server said to stop;
* ``ns:tok:tenant``      the shared token (JSON), expiring at its refresh point;
* ``ns:tok:tenant:lock`` the minting process's id while it mints.
"""

from __future__ import annotations

import attrs

_NOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
"""

#: KEYS inflight, done, hold; ARGV limit, window ms, lease ms, margin ms, slot.
#: Returns {1, 0} with the slot taken, or {0, ms to wait}.
RESERVE = (
    _NOW
    + """
local limit, window = tonumber(ARGV[1]), tonumber(ARGV[2])
local lease, margin = tonumber(ARGV[3]), tonumber(ARGV[4])
local held = tonumber(redis.call('GET', KEYS[3]) or '0')
if held > now then return {0, held - now} end
-- A lease ran out: its holder died. The request counts as answered at the last
-- moment it could have been (its timeout), so it still counts until then + window.
local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'WITHSCORES')
for i = 1, #dead, 2 do
  redis.call('ZADD', KEYS[2], tonumber(dead[i + 1]) - margin, dead[i])
end
if #dead > 0 then redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now) end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) + redis.call('ZCARD', KEYS[2]) < limit then
  redis.call('ZADD', KEYS[1], now + lease, ARGV[5])
  redis.call('PEXPIRE', KEYS[1], lease + window)
  return {1, 0}
end
local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
local wait = window
if #oldest > 0 then wait = tonumber(oldest[2]) + window - now end
if wait < 1 then wait = 1 end
return {0, wait}
"""
)

#: KEYS inflight, done; ARGV limit, window ms. Ms until RESERVE could grant (holds
#: aside), 0 if it could now; reads only.
FREE_IN = (
    _NOW
    + """
local limit, window = tonumber(ARGV[1]), tonumber(ARGV[2])
local live = redis.call('ZCOUNT', KEYS[1], now, '+inf')
local done = redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. (now - window), '+inf', 'WITHSCORES')
if live + #done / 2 < limit then return 0 end
if #done == 0 then return window end
local wait = tonumber(done[2]) + window - now
if wait < 1 then wait = 1 end
return wait
"""
)

#: KEYS inflight, done; ARGV slot, window ms. The slot's window starts now.
COMPLETE = (
    _NOW
    + """
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], now, ARGV[1])
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[2]))
return 1
"""
)

#: KEYS hold; ARGV ms. Holds are only ever extended, never shortened by a later one.
HOLD = (
    _NOW
    + """
local ms = tonumber(ARGV[1])
local held = tonumber(redis.call('GET', KEYS[1]) or '0')
if now + ms > held then redis.call('SET', KEYS[1], now + ms, 'PX', ms) end
return 1
"""
)

#: KEYS token; ARGV the token value a 401 answered. Deletes it only if still stored.
FORGET_TOKEN = """
local stored = redis.call('GET', KEYS[1])
if stored and cjson.decode(stored)['value'] == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""

#: KEYS lock; ARGV owner. Releases the mint lock only if this process still holds it.
RELEASE_LOCK = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


@attrs.frozen(slots=True)
class BucketKeys:
    """The three keys of one bucket, in the order the scripts take them."""

    inflight: str
    done: str
    hold: str


def bucket_keys(namespace: str, key: str) -> BucketKeys:
    """The keys of the bucket ``key`` under ``namespace``."""
    base = f"{namespace}:rl:{key}"
    return BucketKeys(inflight=f"{base}:inflight", done=f"{base}:done", hold=f"{base}:hold")


def token_key(namespace: str, tenant: str) -> str:
    """The key of ``tenant``'s shared token; its lock is this plus ``:lock``."""
    return f"{namespace}:tok:{tenant}"
