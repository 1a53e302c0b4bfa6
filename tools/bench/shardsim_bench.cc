// shardsim_bench: throughput of the event kernel, each figure next to a bare baseline measured in
// the same run. Nothing here is a test; it prints a table. See tools/bench/README.md.
//
//   shardsim_bench [all|kernel|hold|mm1] [--reps N] [--events N] [--k K1,K2,...] [--departures N]
//                  [--rho R] [--seed S] [--impl bare|queue|sim]
//
// kernel (alias: hold): the classic hold model. K events are pending; each event pops the earliest
//   and schedules one more at an exponential delay. Run on shardsim::Simulation (Callback events),
//   on shardsim::EventQueue driven by a minimal loop, and as a bare loop over std::priority_queue
//   of (time, seq) with a plain function call.
// mm1: an M/M/1 queue (utilization rho, default 0.9) on the real shardsim::Node and Simulation,
//   and the same M/M/1 as a bare std::priority_queue loop.
//
// All variants draw the same random numbers and order ties the same way (time, then scheduling
// order), so they simulate the very same trajectory: the benchmark checks that the final clocks
// (hold) and the mean response times (M/M/1) agree exactly, and says so when they do not.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <limits>
#include <queue>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/core.h>

#include "shardsim/kernel/callback.h"
#include "shardsim/kernel/event_queue.h"
#include "shardsim/kernel/simulation.h"
#include "shardsim/kernel/time.h"
#include "shardsim/model/node.h"
#include "shardsim/random/distribution.h"
#include "shardsim/random/stream.h"
#include "shardsim/scenario/scenario.h"

namespace {

using shardsim::Callback;
using shardsim::Duration;
using shardsim::RandomStream;
using shardsim::Time;

// ---------------------------------------------------------------------------------------------
// Options

struct Options {
  std::string command = "all";
  int reps = 3;
  std::uint64_t hold_events = 10'000'000;
  std::vector<std::uint64_t> ks{1'000, 100'000, 1'000'000};
  std::uint64_t departures = 10'000'000;
  double rho = 0.9;
  std::uint64_t seed = 1;
  std::string impl;         // empty: all implementations
  bool wall_clock = false;  // time with the wall clock instead of the thread's CPU time
};

[[noreturn]] void usage(const char* error) {
  if (error != nullptr) std::fprintf(stderr, "shardsim_bench: %s\n", error);
  std::fprintf(stderr,
               "usage: shardsim_bench [all|kernel|hold|mm1] [--reps N] [--events N] [--k K1,K2,...]\n"
               "                      [--departures N] [--rho R] [--seed S] [--impl bare|queue|sim]\n"
               "                      [--clock cpu|wall]\n"
               "  all          hold model and M/M/1 (default)\n"
               "  kernel, hold hold model: K pending events, pop one and schedule one per event\n"
               "  mm1          M/M/1 on shardsim::Node vs a bare loop\n"
               "  --reps       repetitions per figure; the median is reported (default 3)\n"
               "  --events     timed hold-model events per repetition (default 1e7)\n"
               "  --k          pending-event counts of the hold model (default 1e3,1e5,1e6)\n"
               "  --departures M/M/1 departures per repetition (default 1e7)\n"
               "  --rho        M/M/1 utilization (default 0.9)\n"
               "  --seed       seed of the random streams (default 1)\n"
               "  --impl       run one implementation only (for profilers): bare, queue or sim\n"
               "  --clock      cpu: the thread's CPU time (default, robust on a shared machine); wall\n");
  std::exit(error != nullptr ? 2 : 0);
}

// Accepts 1000, 1e6, 2.5e5.
std::uint64_t parse_count(const std::string& text) {
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    usage(("not a number: " + text).c_str());
  }
  if (used != text.size() || !(value >= 1) || value > 1e15 || value != std::floor(value)) {
    usage(("not a positive whole number: " + text).c_str());
  }
  return static_cast<std::uint64_t>(value);
}

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage(("missing value after " + std::string(arg)).c_str());
      return argv[++i];
    };
    if (arg == "-h" || arg == "--help") {
      usage(nullptr);
    } else if (arg == "all" || arg == "kernel" || arg == "hold" || arg == "mm1") {
      options.command = arg == "kernel" ? "hold" : std::string(arg);
    } else if (arg == "--reps") {
      options.reps = static_cast<int>(std::min<std::uint64_t>(parse_count(value()), 1000));
    } else if (arg == "--events") {
      options.hold_events = parse_count(value());
    } else if (arg == "--k") {
      options.ks.clear();
      std::string list = value();
      std::size_t start = 0;
      while (start <= list.size()) {
        const std::size_t comma = std::min(list.find(',', start), list.size());
        options.ks.push_back(parse_count(list.substr(start, comma - start)));
        start = comma + 1;
      }
    } else if (arg == "--departures") {
      options.departures = parse_count(value());
    } else if (arg == "--rho") {
      const std::string text = value();
      char* end = nullptr;
      options.rho = std::strtod(text.c_str(), &end);
      if (*end != '\0' || !(options.rho > 0 && options.rho < 1)) usage("--rho must be in (0, 1)");
    } else if (arg == "--seed") {
      options.seed = parse_count(value());
    } else if (arg == "--impl") {
      options.impl = value();
      if (options.impl != "bare" && options.impl != "queue" && options.impl != "sim") {
        usage("--impl must be bare, queue or sim");
      }
    } else if (arg == "--clock") {
      const std::string text = value();
      if (text != "cpu" && text != "wall") usage("--clock must be cpu or wall");
      options.wall_clock = text == "wall";
    } else {
      usage(("unknown argument: " + std::string(arg)).c_str());
    }
  }
  return options;
}

