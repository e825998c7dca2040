// The tiny fixture's golden loader and comparison rules, shared with tests/runtime (one definition of "matches").
#include "../runtime/golden.cpp"
