"""A real Redis deployment on loopback: one master, two replicas, three sentinels, in geos.

Layout (docs/realcheck.md draws it): geo g's processes listen on 127.0.(10+g).1 and bind their
outgoing connections to it (`bind`, `bind-source-addr`); each process also has a public port on
127.0.0.1, served by the delaying proxy (proxy.py), and announces that one (replica-announce-*,
sentinel announce-*, and the master's address in `sentinel monitor` / `replicaof`). So every
connection one process opens to another, whatever address it learnt it from (INFO, hello
messages, SENTINEL replies, a failover's REPLICAOF), goes through the proxy, which reads the geo
off the source address and delays it by that pair's latency. The harness's observers connect to
the private addresses from 127.0.0.1 and see everything undelayed.

Every process is started with PR_SET_PDEATHSIG, so that even a SIGKILLed harness leaves nothing
behind; stop() ends them (by pid) and removes the temporary directory.
"""
import atexit
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

HERE = os.path.dirname(os.path.abspath(__file__))
MASTER_NAME = "mymaster"


_live = []  # clusters started and not yet stopped: atexit stops them (an exception, Ctrl-C)
atexit.register(lambda: [c.stop() for c in list(_live)])


def remove_stale_dirs():
    """Temporary directories of harnesses that were SIGKILLed (nothing could clean up then)."""
    base = tempfile.gettempdir()
    for d in os.listdir(base):
        owner = os.path.join(base, d, "harness.pid")
        if d.startswith("realcheck-") and os.path.exists(owner):
            with open(owner) as f:
                pid = int(f.read() or 0)
            if pid and not os.path.exists(f"/proc/{pid}"):
                shutil.rmtree(os.path.join(base, d), ignore_errors=True)


def geo_ip(g):
    return f"127.0.{10 + g}.1"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent():
    # Runs in the child between fork and exec: SIGKILL it when the harness dies, however.
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


@dataclass
class Instance:
    name: str
    role: str  # master, replica, sentinel
    geo: int
    port: int  # private, on geo_ip(geo)
    public: int  # the proxy's, on 127.0.0.1: what it announces
    priority: int = 100
    proc: subprocess.Popen = None

    @property
    def ip(self):
        return geo_ip(self.geo)


@dataclass
class Setup:
    """What a trial's deployment looks like; realcheck.py fills it from the command line."""
    geos: list
    one_way_ms: list  # geo x geo, 0 on the diagonal
    master_geo: int
    standby_geo: int  # the replica Sentinel must promote (replica-priority 10)
    other_geo: int  # the second replica (priority 100): shardsim's shard master
    sentinel_geos: list
    quorum: int
    down_after_ms: int
    failover_timeout_ms: int
    min_replicas: int = 0  # min-replicas-to-write (0: off)
    min_replicas_max_lag: int = 10
    crash: str = "kill"  # kill: SIGKILL (its kernel closes its sockets); stop: SIGSTOP (silent)


