#!/usr/bin/env bash
# Real Kubernetes control plane for e2e tests (kwokctl binary runtime, no Docker).
#
#   eval "$(bash test/e2e/cluster/cluster.sh up)"    # start; prints export lines only
#   bash test/e2e/cluster/cluster.sh env              # reprint the export lines
#   bash test/e2e/cluster/cluster.sh down             # stop everything, safe to repeat
#   bash test/e2e/cluster/cluster.sh status           # process / API check (stderr)
#
# Environment:
#   GLAT_E2E_CACHE    tool cache (default ~/.cache/gitlab-agent-tui/e2e)
#   GLAT_E2E_CLUSTER  cluster name (default glat-e2e); several names can run at once
#   GLAT_E2E_WORKDIR  state dir (default $GLAT_E2E_CACHE/run/<name>); removed by down,
#                     whose logs are kept in <workdir>.last-logs
#   GLAT_E2E_NODES    number of kwok Nodes (default 1)
#   HELM_BIN          helm used to package the charts (default: the built helm 4)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
E2E_DIR="$(cd "$HERE/.." && pwd)"
# shellcheck source=versions.sh
source "$HERE/versions.sh"

NAME="${GLAT_E2E_CLUSTER:-glat-e2e}"
RUN_DIR="${GLAT_E2E_WORKDIR:-$GLAT_E2E_CACHE/run/$NAME}"
NODES="${GLAT_E2E_NODES:-1}"
CHART_PACKAGE="$E2E_DIR/chart/package.sh"
# The chart versions the local repo serves (once CHART_VERSIONS here) are in chart/chart-versions.txt.
CLOSED_PORT=2   # nothing listens on 127.0.0.1:2 (privileged, unassigned; unlike 1, not on fetch's blocked-port list): connection refused

export KWOK_WORKDIR="$RUN_DIR/kwok"
CLUSTER_DIR="$KWOK_WORKDIR/clusters/$NAME"
KUBECONFIG_OUT="$RUN_DIR/kubeconfig.yaml"
KWOK_KUBECONFIG="$RUN_DIR/kwokctl-kubeconfig.yaml"   # kwokctl merges a context here, never into ~/.kube
ENV_FILE="$RUN_DIR/env.sh"
REPO_DIR="$RUN_DIR/chart-repo"
REPO_PID_FILE="$RUN_DIR/chart-repo.pid"
REPO_PORT_FILE="$RUN_DIR/chart-repo.port"

KUBECTL="$K8S_BIN_DIR/kubectl"
KWOKCTL="$KWOK_BIN_DIR/kwokctl"
HELM="${HELM_BIN:-$HELM4_BIN_DIR/helm}"
ETCD="$(glat_etcd_bin)"

# Progress goes to fd 3 = the original stderr, so messages printed by the cleanup
# trap land there even if it fires while a command's stderr is redirected.
# Long-lived children get fd 3 closed (3>&-).
exec 3>&2
log() { printf '[e2e-cluster] %s\n' "$*" >&3; }
die() { printf '[e2e-cluster] ERROR: %s\n' "$*" >&3; exit 1; }

# Run a command with a hard time limit (seconds).
bounded() { local s="$1"; shift; timeout --kill-after=5 "$s" "$@"; }