// ---------------------------------------------------------------------------------------------
// Shared pieces

// An exponential delay of the given mean, in whole nanoseconds, drawn as the model draws its
// Poisson arrivals (the ziggurat of shardsim::standard_exponential), so that every implementation
// pays the same for its random numbers and the ratios compare event handling only.
Duration exponential_ns(RandomStream& rng, double mean_ns) {
  return shardsim::round_ns(shardsim::standard_exponential(rng) * mean_ns);
}

// One timed run of one implementation.
struct Sample {
  std::uint64_t events = 0;
  double seconds = 0;
  double bytes_per_pending = 0;
  double check = 0;  // what must agree between implementations (final clock, mean response)
};

struct Summary {
  double median_rate = 0;  // events per second
  double spread = 0;       // (max - min) / median of the rates
  double bytes_per_pending = 0;
  double check = 0;
  bool ran = false;
};

Summary summarize(const std::vector<Sample>& samples) {
  Summary summary;
  if (samples.empty()) return summary;
  std::vector<double> rates;
  for (const Sample& s : samples) rates.push_back(static_cast<double>(s.events) / s.seconds);
  std::sort(rates.begin(), rates.end());
  const std::size_t n = rates.size();
  summary.median_rate = n % 2 == 1 ? rates[n / 2] : (rates[n / 2 - 1] + rates[n / 2]) / 2;
  summary.spread = (rates.back() - rates.front()) / summary.median_rate;
  summary.bytes_per_pending = samples.back().bytes_per_pending;
  summary.check = samples.back().check;
  summary.ran = true;
  return summary;
}

// std::priority_queue keeps its vector protected; expose its capacity for the memory column.
template <class Entry, class Later>
class BareQueue : public std::priority_queue<Entry, std::vector<Entry>, Later> {
 public:
  std::size_t bytes_reserved() const { return this->c.capacity() * sizeof(Entry); }
};

// A stopwatch on the thread's CPU time (default: other processes on the machine do not count) or
// on the wall clock.
class Stopwatch {
 public:
  static inline bool wall = false;
  Stopwatch() : start_(now()) {}
  double seconds() const { return now() - start_; }

 private:
  static double now() {
    if (wall)
      return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
  }
  double start_;
};

std::string load_average() {
  std::ifstream file("/proc/loadavg");
  std::string one, five, fifteen;
  if (!(file >> one >> five >> fifteen)) return "unknown";
  return one + " " + five + " " + fifteen;
}

