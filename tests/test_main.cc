// One Catch2 main for the whole suite; the tests live in files named after what they test.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
