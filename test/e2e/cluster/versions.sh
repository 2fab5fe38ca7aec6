# shellcheck shell=bash disable=SC2034  # the variables are used by the scripts that source this file
# Pinned tool versions and cache layout for the e2e control plane.
# Sourced by build-tools.sh and cluster.sh. Changing a pin changes the
# directory the tool lives in, so the next build-tools.sh run rebuilds it.

K8S_VERSION="${GLAT_E2E_K8S_VERSION:-v1.35.8}"     # k8s.io/kubernetes (v1.35.7 is not served by the proxy)
KWOK_VERSION="${GLAT_E2E_KWOK_VERSION:-v0.8.0}"    # sigs.k8s.io/kwok
HELM3_VERSION="${GLAT_E2E_HELM3_VERSION:-v3.22.0}" # helm.sh/helm/v3 (newest 3.x on the proxy)
HELM4_VERSION="${GLAT_E2E_HELM4_VERSION:-v4.3.1}"  # helm.sh/helm/v4 (newest 4.x on the proxy)
ETCD_VERSION="${GLAT_E2E_ETCD_VERSION:-v3.6.16}"   # go.etcd.io/etcd/server/v3 (default etcd; see glat_etcd_bin)

GLAT_E2E_CACHE="${GLAT_E2E_CACHE:-$HOME/.cache/gitlab-agent-tui/e2e}"

K8S_BIN_DIR="$GLAT_E2E_CACHE/k8s-$K8S_VERSION/bin"
KWOK_BIN_DIR="$GLAT_E2E_CACHE/kwok-$KWOK_VERSION/bin"
KWOK_STAGES_DIR="$GLAT_E2E_CACHE/kwok-$KWOK_VERSION/stages"   # kwok's default Stages, copied from the module
HELM3_BIN_DIR="$GLAT_E2E_CACHE/helm-$HELM3_VERSION/bin"
HELM4_BIN_DIR="$GLAT_E2E_CACHE/helm-$HELM4_VERSION/bin"
ETCD_BIN_DIR="$GLAT_E2E_CACHE/etcd-$ETCD_VERSION/bin"
STAMP_DIR="$GLAT_E2E_CACHE/stamps"

# etcd: built from go.etcd.io/etcd/server/v3 by default. GLAT_E2E_ETCD=debian uses
# Debian's /usr/bin/etcd (3.4.23) instead, but that version lacks the watch-progress
# support kube-apiserver >= 1.34 needs for streaming list-watch: client-go 1.35+ clients
# (kwok-controller) then log "required storage feature RequestWatchProgress is
# disabled" and see pod changes 10-20 s late.
glat_etcd_bin() {
  if [[ "${GLAT_E2E_ETCD:-build}" == debian ]]; then
    echo /usr/bin/etcd
  else
    echo "$ETCD_BIN_DIR/etcd"
  fi
}
