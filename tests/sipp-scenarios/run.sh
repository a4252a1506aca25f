#!/usr/bin/env bash
# SIPp against the published native-AOT daemon (tests/sipp-scenarios/README.md).
#
#   run.sh test [SCENARIO...]     each functional scenario once; SIPp and the status callbacks must agree
#   run.sh load --profile P --rate R --seconds S [options]
#                                 one load run; ends with one table
#
# Everything it starts (daemon, SIPp, load driver) is bounded in time and stopped by its PID.
# Exit codes: 0 passed, 1 a scenario or a run failed, 2 bad command line, 3 SIPp not found,
# 4 the daemon binary is missing or did not start.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

usage() {
  sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
  cat <<'EOF'

Options:
  --daemon PATH       the daemon binary (default: $DIALTONE_BIN, else out/dialtone/dialtone from scripts/publish.sh)
  --driver PATH       the load driver's Dialtone.LoadDriver.dll (default: built into the work directory)
  --work DIR          where configs, logs and SIPp's files go (default: a new temporary directory, kept)
  --api-port N        REST port of the daemon (default 18090)
  --sip-port N        SIP port of the daemon (default 15060); SIPp listens on the next one
  --log-level LEVEL   the daemon's Logging:Level (default Information, the product default)
  --sipp-trace        also keep SIPp's message trace (-trace_msg) in the work directory
load only:
  --profile P         signaling (app hangs up at once, no RTP echo), media (plays --hold-seconds of audio,
                      SIPp echoes), dtmf (answer, 2 s, DTMF 8970 as senddigits, hang up; SIPp echoes),
                      hold (calls stay up --hold-seconds playing audio; for memory per call),
                      ringing (SIPp rings and never answers; each call's ring timeout is --hold-seconds,
                      then CANCEL/487: what calls waiting for an answer cost)
  --rate R            calls per second offered        --seconds S  how long they are offered
  --hold-seconds S    media/hold call length (default 20)
  --drain S           how long to wait after the last request for the calls to end (default: hold + 30)
  --events LIST       status callback events (default initiated,ringing,answered,completed)
  --cps N             the trunk's Cps limit in the daemon config (default 10000)
  --sipp-instances N  SIPp processes playing the carrier's edges, 1-4 (default 1): each listens on its
                      own port, and the trunk takes them in turn (Trunks:N:Distribution = RoundRobin)
  --label NAME        the table's title
EOF
}

fail_usage() { echo "run.sh: $*" >&2; echo "run.sh --help for usage" >&2; exit 2; }

mode="${1:-}"
[ -n "$mode" ] || { usage; exit 2; }
shift || true
case "$mode" in
  -h|--help|help) usage; exit 0 ;;
  test|load) ;;
  *) fail_usage "unknown mode '$mode' (test or load)" ;;
esac

daemon_bin="${DIALTONE_BIN:-$root/out/dialtone/dialtone}"
driver_dll=""
work=""
api_port=18090
sip_port=15060
log_level=Information
profile=signaling
rate=""
seconds=""
hold_seconds=20
drain=""
events="initiated,ringing,answered,completed"
cps=10000
sipp_instances=1
label=""
sipp_trace=()
scenarios=()
while [ $# -gt 0 ]; do
  case "$1" in
    --daemon) daemon_bin="$2"; shift 2 ;;
    --driver) driver_dll="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --api-port) api_port="$2"; shift 2 ;;
    --sip-port) sip_port="$2"; shift 2 ;;
    --log-level) log_level="$2"; shift 2 ;;
    --profile) profile="$2"; shift 2 ;;
    --rate) rate="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --hold-seconds) hold_seconds="$2"; shift 2 ;;
    --drain) drain="$2"; shift 2 ;;
    --events) events="$2"; shift 2 ;;
    --cps) cps="$2"; shift 2 ;;
    --sipp-instances) sipp_instances="$2"; shift 2 ;;
    --label) label="$2"; shift 2 ;;
    --sipp-trace) sipp_trace=(-trace_msg); shift ;;
    -h|--help) usage; exit 0 ;;
    --*) fail_usage "unknown option $1" ;;
    *) scenarios+=("$1"); shift ;;
  esac