@dataclass(eq=False)
class Cluster:
    setup: Setup
    dir: str = field(default_factory=lambda: tempfile.mkdtemp(prefix="realcheck-"))
    instances: list = field(default_factory=list)
    proxy: subprocess.Popen = None

    def plan(self):
        s, used = self.setup, set()

        def port():  # distinct within the deployment, too
            p = free_port()
            while p in used:
                p = free_port()
            used.add(p)
            return p
        mk = lambda name, role, geo, **kw: Instance(name, role, geo, port(), port(), **kw)
        self.instances = [
            mk("master", "master", s.master_geo),
            mk("standby", "replica", s.standby_geo, priority=10),
            mk("replica", "replica", s.other_geo, priority=100),
        ] + [mk(f"sentinel{i + 1}", "sentinel", g) for i, g in enumerate(s.sentinel_geos)]

    def by_name(self, name):
        return next(i for i in self.instances if i.name == name)

    @property
    def data_nodes(self):
        return [i for i in self.instances if i.role != "sentinel"]

    @property
    def sentinels(self):
        return [i for i in self.instances if i.role == "sentinel"]

    # --- configuration files -------------------------------------------------------------

    def redis_conf(self, inst):
        s, m = self.setup, self.by_name("master")
        lines = [
            f"port {inst.port}", f"bind {inst.ip}", f"bind-source-addr {inst.ip}",
            "protected-mode no", "daemonize no", f"dir {self.dir}",
            f"logfile {self.dir}/{inst.name}.log", f"pidfile {self.dir}/{inst.name}.pid",
            # No persistence: a killed master's data is gone, as in the model; replicas get a
            # diskless full sync at once (no 5 s wait for more replicas).
            'save ""', "appendonly no", "repl-diskless-sync yes", "repl-diskless-sync-delay 0",
            "replica-announce-ip 127.0.0.1", f"replica-announce-port {inst.public}",
            f"replica-priority {inst.priority}",
        ]
        if s.min_replicas:
            lines += [f"min-replicas-to-write {s.min_replicas}",
                      f"min-replicas-max-lag {s.min_replicas_max_lag}"]
        if inst.role == "replica":
            lines.append(f"replicaof 127.0.0.1 {m.public}")
        return "\n".join(lines) + "\n"

    def sentinel_conf(self, inst):
        s, m = self.setup, self.by_name("master")
        return "\n".join([
            f"port {inst.port}", f"bind {inst.ip}", f"bind-source-addr {inst.ip}",
            "protected-mode no", "daemonize no", f"dir {self.dir}",
            f"logfile {self.dir}/{inst.name}.log",
            "sentinel resolve-hostnames no", "sentinel announce-hostnames no",
            "sentinel announce-ip 127.0.0.1", f"sentinel announce-port {inst.public}",
            f"sentinel monitor {MASTER_NAME} 127.0.0.1 {m.public} {s.quorum}",
            f"sentinel down-after-milliseconds {MASTER_NAME} {s.down_after_ms}",
            f"sentinel failover-timeout {MASTER_NAME} {s.failover_timeout_ms}",
            f"sentinel parallel-syncs {MASTER_NAME} 1",
        ]) + "\n"

    @property
    def proxy_log(self):
        return os.path.join(self.dir, "proxy-connections.log")

    def unrouted_links(self):
        """Proxied connections whose source is no geo's address: a link that escaped its delay."""
        with open(self.proxy_log) as f:
            return [line.strip() for line in f if line.split()[1] == "None"]

    def proxy_conf(self):
        return {"one_way_ms": self.setup.one_way_ms, "log_path": self.proxy_log,
                "listeners": [{"port": i.public, "target": [i.ip, i.port], "geo": i.geo}
                              for i in self.instances]}

    # --- processes -----------------------------------------------------------------------

    def spawn(self, argv, log):
        return subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                preexec_fn=_die_with_parent)

    def start(self):
        import json
        _live.append(self)
        with open(os.path.join(self.dir, "harness.pid"), "w") as f:
            f.write(str(os.getpid()))
        self.plan()
        cfg = os.path.join(self.dir, "proxy.json")
        with open(cfg, "w") as f:
            json.dump(self.proxy_conf(), f)
        self.proxy = subprocess.Popen([sys.executable, "-B", os.path.join(HERE, "proxy.py"), cfg],
                                      stdout=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                      preexec_fn=_die_with_parent, text=True)
        if self.proxy.stdout.readline().strip() != "ready":
            raise RuntimeError("the proxy did not start")
        # Data nodes first, and the replicas in sync, before the sentinels: a sentinel learns the
        # replicas from the master's INFO, which it polls only every 10 s.
        self.launch(self.data_nodes)
        self.wait_replicas_online()
        self.launch(self.sentinels)

    def launch(self, insts):
        for inst in insts:
            path = os.path.join(self.dir, inst.name + ".conf")
            with open(path, "w") as f:
                f.write(self.sentinel_conf(inst) if inst.role == "sentinel" else self.redis_conf(inst))
            argv = ["redis-server", path] + (["--sentinel"] if inst.role == "sentinel" else [])
            inst.proc = self.spawn(argv, open(os.path.join(self.dir, inst.name + ".out"), "w"))
        self.wait_listening(insts)

    def wait_replicas_online(self, timeout=20.0):
        m, end = self.by_name("master"), time.monotonic() + timeout
        while self.info(m).count("state=online") < 2:
            if time.monotonic() > end:
                raise RuntimeError(f"replicas not in sync: see {self.dir}")
            time.sleep(0.05)

    def info(self, inst):
        with socket.create_connection((inst.ip, inst.port), 2) as s:
            s.sendall(b"INFO replication\r\n")
            data = b""
            while b"\r\n" not in data:
                data += s.recv(65536)
            head, body = data.split(b"\r\n", 1)
            while len(body) < int(head[1:]) + 2:  # a bulk reply: $<length>, then the text
                body += s.recv(65536)
            return body.decode()

    def wait_listening(self, insts, timeout=10.0):
        end = time.monotonic() + timeout
        for inst in insts:
            while True:
                try:
                    socket.create_connection((inst.ip, inst.port), 0.2).close()
                    break
                except OSError:
                    if inst.proc.poll() is not None or time.monotonic() > end:
                        raise RuntimeError(f"{inst.name} did not start: see {self.dir}/{inst.name}.log")
                    time.sleep(0.02)

    def crash(self, name):
        """SIGKILL: the process is gone at once, and its kernel closes its connections (FIN), so
        every peer sees them drop. SIGSTOP: it just stops answering, connections open, as a host
        that froze or lost power looks from outside (stop() SIGKILLs it at the end)."""
        inst = self.by_name(name)
        os.kill(inst.proc.pid, signal.SIGKILL if self.setup.crash == "kill" else signal.SIGSTOP)

    def stop(self, keep_logs_in=None):
        procs = [i.proc for i in self.instances if i.proc] + ([self.proxy] if self.proxy else [])
        for p in procs:
            if p.poll() is None:
                p.kill()
        for p in procs:
            p.wait()
        if keep_logs_in:
            os.makedirs(keep_logs_in, exist_ok=True)
            for f in os.listdir(self.dir):
                if f.endswith(".log"):
                    shutil.copy(os.path.join(self.dir, f), keep_logs_in)
        shutil.rmtree(self.dir, ignore_errors=True)
        self.instances, self.proxy = [], None
        if self in _live:
            _live.remove(self)
