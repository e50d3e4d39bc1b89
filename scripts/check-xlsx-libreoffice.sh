#!/usr/bin/env bash
# Proves that a real spreadsheet application reads the exported workbook: exports the seed
# reports with `nianbao export`, converts every sheet to CSV with LibreOffice headless, and
# compares the values with `nianbao extract` (JSON) and with the files' SHA-256.
# Installs LibreOffice Calc (Debian: libreoffice-calc-nogui) when soffice is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
# LibreOffice names each CSV after its sheet; without a UTF-8 locale (CI has none set) the
# Chinese sheet names become "?" and the files cannot be found.
export LANG=C.UTF-8 LC_ALL=C.UTF-8

if ! command -v soffice >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "== installing libreoffice-calc-nogui"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui >/dev/null
  else
    echo "error: soffice (LibreOffice) is missing; install libreoffice-calc-nogui" >&2
    exit 1
  fi
fi
# The review-notice test (tests/integration/notice.rs) reads a .docx back with LibreOffice
# Writer, which the Calc package does not bring.
if command -v dpkg-query >/dev/null 2>&1 && [ "$(id -u)" = 0 ] \
  && ! dpkg-query -W -f='${Status}' libreoffice-writer-nogui 2>/dev/null | grep -q 'ok installed' \
  && ! dpkg-query -W -f='${Status}' libreoffice-writer 2>/dev/null | grep -q 'ok installed'; then
  echo "== installing libreoffice-writer-nogui"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui >/dev/null
fi
command -v python3 >/dev/null 2>&1 || { echo "error: python3 is needed to compare the CSV files" >&2; exit 1; }

# NIANBAO_BIN names a binary built already (CI passes the release build of the package);
# otherwise the debug binary is built.
if [ -n "${NIANBAO_BIN:-}" ]; then
  bin=$NIANBAO_BIN
else
  cargo build --quiet --bin nianbao
  bin="${CARGO_TARGET_DIR:-target}/debug/nianbao"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
seeds=tests/fixtures/seeds

"$bin" extract "$seeds" >"$work/extract.jsonl"
"$bin" export -o "$work/out.xlsx" "$seeds" >/dev/null
sha256sum "$seeds"/*.txt >"$work/sha256.txt"

# Every sheet to its own CSV (UTF-8, comma, '"'; the last token -1 means all sheets).
soffice --headless --norestore -env:UserInstallation="file://$work/profile" \
  --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1' \
  --outdir "$work/csv" "$work/out.xlsx" >"$work/soffice.log" 2>&1 || {
  cat "$work/soffice.log" >&2
  exit 1
}

python3 - "$work" <<'EOF'
import csv, json, os, sys
from collections import Counter

work = sys.argv[1]
def sheet(name):
    path = os.path.join(work, "csv", f"out-{name}.csv")
    with open(path, encoding="utf-8") as f:
        return list(csv.reader(f))

def same_number(text, value):
    try:
        return abs(float(text) - value) < 1e-9
    except ValueError:
        return False

def is_number(text):
    try:
        float(text)
        return True
    except ValueError:
        return False

reports = [json.loads(line) for line in open(os.path.join(work, "extract.jsonl"), encoding="utf-8")]
hashes = {}
for line in open(os.path.join(work, "sha256.txt"), encoding="utf-8"):
    digest, path = line.split(maxsplit=1)
    hashes[path.strip()] = digest
errors = []

# 汇总: one row per report, the 200 cells under their canonical keys (second header row).
summary = sheet("汇总")
keys = summary[1]
rows = {row[0]: row for row in summary[2:]}
for r in reports:
    row = rows.get(r["file"])
    if row is None:
        errors.append(f"汇总: no row for {r['file']}")
        continue
    got = dict(zip(keys, row))
    if got["agency"] != (r["agency"] or ""):
        errors.append(f"汇总 {r['file']}: agency {got['agency']!r}")
    if not same_number(got["year"], r["year"]):
        errors.append(f"汇总 {r['file']}: year {got['year']!r}")
    for key, cell in r["cells"].items():
        text = got.get(key)
        if cell["value"] is not None:
            ok = text is not None and same_number(text, cell["value"])
        elif cell["raw"] is not None:
            ok = text == cell["raw"]
        else:
            ok = text == ""
        if not ok:
            errors.append(f"汇总 {r['file']}: {key}: expected {cell['raw']!r}, LibreOffice read {text!r}")

# Each report sheet holds exactly the report's numbers (labels and titles are not numbers).
names = {row[0]: got_sheet for row in summary[2:] for got_sheet in [dict(zip(keys, row))["sheet"]]}
for r in reports:
    name = names.get(r["file"])
    if name is None:
        continue
    cells = [c for row in sheet(name) for c in row if c != ""]
    numbers = Counter(round(float(c), 6) for c in cells if is_number(c))
    want = Counter(round(c["value"], 6) for c in r["cells"].values() if c["value"] is not None)
    if numbers != want:
        errors.append(f"{name}: numbers differ: extra {numbers - want}, missing {want - numbers}")
    title = sheet(name)[0][0]
    if r["agency"] not in title or f"{r['year']}年" not in title:
        errors.append(f"{name}: title {title!r}")

# 说明: every file with its SHA-256.
about = sheet("说明")
listed = {row[1]: row[2] for row in about if len(row) > 2}
for path, digest in hashes.items():
    if listed.get(path) != digest:
        errors.append(f"说明: {path}: expected {digest}, read {listed.get(path)!r}")

for name in ["问题清单", "修改记录"]:
    header = sheet(name)[0]
    if header[0] != "序号":
        errors.append(f"{name}: header {header!r}")

if errors:
    print("\n".join(errors[:50]), file=sys.stderr)
    sys.exit(1)
print(f"LibreOffice read {len(reports)} reports x 200 cells, their sheets and SHA-256 hashes as exported")
EOF