// ---------------------------------------------------------------------------------------------
// Hold model

constexpr double kHoldMeanNs = 1e9;  // 1 s: ties stay rare even with 1e6 pending events

// On shardsim::Simulation: every event is a Callback to HoldOnSimulation::fire.
class HoldOnSimulation {
 public:
  HoldOnSimulation(std::uint64_t k, std::uint64_t seed) : rng_(seed) {
    for (std::uint64_t i = 0; i < k; ++i) sim_.schedule_at(exponential_ns(rng_, kHoldMeanNs), callback(), 0);
  }
  // Runs exactly `events` events.
  void run(std::uint64_t events) {
    remaining_ = events;
    sim_.run_until(shardsim::kTimeNever);
  }
  Time now() const { return sim_.now(); }
  std::size_t bytes_reserved() { return sim_.queue().bytes_reserved(); }

 private:
  Callback callback() { return Callback::to<&HoldOnSimulation::fire>(this); }
  void fire(std::uint64_t arg) {
    if (--remaining_ == 0) sim_.request_stop();
    sim_.schedule_in(exponential_ns(rng_, kHoldMeanNs), callback(), arg);
  }

  shardsim::Simulation sim_;
  RandomStream rng_;
  std::uint64_t remaining_ = 0;
};

// On shardsim::EventQueue with the smallest possible loop: the cost of the pending-event set and
// the Callback, without Simulation's checks (end time, stop flag, past-time check, counters).
class HoldOnEventQueue {
 public:
  HoldOnEventQueue(std::uint64_t k, std::uint64_t seed) : rng_(seed) {
    for (std::uint64_t i = 0; i < k; ++i) queue_.push(exponential_ns(rng_, kHoldMeanNs), callback(), 0);
  }
  void run(std::uint64_t events) {
    for (std::uint64_t i = 0; i < events; ++i) {
      const shardsim::Event event = queue_.pop();
      now_ = event.time;
      event.action(event.arg);
    }
  }
  Time now() const { return now_; }
  std::size_t bytes_reserved() const { return queue_.bytes_reserved(); }

 private:
  Callback callback() { return Callback::to<&HoldOnEventQueue::fire>(this); }
  void fire(std::uint64_t arg) { queue_.push(now_ + exponential_ns(rng_, kHoldMeanNs), callback(), arg); }

  shardsim::EventQueue queue_;
  RandomStream rng_;
  Time now_ = 0;
};

// The baseline: std::priority_queue of (time, seq), a plain (not inlined) function per event.
struct HoldEntry {
  Time time;
  std::uint64_t seq;
};
struct HoldLater {
  bool operator()(const HoldEntry& a, const HoldEntry& b) const {
    return a.time > b.time || (a.time == b.time && a.seq > b.seq);
  }
};

struct BareHold {
  BareQueue<HoldEntry, HoldLater> queue;
  RandomStream rng;
  std::uint64_t next_seq = 0;
  Time now = 0;
};

[[gnu::noinline]] void bare_hold_event(BareHold& hold) {
  hold.queue.push(HoldEntry{hold.now + exponential_ns(hold.rng, kHoldMeanNs), hold.next_seq++});
}

class HoldBare {
 public:
  HoldBare(std::uint64_t k, std::uint64_t seed) : hold_{{}, RandomStream(seed)} {
    for (std::uint64_t i = 0; i < k; ++i) bare_hold_event(hold_);  // now == 0
  }
  void run(std::uint64_t events) {
    for (std::uint64_t i = 0; i < events; ++i) {
      const HoldEntry entry = hold_.queue.top();
      hold_.queue.pop();
      hold_.now = entry.time;
      bare_hold_event(hold_);
    }
  }
  Time now() const { return hold_.now; }
  std::size_t bytes_reserved() const { return hold_.queue.bytes_reserved(); }

 private:
  BareHold hold_;
};

