#!/usr/bin/env bash
# KIRA Manager ("KM") helpers for validator operators, wrapping sekaid-ts exactly as the
# CLI lines in the documentation. Source it, then e.g.:
#
#   . scripts/km.sh
#   showValidator "$ACCOUNT"            # key name, kira…, or kiravaloper…
#   pauseValidator "$ACCOUNT"
#   unpauseValidator "$ACCOUNT"
#   activateValidator "$ACCOUNT"
#   resetRanks "$ACCOUNT"
#
# Environment: NETWORK_NAME (chain id), SEKAID_HOME (node home), optional SEKAID_BIN
# (default sekaid-ts), KM_FEES (default 100ukex), KM_NODE (default: the CLI's).

KM_BIN="${SEKAID_BIN:-sekaid-ts}"
KM_FEES="${KM_FEES:-100ukex}"

_kmNodeFlag() {
  if [ -n "${KM_NODE:-}" ]; then printf -- '--node=%s' "$KM_NODE"; fi
}

_kmTx() {
  # _kmTx <module> <command> <account> [extra flags…]
  local module="$1" command="$2" account="$3"
  shift 3
  if [ -z "$account" ]; then
    echo "usage: ${FUNCNAME[1]} <account>" >&2
    return 2
  fi
  # shellcheck disable=SC2046
  "$KM_BIN" tx "$module" "$command" "$@" --from "$account" --chain-id="$NETWORK_NAME" --keyring-backend=test \
    --home="$SEKAID_HOME" --fees "$KM_FEES" --yes --broadcast-mode=async --log_format=json --output=json $(_kmNodeFlag)
}

# showValidator <key name | kira… | kiravaloper…>: the validator record as JSON.
showValidator() {
  local who="${1:-}"
  if [ -z "$who" ]; then
    echo "usage: showValidator <account | kira… | kiravaloper…>" >&2
    return 2
  fi
  local flag
  case "$who" in
    kiravaloper1*) flag="--val-addr=$who" ;;
    kira1*) flag="--addr=$who" ;;
    *)
      local addr
      addr="$("$KM_BIN" keys show "$who" -a --keyring-backend=test --home="$SEKAID_HOME")" || return 1
      flag="--addr=$addr"
      ;;
  esac
  # shellcheck disable=SC2046
  "$KM_BIN" query customstaking validator "$flag" --output=json --home="$SEKAID_HOME" $(_kmNodeFlag)
}

# pauseValidator <account>: leave consensus for maintenance; the rank is kept.
pauseValidator() { _kmTx customslashing pause "${1:-}"; }

# unpauseValidator <account>: return to consensus after a pause.
unpauseValidator() { _kmTx customslashing unpause "${1:-}"; }

# activateValidator <account>: return to consensus after downtime made the validator inactive.
activateValidator() { _kmTx customslashing activate "${1:-}"; }

# resetRanks <account> [title] [description]: propose resetting every validator's rank (permission 26).
resetRanks() {
  local account="${1:-}"
  _kmTx customslashing proposal-reset-whole-validator-rank "$account" \
    --title="${2:-Ranks reset}" --description="${3:-Reseting ranks or all validator nodes}"
}
