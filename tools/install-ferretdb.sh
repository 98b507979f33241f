#!/usr/bin/env bash
# Builds the pinned FerretDB (tools/ferretdb) into a per-user cache and prints the binary's path
# on stdout (progress goes to stderr). Does nothing when a working binary is already there.
#
#   TESSERA_CACHE_DIR  cache root (default: ${XDG_CACHE_HOME:-$HOME/.cache}/tessera);
#                      the binary lands in $TESSERA_CACHE_DIR/ferretdb-v1.24.0/ferretdb
set -euo pipefail

version=v1.24.0
module_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/ferretdb" && pwd)"
cache_root="${TESSERA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/tessera}"
dest_dir="$cache_root/ferretdb-$version"
dest="$dest_dir/ferretdb"

if [[ -x "$dest" ]] && "$dest" --version >/dev/null 2>&1; then
  echo "$dest"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "install-ferretdb: Go is not installed, so FerretDB cannot be built." >&2
  echo "  Install Go (1.22 or newer), or set MONGODB_URI to a MongoDB server." >&2
  exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$module_dir/go.mod" "$module_dir/go.sum" "$module_dir/tools.go" "$work/"

build() {
  (
    cd "$work"
    rm -rf vendor
    go mod vendor
    # The module zip lacks the generated version.txt that the binary embeds; without it, it panics.
    echo "$version" >vendor/github.com/FerretDB/FerretDB/build/version/version.txt
    # Pure-Go SQLite backend: no C compiler needed.
    CGO_ENABLED=0 go build -mod=vendor -o "$work/ferretdb" github.com/FerretDB/FerretDB/cmd/ferretdb
  )
}

echo "install-ferretdb: building FerretDB $version with $(go version) (about a minute)..." >&2
if ! build; then
  # Newer Go releases may reject this older dependency set; the toolchain it was pinned with works.
  echo "install-ferretdb: build failed; retrying with GOTOOLCHAIN=go1.22.12" >&2
  GOTOOLCHAIN=go1.22.12 build
fi

"$work/ferretdb" --version >/dev/null
mkdir -p "$dest_dir"
# Copy then rename, so a concurrent reader never sees a half-written binary.
cp "$work/ferretdb" "$dest.tmp.$$"
mv -f "$dest.tmp.$$" "$dest"
echo "install-ferretdb: installed $dest" >&2
echo "$dest"
