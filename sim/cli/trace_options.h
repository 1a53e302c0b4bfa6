// The --trace options of `shardsim run`: where the event trace goes and what passes its filters.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "shardsim/report/event_trace.h"

namespace shardsim::cli {

void add_trace_options(boost::program_options::options_description& options);

// The trace options given on the command line (nullopt without --trace). Every problem is
// appended to `errors` (an unknown kind with a suggestion, a filter without --trace, a bad window).
std::optional<TraceOptions> trace_options_from(const boost::program_options::variables_map& vm,
                                               std::vector<std::string>& errors);

}  // namespace shardsim::cli
