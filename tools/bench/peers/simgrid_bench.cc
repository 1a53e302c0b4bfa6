// simgrid_bench: shardsim_bench's hold model and M/M/1, written against SimGrid's S4U API, so that
// shardsim's kernel can be compared with a peer simulator on the same machine. One process runs one
// repetition of one model (a SimGrid Engine can be created only once per process); run-peers.sh
// runs the repetitions and takes the median. See tools/bench/peers/README.md.
//
//   simgrid_bench hold --k K [--events N] [--seed S] [--clock cpu|wall] [--cfg=...]
//   simgrid_bench mm1 [--departures N] [--rho R] [--seed S] [--variant semaphore|mailbox] [...]
//
// hold: K actors, each looping sleep_for(exponential, mean 1 s). One event = one actor waking up
//   from sleep_for (one timer expiry). K untimed warm-up events, then N timed events.
// mm1: one server at utilization rho (mean service 0.1 ms): an arrival-generator actor and a
//   server actor. Jobs travel through a std::deque guarded by a semaphore (semaphore variant) or
//   through a mailbox (mailbox variant). Two events per job: its arrival and its departure.
//
// The last line is machine readable: "RESULT key=value ...", read by run-peers.sh.
#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <deque>
#include <string>
#include <string_view>

#include <xbt/log.h>
#include <simgrid/s4u.hpp>

#include "shardsim/random/stream.h"

namespace sg4 = simgrid::s4u;

namespace {

// ---------------------------------------------------------------------------------------------
// Options

struct Options {
  std::string model;  // "hold" or "mm1"
  std::uint64_t k = 1'000;
  std::uint64_t events = 10'000'000;
  std::uint64_t departures = 10'000'000;
  double rho = 0.9;
  std::uint64_t seed = 1;
  std::string variant = "semaphore";
  bool wall_clock = false;
};

[[noreturn]] void usage(const char* error) {
  if (error != nullptr) std::fprintf(stderr, "simgrid_bench: %s\n", error);
  std::fprintf(stderr,
               "usage: simgrid_bench hold --k K [--events N] [--seed S] [--clock cpu|wall] [--cfg=...]\n"
               "       simgrid_bench mm1 [--departures N] [--rho R] [--seed S]\n"
               "                         [--variant semaphore|mailbox] [--clock cpu|wall] [--cfg=...]\n"
               "  --cfg=... options are SimGrid's own (e.g. --cfg=contexts/stack-size:64)\n");
  std::exit(error != nullptr ? 2 : 0);
}

// Accepts 1000, 1e6, 2.5e5 (the notation shardsim_bench accepts).
std::uint64_t parse_count(const std::string& text) {
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (*end != '\0' || !(value >= 1) || value > 1e15 || value != std::floor(value)) {
    usage(("not a positive whole number: " + text).c_str());
  }
  return static_cast<std::uint64_t>(value);
}

// Reads what SimGrid's Engine left in argv (it consumes --cfg= and --log= itself).
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
    } else if (arg == "hold" || arg == "mm1") {
      options.model = arg;
    } else if (arg == "--k") {
      options.k = parse_count(value());
    } else if (arg == "--events") {
      options.events = parse_count(value());
    } else if (arg == "--departures") {
      options.departures = parse_count(value());
    } else if (arg == "--rho") {
      options.rho = std::strtod(value().c_str(), nullptr);
      if (!(options.rho > 0 && options.rho < 1)) usage("--rho must be in (0, 1)");
    } else if (arg == "--seed") {
      options.seed = parse_count(value());
    } else if (arg == "--variant") {
      options.variant = value();
      if (options.variant != "semaphore" && options.variant != "mailbox") usage("bad --variant");
    } else if (arg == "--clock") {
      const std::string text = value();
      if (text != "cpu" && text != "wall") usage("--clock must be cpu or wall");
      options.wall_clock = text == "wall";
    } else {
      usage(("unknown argument: " + std::string(arg)).c_str());
    }
  }
  if (options.model.empty()) usage("say hold or mm1");
  return options;
}

// ---------------------------------------------------------------------------------------------
// Shared pieces

// shardsim's own generator (xoshiro256++ seeded through SplitMix64), compiled into this program
// from sim/random/stream.cc: the cost of a draw is the same small, known amount in every
// implementation, and the numbers are the same on every standard library.
using Rng = shardsim::RandomStream;

