"""A minimal asyncio RESP2 client: enough for SET/GET/INFO/SENTINEL/PSUBSCRIBE.

Replies are read in order, so a caller may pipeline: send() several commands, then read()
their replies one by one (the load client does, to keep its rate across a slow link).
"""
import asyncio


class RespError(Exception):
    """An error reply (-ERR, -READONLY, -NOREPLICAS ...): the server answered, but no."""


def encode(*args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        b = a if isinstance(a, bytes) else str(a).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(b), b))
    return b"".join(out)


class Conn:
    def __init__(self, reader, writer):
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, host, port, source_ip=None, timeout=2.0):
        # source_ip: the geo this client sits in (the delaying proxy reads it off the peer address).
        local = (source_ip, 0) if source_ip else None
        r, w = await asyncio.wait_for(asyncio.open_connection(host, port, local_addr=local), timeout)
        return cls(r, w)

    def send(self, *args):
        self.writer.write(encode(*args))

    async def read(self):
        line = await self.reader.readline()
        if not line:
            raise ConnectionError("connection closed")
        kind, body = line[:1], line[1:-2]
        if kind == b"+":
            return body.decode()
        if kind == b"-":
            return RespError(body.decode())
        if kind == b":":
            return int(body)
        if kind == b"$":
            n = int(body)
            if n < 0:
                return None
            data = await self.reader.readexactly(n + 2)
            return data[:-2].decode(errors="replace")
        if kind == b"*":
            n = int(body)
            return None if n < 0 else [await self.read() for _ in range(n)]
        raise ConnectionError(f"bad RESP line {line!r}")

    async def call(self, *args, timeout=2.0):
        self.send(*args)
        reply = await asyncio.wait_for(self.read(), timeout)
        if isinstance(reply, RespError):
            raise reply
        return reply

    def close(self):
        try:
            self.writer.close()
        except Exception:  # already gone: nothing to release
            pass


def parse_info(text):
    """INFO's 'key:value' lines as a dict (sections and comments dropped)."""
    out = {}
    for line in text.splitlines():
        if line and not line.startswith("#") and ":" in line:
            k, v = line.split(":", 1)
            out[k] = v
    return out
