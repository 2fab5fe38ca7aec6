#!/usr/bin/env bash
# Smoke test of the e2e control plane: starts a cluster (own name, so it does not
# touch a running default cluster), checks every promised behaviour, tears it down.
#
#   bash test/e2e/cluster/smoke.sh
#
# Prints one line per check and a closing "N passed, N failed" line.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.sh
source "$HERE/versions.sh"

export GLAT_E2E_CLUSTER="${GLAT_E2E_CLUSTER:-glat-e2e-smoke}"
KUBECTL="$K8S_BIN_DIR/kubectl"
HELM3="$HELM3_BIN_DIR/helm"
HELM4="$HELM4_BIN_DIR/helm"

PASSED=0 FAILED=0
ok()   { PASSED=$((PASSED + 1)); printf 'ok   - %s\n' "$*"; }
fail() { FAILED=$((FAILED + 1)); printf 'FAIL - %s\n' "$*"; }
check() { # check "description" command...
  local d="$1"; shift
  if "$@" >/dev/null 2>&1; then ok "$d"; else fail "$d"; fi
}

TMP="$(mktemp -d)"
cleanup() {
  bash "$HERE/cluster.sh" down >/dev/null 2>&1 || true
  rm -rf "$TMP"
}
trap cleanup EXIT

# Helm state (repos, cache) stays in the temp dir.
export HELM_CONFIG_HOME="$TMP/helm/config" HELM_CACHE_HOME="$TMP/helm/cache" HELM_DATA_HOME="$TMP/helm/data"

bash "$HERE/build-tools.sh"
t0=$SECONDS
eval "$(bash "$HERE/cluster.sh" up)"
echo "# cluster up in $((SECONDS - t0)) s: KUBECONFIG=$KUBECONFIG GITLAB_AGENT_CHART_REPO=$GITLAB_AGENT_CHART_REPO"

k() { timeout 60 "$KUBECTL" "$@"; }

