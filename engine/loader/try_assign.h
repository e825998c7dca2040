#pragma once
// Early return for Result chains inside the loader: assigns the value or returns the error.
#define TALLY_TRY_SET(dst, expr)     \
  do {                               \
    auto r_ = (expr);                \
    if (!r_) return r_.error();      \
    (dst) = std::move(r_.value());   \
  } while (0)
