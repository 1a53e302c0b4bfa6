"""One real trial: deploy, load, crash the master at a drawn instant, measure, tear down."""
import asyncio
import statistics
import time

from cluster import Cluster, MASTER_NAME, geo_ip
from load import EventWatcher, LagSampler, ReplicaReader, Writer, now
from resp import Conn

# The sentinels' events a trial reports, in their order in a failover.
STEPS = ["+sdown", "+odown", "+try-failover", "+elected-leader",
         "+failover-state-wait-promotion", "+promoted-slave", "+slave-reconf-sent",
         "+slave-reconf-done", "+failover-end", "+switch-master"]


async def wait_ready(cluster, timeout=30.0):
    """Every sentinel knows the two others and both replicas, and sees nothing down."""
    end = now() + timeout
    while now() < end:
        ok = True
        for s in cluster.sentinels:
            c = await Conn.open(s.ip, s.port)
            try:
                peers = await c.call("SENTINEL", "SENTINELS", MASTER_NAME)
                reps = await c.call("SENTINEL", "REPLICAS", MASTER_NAME)
            finally:
                c.close()
            flags = [dict(zip(r[::2], r[1::2]))["flags"] for r in peers + reps]
            ok &= len(peers) == 2 and len(reps) == 2 and all("down" not in f for f in flags)
        if ok:
            return
        await asyncio.sleep(0.25)
    raise RuntimeError("sentinels did not discover the deployment in time")


async def proxy_overhead_ms(cluster, n=50):
    """One way through the proxy with no delay set (a PING inside the master's geo): the cost
    of the forwarding itself, which every simulated latency gets too."""
    m = cluster.by_name("master")
    c = await Conn.open("127.0.0.1", m.public, m.ip)
    rtts = []
    try:
        for _ in range(n):
            t = now()
            await c.call("PING")
            rtts.append(now() - t)
    finally:
        c.close()
    return statistics.median(rtts) / 2 * 1000


async def lost_acked(addr, acks):
    """Acknowledged writes absent from the master at `addr` (read directly, not delayed)."""
    c = await Conn.open(*addr)
    lost = 0
    try:
        for k in range(0, len(acks), 500):
            ns = [n for _, n, _ in acks[k:k + 500]]
            vals = await c.call("MGET", *[f"w:{n}" for n in ns], timeout=10)
            lost += sum(v is None for v in vals)
    finally:
        c.close()
    return lost


async def run_real(cluster, load, warmup_s, rng):
    """The trial's measurements (seconds after the crash), or raises if a step never came."""
    s = cluster.setup
    await wait_ready(cluster)
    overhead_ms = await proxy_overhead_ms(cluster)
    client_ip = geo_ip(load["client_geo"])
    sentinel_addrs = [("127.0.0.1", x.public) for x in cluster.sentinels]
    replicas = [cluster.by_name("standby"), cluster.by_name("replica")]
    writer = Writer(load["rate"], client_ip, sentinel_addrs, poll_s=load["poll_s"])
    reader = ReplicaReader(writer, [("127.0.0.1", r.public) for r in replicas], client_ip)
    sampler = LagSampler(cluster.by_name("master"), replicas)
    events = EventWatcher(cluster.sentinels)
    tasks = [asyncio.create_task(x.run()) for x in (writer, reader, sampler, events)]
    t_start = now()
    await asyncio.sleep(warmup_s + rng.uniform(0, 1))  # a random phase against the ping cycle
    t_crash = now()
    cluster.crash("master")
    deadline = t_crash + s.down_after_ms / 1000 + s.failover_timeout_ms / 1000 + 20
    while now() < deadline:
        sw = events.first("+switch-master", t_crash)
        if sw and writer.first_ack_after(sw[0]) and now() > sw[0] + 1.0:
            break
        await asyncio.sleep(0.1)
    writer.stopped = True
    await asyncio.sleep(0.3)
    for t in tasks:
        t.cancel()
    standby = cluster.by_name("standby")
    lost = await lost_acked((standby.ip, standby.port), writer.acks)
    m = measure(cluster, load, writer, reader, sampler, events, t_crash, lost)
    m["proxy_overhead_ms"] = overhead_ms
    m["crash_phase_s"] = t_crash - t_start
    return m


def election_time(events, leader):
    """The leader's last +try-failover before its +elected-leader, to that: the attempt that
    won (an earlier one may have failed on a split vote and been retried)."""
    elected = next((t for t, n, e, _ in events if n == leader and e == "+elected-leader"), None)
    tries = [t for t, n, e, p in events
             if n == leader and e == "+try-failover" and elected is not None and t <= elected]
    return elected - tries[-1] if tries else None


def measure(cluster, load, writer, reader, sampler, events, t_crash, lost):
    m = {"events": [(round(t - t_crash, 4), n, e, p) for t, n, e, p in events.events
                    if t > t_crash - 1]}
    for step in STEPS:
        prefix = "master " if step in ("+sdown", "+odown", "+try-failover", "+elected-leader") else ""
        hit = events.first(step, t_crash, prefix)
        m[step] = None if hit is None else hit[0] - t_crash
        if step == "+elected-leader" and hit:
            m["leader"] = hit[1]
            m["election"] = election_time(m["events"], hit[1])
    lead = events.first("+switch-master", t_crash, sentinel=m.get("leader"))
    m["leader_switch"] = None if lead is None else lead[0] - t_crash
    m["attempts"] = sum(1 for _, _, e, p in m["events"] if e == "+try-failover")
    m["promoted_standby"] = any(e == "+selected-slave" and str(cluster.by_name("standby").public) in p
                                for _, _, e, p in m["events"])
    standby_public = ("127.0.0.1", cluster.by_name("standby").public)
    first = next((a for a in writer.acks if a[0] > t_crash and a[2] == standby_public), None)
    last = writer.last_ack_before(t_crash)
    m["first_ack_new_master"] = None if first is None else first[0] - t_crash
    # The new master committed that write one proxy delay before its ack reached the client:
    # the instant shardsim's write_unavailability_s ends at.
    back = cluster.setup.one_way_ms[cluster.setup.standby_geo][load["client_geo"]] / 1000
    m["first_commit_new_master"] = None if first is None else first[0] - back - t_crash
    m["client_unavailability"] = None if first is None or last is None else first[0] - last
    m["acked_lost"] = lost
    m["acked_total"] = len(writer.acks)
    m["write_errors"] = dict(writer.errors)
    pre = [lags for t, lags in sampler.samples if t_crash - 5 < t < t_crash]
    for i, name in enumerate(["lag_standby", "lag_replica"]):
        m[name] = statistics.median(x[i] for x in pre) if pre else None
    before = [f for t, _, f in reader.reads if t < t_crash]
    m["fresh_reads_before_crash"] = sum(before) / len(before) if before else None
    m["unrouted_links"] = cluster.unrouted_links()
    return m


def start_cluster(setup, tries=3):
    """A started deployment. Ports are picked free but not held, so one can be taken (by an
    outgoing connection's ephemeral port) before its process binds it: then try new ports."""
    for k in range(tries):
        cluster = Cluster(setup)
        try:
            cluster.start()
            return cluster
        except RuntimeError:
            cluster.stop()
            if k == tries - 1:
                raise


def run_trial(setup, load, warmup_s, rng, keep_logs_in=None):
    cluster = start_cluster(setup)
    try:
        t0 = time.monotonic()
        m = asyncio.run(run_real(cluster, load, warmup_s, rng))
        m["wall_s"] = time.monotonic() - t0
        return m
    finally:
        cluster.stop(keep_logs_in)
