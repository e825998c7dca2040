// tally-cli synth: writes a random-weight gpt-oss model (tiny fixture, 20b or 120b shapes) as a GGUF file in the
// official llama.cpp layout or as a Hugging Face checkpoint folder. Same seed, same bytes.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <stdexcept>
#include <string>

#include "cli/command.h"
#include "synth/gptoss_gguf.h"
#include "synth/hf_checkpoint.h"
#include "synth/preset.h"

namespace tally::cli {

namespace {

constexpr const char* kUsage =
    "synth --preset tiny|20b|120b --format gguf|hf --out PATH [--seed S] [--dense q8_0|f16|f32] [--threads N] "
    "[--resources DIR] [--quiet]";

int run_synth(const Args& args) {
  ArgParser parser(args);
  const std::string preset_name = parser.option("--preset", "tiny");
  const std::string format = parser.option("--format", "gguf");
  const std::string out = parser.option("--out");
  const std::string seed_text = parser.option("--seed", std::to_string(synth::kDefaultSeed));
  const std::string dense_text = parser.option("--dense", "q8_0");
  const std::string threads_text = parser.option("--threads", "0");
  const std::string resources = parser.option("--resources");
  const bool quiet = parser.flag("--quiet");
  if (!parser.unknown().empty()) return fail("synth: unknown option " + parser.unknown().front() + "\nusage: " + kUsage);
  if (!parser.positionals().empty()) return fail("synth: unexpected argument " + parser.positionals().front());
  if (out.empty()) return fail(std::string("synth: --out is required\nusage: ") + kUsage);

  const auto preset = synth::find_preset(preset_name);
  if (!preset) return fail("synth: unknown preset '" + preset_name + "' (tiny, 20b, 120b)");
  uint64_t seed = 0;
  unsigned threads = 0;
  try {
    size_t used = 0;
    seed = std::stoull(seed_text, &used, 0);
    if (used != seed_text.size()) throw std::invalid_argument(seed_text);
    threads = static_cast<unsigned>(std::stoul(threads_text, &used));
    if (used != threads_text.size() || threads > 1024) throw std::invalid_argument(threads_text);
  } catch (const std::exception&) {
    return fail("synth: --seed and --threads take non-negative integers");
  }

  const auto start = std::chrono::steady_clock::now();
  int last_percent = -1;
  synth::SynthProgress progress = [&](double f) {
    const int percent = static_cast<int>(f * 100);
    if (quiet || percent == last_percent) return;
    last_percent = percent;
    std::fprintf(stderr, "\rsynth: %3d%%", percent);
    if (percent == 100) std::fprintf(stderr, "\n");
  };

  Result<void> r;
  if (format == "gguf") {
    synth::GgufOptions opt;
    opt.seed = seed;
    opt.resources_dir = resources;
    opt.threads = threads;
    opt.progress = progress;
    if (dense_text == "q8_0") opt.dense = synth::DenseType::Q8_0;
    else if (dense_text == "f16") opt.dense = synth::DenseType::F16;
    else if (dense_text == "f32") opt.dense = synth::DenseType::F32;
    else return fail("synth: --dense must be q8_0, f16 or f32");
    r = synth::write_gptoss_gguf(*preset, out, opt);
  } else if (format == "hf") {
    synth::HfCheckpointOptions opt;
    opt.seed = seed;
    opt.resources_dir = resources;
    opt.threads = threads;
    opt.progress = progress;
    r = synth::write_hf_checkpoint(*preset, out, opt);
  } else {
    return fail("synth: --format must be gguf or hf");
  }
  if (!r) return fail(r.error().message);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!quiet) std::cout << "synth: wrote " << out << " (" << preset->name << ", " << format << ") in " << seconds << " s\n";
  return 0;
}

const Registration registration{{"synth", kUsage, &run_synth}};

}  // namespace

}  // namespace tally::cli
