// Text made safe inside HTML or XML markup, in element content and in quoted attribute values:
// the HTML report's title, the JUnit XML of `shardsim compare`.
#pragma once

#include <string>
#include <string_view>

namespace shardsim {

// '&', '<', '>', '"' and '\'' become their character references; everything else is kept.
std::string markup_escaped(std::string_view text);

}  // namespace shardsim
