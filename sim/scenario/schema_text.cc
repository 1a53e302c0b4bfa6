// The scenario JSON Schema, embedded so the binary needs no file from the source tree at run time.
//
// A copy of scenarios/schema/scenario.schema.json, which is the file to edit: then paste it here
// (between the raw-string delimiters). tests/scenario/schema_text_test.cc fails while the two differ.
#include "shardsim/scenario/loader.h"

namespace shardsim {

std::string_view scenario_schema_text() {
  static constexpr std::string_view kSchema = R"json({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "shardsim scenario",
  "description": "A scenario for shardsim, the simulator of a geo-distributed sharded master/slave database. Units are in the key names: _ms milliseconds, _s seconds, _per_s per second, _bytes bytes. Keys marked x-limit are capped so that no scenario can exhaust memory or run forever.",
  "type": "object",
  "additionalProperties": false,
  "required": ["geos", "workload"],
  "properties": {
    "$schema": {
      "description": "Optional reference to this schema, for editors; ignored by the simulator.",
      "type": "string"
    },
    "name": {
      "description": "A short name for the scenario, copied into reports.",
      "type": "string",
      "maxLength": 200,
      "default": ""
    },
    "description": {
      "description": "What the scenario models, copied into reports.",
      "type": "string",
      "default": ""
    },
    "notes": {
      "description": "Free text for the reader (a string or an array of lines); ignored by the simulator.",
      "type": ["string", "array"],
      "items": {"type": "string"}
    },
    "seed": {
      "description": "The seed of every random stream of the run: the same seed gives the same run. The command line's --seed replaces it.",
      "type": "integer",
      "minimum": 0,
      "default": 1
    },
    "duration_s": {
      "description": "Simulated time of the run, in seconds.",
      "type": "number",
      "exclusiveMinimum": 0,
      "maximum": 2592000,
      "x-limit": "seconds of simulated time (30 days)",
      "default": 60
    },
    "geos": {
      "description": "The geographic regions, in order (the first one is the default home of the masters and of the asynchronous path). Every geo named anywhere else must be listed here.",
      "type": "array",
      "minItems": 1,
      "maxItems": 64,
      "x-limit": "geos",
      "uniqueItems": true,
      "items": {
        "description": "A geo name: a lowercase letter, then lowercase letters, digits or underscores.",
        "type": "string",
        "pattern": "^[a-z][a-z0-9_]*$",
        "maxLength": 64
      }
    },
    "network": {
      "description": "One-way message latencies and bandwidths between and inside geos.",
      "type": "object",
      "additionalProperties": false,
      "default": {},
      "properties": {
        "intra_geo_latency_ms": {
          "description": "One-way latency of a message between two nodes of the same geo, in milliseconds (unless a link overrides it).",
          "$ref": "#/definitions/distribution",
          "default": 0.5
        },
        "inter_geo_latency_ms": {
          "description": "One-way latency of a message between two different geos not listed in links, in milliseconds.",
          "$ref": "#/definitions/distribution",
          "default": 50
        },
        "links": {
          "description": "Explicit links: a latency (and optionally a bandwidth) for a pair of geos. A pair not listed uses the intra or inter geo latency and unlimited bandwidth.",
          "type": "array",
          "maxItems": 10000,
          "default": [],
          "items": {"$ref": "#/definitions/link"}
        },
        "message_bytes": {
          "description": "Size of a request or response message in bytes, for the serialization delay on links with a bandwidth.",
          "type": "integer",
          "minimum": 0,
          "maximum": 1000000000,
          "default": 512
        },
        "timeout_ms": {
          "description": "Milliseconds a sender waits for an answer before giving up (a message lost to a partition or to loss): the client's request fails, a replication batch is resent.",
          "type": "number",
          "exclusiveMinimum": 0,
          "default": 1000
        }
      }
    },
    "keys": {
      "description": "The key space: keys first to first + count - 1.",
      "type": "object",
      "additionalProperties": false,
      "default": {},
      "properties": {
        "first": {
          "description": "The first key.",
          "type": "integer",
          "minimum": 0,
          "maximum": 1000000000000000000,
          "default": 1
        },
        "count": {
          "description": "The number of keys.",
          "type": "integer",
          "minimum": 1,
          "maximum": 100000000,
          "x-limit": "keys",
          "default": 1000
        },
        "value_bytes": {
          "description": "Size of a value in bytes: the payload of a write and of a replication log entry.",
          "type": "integer",
          "minimum": 0,
          "maximum": 1000000000,
          "default": 1024
        }
      }
    },
    "shards": {
      "description": "How the key space is split into range shards: an array of ranges (sorted, contiguous, covering every key exactly once), or {\"shard_count\": n} for n ranges of count / n keys, the last one taking the remainder.",
      "default": {"shard_count": 1},
      "oneOf": [
        {
          "type": "array",
          "minItems": 1,
          "maxItems": 100000,
          "x-limit": "shards",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["first_key", "last_key"],
            "properties": {
              "first_key": {"description": "The first key of the shard (inclusive).", "type": "integer", "minimum": 0},
              "last_key": {"description": "The last key of the shard (inclusive).", "type": "integer", "minimum": 0}
            }
          }
        },
        {
          "type": "object",
          "additionalProperties": false,
          "required": ["shard_count"],
          "properties": {
            "shard_count": {
              "description": "The number of shards of an even split (at most one per key).",
              "type": "integer",
              "minimum": 1,
              "maximum": 100000,
              "x-limit": "shards"
            }
          }
        }
      ]
    },
    "global_master": {
      "description": "The global master that commits every write, and its passive standby.",
      "type": "object",
      "additionalProperties": false,
      "default": {},
      "properties": {
        "active_geo": {"description": "Geo of the active global master (default: the first geo).", "$ref": "#/definitions/geo_ref"},
        "standby_geo": {"description": "Geo of the standby global master (default: the first geo).", "$ref": "#/definitions/geo_ref"},
        "node": {"description": "The master's server: service_ms is the commit cost of a write.", "$ref": "#/definitions/node", "default": {}}
      }
    },
    "shard_masters": {
      "description": "One shard master per shard, fed by the global master, feeding the slaves.",
      "type": "object",
      "additionalProperties": false,
      "default": {},
      "properties": {
        "geo": {"description": "Geo of the shard masters (default: the first geo).", "$ref": "#/definitions/geo_ref"},
        "node": {"description": "Each shard master's server.", "$ref": "#/definitions/node", "default": {}}
      }
    },
    "slaves": {
      "description": "The read replicas of each shard.",
      "type": "object",
      "additionalProperties": false,
      "default": {},
      "properties": {
        "per_shard_per_geo": {
          "description": "Number of slaves of each shard in each geo, by geo name; geos not listed get 1.",
          "type": "object",
          "default": {},
          "additionalProperties": {
            "description": "Number of slaves of each shard in this geo (0: reads of this geo go to another geo's slaves).",
            "type": "integer",
            "minimum": 0,
            "maximum": 100000,
            "x-limit": "slaves per shard per geo",
            "default": 1
          }
        },
        "node": {"description": "Each slave's server: service_ms is the cost of a read.", "$ref": "#/definitions/node", "default": {}}
      }
    },
    "caches": {
      "description": "The cache tier of each geo, by geo name; geos not listed get the defaults.",
      "type": "object",
      "default": {},
      "additionalProperties": {"$ref": "#/definitions/cache"}
    },
    "load_balancers": {
      "description": "The consistent-hash rings that spread keys over nodes.",
      "type": "object",
      "additionalProperties": false,
      "default": {},
      "properties": {
        "slb": {"description": "The slave load balancer: a ring over a shard's slaves in a geo.", "$ref": "#/definitions/load_balancer", "default": {}},
        "clb": {"description": "The cache load balancer: a ring over a geo's cache nodes.", "$ref": "#/definitions/load_balancer", "default": {}}
      }
    },
    "replication": {
      "description": "The three lazy replication hops.",
      "type": "object",
      "additionalProperties": false,
      "default": {},
      "properties": {
        "master_to_standby": {"description": "Global master to its standby.", "$ref": "#/definitions/replication_hop", "default": {}},
        "master_to_shard_master": {"description": "Global master to each shard master.", "$ref": "#/definitions/replication_hop", "default": {}},
        "shard_master_to_slave": {"description": "Shard master to each of its slaves.", "$ref": "#/definitions/replication_hop", "default": {}},
        "log_retention_entries": {
          "description": "Entries each shard's replication log keeps beyond the slowest copy it serves (32 bytes each). A copy that falls further behind (down for long, or too slow) lapses: it loads a snapshot of the shard before it catches up again. Default: 1000000, or 100000000 / shard count when that is smaller.",
          "type": "integer",
          "minimum": 1,
          "maximum": 100000000,
          "x-limit": "retained log entries per shard"
        }
      }
    },
    "front_end": {
      "description": "The API servers of every geo (the same in each geo).",
      "type": "object",
      "additionalProperties": false,
      "default": {},
      "properties": {
        "api_gateway": {"description": "The API gateway every non-static request goes through.", "$ref": "#/definitions/node", "default": {}},
        "read_api": {"description": "The read API server.", "$ref": "#/definitions/node", "default": {}},
        "write_sync": {"description": "The synchronous write API server.", "$ref": "#/definitions/node", "default": {}},
        "write_async": {"description": "The asynchronous write API server (hands writes to the async path).", "$ref": "#/definitions/node", "default": {}}
      }
    },
    "edge": {
      "description": "DNS and CDN of every geo (the same in each geo).",
      "type": "object",
      "additionalProperties": false,
      "default": {},
      "properties": {
        "dns_lookup_ms": {"description": "Time of a DNS resolution, in milliseconds.", "$ref": "#/definitions/distribution", "default": 20},
        "cdn_response_ms": {"description": "Time for the CDN edge to answer a static request, in milliseconds.", "$ref": "#/definitions/distribution", "default": 5}
      }
    },
    "async_path": {
      "description": "The asynchronous write path: scheduler, message queue, consumers and object store.",
      "type": "object",
      "additionalProperties": false,
      "default": {},
      "properties": {
        "geo": {"description": "Geo of the whole async path (default: the first geo).", "$ref": "#/definitions/geo_ref"},
        "scheduler": {"description": "The scheduler that enqueues async writes.", "$ref": "#/definitions/node", "default": {}},
        "queue_capacity": {
          "description": "Capacity of the message queue, in messages (a full queue rejects).",
          "type": "integer",
          "minimum": 0,
          "maximum": 100000000,
          "x-limit": "queued messages",
          "default": 100000
        },
        "consumer": {"description": "The queue consumers: servers is the number of consumers, service_ms the dequeue and hand-off cost.", "$ref": "#/definitions/node", "default": {}},
        "object_store": {"description": "The object store the consumers write to.", "$ref": "#/definitions/node", "default": {}}
      }
    },
    "workload": {
      "description": "The clients of each geo, by geo name; geos not listed send no requests.",
      "type": "object",
      "additionalProperties": {"$ref": "#/definitions/geo_workload"}
    },
    "report": {
      "description": "What the report measures and the targets it checks.",
      "type": "object",
      "additionalProperties": false,
      "default": {},
      "properties": {
        "warmup_s": {
          "description": "Seconds at the start of the run left out of the statistics (must be less than duration_s).",
          "type": "number",
          "minimum": 0,
          "default": 0
        },
        "sample_interval_s": {
          "description": "Seconds between two samples of the time series.",
          "type": "number",
          "minimum": 0.001,
          "x-limit": "seconds between samples",
          "default": 1
        },
        "fresh_share_target": {
          "description": "Target share of reads that return the latest committed value.",
          "type": "number",
          "minimum": 0,
          "maximum": 1,
          "default": 0.8
        },
        "hot_share_target": {
          "description": "Target share of reads served by the cache.",
          "type": "number",
          "minimum": 0,
          "maximum": 1,
          "default": 0.8
        }
      }
    },
    "failover": {
      "description": "How node failures are detected (heartbeats from a monitor) and repaired (promotion of a replica, routing updates).",
      "type": "object",
      "additionalProperties": false,
      "default": {},
      "properties": {
        "monitor_geo": {"description": "Geo of the monitor that sends heartbeats to the masters and shard masters (default: the active global master's geo).", "$ref": "#/definitions/geo_ref"},
        "heartbeat_interval_ms": {
          "description": "Milliseconds between two heartbeats to a monitored node.",
          "type": "number",
          "minimum": 1,
          "default": 500
        },
        "missed_heartbeats": {
          "description": "Heartbeats missed in a row after which the monitor declares a node failed.",
          "type": "integer",
          "minimum": 1,
          "maximum": 1000000,
          "default": 3
        },
        "promotion_ms": {
          "description": "Time to promote a replica to master once a failure is declared, in milliseconds.",
          "$ref": "#/definitions/distribution",
          "default": 2000
        },
        "routing_update_ms": {
          "description": "Time for a geo to route to the new master once the news reaches it, in milliseconds.",
          "$ref": "#/definitions/distribution",
          "default": 100
        },
        "shard_promotion": {
          "description": "Which slave replaces a failed shard master: most_caught_up, the slave that applied the most of the log; preferred_geo, the most caught up slave of preferred_geo (if it has none, the most caught up of all).",
          "type": "string",
          "enum": ["most_caught_up", "preferred_geo"],
          "default": "most_caught_up"
        },
        "preferred_geo": {"description": "The geo whose slaves are promoted first (required when shard_promotion is preferred_geo).", "$ref": "#/definitions/geo_ref"}
      }
    },
    "failures": {
      "description": "Failures injected into the run, each tagged by its kind.",
      "type": "array",
      "maxItems": 10000,
      "x-limit": "failures",
      "default": [],
      "items": {"$ref": "#/definitions/failure"}
    }
  },
  "definitions": {
    "geo_ref": {
      "description": "The name of a geo listed in geos.",
      "type": "string"
    },
    "distribution": {
      "description": "A distribution of a non-negative quantity (its unit is the key's): a number (a constant) or an object whose dist key names the law.",
      "oneOf": [
        {"type": "number", "minimum": 0},
        {
          "type": "object",
          "additionalProperties": false,
          "required": ["dist", "value"],
          "properties": {
            "dist": {"description": "A constant.", "const": "constant"},
            "value": {"description": "The constant value.", "type": "number", "minimum": 0}
          }
        },
        {
          "type": "object",
          "additionalProperties": false,
          "required": ["dist", "min", "max"],
          "properties": {
            "dist": {"description": "Uniform between min and max.", "const": "uniform"},
            "min": {"description": "The lower bound.", "type": "number", "minimum": 0},
            "max": {"description": "The upper bound (at least min).", "type": "number", "minimum": 0}
          }
        },
        {
          "type": "object",
          "additionalProperties": false,
          "required": ["dist", "mean"],
          "properties": {
            "dist": {"description": "Exponential.", "const": "exponential"},
            "mean": {"description": "The mean.", "type": "number", "exclusiveMinimum": 0}
          }
        },
        {
          "type": "object",
          "additionalProperties": false,
          "required": ["dist", "mean", "stddev"],
          "properties": {
            "dist": {"description": "Normal (negative samples count as zero).", "const": "normal"},
            "mean": {"description": "The mean.", "type": "number", "minimum": 0},
            "stddev": {"description": "The standard deviation.", "type": "number", "minimum": 0}
          }
        },
        {
          "type": "object",
          "additionalProperties": false,
          "required": ["dist", "median", "p99"],
          "properties": {
            "dist": {"description": "Lognormal, given by its median and 99th percentile.", "const": "lognormal"},
            "median": {"description": "The median.", "type": "number", "exclusiveMinimum": 0},
            "p99": {"description": "The 99th percentile (at least the median).", "type": "number", "exclusiveMinimum": 0}
          }
        },
        {
          "type": "object",
          "additionalProperties": false,
          "required": ["dist", "scale", "shape"],
          "properties": {
            "dist": {"description": "Pareto (type I): P(X > x) = (scale / x)^shape for x >= scale.", "const": "pareto"},
            "scale": {"description": "The minimum value.", "type": "number", "exclusiveMinimum": 0},
            "shape": {"description": "The tail index (the mean is finite for shape > 1).", "type": "number", "exclusiveMinimum": 0}
          }
        },
        {
          "type": "object",
          "additionalProperties": false,
          "required": ["dist", "percentiles"],
          "properties": {
            "dist": {"description": "Empirical: linear between the given percentiles.", "const": "empirical"},
            "percentiles": {
              "description": "[percentile, value] points, percentiles ascending from 0 to 100, values non-decreasing.",
              "type": "array",
              "minItems": 2,
              "maxItems": 10000,
              "x-limit": "points of an empirical distribution",
              "items": {
                "type": "array",
                "minItems": 2,
                "maxItems": 2,
                "items": [
                  {"description": "The percentile, 0 to 100.", "type": "number", "minimum": 0, "maximum": 100},
                  {"description": "The value at that percentile.", "type": "number", "minimum": 0}
                ],
                "additionalItems": false
              }
            }
          }
        }
      ]
    },
    "failure": {
      "description": "One injected failure; kind selects the members it takes.",
      "oneOf": [
        {
          "type": "object",
          "additionalProperties": false,
          "required": ["kind", "nodes", "at_s"],
          "properties": {
            "kind": {"description": "Nodes stop: they lose what they queue and serve, and answer nothing until they recover.", "const": "crash"},
            "nodes": {"$ref": "#/definitions/crashable_nodes"},
            "at_s": {"$ref": "#/definitions/failure_at_s"},
            "duration_s": {"description": "Seconds until the nodes recover (absent: they never do).", "type": "number", "exclusiveMinimum": 0}
          }
        },
        {
          "type": "object",
          "additionalProperties": false,
          "required": ["kind", "nodes", "at_s", "factor"],
          "properties": {
            "kind": {"description": "Nodes slow down: their service times are multiplied by factor.", "const": "slow"},
            "nodes": {
              "description": "Names of the nodes that slow down (any server of the topology).",
              "type": "array",
              "minItems": 1,
              "uniqueItems": true,
              "items": {"description": "A node name.", "type": "string"}
            },
            "at_s": {"$ref": "#/definitions/failure_at_s"},
            "duration_s": {"$ref": "#/definitions/failure_duration_s"},
            "factor": {"description": "Multiplier of the service times (at least 1).", "type": "number", "minimum": 1}
          }
        },
        {
          "type": "object",
          "additionalProperties": false,
          "required": ["kind", "between", "at_s"],
          "properties": {
            "kind": {"description": "No message crosses between the two geos, in either direction.", "const": "partition"},
            "between": {"$ref": "#/definitions/geo_pair"},
            "at_s": {"$ref": "#/definitions/failure_at_s"},
            "duration_s": {"description": "Seconds until the partition heals (absent: it never does, and its messages are dropped).", "type": "number", "exclusiveMinimum": 0},
            "mode": {
              "description": "hold: messages wait and are delivered when the partition heals; drop: messages are lost (senders time out after network.timeout_ms).",
              "type": "string",
              "enum": ["hold", "drop"],
              "default": "hold"
            }
          }
        },
        {
          "type": "object",
          "additionalProperties": false,
          "required": ["kind", "between", "at_s", "extra_ms"],
          "properties": {
            "kind": {"description": "Messages between the two geos take extra_ms longer, both directions.", "const": "latency_spike"},
            "between": {"$ref": "#/definitions/geo_pair"},
            "at_s": {"$ref": "#/definitions/failure_at_s"},
            "duration_s": {"$ref": "#/definitions/failure_duration_s"},
            "extra_ms": {"description": "Milliseconds added to the one-way latency.", "type": "number", "exclusiveMinimum": 0}
          }
        },
        {
          "type": "object",
          "additionalProperties": false,
          "required": ["kind", "between", "at_s", "share"],
          "properties": {
            "kind": {"description": "A share of the messages between the two geos is lost, both directions.", "const": "loss"},
            "between": {"$ref": "#/definitions/geo_pair"},
            "at_s": {"$ref": "#/definitions/failure_at_s"},
            "duration_s": {"$ref": "#/definitions/failure_duration_s"},
            "share": {"description": "Share of the messages lost (more than 0, at most 1).", "type": "number", "exclusiveMinimum": 0, "maximum": 1}
          }
        },
        {
          "type": "object",
          "additionalProperties": false,
          "required": ["kind", "nodes", "time_between_failures_s", "time_to_repair_s"],
          "properties": {
            "kind": {"description": "Each node crashes and recovers again and again, independently of the others.", "const": "random_crashes"},
            "nodes": {"$ref": "#/definitions/crashable_nodes"},
            "at_s": {"description": "Second of the run from which the nodes may crash.", "type": "number", "minimum": 0, "default": 0},
            "time_between_failures_s": {"description": "Seconds a node runs between a recovery (or at_s) and its next crash.", "$ref": "#/definitions/distribution"},
            "time_to_repair_s": {"description": "Seconds a crashed node stays down.", "$ref": "#/definitions/distribution"}
          }
        }
      ]
    },
    "crashable_nodes": {
      "description": "Names of global masters, shard masters or shard slaves: active_master_global, passive_master_global, shard_master_global_<i>, shard_slave_<geo>_<i> (or shard_slave_<geo>_<i>.<j> when the geo has several slaves per shard).",
      "type": "array",
      "minItems": 1,
      "uniqueItems": true,
      "items": {"description": "A node name.", "type": "string"}
    },
    "failure_at_s": {
      "description": "Second of the run the failure starts at (at most duration_s).",
      "type": "number",
      "minimum": 0
    },
    "failure_duration_s": {
      "description": "Seconds the failure lasts (absent: until the end of the run).",
      "type": "number",
      "exclusiveMinimum": 0
    },
    "geo_pair": {
      "description": "Two different geos; the failure applies in both directions between them.",
      "type": "array",
      "minItems": 2,
      "maxItems": 2,
      "uniqueItems": true,
      "items": {"$ref": "#/definitions/geo_ref"}
    },
    "node": {
      "description": "A finite-capacity server: parallel servers, a FIFO queue (a full queue rejects) and a service time per job.",
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "servers": {
          "description": "Number of jobs served in parallel.",
          "type": "integer",
          "minimum": 1,
          "maximum": 100000,
          "x-limit": "servers per node",
          "default": 1
        },
        "queue_capacity": {
          "description": "Number of jobs that can wait for a server (0: no queue).",
          "type": "integer",
          "minimum": 0,
          "maximum": 100000000,
          "x-limit": "queued jobs per node",
          "default": 1000
        },
        "service_ms": {
          "description": "Service time of one job, in milliseconds.",
          "$ref": "#/definitions/distribution",
          "default": 0.1
        }
      }
    },
    "link": {
      "description": "Latency and bandwidth of the traffic between two geos: both directions (between) or one (from, to).",
      "oneOf": [
        {
          "type": "object",
          "additionalProperties": false,
          "required": ["between", "latency_ms"],
          "properties": {
            "between": {
              "description": "The two geos; the link applies in both directions.",
              "type": "array",
              "minItems": 2,
              "maxItems": 2,
              "items": {"$ref": "#/definitions/geo_ref"}
            },
            "latency_ms": {"description": "One-way latency, in milliseconds.", "$ref": "#/definitions/distribution"},
            "bandwidth_bytes_per_s": {"description": "Bandwidth of each direction, in bytes per second (absent: unlimited).", "type": "number", "exclusiveMinimum": 0}
          }
        },
        {
          "type": "object",
          "additionalProperties": false,
          "required": ["from", "to", "latency_ms"],
          "properties": {
            "from": {"description": "The sending geo.", "$ref": "#/definitions/geo_ref"},
            "to": {"description": "The receiving geo.", "$ref": "#/definitions/geo_ref"},
            "latency_ms": {"description": "One-way latency, in milliseconds.", "$ref": "#/definitions/distribution"},
            "bandwidth_bytes_per_s": {"description": "Bandwidth, in bytes per second (absent: unlimited).", "type": "number", "exclusiveMinimum": 0}
          }
        }
      ]
    },
    "cache": {
      "description": "The cache tier of one geo.",
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "nodes": {
          "description": "Number of cache nodes (0: no cache, reads go straight to the slave load balancer).",
          "type": "integer",
          "minimum": 0,
          "maximum": 100000,
          "x-limit": "cache nodes per geo",
          "default": 1
        },
        "capacity_keys_per_node": {
          "description": "Keys each cache node holds (least recently used out first).",
          "type": "integer",
          "minimum": 0,
          "maximum": 100000000,
          "x-limit": "cached keys",
          "default": 1000
        },
        "ttl_s": {
          "description": "Seconds a cached value stays valid.",
          "type": "number",
          "minimum": 0,
          "default": 60
        },
        "invalidation": {
          "description": "ttl_only: entries expire after ttl_s; on_slave_apply: also dropped when a slave of the geo applies a write to the key.",
          "type": "string",
          "enum": ["ttl_only", "on_slave_apply"],
          "default": "ttl_only"
        },
        "node": {"description": "Each cache node's server: service_ms is the cost of a lookup.", "$ref": "#/definitions/node", "default": {}}
      }
    },
    "load_balancer": {
      "description": "A consistent-hash ring.",
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "vnodes_per_node": {
          "description": "Points of each node on the ring.",
          "type": "integer",
          "minimum": 1,
          "maximum": 10000,
          "x-limit": "virtual nodes per node",
          "default": 100
        },
        "bounded_load_factor": {
          "description": "c of consistent hashing with bounded loads: no node takes more than c times the mean load (absent: a plain ring).",
          "type": "number",
          "minimum": 1
        }
      }
    },
    "replication_hop": {
      "description": "A lazy replication hop: an ordered log shipped in batches and applied at the replica.",
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "batch_interval_ms": {
          "description": "Milliseconds between two batches.",
          "type": "number",
          "minimum": 0.001,
          "x-limit": "milliseconds between batches",
          "default": 10
        },
        "max_batch_entries": {
          "description": "Entries a batch carries at most; the rest waits for the next batch.",
          "type": "integer",
          "minimum": 1,
          "maximum": 100000000,
          "x-limit": "entries per batch",
          "default": 1000
        },
        "apply_ms_per_entry": {
          "description": "Time for the replica to apply one entry, in milliseconds.",
          "$ref": "#/definitions/distribution",
          "default": 0.01
        }
      }
    },
    "fraction": {
      "type": "number",
      "minimum": 0,
      "maximum": 1
    },
    "geo_workload": {
      "description": "The clients of one geo.",
      "type": "object",
      "additionalProperties": false,
      "required": ["rate_per_s"],
      "properties": {
        "rate_per_s": {
          "description": "Requests per second sent by the geo's clients (all of them, static ones included), before the load shape's multiplier.",
          "type": "number",
          "minimum": 0
        },
        "static_fraction": {"description": "Share of requests for static content, answered by the CDN edge.", "$ref": "#/definitions/fraction", "default": 0},
        "read_fraction": {"description": "Share of reads among the non-static requests; the rest are writes.", "$ref": "#/definitions/fraction", "default": 0.8},
        "async_write_fraction": {"description": "Share of writes that take the asynchronous path.", "$ref": "#/definitions/fraction", "default": 0.5},
        "dns_lookup_fraction": {"description": "Share of requests that pay a DNS resolution first.", "$ref": "#/definitions/fraction", "default": 0.05},
        "keys": {
          "description": "Which keys the requests touch.",
          "$ref": "#/definitions/key_popularity",
          "default": {"dist": "hotset", "hot_fraction": 0.2, "hot_share": 0.8}
        },
        "shape": {
          "description": "How the request rate varies over time.",
          "$ref": "#/definitions/load_shape",
          "default": {"kind": "constant"}
        }
      }
    },
    "placement": {
      "description": "scattered: the popular keys are spread over the key space by a bijection keyed by salt; contiguous: the most popular key is the first key, and so on.",
      "type": "string",
      "enum": ["scattered", "contiguous"],
      "default": "scattered"
    },
    "salt": {
      "description": "Key of the scattered placement: geos with different salts have different hot keys.",
      "type": "integer",
      "minimum": 0,
      "default": 0
    },
    "key_popularity": {
      "description": "A popularity law over the keys, and the placement of popular keys.",
      "oneOf": [
        {
          "type": "object",
          "additionalProperties": false,
          "required": ["dist"],
          "properties": {
            "dist": {"description": "Every key equally likely.", "const": "uniform"},
            "placement": {"$ref": "#/definitions/placement"},
            "salt": {"$ref": "#/definitions/salt"}
          }
        },
        {
          "type": "object",
          "additionalProperties": false,
          "required": ["dist", "exponent"],
          "properties": {
            "dist": {"description": "Zipf: the key of rank r (from 0) has weight 1 / (r + 1)^exponent.", "const": "zipf"},
            "exponent": {"description": "The Zipf exponent (0 is uniform; about 1 is typical).", "type": "number", "minimum": 0, "maximum": 100},
            "placement": {"$ref": "#/definitions/placement"},
            "salt": {"$ref": "#/definitions/salt"}
          }
        },
        {
          "type": "object",
          "additionalProperties": false,
          "required": ["dist"],
          "properties": {
            "dist": {"description": "A hot set: hot_fraction of the keys draw hot_share of the requests.", "const": "hotset"},
            "hot_fraction": {"description": "Share of the keys that are hot.", "type": "number", "exclusiveMinimum": 0, "maximum": 1, "default": 0.2},
            "hot_share": {"description": "Share of the requests that go to the hot keys.", "$ref": "#/definitions/fraction", "default": 0.8},
            "placement": {"$ref": "#/definitions/placement"},
            "salt": {"$ref": "#/definitions/salt"}
          }
        }
      ]
    },
    "load_shape": {
      "description": "A multiplier of the request rate over time.",
      "oneOf": [
        {
          "type": "object",
          "additionalProperties": false,
          "required": ["kind"],
          "properties": {
            "kind": {"description": "The rate stays at rate_per_s.", "const": "constant"}
          }
        },
        {
          "type": "object",
          "additionalProperties": false,
          "required": ["kind", "steps"],
          "properties": {
            "kind": {"description": "A step function: 1 until the first step, then each step's multiplier from its from_s on.", "const": "steps"},
            "steps": {
              "description": "The steps, from_s strictly ascending.",
              "type": "array",
              "minItems": 1,
              "maxItems": 100000,
              "x-limit": "load steps",
              "items": {
                "type": "object",
                "additionalProperties": false,
                "required": ["from_s", "multiplier"],
                "properties": {
                  "from_s": {"description": "Second of the run the step starts at.", "type": "number", "minimum": 0},
                  "multiplier": {"description": "Multiplier of rate_per_s from then on.", "type": "number", "minimum": 0}
                }
              }
            }
          }
        },
        {
          "type": "object",
          "additionalProperties": false,
          "required": ["kind"],
          "properties": {
            "kind": {"description": "A daily cycle: 1 + amplitude x cos(2 pi (t - peak_s) / period_s).", "const": "daily"},
            "amplitude": {"description": "Relative swing around the mean rate.", "$ref": "#/definitions/fraction", "default": 0.5},
            "period_s": {"description": "Length of a cycle, in seconds.", "type": "number", "exclusiveMinimum": 0, "default": 86400},
            "peak_s": {"description": "Second of the run at which the rate peaks.", "type": "number", "minimum": 0, "default": 43200}
          }
        },
        {
          "type": "object",
          "additionalProperties": false,
          "required": ["kind", "at_s", "length_s", "multiplier"],
          "properties": {
            "kind": {"description": "A spike: the rate is multiplied during [at_s, at_s + length_s).", "const": "spike"},
            "at_s": {"description": "Second of the run the spike starts at.", "type": "number", "minimum": 0},
            "length_s": {"description": "Length of the spike, in seconds.", "type": "number", "minimum": 0},
            "multiplier": {"description": "Multiplier of rate_per_s during the spike.", "type": "number", "minimum": 0}
          }
        }
      ]
    }
  }
}
)json";
  return kSchema;
}

}  // namespace shardsim