done

# ---- what is needed -------------------------------------------------------------------------
sipp_bin="${SIPP:-$(command -v sipp || true)}"
if [ -z "$sipp_bin" ] || [ ! -x "$sipp_bin" ]; then
  echo "run.sh: SIPp not found (put sipp on PATH or set \$SIPP); the SIPp scenarios are skipped" >&2
  exit 3
fi
if [ ! -x "$daemon_bin" ]; then
  echo "run.sh: daemon binary $daemon_bin not found; run scripts/publish.sh (or pass --daemon)" >&2
  exit 4
fi
for tool in curl md5sum dotnet; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is needed" >&2; exit 2; }
done

work="${work:-$(mktemp -d "${TMPDIR:-/tmp}/dialtone-sipp.XXXXXX")}"
mkdir -p "$work"
work="$(cd "$work" && pwd)"
sipp_port=$((sip_port + 1))
# The trunk's secondary edge (test mode): a second SIPp listens here for the 503 failover scenario.
alternate_port=$((sip_port + 2))
alternates=""
distribution="Failover"
api="http://127.0.0.1:$api_port"
key="sipp-runner-key-$(date +%s)-$RANDOM"
account="AC00000000000000000000000000005133"
auth_user="dialtone"
auth_password="sipp-secret-$RANDOM"
auth_realm="carrier.test"
auth_nonce="$(date +%s | md5sum | cut -c1-24)"

pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
    fi
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Stops one process we started: TERM, up to $2 seconds, then KILL.
stop_pid() {
  local pid="$1" grace="${2:-10}"
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 $((grace * 10))); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

# Waits up to $2 seconds for a process we started to exit.
wait_pid() {
  local pid="$1" limit="$2"
  for _ in $(seq 1 $((limit * 10))); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  return 1
}

# ---- the load driver ------------------------------------------------------------------------
if [ -z "$driver_dll" ]; then
  driver_dll="$work/driver/Dialtone.LoadDriver.dll"
  if [ ! -f "$driver_dll" ]; then
    echo "run.sh: building the load driver into $work/driver"
    dotnet build "$root/bench/LoadDriver" -c Release -o "$work/driver" --artifacts-path "$work/build" -v quiet -nologo >"$work/driver-build.log" 2>&1 \
      || { cat "$work/driver-build.log" >&2; exit 2; }
  fi
fi
driver() { timeout --kill-after=10 "$1" dotnet "$driver_dll" "${@:2}"; }

# ---- the daemon ------------------------------------------------------------------------------
daemon_pid=""
start_daemon() {
  local data="$work/daemon-data"
  rm -rf "$data"
  cat >"$work/dialtone.json" <<EOF
{
  "Api": { "Listen": "$api" },
  "Limits": { "MaxActiveCallsPerAccount": 100000, "MaxQueuedCallsPerAccount": 100000 },
  "Sip": { "ListenAddress": "127.0.0.1", "Port": $sip_port, "Transports": [ "udp" ] },
  "Rtp": { "ListenAddress": "127.0.0.1", "PortMin": 20000, "PortMax": 60000, "AdvertisedAddress": "127.0.0.1" },
  "Storage": { "DataDirectory": "$data" },
  "Outbound": { "AllowLoopback": true },
  "Callbacks": { "Workers": 64 },
  "Shutdown": { "GracePeriodSeconds": 5 },
  "Logging": { "Level": "$log_level", "Format": "json" },
  "Accounts": [ { "Sid": "$account", "Name": "sipp", "Keys": [ "$key" ] } ],
  "Trunks": [ {
    "Name": "sipp", "Host": "127.0.0.1", "Port": $sipp_port, "Transport": "udp",$alternates "Distribution": "$distribution",
    "Username": "$auth_user", "Password": "$auth_password", "Realm": "$auth_realm",
    "Cps": $cps, "MaxCalls": 1000000
  } ]
}
EOF
  # Two sockets per call (RTP + RTCP) and the HTTP connections: more than the usual 1024 descriptors.
  ulimit -n 200000 2>/dev/null || ulimit -n 65536 2>/dev/null || true
  "$daemon_bin" --config "$work/dialtone.json" >"$work/daemon.log" 2>&1 &
  daemon_pid=$!
  pids+=("$daemon_pid")
  for _ in $(seq 1 300); do
    if curl -fsS "$api/readyz" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$daemon_pid" 2>/dev/null; then
      echo "run.sh: the daemon exited at start:" >&2; tail -20 "$work/daemon.log" >&2; exit 4
    fi
    sleep 0.1
  done
  echo "run.sh: the daemon was not ready within 30 s" >&2; tail -20 "$work/daemon.log" >&2; exit 4
}