# ---------------------------------------------------------------- versions
sv="$(k version -o json | sed -n 's/.*"gitVersion": "\(v[^"]*\)".*/\1/p' | tail -1)"
[[ "$sv" == "$K8S_VERSION" ]] && ok "server version $sv" || fail "server version '$sv' != $K8S_VERSION"
h3="$("$HELM3" version --short)"; h4="$("$HELM4" version --short)"
[[ "$h3" == "$HELM3_VERSION"* ]] && ok "helm 3: $h3" || fail "helm 3 version '$h3'"
[[ "$h4" == "$HELM4_VERSION"* ]] && ok "helm 4: $h4" || fail "helm 4 version '$h4'"
out="$(k --context e2e-admin --as system:anonymous get ns 2>&1 || true)"
[[ "$out" == *Forbidden* || "$out" == *forbidden* ]] && ok "RBAC on: anonymous may not list namespaces" || fail "RBAC: $out"
check "e2e-admin is cluster admin" bash -c "[[ \$('$KUBECTL' auth can-i '*' '*') == yes ]]"

# ---------------------------------------------------------------- contexts
check "e2e-restricted: cannot create namespaces" bash -c "[[ \$('$KUBECTL' --context e2e-restricted auth can-i create namespaces) == no ]]"
check "e2e-restricted: cannot create clusterrolebindings" bash -c "[[ \$('$KUBECTL' --context e2e-restricted auth can-i create clusterrolebindings.rbac.authorization.k8s.io) == no ]]"
check "e2e-restricted: can create secrets in default" bash -c "[[ \$('$KUBECTL' --context e2e-restricted auth can-i create secrets -n default) == yes ]]"
check "e2e-restricted: can create deployments in default" bash -c "[[ \$('$KUBECTL' --context e2e-restricted auth can-i create deployments.apps -n default) == yes ]]"
check "e2e-restricted: can list pods in all namespaces" k --context e2e-restricted get pods -A
out="$(k --context e2e-restricted create namespace forbidden-ns 2>&1 || true)"
[[ "$out" == *Forbidden* || "$out" == *forbidden* ]] && ok "e2e-restricted: create namespace is Forbidden" || fail "e2e-restricted create namespace: $out"
out="$(k --context e2e-closed-port --request-timeout=5s get ns 2>&1 || true)"
[[ "$out" == *"connection refused"* ]] && ok "e2e-closed-port: connection refused" || fail "e2e-closed-port: $out"
out="$(k --context e2e-exec-fail --request-timeout=5s get ns 2>&1 || true)"
[[ "$out" == *"credential plugin failed"* ]] && ok "e2e-exec-fail: plugin error surfaces" || fail "e2e-exec-fail: $out"

# ---------------------------------------------------------------- chart via both helms
wait_pods() { # ns selector want-ready-count timeout
  local ns="$1" sel="$2" want="$3" limit="$4" i n
  for ((i = 0; i < limit; i++)); do
    n="$(k -n "$ns" get pods -l "$sel" -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' | grep -c True || true)"
    [[ "$n" -ge "$want" ]] && return 0
    sleep 1
  done
  return 1
}

for hv in 3 4; do
  H="$HELM3"; [[ $hv == 4 ]] && H="$HELM4"
  ns="agent-helm$hv"; rel="agent$hv"
  "$H" repo add e2e "$GITLAB_AGENT_CHART_REPO" --force-update >/dev/null
  "$H" repo update >/dev/null
  if timeout 180 "$H" upgrade --install "$rel" e2e/gitlab-agent --version 2.31.0 -n "$ns" --create-namespace \
      --set config.token=glagent-fake-e2e-token --set config.kasAddress=wss://kas.example.invalid \
      --wait --timeout 120s >"$TMP/helm$hv-install.log" 2>&1; then
    ok "helm $hv: upgrade --install 2.31.0 --wait"
  else
    fail "helm $hv: install 2.31.0: $(cat "$TMP/helm$hv-install.log")"
  fi
  check "helm $hv: 2 Ready pods (app.kubernetes.io/instance=$rel)" \
    wait_pods "$ns" "app.kubernetes.io/name=gitlab-agent,app.kubernetes.io/instance=$rel" 2 30
  check "helm $hv: deployment $rel-gitlab-agent-v2, secret $rel-gitlab-agent-token, CRB $ns:$rel-gitlab-agent-cluster-admin" \
    k -n "$ns" get "deployment/$rel-gitlab-agent-v2" "secret/$rel-gitlab-agent-token" "clusterrolebinding/$ns:$rel-gitlab-agent-cluster-admin"
  check "helm $hv: OCS objects and the observability Service (on by default)" \
    k -n "$ns" get "serviceaccount/$rel-gitlab-agent-ocs-scanning-pod-sa" "clusterrole/$ns:$rel-gitlab-agent:ocs" \
    "clusterrolebinding/$ns:$rel-gitlab-agent:ocs" "role/$rel-gitlab-agent:ocs" "rolebinding/$rel-gitlab-agent:ocs" \
    "service/$rel-gitlab-agent-service"
  if timeout 180 "$H" upgrade "$rel" e2e/gitlab-agent --version 2.32.0 -n "$ns" --reuse-values \
      --wait --timeout 120s >"$TMP/helm$hv-upgrade.log" 2>&1; then
    ok "helm $hv: upgrade to 2.32.0 --wait"
  else
    fail "helm $hv: upgrade 2.32.0: $(cat "$TMP/helm$hv-upgrade.log")"
  fi
  img="$(k -n "$ns" get deploy "$rel-gitlab-agent-v2" -o jsonpath='{.spec.template.spec.containers[?(@.name=="gitlab-agent")].image}')"
  [[ "$img" == *:v19.4.0 ]] && ok "helm $hv: image after upgrade $img" || fail "helm $hv: image after upgrade $img"
  check "helm $hv: 2 Ready pods after upgrade" \
    wait_pods "$ns" "app.kubernetes.io/name=gitlab-agent,app.kubernetes.io/instance=$rel" 2 30
done

# ---------------------------------------------------------------- failure modes
"$HELM4" upgrade --install crash e2e/gitlab-agent -n e2e-crash --create-namespace --set replicas=1 \
  --set config.token=t --set-string 'podAnnotations.e2e\.test/crashloop=true' \
  --set-string 'podAnnotations.e2e\.test/crash-message=custom crash message' >/dev/null
"$HELM4" upgrade --install pullfail e2e/gitlab-agent -n e2e-pull --create-namespace --set replicas=1 \
  --set config.token=t --set image.tag=does-not-exist >/dev/null

"$HELM4" upgrade --install slow e2e/gitlab-agent -n e2e-slow --create-namespace --set replicas=1 \
  --set config.token=t --set-string 'podAnnotations.e2e\.test/ready-delay=6s' >/dev/null
sleep 2
row="$(k -n e2e-slow get pods --no-headers)"
[[ "$row" == *" 0/1 "*Pending* ]] && ok "ready-delay: still Pending after 2 s" || fail "ready-delay after 2 s: $row"
check "ready-delay: Ready within 15 s" wait_pods e2e-slow app.kubernetes.io/instance=slow 1 15

sel="app.kubernetes.io/instance=crash"
restarts=0 reason=""
for ((i = 0; i < 40; i++)); do
  reason="$(k -n e2e-crash get pods -l "$sel" -o jsonpath='{.items[0].status.containerStatuses[0].state.waiting.reason}' 2>/dev/null || true)"
  restarts="$(k -n e2e-crash get pods -l "$sel" -o jsonpath='{.items[0].status.containerStatuses[0].restartCount}' 2>/dev/null || true)"
  [[ "$reason" == CrashLoopBackOff && "${restarts:-0}" -ge 3 ]] && break
  sleep 1
done
[[ "$reason" == CrashLoopBackOff && "${restarts:-0}" -ge 3 ]] && ok "crashloop: CrashLoopBackOff, restarts=$restarts" || fail "crashloop: reason=$reason restarts=$restarts"
row="$(k -n e2e-crash get pods -l "$sel" --no-headers)"
[[ "$row" == *CrashLoopBackOff* ]] && ok "crashloop: kubectl get pods shows: $row" || fail "crashloop: get pods: $row"
msg="$(k -n e2e-crash get pods -l "$sel" -o jsonpath='{.items[0].status.containerStatuses[0].lastState.terminated.message}')"
[[ "$msg" == "custom crash message" ]] && ok "crashloop: termination message from annotation" || fail "crashloop: message '$msg'"
pod="$(k -n e2e-crash get pods -l "$sel" -o name | head -1)"
logs="$(k -n e2e-crash logs "$pod" 2>&1 || true)"
[[ "$logs" == *'"msg":"Error handling a connection"'*Unauthenticated* ]] && ok "logs: current agentk JSON lines" || fail "logs: $logs"
prev="$(k -n e2e-crash logs "$pod" --previous 2>&1 || true)"
[[ "$prev" == *'"msg":"Program aborted"'* ]] && ok "logs --previous: previous agentk JSON lines" || fail "logs --previous: $prev"

sel="app.kubernetes.io/instance=pullfail"
seen=""
for ((i = 0; i < 40; i++)); do
  row="$(k -n e2e-pull get pods -l "$sel" --no-headers 2>/dev/null || true)"
  [[ "$row" == *ErrImagePull* ]] && seen+=" ErrImagePull"
  [[ "$row" == *ImagePullBackOff* ]] && seen+=" ImagePullBackOff"
  [[ "$seen" == *ErrImagePull* && "$seen" == *ImagePullBackOff* ]] && break
  sleep 0.5
done
[[ "$seen" == *ErrImagePull* && "$seen" == *ImagePullBackOff* ]] && ok "image pull: saw ErrImagePull and ImagePullBackOff" || fail "image pull: saw '$seen' ($row)"
ev="$(k -n e2e-pull get events --field-selector type=Warning -o jsonpath='{range .items[*]}{.reason}{": "}{.message}{"\n"}{end}')"
[[ "$ev" == *"Failed to pull image"* ]] && ok "image pull: Warning event 'Failed'" || fail "image pull: events: $ev"

# ---------------------------------------------------------------- down
run_dir="${GLAT_E2E_WORKDIR:-$GLAT_E2E_CACHE/run/$GLAT_E2E_CLUSTER}"
pids=""
for f in "$run_dir"/kwok/clusters/*/pids/*.pid "$run_dir"/chart-repo.pid; do
  [[ -f "$f" ]] && pids+=" $(tr -d '[:space:]' <"$f")"   # kwokctl writes no trailing newline
done
bash "$HERE/cluster.sh" down 2>/dev/null
alive=""
for p in $pids; do  # zombies count as gone
  st="$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null || true)"
  [[ -n "$st" && "${st%% *}" != Z ]] && alive+=" $p"
done
n="$(wc -w <<<"$pids")"
[[ -z "$alive" && "$n" -eq 6 ]] && ok "down: all $n processes gone (etcd, apiserver, kcm, scheduler, kwok, chart repo)" || fail "down: $n pids, still alive:$alive (pids: $pids)"
bash "$HERE/cluster.sh" down 2>/dev/null && ok "down: second call is a no-op" || fail "down twice"

echo "$PASSED passed, $FAILED failed"
[[ $FAILED -eq 0 ]]
