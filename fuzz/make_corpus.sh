#!/usr/bin/env bash
# Rebuilds the committed seed corpus of every fuzz target (fuzz/corpus/<target>/) from the test
# fixtures: the seed reports in several encodings, the document fixtures whole and as the XML
# parts the shaped docx/xlsx inputs carry, and review files written by nianbao itself.
# Needs iconv, unzip, jq and a built nianbao (it runs `cargo run -- apply-corrections`).
set -euo pipefail
cd "$(dirname "$0")/.."
seeds=tests/fixtures/seeds
formats=tests/fixtures/formats
out=fuzz/corpus
sep=$'\n@@PART@@\n'

rm -rf "$out"
mkdir -p "$out"/{text,docx,html,xlsx,review}

# text: every seed as UTF-8, GB18030, UTF-16LE with BOM, CRLF, and its first 2 KB.
for f in "$seeds"/*.txt; do
  n=$(basename "$f" | cut -c1-3)
  cp "$f" "$out/text/$n.utf8.txt"
  iconv -f UTF-8 -t GB18030 "$f" >"$out/text/$n.gb18030.txt"
  { printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE "$f"; } >"$out/text/$n.utf16le.txt"
  sed 's/$/\r/' "$f" >"$out/text/$n.crlf.txt"
  head -c 2048 "$f" >"$out/text/$n.head.txt"
done

# A zip part, or nothing when the container lacks it.
part() { unzip -p "$1" "$2" 2>/dev/null || true; }

if [ -d "$formats" ]; then
  # docx: whole files, and document.xml / numbering.xml / styles.xml joined by the separator.
  for f in "$formats"/*.docx; do
    n=$(basename "$f" .docx)
    cp "$f" "$out/docx/$n.docx"
    {
      part "$f" word/document.xml
      printf '%s' "$sep"
      part "$f" word/numbering.xml
      printf '%s' "$sep"
      part "$f" word/styles.xml
    } >"$out/docx/$n.parts.xml"
  done
  # html: every page fixture (UTF-8 and GBK).
  for f in "$formats"/*.html; do
    cp "$f" "$out/html/$(basename "$f")"
  done
  # xlsx: whole files, and sheet1.xml / sharedStrings.xml / workbook.xml joined by the separator.
  for f in "$formats"/*.xlsx; do
    n=$(basename "$f" .xlsx)
    head -c 2 "$f" | grep -q PK || continue
    cp "$f" "$out/xlsx/$n.xlsx"
    {
      part "$f" xl/worksheets/sheet1.xml
      printf '%s' "$sep"
      part "$f" xl/sharedStrings.xml
      printf '%s' "$sep"
      part "$f" xl/workbook.xml
    } >"$out/xlsx/$n.parts.xml"
  done
fi
# Small hand-made inputs reach the readers' edge cases quickly.
printf '<html><body><table><tr><td>规章</td><td>1</td><td rowspan="2">2</td></tr><tr><td colspan="3">3</td></tr></table></body></html>' >"$out/html/small-table.html"
printf '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>二、主动公开政府信息情况</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>规章</w:t></w:r></w:p></w:tc><w:tc><w:tcPr><w:gridSpan w:val="2"/><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>' >"$out/docx/small-table.parts.xml"
printf '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>5</v></c></row></sheetData><mergeCells count="1"><mergeCell ref="A1:B2"/></mergeCells></worksheet>%s<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>规章</t></si></sst>' "$sep" >"$out/xlsx/small-sheet.parts.xml"

# review: files written by nianbao (corrections on two seeds), their `review` objects alone (the
# target wraps them with a right checksum), variants with undone edits, verdicts and notes, and
# broken files (wrong types, unknown version, truncated).
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$seeds"/000_*.txt "$tmp/a.txt"
cp "$seeds"/002_*.txt "$tmp/b.txt"
cargo run --quiet -- apply-corrections "$tmp/a.txt" requests.new.total=2 active.fees.amount=12.5 \
  requests.granted.total=/ >/dev/null
cargo run --quiet -- apply-corrections "$tmp/b.txt" appeals.review.total=blank >/dev/null
cp "$tmp/a.txt.nianbao.json" "$out/review/a.review.json"
cp "$tmp/b.txt.nianbao.json" "$out/review/b.review.json"
jq '.review' "$tmp/a.txt.nianbao.json" >"$out/review/a.body.json"
jq '.review' "$tmp/b.txt.nianbao.json" >"$out/review/b.body.json"
jq '.review | .cursor = 1' "$tmp/a.txt.nianbao.json" >"$out/review/a-undone.body.json"
jq '.review | .status = "reviewed"
  | .notes = {"requests.new.total": "按原件"}
  | .verdicts = {"requests.balance:requests.new.total": {"state": "dismissed", "note": "原件如此",
      "judged": ["2", null], "at": "2025-01-01T00:00:00Z"}}' \
  "$tmp/a.txt.nianbao.json" >"$out/review/a-verdicts.body.json"
head -c 300 "$tmp/a.txt.nianbao.json" >"$out/review/truncated.review.json"
printf '{"format_version": 2, "checksum": "", "review": {}}' >"$out/review/version2.json"
printf '{"format_version": "1", "checksum": 5, "review": []}' >"$out/review/wrong-types.json"
jq '.review | .cursor = "one" | .edits[0].value = {"kind": "number", "value": "x"}' \
  "$tmp/a.txt.nianbao.json" >"$out/review/wrong-types.body.json"
printf '' >"$out/review/empty.json"

for t in text docx html xlsx review; do
  echo "$t: $(ls "$out/$t" | wc -l) files, $(du -sh "$out/$t" | cut -f1)"
done