# Starts SIPp in the background as the trunk's far end; sets sipp_pid. Bounded by -timeout.
sipp_pid=""
start_sipp() {
  local scenario="$1" name="$2" limit="$3"; shift 3
  local out="$work/$name"
  mkdir -p "$out"
  local line
  line=$(cd "$out" && "$sipp_bin" -sf "$here/$scenario" -i 127.0.0.1 -p "${sipp_listen_port:-$sipp_port}" -mi 127.0.0.1 \
    -timeout "${limit}s" -timeout_error -bg -trace_stat -stf "$out/stat.csv" -fd 1 -trace_err -trace_logs \
    -trace_screen "${sipp_trace[@]}" "$@" 2>&1 | tail -1)
  sipp_pid=$(sed -n 's/.*PID=\[\([0-9]*\)\].*/\1/p' <<<"$line")
  if [ -z "$sipp_pid" ]; then
    echo "run.sh: SIPp did not start: $line" >&2
    return 1
  fi
  pids+=("$sipp_pid")
  # SIPp binds its port before forking; give it a moment to be ready.
  sleep 0.3
}

# Ends a SIPp run: SIGUSR1 is SIPp's smooth exit (no new calls, the ones up finish, statistics are
# written), then up to $2 seconds, then TERM/KILL.
finish_sipp() {
  local pid="$1" limit="${2:-30}"
  kill -USR1 "$pid" 2>/dev/null || true
  wait_pid "$pid" "$limit" || stop_pid "$pid" 5
}

# SIPp's verdict from the last line of its statistics file: "<successful> <failed>" calls (the
# keep-alive OPTIONS answered count as successful calls too).
sipp_verdict() {
  local stat="$work/$1/stat.csv"
  [ -s "$stat" ] || { echo "0 0"; return; }
  awk -F';' 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
             NF > 1 { ok = $col["SuccessfulCall(C)"]; bad = $col["FailedCall(C)"] }
             END { printf "%d %d\n", ok, bad }' "$stat"
}

# Datagrams the kernel dropped on the UDP sockets bound to local port $1 (/proc/net/udp, last column).
# awk, not a shell loop: with thousands of calls up the table has thousands of lines.
udp_drops() {
  awk -v want="$(printf '%04X' "$1")" '
    NR > 1 { split($2, local_address, ":"); if (local_address[2] == want) total += $NF }
    END { print total + 0 }' /proc/net/udp
}

