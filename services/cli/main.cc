// marac: the command-line tool. See docs/cli.md for the contract.
#include <iostream>

#include "services/cli/commands.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  return marac::RunMain(argc, argv, std::cin, std::cout, std::cerr);
}
