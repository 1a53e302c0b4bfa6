// The signals after which a run or a sweep stops cleanly (exit 130, no half-written file, no
// temporary left): Ctrl-C (SIGINT), kill (SIGTERM), and a closed terminal or ssh session (SIGHUP,
// whose default action would kill the process mid-write and leave its temporaries).
#pragma once

#include <csignal>

namespace shardsim::cli {

inline void on_interrupt_signals(void (*handler)(int)) {
  for (int signal : {SIGINT, SIGTERM, SIGHUP}) std::signal(signal, handler);
}

}  // namespace shardsim::cli
