"""The delaying TCP proxy that stands for the WAN between geos (the kernel here has no netem).

Run as its own process, `python3 proxy.py CONFIG.json`, so that the harness's work cannot delay
the forwarding. CONFIG: {"one_way_ms": [[...], ...] (geo x geo), "listeners": [{"port": P,
"target": [IP, PORT], "geo": G}, ...]}. Each listener stands in front of one Redis or Sentinel
process of geo G and is the address that process announces. A connection's source geo is read off
its peer address: every process of geo g binds its outgoing connections to 127.0.(10+g).1
(cluster.geo_ip), so one announced address serves every geo and each link gets its own delay:
one_way_ms[src][G] in both directions, 0 inside a geo (that hop still costs the proxy's own
forwarding, which the harness measures). Peers from any other address (the harness's own
observers) are not delayed.

Each direction holds every chunk for the delay and then writes it, in arrival order (one queue
per direction: equal delays keep the order, and a close is queued behind the data like a FIN).
"""
import asyncio
import collections
import json
import sys


def source_geo(peer_ip):
    parts = peer_ip.split(".")
    if parts[:2] == ["127", "0"] and parts[3] == "1" and int(parts[2]) >= 10:
        return int(parts[2]) - 10
    return None


class DelayedPipe:
    """Copies reader to writer, each chunk delivered `delay` seconds after it was read."""

    def __init__(self, reader, writer, delay):
        self.reader, self.writer, self.delay = reader, writer, delay
        self.queue = collections.deque()
        self.ready = asyncio.Event()

    async def pump_in(self):
        loop = asyncio.get_running_loop()
        try:
            while chunk := await self.reader.read(65536):
                self.put(loop.time() + self.delay, chunk)
        except (ConnectionError, OSError):
            pass
        self.put(loop.time() + self.delay, None)  # the close travels like the data

    def put(self, due, chunk):
        self.queue.append((due, chunk))
        self.ready.set()

    async def pump_out(self):
        loop = asyncio.get_running_loop()
        try:
            while True:
                while not self.queue:
                    self.ready.clear()
                    await self.ready.wait()
                due, chunk = self.queue.popleft()
                if due > loop.time():
                    await asyncio.sleep(due - loop.time())
                if chunk is None:
                    break
                self.writer.write(chunk)
                await self.writer.drain()
        except (ConnectionError, OSError):
            pass
        self.writer.close()

    async def run(self):
        await asyncio.gather(self.pump_in(), self.pump_out())


async def relay(cfg, listener, c_reader, c_writer):
    peer = c_writer.get_extra_info("peername")[0]
    src = source_geo(peer)
    delay = 0.0 if src is None else cfg["one_way_ms"][src][listener["geo"]] / 1000.0
    # One line per connection: the harness checks that every link came from a geo's address.
    print(peer, src, listener["geo"], listener["port"], delay, file=cfg["log"], flush=True)
    try:
        s_reader, s_writer = await asyncio.open_connection(*listener["target"])
    except OSError:
        # The target is down (a killed master): the refusal reaches the client one delay later.
        await asyncio.sleep(delay)
        c_writer.close()
        return
    up = DelayedPipe(c_reader, s_writer, delay)
    down = DelayedPipe(s_reader, c_writer, delay)
    await asyncio.gather(up.run(), down.run())


async def main(path):
    with open(path) as f:
        cfg = json.load(f)
    cfg["log"] = open(cfg["log_path"], "a")
    servers = []
    for lst in cfg["listeners"]:
        handler = lambda r, w, lst=lst: relay(cfg, lst, r, w)
        servers.append(await asyncio.start_server(handler, "127.0.0.1", lst["port"]))
    print("ready", flush=True)
    await asyncio.gather(*(s.serve_forever() for s in servers))


if __name__ == "__main__":
    try:
        asyncio.run(main(sys.argv[1]))
    except KeyboardInterrupt:
        pass
