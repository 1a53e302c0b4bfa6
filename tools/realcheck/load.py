"""The client side of a trial: a numbered write load, replica reads, and the observers.

Writer       SET w:<n> <n> at a fixed rate, pipelined (a reply may take a round trip across the
             proxy, the rate must not), from the client's geo; records each acknowledgement. It
             asks all sentinels for the master every poll interval (SENTINEL
             get-master-addr-by-name) and follows the first that names another address.
ReplicaReader GET of the newest acknowledged key on each replica: was the read fresh?
LagSampler   INFO replication of the master and both replicas at once, directly (undelayed): the
             replicas' byte offsets against the master's offset history give their lag in time.
EventWatcher PSUBSCRIBE * on every sentinel, directly: the +sdown/+odown/... stream, timestamped
             on arrival.
"""
import asyncio
import bisect
import collections
import time

from resp import Conn, RespError, parse_info
from cluster import MASTER_NAME

now = time.monotonic


class Writer:
    def __init__(self, rate, source_ip, sentinel_addrs, poll_s=0.1):
        self.rate, self.source_ip, self.sentinels, self.poll_s = rate, source_ip, sentinel_addrs, poll_s
        self.n = 0
        self.acks = []  # (time, n, master address)
        self.errors = {}  # error reply prefix -> count (READONLY, NOREPLICAS ...)
        self.conn, self.addr, self.target = None, None, None
        self.pending = collections.deque()
        self.stopped = False

    async def ask_sentinels(self):
        async def one(host, port):
            c = await Conn.open(host, port, self.source_ip, timeout=self.poll_s * 5)
            try:
                ip, p = await c.call("SENTINEL", "get-master-addr-by-name", MASTER_NAME,
                                     timeout=self.poll_s * 5)
                return ip, int(p)
            finally:
                c.close()
        got = await asyncio.gather(*(one(*a) for a in self.sentinels), return_exceptions=True)
        return [g for g in got if isinstance(g, tuple)]

    async def watch_sentinels(self):
        """Every poll interval, ask all sentinels; follow the first that names a new master.

        Polling all the time (not only once the connection fails) makes the client's switch the
        same whether the old master closed its sockets (SIGKILL) or went silent (SIGSTOP).
        """
        while not self.stopped:
            names = await self.ask_sentinels()
            new = [a for a in names if a != self.target]
            if new:
                self.target = new[0]
            await asyncio.sleep(self.poll_s)

    async def connect(self):
        if self.conn:
            self.conn.close()
        self.conn, self.pending = None, collections.deque()
        try:
            conn = await Conn.open(*self.target, self.source_ip)
        except (OSError, asyncio.TimeoutError):
            return None
        self.conn, self.addr = conn, self.target
        return asyncio.create_task(self.read_replies(conn))

    async def read_replies(self, conn):
        try:
            while True:
                reply = await conn.read()
                n, _ = self.pending.popleft()
                if isinstance(reply, RespError):
                    key = str(reply).split()[0]
                    self.errors[key] = self.errors.get(key, 0) + 1
                else:
                    self.acks.append((now(), n, self.addr))
        except (ConnectionError, OSError, asyncio.IncompleteReadError):
            pass
        if self.conn is conn:
            self.conn = None

    async def run(self):
        watcher = asyncio.create_task(self.watch_sentinels())
        reader, period, due = None, 1.0 / self.rate, now()
        while not self.stopped:
            if self.target is None or self.conn is None or self.target != self.addr:
                if self.target is not None:
                    reader = await self.connect() or reader
                if self.conn is None:
                    await asyncio.sleep(self.poll_s)
                    due = now()
                    continue
            self.n += 1
            self.pending.append((self.n, now()))
            self.conn.send("SET", f"w:{self.n}", self.n)
            due += period
            await asyncio.sleep(max(0.0, due - now()))
        watcher.cancel()
        if reader:
            reader.cancel()
        if self.conn:
            self.conn.close()

    def last_ack_before(self, t):
        return max((a[0] for a in self.acks if a[0] < t), default=None)

    def first_ack_after(self, t):
        return min((a for a in self.acks if a[0] > t), default=None)


class ReplicaReader:
    def __init__(self, writer, replica_addrs, source_ip, period=0.05):
        self.writer, self.addrs, self.source_ip, self.period = writer, replica_addrs, source_ip, period
        self.reads = []  # (time, replica index, fresh?)

    async def run_one(self, i, addr):
        conn = await Conn.open(*addr, self.source_ip)
        while True:
            if self.writer.acks:
                n = self.writer.acks[-1][1]
                v = await conn.call("GET", f"w:{n}")
                self.reads.append((now(), i, v is not None))
            await asyncio.sleep(self.period)

    async def run(self):
        await asyncio.gather(*(self.run_one(i, a) for i, a in enumerate(self.addrs)),
                             return_exceptions=True)


class LagSampler:
    def __init__(self, master, replicas, period=0.05):
        self.master, self.replicas, self.period = master, replicas, period
        self.master_hist = []  # (time, master_repl_offset), time-ordered
        self.samples = []  # (time, [lag_s of each replica])

    async def run(self):
        conns = [await Conn.open(i.ip, i.port) for i in [self.master] + self.replicas]
        try:
            while True:
                t = now()
                infos = await asyncio.gather(*(c.call("INFO", "replication") for c in conns))
                infos = [parse_info(x) for x in infos]
                self.master_hist.append((t, int(infos[0]["master_repl_offset"])))
                offsets = [int(x.get("slave_repl_offset", x["master_repl_offset"])) for x in infos[1:]]
                self.samples.append((t, [t - self.time_at_offset(o) for o in offsets]))
                await asyncio.sleep(self.period)
        except (ConnectionError, OSError, asyncio.IncompleteReadError, RespError):
            pass  # the master was killed: sampling ends with it

    def time_at_offset(self, off):
        """When the master's offset reached `off`, interpolated between samples."""
        offs = [o for _, o in self.master_hist]
        k = bisect.bisect_left(offs, off)
        if k == 0:
            return self.master_hist[0][0]
        if k >= len(offs):
            return self.master_hist[-1][0]
        (t0, o0), (t1, o1) = self.master_hist[k - 1], self.master_hist[k]
        return t0 + (t1 - t0) * (off - o0) / max(1, o1 - o0)


class EventWatcher:
    def __init__(self, sentinels):
        self.sentinels = sentinels
        self.events = []  # (time, sentinel name, event, payload)

    async def watch(self, inst):
        conn = await Conn.open(inst.ip, inst.port)
        conn.send("PSUBSCRIBE", "*")
        while True:
            msg = await conn.read()
            if isinstance(msg, list) and msg[0] == "pmessage":
                self.events.append((now(), inst.name, msg[2], msg[3]))

    async def run(self):
        await asyncio.gather(*(self.watch(s) for s in self.sentinels), return_exceptions=True)

    def first(self, event, after, prefix="", sentinel=None):
        for t, name, ev, payload in self.events:
            if ev == event and t > after and payload.startswith(prefix) and sentinel in (None, name):
                return t, name
        return None
