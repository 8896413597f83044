// libFuzzer target: any bytes through the `marac score` path (strict JSON,
// field validation, scoring, result rendering) and the definition parsers.
// Must never crash, leak or trip a sanitizer; every input is either scored or
// refused with a message naming a field. Build with scripts/fuzz.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "marac/assess/instrument.h"
#include "marac/assess/policy.h"
#include "marac/assess/score.h"
#include "services/cli/assessment_json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  static const marac::InstrumentSet* const kInstruments =
      new marac::InstrumentSet(marac::InstrumentSet::BuiltIn());
  static const marac::Scorer* const kScorer = new marac::Scorer(
      *marac::Scorer::Create(marac::ScoringPolicy::Default(), *kInstruments));
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  const marac::Result<marac::ParsedAssessment> parsed =
      marac::ParseAssessment(text, *kInstruments, marac::ParseLimits{});
  if (parsed.ok()) {
    const marac::Result<marac::RiskScore> score = kScorer->Score(
        parsed->checklist, parsed->history, parsed->completed_on);
    if (score.ok()) {
      std::string out;
      marac::AppendResultJson(*parsed, *score, out);
      if (out.empty() || out.front() != '{') __builtin_trap();
    } else if (score.status().message().find(':') == std::string::npos) {
      __builtin_trap();  // Every refusal names a field.
    }
  } else if (parsed.status().message().find(':') == std::string::npos) {
    __builtin_trap();
  }
  (void)marac::ScoringPolicy::FromJson(text);
  (void)marac::Instrument::FromJson(text);
  return 0;
}