# ---- test mode -------------------------------------------------------------------------------
# name | sipp scenario | extra SIPp options | driver app and options | expected callbacks
scenario_table() {
  cat <<'EOF'
answer-echo|answer-echo.xml|-rtp_echo|--app pause:2|--expect-statuses initiated,ringing,answered,completed --expect-result completed --expect-code 200 --expect-ringing-code 180 --expect-error none --expect-min-duration 2
callee-hangup|callee-hangup.xml|-d 2000|--app pause:30|--expect-statuses initiated,ringing,answered,completed --expect-result completed --expect-code 200 --expect-error none --expect-min-duration 2
reject-486-busy|reject-486-busy.xml||--app hangup|--expect-statuses initiated,completed --expect-result busy --expect-code 486
reject-603-decline|reject-603-decline.xml||--app hangup|--expect-statuses initiated,completed --expect-result busy --expect-code 603
reject-404-not-found|reject-404-not-found.xml||--app hangup|--expect-statuses initiated,completed --expect-result failed --expect-code 404
ring-no-answer|ring-no-answer.xml||--app hangup --ring-timeout 3|--expect-statuses initiated,ringing,completed --expect-result no-answer --expect-code 487
early-media-183|early-media-183.xml|-rtp_echo|--app pause:2|--expect-statuses initiated,ringing,answered,completed --expect-result completed --expect-code 200 --expect-ringing-code 183 --expect-error none
auth-407|auth-407.xml|AUTH|--app pause:1|--expect-statuses initiated,answered,completed --expect-result completed --expect-code 200 --expect-error none
auth-401|auth-401.xml|AUTH|--app pause:1|--expect-statuses initiated,answered,completed --expect-result completed --expect-code 200 --expect-error none
hold-reinvite-update|hold-reinvite-update.xml|-rtp_echo|--app pause:4|--expect-statuses initiated,answered,completed --expect-result completed --expect-code 200 --expect-error none
retrans-lost-invite|retrans-lost-invite.xml|-nr|--app pause:1|--expect-statuses initiated,ringing,answered,completed --expect-result completed --expect-code 200 --expect-error none
retrans-lost-200|retrans-lost-200.xml|-nr|--app pause:1|--expect-statuses initiated,ringing,answered,completed --expect-result completed --expect-code 200 --expect-error none
reject-503-retry-after|reject-503-retry-after.xml|FAILOVER|--app pause:1|--expect-statuses initiated,ringing,answered,completed --expect-result completed --expect-code 200 --expect-error none
EOF
}