// Builds the model (untimed), runs K warm-up events (untimed), then times `events` events.
template <class Model>
Sample time_hold(std::uint64_t k, std::uint64_t events, std::uint64_t seed) {
  Model model(k, seed);
  model.run(k);
  const Stopwatch stopwatch;
  model.run(events);
  Sample sample;
  sample.seconds = stopwatch.seconds();
  sample.events = events;
  sample.bytes_per_pending = static_cast<double>(model.bytes_reserved()) / static_cast<double>(k);
  sample.check = static_cast<double>(model.now());
  return sample;
}

bool wanted(const Options& options, std::string_view impl) {
  return options.impl.empty() || options.impl == impl;
}

std::string ratio_text(const Summary& s, const Summary& bare) {
  return s.ran && bare.ran ? fmt::format("{:.2f}", s.median_rate / bare.median_rate) : std::string("-");
}

void print_row(std::string_view first, std::string_view impl, const Summary& s, const Summary& bare,
               const std::string& extra) {
  if (!s.ran) return;
  fmt::print("{:>9}  {:<28} {:>8.2f} {:>9.1f} {:>8} {:>7.1f}% {}\n", first, impl, s.median_rate / 1e6,
             1e9 / s.median_rate, ratio_text(s, bare), 100 * s.spread, extra);
}

// Implementations that simulated the same trajectory must agree on `check`.
void check_agreement(const std::vector<const Summary*>& summaries, std::string_view what) {
  const Summary* first = nullptr;
  for (const Summary* s : summaries) {
    if (!s->ran) continue;
    if (first == nullptr) {
      first = s;
    } else if (s->check != first->check) {
      fmt::print("  WARNING: the implementations disagree on {} ({} vs {})\n", what, first->check, s->check);
    }
  }
}

void run_hold(const Options& options) {
  fmt::print("Hold model: K pending events; each event pops the earliest and schedules one at an\n");
  fmt::print("exponential delay (mean 1 s). {} timed events per run after K untimed warm-up events;\n",
             options.hold_events);
  fmt::print("median of {} runs; 'vs bare' = events/s / bare events/s; bytes/pending = memory the\n",
             options.reps);
  fmt::print("pending-event set holds (capacity included) / K.\n\n");
  fmt::print("{:>9}  {:<28} {:>8} {:>9} {:>8} {:>8} {}\n", "K", "implementation", "Mev/s", "ns/event",
             "vs bare", "spread", "bytes/pending");
  for (const std::uint64_t k : options.ks) {
    std::vector<Sample> bare, queue, sim;
    for (int rep = 0; rep < options.reps; ++rep) {
      // Same seed in every run and implementation: the same work each time.
      if (wanted(options, "bare")) bare.push_back(time_hold<HoldBare>(k, options.hold_events, options.seed));
      if (wanted(options, "queue")) {
        queue.push_back(time_hold<HoldOnEventQueue>(k, options.hold_events, options.seed));
      }
      if (wanted(options, "sim"))
        sim.push_back(time_hold<HoldOnSimulation>(k, options.hold_events, options.seed));
    }
    const Summary b = summarize(bare), q = summarize(queue), s = summarize(sim);
    const std::string k_text = fmt::format("{}", k);
    print_row(k_text, "bare std::priority_queue", b, b, fmt::format("{:>13.1f}", b.bytes_per_pending));
    print_row(k_text, "shardsim::EventQueue loop", q, b, fmt::format("{:>13.1f}", q.bytes_per_pending));
    print_row(k_text, "shardsim::Simulation", s, b, fmt::format("{:>13.1f}", s.bytes_per_pending));
    check_agreement({&b, &q, &s}, "the final clock");
    std::fflush(stdout);
  }
  fmt::print("\n");
}

// ---------------------------------------------------------------------------------------------
// M/M/1

constexpr double kServiceMeanMs = 0.1;  // mu = 10,000 jobs/s