// -log(u) * mean: an exponential delay of the given mean.
double exponential(Rng& rng, double mean) {
  return -std::log(rng.next_double_open0()) * mean;
}

// The process's CPU time (default; the simulation runs on one OS thread, so this is that thread's
// CPU time too, the clock shardsim_bench uses) or the wall clock.
class Stopwatch {
 public:
  static inline bool wall = false;
  void start() { start_ = now(); }
  double seconds() const { return now() - start_; }

 private:
  static double now() {
    if (wall)
      return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
  }
  double start_ = 0;
};

// The largest resident set of the process so far, in bytes (setup included).
double max_rss_bytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) * 1024.0;
}

// The smallest platform: one host. Actors only sleep and synchronize, so its speed is irrelevant.
// The mailbox variant sends 0-byte messages from the host to itself, which needs a loopback route.
sg4::Host* make_platform() {
  auto* zone = sg4::create_full_zone("world");
  sg4::Host* host = zone->create_host("host", 1e9);
  const sg4::Link* loopback = zone->create_link("loopback", 1e12)->set_latency(0)->seal();
  zone->add_route(host->get_netpoint(), host->get_netpoint(), nullptr, nullptr, {sg4::LinkInRoute(loopback)},
                  false);
  zone->seal();
  return host;
}

// ---------------------------------------------------------------------------------------------
// Hold model

constexpr double kHoldMean = 1.0;  // seconds of simulated time, as shardsim_bench

struct Hold {
  Hold(std::uint64_t seed, std::uint64_t k, std::uint64_t events)
      : rng(seed), warmup_end(k), timed_end(k + events) {}

  Rng rng;
  std::uint64_t warmup_end;  // the K-th wake-up: the timed part starts after it
  std::uint64_t timed_end;   // K + N
  std::uint64_t expiries = 0;
  bool done = false;  // set after the N-th timed wake-up; every actor then returns on its next wake-up
  Stopwatch stopwatch;
  double seconds = 0;
  double end_clock = 0;
};

// Counts one timer expiry; starts and stops the stopwatch at the edges of the timed part.
void on_expiry(Hold& hold) {
  ++hold.expiries;
  if (hold.expiries == hold.warmup_end) {
    hold.stopwatch.start();
  } else if (hold.expiries == hold.timed_end) {
    hold.seconds = hold.stopwatch.seconds();
    hold.end_clock = sg4::Engine::get_clock();
    hold.done = true;
  }
}

// One pending timer: the natural S4U form of "pop the earliest, schedule one more".
void hold_actor(Hold* hold) {
  while (!hold->done) {
    sg4::this_actor::sleep_for(exponential(hold->rng, kHoldMean));
    if (!hold->done) on_expiry(*hold);
  }
}

void run_hold(const sg4::Engine& engine, sg4::Host* host, const Options& options) {
  Hold hold(options.seed, options.k, options.events);
  for (std::uint64_t i = 0; i < options.k; ++i) sg4::Actor::create("timer", host, hold_actor, &hold);
  engine.run();
  const double rate = static_cast<double>(options.events) / hold.seconds;
  std::printf("SimGrid S4U hold model: K=%llu actors, %llu timed events in %.3f s: %.3f M events/s\n",
              static_cast<unsigned long long>(options.k), static_cast<unsigned long long>(options.events),
              hold.seconds, rate / 1e6);
  std::printf("Sanity: simulated clock at the end %.3f s (about (K + N) / K = %.3f s)\n", hold.end_clock,
              static_cast<double>(options.k + options.events) / static_cast<double>(options.k));
  std::printf("RESULT model=hold k=%llu impl=simgrid events=%llu seconds=%.6f rate=%.1f rss_per_k=%.0f\n",
              static_cast<unsigned long long>(options.k), static_cast<unsigned long long>(options.events),
              hold.seconds, rate, max_rss_bytes() / static_cast<double>(options.k));
}

// ---------------------------------------------------------------------------------------------
// M/M/1

constexpr double kServiceMean = 0.1e-3;  // 0.1 ms, as shardsim_bench

struct Mm1 {
  // Two streams from the one seed, as shardsim_bench has an arrival and a service stream.
  Mm1(std::uint64_t seed, double rho, std::uint64_t departures)
      : arrivals(seed),
        service(seed ^ 0x5eed5eed5eed5eedULL),
        mean_interarrival(kServiceMean / rho),
        target(departures) {}

