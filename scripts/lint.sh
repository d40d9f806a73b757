#!/usr/bin/env bash
# Static checks on our code (libspamcore, apps): cppcheck with warning, style, performance and portability checks;
# any finding not justified in scripts/cppcheck-suppressions.txt fails. Run by scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cppcheck >/dev/null || SPAMCORE_EXTRA_PACKAGES=cppcheck SPAMCORE_NO_BUILD=1 ./scripts/setup.sh >/dev/null
cppcheck --std=c++20 --enable=warning,style,performance,portability --inline-suppr --quiet --error-exitcode=1 \
  --suppressions-list=scripts/cppcheck-suppressions.txt --template='{file}:{line}: {severity} [{id}] {message}' \
  -I libspamcore/include -I libspamcore/src libspamcore/src apps
echo "lint: cppcheck clean"
