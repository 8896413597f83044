// Blocking that a deadline can stop, for Resolve (not part of the public
// API: Block itself cannot fail).
#ifndef MARAC_LIB_IDENTITY_BLOCKING_UNTIL_H_
#define MARAC_LIB_IDENTITY_BLOCKING_UNTIL_H_

#include <span>
#include <string_view>

#include "marac/common/deadline.h"
#include "marac/common/result.h"
#include "marac/identity/blocking.h"

namespace marac {

// Block(records, rules, options), checking `deadline` before each rule is
// run: once it has passed the remaining rules are skipped and the result is
// its status, Deadline::Check(what). With a deadline that cannot expire,
// exactly Block.
Result<BlockingResult> BlockUntil(std::span<const NormalisedRecord> records,
                                  std::span<const BlockingRule> rules,
                                  const BlockingOptions& options,
                                  const Deadline& deadline,
                                  std::string_view what);

}  // namespace marac

#endif  // MARAC_LIB_IDENTITY_BLOCKING_UNTIL_H_
