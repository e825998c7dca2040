// Encoding speed on mixed Korean/English analyst text (the target is >= 5 MB/s on one core), decoding, loading.
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "tokenizer/tokenizer.h"

namespace {

using tally::tok::Tokenizer;

const Tokenizer& o200k() {
  static const Tokenizer t = std::move(Tokenizer::from_tiktoken(Tokenizer::bundled_tiktoken_path())).value();
  return t;
}

// About 1 MiB of sentences drawn at random from Korean and English business vocabulary, numbers and CSV-ish
// punctuation: repetitive the way real reports are, but never the same sentence twice.
std::string mixed_korean_english(size_t bytes) {
  static const std::vector<std::string> kWords = {
      "매출", "지역별", "서울", "부산", "대구", "인천", "분기", "증가했습니다", "감소했습니다", "전년", "대비",
      "데이터를", "분석해서", "시계열", "패턴을", "찾아줘", "합계", "평균", "고객", "주문", "제품", "카테고리",
      "revenue", "growth", "Q3", "region", "total", "average", "customer", "orders", "the", "of", "and", "is",
      "EBITDA", "margin", "forecast", "year-over-year", "SELECT", "GROUP BY", "chart", "sales", "Seoul", "Busan"};
  std::mt19937 rng(42);
  std::uniform_int_distribution<size_t> word(0, kWords.size() - 1);
  std::uniform_int_distribution<int> roll(0, 99);
  std::string s;
  while (s.size() < bytes) {
    const int r = roll(rng);
    if (r < 8) {
      s += std::to_string(rng() % 100000) + (r < 3 ? "%" : "");
    } else if (r < 12) {
      s += ", ";
      continue;
    } else if (r < 14) {
      s += ".\n";
      continue;
    } else {
      s += kWords[word(rng)];
    }
    s += ' ';
  }
  return s;
}

void BM_EncodeMixedKoreanEnglish(benchmark::State& state) {
  const std::string text = mixed_korean_english(1 << 20);
  std::vector<tally::tok::TokenId> ids;
  for (auto _ : state) {
    ids.clear();
    o200k().encode_into(text, ids);
    benchmark::DoNotOptimize(ids.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(text.size()));
  state.counters["tokens"] = static_cast<double>(ids.size());
}
BENCHMARK(BM_EncodeMixedKoreanEnglish)->Unit(benchmark::kMillisecond);

// Short prompts one by one, as the chat does: measures per-call overhead rather than throughput.
void BM_EncodeShortMessages(benchmark::State& state) {
  const std::string text = mixed_korean_english(200);
  for (auto _ : state) benchmark::DoNotOptimize(o200k().encode(text));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_EncodeShortMessages);

void BM_Decode(benchmark::State& state) {
  const std::string text = mixed_korean_english(1 << 20);
  const auto ids = o200k().encode(text);
  for (auto _ : state) benchmark::DoNotOptimize(o200k().decode(ids));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_Decode)->Unit(benchmark::kMillisecond);

void BM_LoadTiktoken(benchmark::State& state) {
  for (auto _ : state) {
    auto t = Tokenizer::from_tiktoken(Tokenizer::bundled_tiktoken_path());
    if (!t.ok()) state.SkipWithError(t.error().message.c_str());
    benchmark::DoNotOptimize(t);
  }
}
BENCHMARK(BM_LoadTiktoken)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
