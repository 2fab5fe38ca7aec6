#!/usr/bin/env bash
# Packages the e2e test chart as the official one is published: with its dependency built into charts/.
#
#   package.sh <helm> <dest-dir> <version> <appVersion>   # one version
#   package.sh <helm> <dest-dir> --all                    # every pair in chart-versions.txt
#
# GLAT_E2E_CHART_SRC: the chart source to package (default: gitlab-agent next to this script).
# The source is copied first, so it keeps its source form (no charts/, no Chart.lock). Helm runs
# with private config/cache dirs and --skip-refresh: nothing of the user's helm setup is read or
# updated, and nothing goes to the network (the dependency is file://deps/ingress-nginx).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SRC="${GLAT_E2E_CHART_SRC:-$HERE/gitlab-agent}"
usage() { sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
(($# >= 3)) || usage
HELM="$1" DEST="$2"; shift 2

pairs=()
if [[ "$1" == --all ]]; then
  while read -r v a _; do
    [[ -z "$v" || "$v" == \#* ]] && continue
    pairs+=("$v:$a")
  done <"$HERE/chart-versions.txt"
else
  (($# == 2)) || usage
  pairs=("$1:$2")
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export HELM_CONFIG_HOME="$WORK/helm/config" HELM_CACHE_HOME="$WORK/helm/cache" HELM_DATA_HOME="$WORK/helm/data"
chart="$WORK/$(basename "$SRC")"
cp -r "$SRC" "$chart"
rm -rf "$chart/charts" "$chart/Chart.lock"
if grep -q '^dependencies:' "$chart/Chart.yaml"; then
  timeout 60 "$HELM" dependency build --skip-refresh "$chart" >/dev/null
fi
mkdir -p "$DEST"
for pair in "${pairs[@]}"; do
  timeout 60 "$HELM" package "$chart" --version "${pair%%:*}" --app-version "${pair#*:}" --destination "$DEST" >/dev/null
done
