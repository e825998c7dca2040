// Arbitrary bytes as a GGUF: parse, decode every metadata value, derive the config and assemble the weights, and
// decode one row of every matrix. Nothing may crash or read outside the input.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "loader/dequantize.h"
#include "loader/gguf_file.h"
#include "loader/gguf_model.h"

namespace {

void touch(const tally::model::WeightMatrix& m, std::vector<float>& row) {
  if (m.empty() || m.rows == 0) return;
  row.resize(static_cast<size_t>(m.cols));
  tally::loader::dequantize_row(m, m.count - 1, m.rows - 1, row.data());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tally::loader;
  auto file = parse_gguf({data, size}, "fuzz.gguf");
  if (!file) return 0;
  for (const auto& [key, value] : file->metadata) {
    (void)value.printable();
    if (value.type == GgufValueType::Array) {
      (void)value.strings();
      (void)value.ints();
      if (value.count < 4096) (void)value.items();
    }
  }
  (void)gguf_vocab(*file);
  auto config = gguf_model_config(*file);
  if (!config) return 0;
  auto weights = gguf_model_weights(*file, *config);
  if (!weights) return 0;
  std::vector<float> row;
  touch(weights->embed, row);
  touch(weights->output, row);
  for (const auto& L : weights->layers) {
    for (const auto* m : {&L.wq, &L.wk, &L.wv, &L.wo, &L.router, &L.gate, &L.up, &L.down}) touch(*m, row);
  }
  return 0;
}
