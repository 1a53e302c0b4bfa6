// What `shardsim explain` prints: the deployment a scenario resolves to, read from the very
// Topology a run builds (so it cannot drift from what runs), before anything runs.
//
// The text lists the geos; the global masters; the shards with their key ranges (as keys) and
// shard masters; per geo the front end, the cache nodes with the share of the CLB ring each owns,
// and per shard the SLB's slaves with their ring shares; every lazy replication hop with its batch
// interval and the mean latency of the link it crosses; the async write path; and the names a
// scenario's failures can target. The DOT form draws the same deployment for Graphviz: one
// cluster per geo, solid edges for request paths, dashed edges for lazy replication.
#pragma once

#include <string>

namespace shardsim {

class Topology;

// Both only read the topology (non-const because its boxes expose their parts non-const).
std::string explain_text(Topology& topology);
std::string explain_dot(Topology& topology);

}  // namespace shardsim
