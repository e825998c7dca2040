#pragma once
// The tiny-gptoss Hugging Face checkpoint for loader tests: config.json and tokenizer.json from the fixture plus a
// model.safetensors regenerated from the fixture README's splitmix64 recipe, using the manifest's names, shapes and
// order. Kept test-side so the loader is checked against an independent writer.
#include <string>

namespace tally::loader_test {

// A folder holding the complete checkpoint (made once per build tree), or "" when ../shared is absent.
std::string recipe_hf_dir();

}  // namespace tally::loader_test