run_tests() {
  # Last in the table: the 503 holds the primary aside for its Retry-After, so later calls would
  # start at the alternate.
  alternates=" \"Alternates\": [ \"127.0.0.1:$alternate_port\" ],"
  start_daemon
  local passed=0 failed=0 number=0
  local results=()
  local name file sipp_opts driver_opts expect
  while IFS='|' read -r name file sipp_opts driver_opts expect; do
    if [ ${#scenarios[@]} -gt 0 ] && [[ ! " ${scenarios[*]} " =~ " $name " ]]; then continue; fi
    number=$((number + 1))
    local to="+1555$(printf '%07d' $((7000000 + number)))"
    local extra=()
    if [ "$sipp_opts" = AUTH ]; then
      # The Request-URI Dialtone sends through this trunk (TrunkRouter: sip:<to>@<host>:<port>).
      local uri="sip:$to@127.0.0.1:$sipp_port"
      local ha1 ha2 expected
      ha1=$(printf '%s' "$auth_user:$auth_realm:$auth_password" | md5sum | cut -d' ' -f1)
      ha2=$(printf '%s' "INVITE:$uri" | md5sum | cut -d' ' -f1)
      expected=$(printf '%s' "$ha1:$auth_nonce:$ha2" | md5sum | cut -d' ' -f1)
      extra=(-key auth_realm "$auth_realm" -key auth_nonce "$auth_nonce" -key expected_response "$expected"
             -key auth_user "$auth_user" -key auth_password "$auth_password")
    elif [ "$sipp_opts" = FAILOVER ]; then
      # The primary answers 503 Retry-After; the call must go on to the trunk's alternate, where a
      # second SIPp answers it.
      sipp_listen_port=$alternate_port start_sipp answer-echo.xml "$name-alternate" 90 -mp $((16000 + number * 4 + 2)) -recv_timeout 40s -rtp_echo \
        || { failed=$((failed + 1)); results+=("FAIL $name (alternate SIPp did not start)"); continue; }
      alternate_pid=$sipp_pid
    elif [ -n "$sipp_opts" ]; then
      read -r -a extra <<<"$sipp_opts"
    fi
    echo "== $name"
    local mport=$((16000 + number * 4))
    start_sipp "$file" "$name" 90 -mp "$mport" -recv_timeout 40s "${extra[@]}" || { failed=$((failed + 1)); results+=("FAIL $name (SIPp did not start)"); continue; }
    local check_ok=1
    # shellcheck disable=SC2086
    if ! driver 90 check --api "$api" --key "$key" --to "$to" $driver_opts $expect --wait-seconds 45 2>&1 | sed 's/^/   /'; then
      check_ok=0
    fi
    finish_sipp "$sipp_pid" 30
    local verdict ok bad
    verdict=$(sipp_verdict "$name"); ok=${verdict% *}; bad=${verdict#* }
    if [ "$sipp_opts" = FAILOVER ]; then
      finish_sipp "$alternate_pid" 30
      local alternate_verdict
      alternate_verdict=$(sipp_verdict "$name-alternate")
      echo "   SIPp (alternate): ${alternate_verdict% *} successful, ${alternate_verdict#* } failed call(s)"
      # Both ends must have seen their part: the 503 at the primary and the answered call at the alternate.
      [ "${alternate_verdict% *}" -ge 1 ] && [ "${alternate_verdict#* }" = 0 ] || bad=$((bad + 1))
    fi
    echo "   SIPp: $ok successful, $bad failed call(s)"
    if [ "$check_ok" = 1 ] && [ "$ok" -ge 1 ] && [ "$bad" = 0 ]; then
      passed=$((passed + 1)); results+=("PASS $name")
    else
      failed=$((failed + 1)); results+=("FAIL $name (callbacks $([ $check_ok = 1 ] && echo ok || echo wrong), SIPp $ok ok / $bad failed; see $work/$name)")
    fi
  done < <(scenario_table)
  echo
  printf '%s\n' "${results[@]}"
  echo "$passed passed, $failed failed (daemon $daemon_bin, SIPp $("$sipp_bin" -v 2>&1 | grep -o 'v[0-9][^ ]*' | head -1); files in $work)"
  stop_pid "$daemon_pid" 20
  [ "$failed" = 0 ]
}

# ---- load mode -------------------------------------------------------------------------------
run_load() {
  [ -n "$rate" ] && [ -n "$seconds" ] || fail_usage "load needs --rate and --seconds"
  [[ "$sipp_instances" =~ ^[1-4]$ ]] || fail_usage "--sipp-instances must be 1-4, got '$sipp_instances'"
  local app sipp_extra=() driver_extra=() call_seconds scenario=answer-echo.xml
  case "$profile" in
    signaling) app="hangup"; sipp_extra=(-rtp_echo); call_seconds=1 ;;
    media) app="play:$hold_seconds"; sipp_extra=(-rtp_echo); call_seconds=$((hold_seconds + 2)) ;;
    hold) app="play:$hold_seconds"; sipp_extra=(-rtp_echo); call_seconds=$((hold_seconds + 2)) ;;
    dtmf) app="hangup"; sipp_extra=(-rtp_echo); driver_extra=(--senddigits WW8970); call_seconds=4 ;;
    ringing) app="hangup"; scenario=ring-no-answer.xml; driver_extra=(--ring-timeout "$hold_seconds"); call_seconds=$((hold_seconds + 2)) ;;
    *) fail_usage "unknown profile '$profile' (signaling, media, dtmf, hold, ringing)" ;;
  esac
  drain="${drain:-$((call_seconds + 30))}"
  local calls
  calls=$(awk -v r="$rate" -v s="$seconds" 'BEGIN { c = r * s; printf "%d", (c == int(c)) ? c : int(c) + 1 }')
  local name="load-$profile-${rate}cps"
  label="${label:-$profile, $rate calls/s for $seconds s}"
  # Several SIPp instances: one listening port each (the first on the usual one), and the trunk
  # spreads the calls over them as a carrier's edges.
  local instance ports=() names=() media_ports=() sipp_pids=()
  for instance in $(seq 1 "$sipp_instances"); do
    ports+=($((sipp_port + instance - 1)))
    media_ports+=($((16000 + (instance - 1) * 10)))
    if [ "$instance" = 1 ]; then names+=("$name"); else names+=("$name-sipp$instance"); fi
  done
  if [ "$sipp_instances" -gt 1 ]; then
    local list="" port
    for port in "${ports[@]:1}"; do list+="${list:+, }\"127.0.0.1:$port\""; done
    alternates=" \"Alternates\": [ $list ],"
    distribution="RoundRobin"
  fi
  start_daemon
  # SIPp is ended (SIGUSR1) once the driver has seen every call end, or at -timeout; a call that never
  # gets its BYE fails at -recv_timeout.
  local limit
  limit=$(awk -v s="$seconds" -v d="$drain" 'BEGIN { printf "%d", s + d + 30 }')
  for instance in $(seq 0 $((sipp_instances - 1))); do
    sipp_listen_port=${ports[$instance]} start_sipp "$scenario" "${names[$instance]}" "$limit" -mp "${media_ports[$instance]}" \
      -recv_timeout "$((call_seconds + 30))s" -max_recv_loops 10000 -max_sched_loops 10000 "${sipp_extra[@]}" || exit 1
    sipp_pids+=("$sipp_pid")
  done
  local pid_list
  pid_list=$(IFS=,; echo "${sipp_pids[*]}")
  echo "run.sh: $calls calls at $rate/s ($profile); daemon PID $daemon_pid, SIPp PID(s) $pid_list on port(s) ${ports[*]}; files in $work"
  local status=0
  driver $((limit + 60)) run --api "$api" --key "$key" --rate "$rate" --seconds "$seconds" --app "$app" "${driver_extra[@]}" \
    --events "$events" --drain-seconds "$drain" --daemon-pid "$daemon_pid" --sipp-pid "$pid_list" --metrics "$api/metrics" \
    --label "$label" --out "$work/$name/result.json" >"$work/$name/driver.txt" 2>"$work/$name/driver.log" || status=1
  # SIPp echoes every call's RTP through one socket (its -mp port): at thousands of calls its
  # receive buffer overflows long before Dialtone's (one socket per call). Count what the kernel
  # dropped there, so an echo shortfall is not taken for Dialtone's loss.
  local sipp_media_drops=0 media_port
  for media_port in "${media_ports[@]}"; do
    sipp_media_drops=$((sipp_media_drops + $(udp_drops "$media_port")))
  done
  # Likewise SIPp's SIP socket: a request dropped there is only seen as Dialtone's retransmission
  # 500 ms (T1) later, which shows up as a slow INVITE or a late BYE.
  local sipp_sip_drops=0 port
  for port in "${ports[@]}"; do
    sipp_sip_drops=$((sipp_sip_drops + $(udp_drops "$port")))
  done
  local daemon_sip_drops
  daemon_sip_drops=$(udp_drops "$sip_port")
  for pid in "${sipp_pids[@]}"; do finish_sipp "$pid" 40; done
  stop_pid "$daemon_pid" 20
  echo
  echo "SIPp's RTP echo socket(s) (port(s) ${media_ports[*]}): $sipp_media_drops datagrams dropped by the kernel (receive buffer $(cat /proc/sys/net/core/rmem_default) bytes, net.core.rmem_default)"
  echo "SIPp's SIP socket(s) (port(s) ${ports[*]}): $sipp_sip_drops datagrams dropped by the kernel; Dialtone's (port $sip_port): $daemon_sip_drops"
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); uptime:$(uptime)"
  local stats=() logs=() dir
  for dir in "${names[@]}"; do
    stats+=("$work/$dir/stat.csv")
    logs+=("$(ls "$work/$dir"/*_logs.log 2>/dev/null | head -1)")
  done
  driver 120 table --result "$work/$name/result.json" --sipp-stat "$(IFS=,; echo "${stats[*]}")" \
    --sipp-log "$(IFS=,; echo "${logs[*]}")" || status=1
  return $status
}

case "$mode" in
  test) run_tests ;;
  load) run_load ;;
esac
