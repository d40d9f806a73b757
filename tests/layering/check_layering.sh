#!/usr/bin/env bash
# Fails when a module includes a module it may not depend on (libspamcore/README.md).
set -u
root=${1:?usage: check_layering.sh SOURCE_DIR}
declare -A allowed=(
  [base]="base"
  [corpus]="base corpus"
  [mail]="base mail"
  [tokenize]="base mail tokenize"
  [model]="base tokenize model"
  [store]="base tokenize model store"
  [engine]="base corpus mail tokenize model store engine"
  [eval]="base corpus tokenize model engine eval"
)
status=0
for module in "${!allowed[@]}"; do
  for dir in "$root/libspamcore/include/spamcore/$module" "$root/libspamcore/src/$module"; do
    [ -d "$dir" ] || continue
    while IFS= read -r line; do
      file=${line%%:*}
      used=$(sed -E 's|.*#include "spamcore/([a-z_]+)/.*|\1|' <<<"$line")
      case " ${allowed[$module]} " in
        *" $used "*) ;;
        *) echo "layering: $file: module '$module' may not include spamcore/$used/"; status=1 ;;
      esac
    done < <(grep -rHn '#include "spamcore/' "$dir" || true)
    # private headers of other modules: "<other>/x.hpp" from src/
    while IFS= read -r line; do
      file=${line%%:*}
      used=$(sed -E 's|.*#include "([a-z_]+)/.*|\1|' <<<"$line")
      [ "$used" = "$module" ] || [ "$used" = spamcore ] || {
        echo "layering: $file: module '$module' includes private headers of '$used'"; status=1; }
    done < <(grep -rHnE '#include "[a-z_]+/[a-z_]+\.hpp"' "$dir" | grep -v '"spamcore/' || true)
  done
done
[ $status -eq 0 ] && echo "layering: ok"
exit $status