# Running and not a zombie (exited children of an exited kwokctl wait for pid 1 to reap them).
pid_alive() {
  [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null || return 1
  local st
  st="$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null)" || return 1
  [[ "${st%% *}" != Z ]]
}

# Is pid $1 a process whose command line mentions $2? (guards against pid reuse)
pid_matches() {
  local pid="$1" needle="$2"
  pid_alive "$pid" || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$needle"
}

# Stop one pid: TERM, wait up to 10 s, then KILL.
stop_pid() {
  local pid="$1" what="$2" i
  pid_alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do pid_alive "$pid" || return 0; sleep 0.2; done
  log "$what (pid $pid) ignored SIGTERM, sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 25; i++)); do pid_alive "$pid" || return 0; sleep 0.2; done
  log "WARNING: $what (pid $pid) is still alive"
}

# Pids of this cluster's processes, found by their own unique paths: control-plane
# components run as <cluster dir>/bin/<name>, and a kwokctl still creating the
# cluster has this run's config file on its command line.
cluster_pids() {
  local d pid argv0 cmd
  for d in /proc/[0-9]*; do
    pid="${d#/proc/}"
    [[ "$pid" == "$$" || "$pid" == "$BASHPID" ]] && continue
    { IFS= read -r -d '' argv0 <"$d/cmdline"; } 2>/dev/null || continue
    if [[ "$argv0" == "$CLUSTER_DIR/bin/"* ]]; then
      echo "$pid"
    elif [[ "$argv0" == "$KWOKCTL" ]]; then
      cmd="$(tr '\0' ' ' <"$d/cmdline" 2>/dev/null)" || continue
      [[ "$cmd" == *"$RUN_DIR/kwokctl-config.yaml"* ]] && echo "$pid"
    fi
  done
}

k() { bounded 30 "$KUBECTL" --kubeconfig "$KUBECONFIG_OUT" --context e2e-admin "$@"; }

api_healthy() {
  [[ -f "$KUBECONFIG_OUT" ]] && bounded 10 "$KUBECTL" --kubeconfig "$KUBECONFIG_OUT" --context e2e-admin \
    --request-timeout=5s get --raw /readyz >/dev/null 2>&1
}

repo_healthy() {
  [[ -f "$REPO_PID_FILE" && -f "$REPO_PORT_FILE" ]] || return 1
  pid_matches "$(cat "$REPO_PID_FILE")" chart-repo-server.mjs
}

print_env() {
  cat "$ENV_FILE"
}

# ---------------------------------------------------------------- config generation
# kwok's default stages. pod-ready is told to leave the pods of our own stages alone
# and to honour the annotation e2e.test/ready-delay (a Go duration such as "8s").
default_stages() {
  local f
  for f in node-initialize node-heartbeat-with-lease pod-ready pod-complete pod-delete; do
    echo "---"
    if [[ $f == pod-ready ]]; then
      awk '
        { print }
        /^spec:$/ && !delay {
          print "  # added by gitlab-agent-tui: optional per-pod delay before Ready"
          print "  delay:"
          print "    durationMilliseconds: 0"
          print "    durationFrom:"
          print "      jq:"
          print "        expression: '"'"'.metadata.annotations[\"e2e.test/ready-delay\"]'"'"'"
          delay = 1
        }
        /^    matchExpressions:$/ && !done {
          print "    # added by gitlab-agent-tui: handled by the e2e-* stages"
          print "    - key: '"'"'.metadata.annotations[\"e2e.test/crashloop\"]'"'"'"
          print "      operator: '"'"'NotIn'"'"'"
          print "      values: ['"'"'true'"'"']"
          print "    - key: '"'"'.spec.containers[].image | endswith(\":does-not-exist\")'"'"'"
          print "      operator: '"'"'NotIn'"'"'"
          print "      values: ['"'"'true'"'"']"
          done = 1
        }' "$KWOK_STAGES_DIR/$f.yaml"
    else
      cat "$KWOK_STAGES_DIR/$f.yaml"
    fi
  done
}

write_kwok_config() {
  local cfg="$RUN_DIR/kwokctl-config.yaml" fx="$HERE/fixtures/logs"
  {
    cat <<EOF
apiVersion: config.kwok.x-k8s.io/v1alpha1
kind: KwokctlConfiguration
options:
  runtime: binary
  bindAddress: 127.0.0.1
  kubeVersion: $K8S_VERSION
  kubeAuthorization: true
  kubeAdmission: true
  kubeApiserverBinary: $K8S_BIN_DIR/kube-apiserver
  kubeControllerManagerBinary: $K8S_BIN_DIR/kube-controller-manager
  kubeSchedulerBinary: $K8S_BIN_DIR/kube-scheduler
  kubectlBinary: $KUBECTL
  kwokControllerBinary: $KWOK_BIN_DIR/kwok
  etcdBinary: $ETCD
  cacheDir: $RUN_DIR/kwok-cache
  # per-pod "Logs" objects may be applied at run time to override the ClusterLogs below
  enableCRDs:
  - Logs
componentsPatches:
# Without this kube-apiserver derives its advertise address from the default route
# and refuses to start on a host without one (offline CI, network namespaces).
- name: kube-apiserver
  extraArgs:
  - key: advertise-address
    value: 127.0.0.1
EOF
    default_stages
    echo "---"
    cat "$HERE/kwok/stages.yaml"
    cat <<EOF
---
# Default logs for every container: agentk rejected by KAS (bad token).
# Per-pod overrides: kubectl apply a kwok.x-k8s.io/v1alpha1 Logs object named like the pod,
# e.g. with logsFile: $fx/agentk-healthy.crilog
apiVersion: kwok.x-k8s.io/v1alpha1
kind: ClusterLogs
metadata:
  name: e2e-default-logs
spec:
  logs:
  - logsFile: $fx/agentk-unauthenticated.crilog
    previousLogsFile: $fx/agentk-unauthenticated-previous.crilog
    follow: false
EOF
  } >"$cfg"
  echo "$cfg"
}

b64() { base64 -w0 <"$1"; }

write_kubeconfig() {
  local server="$1" token="$2" pki="$CLUSTER_DIR/pki"
  local ca cert key
  ca="$(b64 "$pki/ca.crt")"; cert="$(b64 "$pki/admin.crt")"; key="$(b64 "$pki/admin.key")"
  umask 077
  cat >"$KUBECONFIG_OUT.tmp" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: e2e
  cluster:
    server: $server
    certificate-authority-data: $ca
- name: e2e-closed-port
  cluster:
    server: https://127.0.0.1:$CLOSED_PORT
    certificate-authority-data: $ca
users:
- name: e2e-admin
  user:
    client-certificate-data: $cert
    client-key-data: $key
- name: e2e-restricted
  user:
    token: $token
- name: e2e-exec-fail
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: /bin/sh
      args:
      - -c
      - "echo 'e2e-exec-fail: credential plugin failed: the refresh token has expired, run login again' >&2; exit 1"
      interactiveMode: Never
      provideClusterInfo: false
contexts:
- name: e2e-admin
  context: {cluster: e2e, user: e2e-admin}
- name: e2e-restricted
  context: {cluster: e2e, user: e2e-restricted, namespace: default}
- name: e2e-closed-port
  context: {cluster: e2e-closed-port, user: e2e-admin}
- name: e2e-exec-fail
  context: {cluster: e2e, user: e2e-exec-fail}
current-context: e2e-admin
EOF
  mv "$KUBECONFIG_OUT.tmp" "$KUBECONFIG_OUT"
}

bootstrap_objects() {
  local i nodes=""
  for ((i = 0; i < NODES; i++)); do
    nodes+="---
apiVersion: v1
kind: Node
metadata:
  name: e2e-node-$i
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: \"0\"
  labels:
    kubernetes.io/arch: amd64
    kubernetes.io/hostname: e2e-node-$i
    kubernetes.io/os: linux
    node-role.kubernetes.io/agent: \"\"
    type: kwok
status:
  allocatable: {cpu: \"32\", memory: 256Gi, pods: \"110\"}
  capacity: {cpu: \"32\", memory: 256Gi, pods: \"110\"}
"
  done
  cat <<EOF
$nodes
---
apiVersion: v1
kind: Namespace
metadata:
  name: e2e-system
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: e2e-restricted
  namespace: e2e-system
---
# Read almost everything; write namespaced app objects; no namespaces, no RBAC objects.
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: e2e-restricted
rules:
- apiGroups: ["", "apps", "batch", "autoscaling", "policy", "networking.k8s.io", "rbac.authorization.k8s.io",
              "coordination.k8s.io", "discovery.k8s.io", "events.k8s.io", "storage.k8s.io", "scheduling.k8s.io",
              "node.k8s.io", "apiextensions.k8s.io", "admissionregistration.k8s.io", "apiregistration.k8s.io"]
  resources: ["*"]
  verbs: ["get", "list", "watch"]
- apiGroups: [""]
  resources: ["secrets", "configmaps", "serviceaccounts", "services", "pods", "events"]
  verbs: ["create", "update", "patch", "delete", "deletecollection"]
- apiGroups: ["apps"]
  resources: ["deployments", "replicasets", "statefulsets", "daemonsets"]
  verbs: ["create", "update", "patch", "delete", "deletecollection"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: e2e-restricted
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: e2e-restricted
subjects:
- kind: ServiceAccount
  name: e2e-restricted
  namespace: e2e-system
EOF
}

build_chart_repo() {
  rm -rf "$REPO_DIR"; mkdir -p "$REPO_DIR"
  # package.sh builds the ingress-nginx dependency into each .tgz, as the published chart has it.
  bounded 120 bash "$CHART_PACKAGE" "$HELM" "$REPO_DIR" --all 3>&-
  bounded 60 "$HELM" repo index "$REPO_DIR"
}

start_chart_repo() {
  rm -f "$REPO_PORT_FILE"
  command -v node >/dev/null 2>&1 || die "node is needed for the chart repository server"
  nohup node "$HERE/chart-repo-server.mjs" "$REPO_DIR" "$REPO_PORT_FILE" \
    >"$RUN_DIR/chart-repo.log" 2>&1 </dev/null 3>&- &
  echo $! >"$REPO_PID_FILE"
  local i
  for ((i = 0; i < 100; i++)); do
    [[ -s "$REPO_PORT_FILE" ]] && return 0
    pid_alive "$(cat "$REPO_PID_FILE")" || die "chart repo server exited: $(cat "$RUN_DIR/chart-repo.log")"
    sleep 0.1
  done
  die "chart repo server did not start within 10 s"
}

# ---------------------------------------------------------------- commands
cmd_up() {
  local t0=$SECONDS
  # Build or verify the tools (silent and fast on a warm cache).
  bash "$HERE/build-tools.sh" >&3 2>&3 3>&-
  [[ -f "$KWOK_STAGES_DIR/pod-ready.yaml" ]] || die "kwok default stages missing in $KWOK_STAGES_DIR (run build-tools.sh)"

  if [[ -f "$ENV_FILE" ]] && api_healthy && repo_healthy; then
    log "cluster '$NAME' is already running"
    print_env
    return 0
  fi
  if [[ -e "$RUN_DIR" ]]; then
    log "cleaning up a stale cluster '$NAME'"
    cmd_down
  fi

  mkdir -p "$RUN_DIR"
  UP_DONE=0
  trap 'if [[ $UP_DONE != 1 ]]; then log "up failed, tearing down"; cmd_down; fi' EXIT
  trap 'exit 130' INT TERM

  local cfg
  cfg="$(write_kwok_config)"
  log "creating cluster '$NAME' (kubernetes $K8S_VERSION, etcd $("$ETCD" --version 2>/dev/null | awk '/etcd Version/ {print $3; exit}'), state in $RUN_DIR)"
  # Every binary is a local path, so kwokctl downloads nothing. kwokctl runs the first
  # kubectl on PATH to poll the apiserver: make that ours (matching version, no wrappers).
  # Run in the background and wait, so that INT/TERM interrupts the wait at once.
  PATH="$K8S_BIN_DIR:$PATH" bounded 180 "$KWOKCTL" create cluster --name "$NAME" --runtime binary \
      --config "$cfg" \
      --kube-apiserver-binary "$K8S_BIN_DIR/kube-apiserver" \
      --kube-controller-manager-binary "$K8S_BIN_DIR/kube-controller-manager" \
      --kube-scheduler-binary "$K8S_BIN_DIR/kube-scheduler" \
      --kwok-controller-binary "$KWOK_BIN_DIR/kwok" \
      --etcd-binary "$ETCD" \
      --kubeconfig "$KWOK_KUBECONFIG" \
      --wait 120s >"$RUN_DIR/kwokctl-create.log" 2>&1 </dev/null 3>&- &
  if ! wait $!; then
    cat "$RUN_DIR/kwokctl-create.log" >&3
    false
  fi

  local server
  server="$(awk '/server: https:/ {print $2; exit}' "$CLUSTER_DIR/kubeconfig.yaml")"
  [[ "$server" == https://127.0.0.1:* ]] || die "unexpected apiserver address '$server'"
  # Admin context first (the restricted token needs the API).
  write_kubeconfig "$server" "pending"
  bootstrap_objects | k apply -f - >/dev/null

  local token
  token="$(k -n e2e-system create token e2e-restricted --duration=48h)"
  write_kubeconfig "$server" "$token"

  if ((NODES > 0)); then
    log "waiting for $NODES kwok node(s) to be Ready"
    k wait --for=condition=Ready node --all --timeout=60s >/dev/null
  fi
  # The service-account controller must have created "default" before pods can be admitted.
  local i
  for ((i = 0; i < 100; i++)); do
    k -n default get serviceaccount default >/dev/null 2>&1 && break
    sleep 0.3
  done

  log "packaging charts and starting the chart repository"
  build_chart_repo
  start_chart_repo

  {
    printf 'export KUBECONFIG=%q\n' "$KUBECONFIG_OUT"
    printf 'export GITLAB_AGENT_CHART_REPO=%q\n' "http://127.0.0.1:$(tr -d '[:space:]' <"$REPO_PORT_FILE")"
  } >"$ENV_FILE"
  UP_DONE=1
  trap - EXIT INT TERM
  log "cluster '$NAME' up in $((SECONDS - t0)) s (apiserver $server)"
  print_env
}

cmd_env() {
  [[ -f "$ENV_FILE" ]] || die "cluster '$NAME' is not running (no $ENV_FILE); run: cluster.sh up"
  api_healthy || die "cluster '$NAME' state exists but the apiserver does not answer; run: cluster.sh down && cluster.sh up"
  print_env
}

cmd_status() {
  local f pid name
  if [[ ! -d "$RUN_DIR" ]]; then log "cluster '$NAME': not running"; return 1; fi
  for f in "$CLUSTER_DIR"/pids/*.pid "$REPO_PID_FILE"; do
    [[ -f "$f" ]] || continue
    pid="$(cat "$f")"; name="$(basename "$f" .pid)"
    if pid_alive "$pid"; then log "$name: running (pid $pid)"; else log "$name: NOT running (pid $pid)"; fi
  done
  if api_healthy; then log "apiserver: ready"; else log "apiserver: not ready"; return 1; fi
}

cmd_down() {
  [[ -d "$RUN_DIR" ]] || { log "cluster '$NAME' is not running"; return 0; }
  log "stopping cluster '$NAME'"
  local pid

  if [[ -f "$REPO_PID_FILE" ]]; then
    pid="$(cat "$REPO_PID_FILE")"
    if pid_matches "$pid" chart-repo-server.mjs; then stop_pid "$pid" chart-repo-server; fi
  fi
  # A kwokctl still creating the cluster (up interrupted) would start more processes.
  for pid in $(cluster_pids); do
    if pid_matches "$pid" kwokctl-config.yaml; then stop_pid "$pid" "kwokctl create"; fi
  done

  # Keep the logs of this run for debugging (kwokctl delete removes the cluster dir).
  rm -rf "$RUN_DIR.last-logs"; mkdir -p "$RUN_DIR.last-logs"
  cp -r "$CLUSTER_DIR/logs/." "$RUN_DIR.last-logs/" 2>/dev/null || true
  cp "$RUN_DIR"/*.log "$RUN_DIR.last-logs/" 2>/dev/null || true

  if [[ -x "$KWOKCTL" && -d "$CLUSTER_DIR" ]]; then
    PATH="$K8S_BIN_DIR:$PATH" bounded 60 "$KWOKCTL" delete cluster --name "$NAME" --kubeconfig "$KWOK_KUBECONFIG" >/dev/null 2>&1 \
      || log "kwokctl delete cluster failed; stopping processes directly"
  fi
  # Whatever kwokctl left behind (it only knows the pids it recorded).
  for pid in $(cluster_pids); do stop_pid "$pid" "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | cut -c1-80)"; done

  rm -rf "$RUN_DIR"
  log "cluster '$NAME' stopped (logs of this run: $RUN_DIR.last-logs)"
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  env) cmd_env ;;
  status) cmd_status ;;
  *) sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