// Poisson arrivals into a real shardsim::Node; the job id is the arrival time, so the response
// time is now - job when the node reports the job served.
class Mm1OnNode {
 public:
  Mm1OnNode(double rho, std::uint64_t departures, std::uint64_t seed)
      : node_(sim_, "mm1", 0, node_spec(), seed, Callback::to<&Mm1OnNode::served>(this)),
        arrivals_(seed, "arrivals"),
        mean_interarrival_ns_(kServiceMeanMs * 1e6 / rho),
        target_(departures) {
    sim_.schedule_in(exponential_ns(arrivals_, mean_interarrival_ns_),
                     Callback::to<&Mm1OnNode::arrive>(this));
  }
  void run() { sim_.run_until(shardsim::kTimeNever); }
  std::uint64_t events() const { return sim_.events_run(); }
  double mean_response_ms() const { return response_sum_ns_ / static_cast<double>(departures_) / 1e6; }

 private:
  static shardsim::NodeSpec node_spec() {
    shardsim::NodeSpec spec;
    spec.servers = 1;
    spec.queue_capacity = std::numeric_limits<std::uint32_t>::max();
    spec.service_ms = shardsim::Distribution::exponential(kServiceMeanMs);
    return spec;
  }
  void arrive(std::uint64_t) {
    node_.submit(static_cast<std::uint64_t>(sim_.now()));
    sim_.schedule_in(exponential_ns(arrivals_, mean_interarrival_ns_),
                     Callback::to<&Mm1OnNode::arrive>(this));
  }
  void served(std::uint64_t job) {
    response_sum_ns_ += static_cast<double>(sim_.now() - static_cast<Time>(job));
    if (++departures_ == target_) sim_.request_stop();
  }

  shardsim::Simulation sim_;
  shardsim::Node node_;
  RandomStream arrivals_;
  double mean_interarrival_ns_;
  std::uint64_t target_;
  std::uint64_t departures_ = 0;
  double response_sum_ns_ = 0;
};

// The same M/M/1 as a bare loop. It draws the same numbers in the same order as Mm1OnNode (the
// arrival stream, and Node's service stream "node/mm1" sampled the way Distribution does), and
// schedules in the same order, so the two simulate the same trajectory.
struct Mm1Entry {
  Time time;
  std::uint64_t seq;
  std::uint64_t job;  // arrival time of the departing job; unused for arrivals
  bool departure;
};
struct Mm1Later {
  bool operator()(const Mm1Entry& a, const Mm1Entry& b) const {
    return a.time > b.time || (a.time == b.time && a.seq > b.seq);
  }
};

struct BareMm1 {
  BareQueue<Mm1Entry, Mm1Later> queue;
  RandomStream arrivals;
  RandomStream service;
  double mean_interarrival_ns;
  std::uint64_t next_seq = 0;
  Time now = 0;
  bool busy = false;
  std::vector<std::uint64_t> fifo = std::vector<std::uint64_t>(1024);  // ring, power-of-two size
  std::uint64_t fifo_head = 0;
  std::uint64_t fifo_size = 0;
  std::uint64_t departures = 0;
  double response_sum_ns = 0;
};

void bare_start_service(BareMm1& m, std::uint64_t job) {
  const double ms = kServiceMeanMs * shardsim::standard_exponential(m.service);  // as Distribution
  m.queue.push(Mm1Entry{m.now + shardsim::from_ms(ms), m.next_seq++, job, true});
}

[[gnu::noinline]] void bare_arrive(BareMm1& m) {
  const std::uint64_t job = static_cast<std::uint64_t>(m.now);
  if (!m.busy) {
    m.busy = true;
    bare_start_service(m, job);
  } else {
    if (m.fifo_size == m.fifo.size()) {
      std::vector<std::uint64_t> grown(m.fifo.size() * 2);
      for (std::uint64_t i = 0; i < m.fifo_size; ++i)
        grown[i] = m.fifo[(m.fifo_head + i) & (m.fifo.size() - 1)];
      m.fifo.swap(grown);
      m.fifo_head = 0;
    }
    m.fifo[(m.fifo_head + m.fifo_size++) & (m.fifo.size() - 1)] = job;
  }
  m.queue.push(Mm1Entry{m.now + exponential_ns(m.arrivals, m.mean_interarrival_ns), m.next_seq++, 0, false});
}