  Rng arrivals;
  Rng service;
  double mean_interarrival;
  std::uint64_t target;             // departures
  std::deque<double> waiting;       // arrival times of the jobs not yet taken by the server, FIFO
  sg4::SemaphorePtr jobs;           // semaphore variant: counts the jobs in `waiting`
  sg4::Mailbox* mailbox = nullptr;  // mailbox variant: carries pointers into `waiting`
  std::uint64_t arrived = 0;
  std::uint64_t departed = 0;
  double response_sum = 0;
  Stopwatch stopwatch;
  double seconds = 0;
};

// Poisson arrivals. A daemon: SimGrid kills it when the server, the last regular actor, returns.
void arrival_actor(Mm1* m) {
  sg4::Actor::self()->daemonize();
  for (;;) {
    sg4::this_actor::sleep_for(exponential(m->arrivals, m->mean_interarrival));
    ++m->arrived;  // event: an arrival
    m->waiting.push_back(sg4::Engine::get_clock());
    if (m->jobs) {
      m->jobs->release();
    } else {
      // Detached: the generator never blocks, the mailbox queues the job like the deque does.
      m->mailbox->put_init(&m->waiting.back(), 0)->detach();
    }
  }
}

// Takes the next job (blocks while there is none) and returns its arrival time.
double next_job(Mm1& m) {
  if (m.jobs) {
    m.jobs->acquire();
  } else {
    m.mailbox->get<double>();  // points to m.waiting.front(): the mailbox is FIFO as well
  }
  const double arrived_at = m.waiting.front();
  m.waiting.pop_front();
  return arrived_at;
}

void server_actor(Mm1* m) {
  while (m->departed < m->target) {
    const double arrived_at = next_job(*m);
    sg4::this_actor::sleep_for(exponential(m->service, kServiceMean));
    ++m->departed;  // event: a departure
    m->response_sum += sg4::Engine::get_clock() - arrived_at;
  }
  m->seconds = m->stopwatch.seconds();
}

void run_mm1(const sg4::Engine& engine, sg4::Host* host, const Options& options) {
  Mm1 m(options.seed, options.rho, options.departures);
  if (options.variant == "semaphore") {
    m.jobs = sg4::Semaphore::create(0);
  } else {
    m.mailbox = sg4::Mailbox::by_name("jobs");
  }
  sg4::Actor::create("arrivals", host, arrival_actor, &m);
  sg4::ActorPtr server = sg4::Actor::create("server", host, server_actor, &m);
  // Declared receiver: detached sends complete at once instead of waiting for a matching get().
  if (m.mailbox != nullptr) m.mailbox->set_receiver(server);
  m.stopwatch.start();
  engine.run();
  const std::uint64_t events = m.arrived + m.departed;
  const double rate = static_cast<double>(events) / m.seconds;
  const double mean_ms = m.response_sum / static_cast<double>(m.departed) * 1e3;
  const double theory_ms = kServiceMean / (1 - options.rho) * 1e3;
  std::printf("SimGrid S4U M/M/1 (%s): %llu events in %.3f s: %.3f M events/s\n", options.variant.c_str(),
              static_cast<unsigned long long>(events), m.seconds, rate / 1e6);
  std::printf("Sanity: mean response %.4f ms vs theory 1/(mu - lambda) = %.4f ms (%+.2f%%)\n", mean_ms,
              theory_ms, 100 * (mean_ms / theory_ms - 1));
  std::printf("RESULT model=mm1 k=- impl=simgrid-%s events=%llu seconds=%.6f rate=%.1f mean_ms=%.4f\n",
              options.variant.c_str(), static_cast<unsigned long long>(events), m.seconds, rate, mean_ms);
}

}  // namespace

int main(int argc, char** argv) {
  // Exponential draws below SimGrid's 1 ns accuracy are legitimate here (they sleep 0); without
  // this, SimGrid logs a line for each. A --log= given on the command line still overrides it.
  xbt_log_control_set("s4u_actor.thres:warning");
  const sg4::Engine engine(&argc, argv);  // takes SimGrid's --cfg= and --log= out of argv
  const Options options = parse(argc, argv);
  Stopwatch::wall = options.wall_clock;
  sg4::Host* host = make_platform();
  if (options.model == "hold") {
    run_hold(engine, host, options);
  } else {
    run_mm1(engine, host, options);
  }
  return 0;
}
