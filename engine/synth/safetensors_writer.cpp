#include "synth/safetensors_writer.h"

namespace tally::synth {

std::string safetensors_header(const std::vector<HfTensor>& plan) {
  std::string h = "{";
  uint64_t offset = 0;
  for (const HfTensor& t : plan) {
    h += '"';
    h += t.name;
    h += "\":{\"dtype\":\"";
    h += t.dtype == HfDType::BF16 ? "BF16" : "U8";
    h += "\",\"shape\":[";
    for (size_t i = 0; i < t.shape.size(); ++i) {
      if (i > 0) h += ',';
      h += std::to_string(t.shape[i]);
    }
    h += "],\"data_offsets\":[" + std::to_string(offset) + "," + std::to_string(offset + t.bytes()) + "]},";
    offset += t.bytes();
  }
  h += "\"__metadata__\":{\"format\":\"pt\"}}";
  while (h.size() % 8 != 0) h += ' ';
  return h;
}

Result<void> write_safetensors(const std::string& path, const std::vector<HfTensor>& plan, uint64_t seed,
                               unsigned threads, const SynthProgress& progress) {
  const std::string header = safetensors_header(plan);
  std::vector<Payload> payloads;
  payloads.reserve(plan.size());
  for (const HfTensor& t : plan) {
    Payload p;
    p.name = t.name;
    p.units = t.elements();
    p.unit_bytes = t.dtype == HfDType::BF16 ? 2 : 1;
    p.fill = [&t, seed](uint64_t first, uint64_t count, uint8_t* out) { t.fill(seed, first, count, out); };
    payloads.push_back(std::move(p));
  }

  Result<std::FILE*> file = open_partial(path);
  if (!file) return file.error();
  uint8_t len[8];
  const uint64_t n = header.size();
  for (int i = 0; i < 8; ++i) len[i] = static_cast<uint8_t>(n >> (8 * i));
  Result<void> r = write_bytes(*file, path, len, sizeof len);
  if (r) r = write_bytes(*file, path, header.data(), header.size());
  if (r) r = write_payloads(*file, path, payloads, threads, progress);
  if (!r) {
    abandon_file(*file, path);
    return r;
  }
  return commit_file(*file, path);
}

}  // namespace tally::synth