[[gnu::noinline]] void bare_depart(BareMm1& m, std::uint64_t job) {
  if (m.fifo_size > 0) {
    const std::uint64_t next = m.fifo[m.fifo_head];
    m.fifo_head = (m.fifo_head + 1) & (m.fifo.size() - 1);
    --m.fifo_size;
    bare_start_service(m, next);
  } else {
    m.busy = false;
  }
  m.response_sum_ns += static_cast<double>(m.now - static_cast<Time>(job));
  ++m.departures;
}

class Mm1Bare {
 public:
  Mm1Bare(double rho, std::uint64_t departures, std::uint64_t seed)
      : m_{{}, RandomStream(seed, "arrivals"), RandomStream(seed, "node/mm1"), kServiceMeanMs * 1e6 / rho},
        target_(departures) {
    m_.queue.push(Mm1Entry{exponential_ns(m_.arrivals, m_.mean_interarrival_ns), m_.next_seq++, 0, false});
  }
  void run() {
    while (m_.departures < target_) {
      const Mm1Entry entry = m_.queue.top();
      m_.queue.pop();
      m_.now = entry.time;
      ++events_;
      if (entry.departure) {
        bare_depart(m_, entry.job);
      } else {
        bare_arrive(m_);
      }
    }
  }
  std::uint64_t events() const { return events_; }
  double mean_response_ms() const { return m_.response_sum_ns / static_cast<double>(m_.departures) / 1e6; }

 private:
  BareMm1 m_;
  std::uint64_t target_;
  std::uint64_t events_ = 0;
};

template <class Model>
Sample time_mm1(const Options& options) {
  Model model(options.rho, options.departures, options.seed);
  const Stopwatch stopwatch;
  model.run();
  Sample sample;
  sample.seconds = stopwatch.seconds();
  sample.events = model.events();
  sample.check = model.mean_response_ms();
  return sample;
}

void run_mm1(const Options& options) {
  const double mu = 1e3 / kServiceMeanMs;  // per second
  const double lambda = options.rho * mu;
  fmt::print("M/M/1: utilization {}, mean service {} ms, {} departures per run (2 events per job),\n",
             options.rho, kServiceMeanMs, options.departures);
  fmt::print("starting empty; median of {} runs; 'vs bare' = events/s / bare events/s.\n\n", options.reps);
  fmt::print("{:>9}  {:<28} {:>8} {:>9} {:>8} {:>8} {}\n", "", "implementation", "Mev/s", "ns/event",
             "vs bare", "spread", "mean response");
  std::vector<Sample> bare, node;
  for (int rep = 0; rep < options.reps; ++rep) {
    if (wanted(options, "bare")) bare.push_back(time_mm1<Mm1Bare>(options));
    if (wanted(options, "sim") || wanted(options, "queue")) node.push_back(time_mm1<Mm1OnNode>(options));
  }
  const Summary b = summarize(bare), n = summarize(node);
  print_row("M/M/1", "bare std::priority_queue", b, b, fmt::format("{:>10.4f} ms", b.check));
  print_row("M/M/1", "shardsim::Node + Simulation", n, b, fmt::format("{:>10.4f} ms", n.check));
  check_agreement({&b, &n}, "the mean response time");
  const double theory_ms = 1e3 / (mu - lambda);
  const double measured = n.ran ? n.check : b.check;
  fmt::print("Sanity: mean response {:.4f} ms vs theory 1/(mu - lambda) = {:.4f} ms ({:+.2f}%)\n\n", measured,
             theory_ms, 100 * (measured / theory_ms - 1));
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  Stopwatch::wall = options.wall_clock;
  fmt::print("shardsim_bench: timing on the {}; load average {}\n\n",
             options.wall_clock ? "wall clock" : "thread's CPU time", load_average());
  if (options.command == "all" || options.command == "hold") run_hold(options);
  if (options.command == "all" || options.command == "mm1") run_mm1(options);
  return 0;
}
