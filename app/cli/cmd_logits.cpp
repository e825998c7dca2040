// tally-cli logits: float32 rows of vocab size, one per input position — for golden comparisons across backends.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/model_args.h"
#include "model/config.h"

namespace tally::cli {
namespace {

int run_logits(const Args& raw) {
  ArgParser args(raw);
  ModelArgs m;
  if (auto err = parse_model_args(args, m); !err.empty()) return fail(err);
  std::string ids_text = args.option("--ids");
  const std::string ids_file = args.option("--ids-file");
  const std::string out_path = args.option("--out");
  const bool last_only = args.flag("--last");
  if (!args.unknown().empty()) return fail("unknown option " + args.unknown()[0]);
  if (!ids_file.empty()) {
    std::ifstream in(ids_file);
    if (!in) return fail("cannot read --ids-file " + ids_file);
    std::stringstream ss;
    ss << in.rdbuf();
    ids_text = ss.str();
  }
  auto ids = parse_ids(ids_text);
  if (!ids) return fail(ids.error().message);
  if (ids->empty()) return fail("give the input with --ids \"1 2 3\" or --ids-file F");
  if (out_path.empty()) return fail("--out F.f32 is required");
  auto model = load_for_cli(m, true);
  if (!model) return fail(model.error().message);
  Session session(*model, {.context = std::max<int64_t>(m.context, static_cast<int64_t>(ids->size()))});
  auto logits = session.logits_all(*ids);
  if (!logits) return fail(logits.error().message);
  std::ofstream out(out_path, std::ios::binary);
  const size_t vocab = static_cast<size_t>((*model)->config().vocab);
  const size_t first = last_only ? logits->size() - vocab : 0;
  out.write(reinterpret_cast<const char*>(logits->data() + first),
            static_cast<std::streamsize>((logits->size() - first) * sizeof(float)));
  if (!out) return fail("cannot write " + out_path);
  std::cerr << "wrote " << (logits->size() - first) / vocab << " rows of " << vocab << " logits to " << out_path
            << " (backend " << (*model)->backend_name() << ")\n";
  return 0;
}

const Registration reg{{"logits",
                        "logits --model M --ids \"1 2 3\"|--ids-file F --out F.f32 [--last] [--backend cpu] [--exact]",
                        &run_logits}};

}  // namespace
}  // namespace tally::cli
