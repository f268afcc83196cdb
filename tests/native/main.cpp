// doctest entry point for the native unit tests; test cases live one concept per file.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
