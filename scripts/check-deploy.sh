#!/usr/bin/env bash
# Checks the deployment files where no Docker engine runs (CI, these machines):
#  1. the Dockerfile passes dockerfile-utils' linter with no error or warning;
#  2. compose.yaml passes `docker-compose config` (schema and interpolation);
#  3. a production install (npm ci --omit=dev: no Vite, no tsx, no dev tools) of the committed
#     files, with the built admin app, starts with plain Node 24 and answers /health.
set -euo pipefail
cd "$(dirname "$0")/.."

lint=$(npx --no dockerfile-utils lint Dockerfile || true)
if [ -n "$lint" ]; then
  echo "Dockerfile lint:" >&2
  echo "$lint" >&2
  exit 1
fi
echo "Dockerfile: lint clean"

if ! command -v docker-compose >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null
fi
POSTGRES_PASSWORD=check docker-compose -f compose.yaml config -q
echo "compose.yaml: valid"

[ -f web/dist/index.html ] || npm run build
node24=$(npm exec --no -- node -p 'process.execPath')
tmp=$(mktemp -d)
trap 'kill "${pid:-}" 2>/dev/null || true; rm -rf "$tmp"' EXIT
git ls-files -z | xargs -0 -I{} cp --parents {} "$tmp"
cp -r web/dist "$tmp/web/dist"
(cd "$tmp" && npm ci --omit=dev --no-audit --no-fund --loglevel=error >/dev/null)
if [ -e "$tmp/node_modules/vite" ] || [ -e "$tmp/node_modules/.bin/node" ]; then
  echo "the production install carries dev tools" >&2
  exit 1
fi
port=$((20000 + RANDOM % 20000))
(cd "$tmp" && NODE_ENV=production PORT=$port DATABASE_URL="sqlite:$tmp/data/loyaal.db" \
  DATA_DIR="$tmp/data" LOG_LEVEL=warn "$node24" src/cli/main.ts serve) &
pid=$!
for _ in $(seq 1 200); do
  if curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; then
    curl -fsS "http://127.0.0.1:$port/admin/" | grep -q '<div id="root">'
    echo "production start: /health and /admin/ answer (Node $("$node24" -v), no dev dependencies)"
    exit 0
  fi
  sleep 0.1
done
echo "the production install did not answer /health" >&2
exit 1
