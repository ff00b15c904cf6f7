#!/usr/bin/env bash
# Single-node dev chain (what `npm start` runs). The first run creates the home (default
# ./.sekai-dev, or $SEKAI_DEV_HOME): a node home for chain sekai-dev-1, a `validator` key in
# the test keyring funded at genesis and claimed as the genesis validator (sudo role where
# the app has x/gov). Later runs resume the same chain from its last block.
# Extra arguments go to `sekaid-ts start` (e.g. `npm start -- --block-time 500ms`).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
home=${SEKAI_DEV_HOME:-$root/.sekai-dev}
chain_id=${SEKAI_DEV_CHAIN_ID:-sekai-dev-1}
bin="$root/bin/sekaid-ts"
sekaid() { "$bin" --home "$home" "$@"; }

if [ ! -f "$home/config/genesis.json" ]; then
  echo "Creating dev chain $chain_id in $home"
  sekaid init sekai-dev --chain-id "$chain_id" --keyring-backend test --log_level warn >/dev/null
  # The mnemonic is kept beside the test keyring (both are plaintext: dev use only).
  sekaid keys add validator --keyring-backend test --output json >"$home/validator.json"
  chmod 600 "$home/validator.json"
  sekaid add-genesis-account validator 300000000000000ukex --keyring-backend test >/dev/null
  sekaid gentx-claim validator --moniker sekai-dev --keyring-backend test >/dev/null
else
  echo "Resuming dev chain in $home"
fi
# The web UI (served by start at app.toml [ui], default http://127.0.0.1:8080/): built on the
# first run and again whenever web/ changed since.
if [ ! -f "$root/dist/ui/index.html" ] || [ -n "$(find "$root/web" -newer "$root/dist/ui/index.html" -type f -print -quit)" ]; then
  (cd "$root" && node -r @swc-node/register scripts/build-ui.ts) || echo "Warning: the web UI could not be built (npm run build:ui); the node runs without it"
fi
address=$(sekaid keys show validator -a --keyring-backend test)
echo "Funded validator key: validator ($address), keyring-backend test, home $home"
echo "Try: bin/sekaid-ts --home $home query bank balances $address"
exec "$bin" --home "$home" start "$@"
