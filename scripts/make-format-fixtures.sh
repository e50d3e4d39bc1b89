#!/usr/bin/env bash
# Regenerates tests/fixtures/formats/ from the seed reports in tests/fixtures/seeds/.
#
# Each seed is rendered as a web page the way reports are published (examples/seed_html.rs:
# narrative as paragraphs, the three tables in the national template with merged header cells,
# every cell holding the text read from the seed), then LibreOffice headless converts the page
# to Word (.docx), PDF, Excel (.xlsx, .xls) and OpenDocument (.ods). A GB18030 copy of the page
# declares `gb2312` in its <meta>, as many government sites do. The seeds' text itself is also
# typeset as .text.docx and .text.pdf. The acceptance test
# (tests/integration/ingest.rs) checks that every file gives the same 200 values as its seed.
#
# Needs: cargo, python3 with msoffcrypto-tool (pip install msoffcrypto-tool), LibreOffice (apt-get install -y --no-install-recommends
# libreoffice-writer-nogui libreoffice-calc-nogui) and a Chinese font for the PDF
# (apt-get install -y fonts-wqy-microhei).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/tests/fixtures/formats"
seeds="$root/tests/fixtures/seeds"
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A private LibreOffice profile: no clash with a running office, no leftover settings.
profile="-env:UserInstallation=file://$work/profile"

cd "$root"
cargo build --quiet --example seed_html
bin="${CARGO_TARGET_DIR:-$root/target}/debug/examples/seed_html"

pages=()
for seed in "$seeds"/*.txt; do
    name=$(basename "$seed" .txt)
    "$bin" "$seed" > "$out/$name.html"
    pages+=("$out/$name.html")
    # The same page in GB18030, labelled gb2312 as old sites do.
    python3 - "$out/$name.html" "$out/$name.gbk.html" <<'PY'
import sys
page = open(sys.argv[1], encoding="utf-8").read()
page = page.replace('<meta charset="utf-8">',
    '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">')
open(sys.argv[2], "wb").write(page.encode("gb18030"))
PY
done

# Writer reads the pages for the text formats, Calc for the spreadsheets.
soffice "$profile" --headless --infilter="HTML (StarWriter)" \
    --convert-to 'docx:MS Word 2007 XML' --outdir "$out" "${pages[@]}" > /dev/null
soffice "$profile" --headless --infilter="HTML (StarWriter)" \
    --convert-to 'pdf:writer_pdf_Export' --outdir "$out" "${pages[@]}" > /dev/null
soffice "$profile" --headless --infilter="HTML (StarCalc)" \
    --convert-to 'xlsx:Calc MS Excel 2007 XML' --outdir "$out" "${pages[@]}" > /dev/null
soffice "$profile" --headless --infilter="HTML (StarCalc)" \
    --convert-to 'ods:calc8' --outdir "$out" "${pages[@]}" > /dev/null
soffice "$profile" --headless --infilter="HTML (StarCalc)" \
    --convert-to 'xls:MS Excel 97' --outdir "$out" "${pages[@]}" > /dev/null

# The seeds' own text (one cell per line, tab-separated rows, page-break artefacts) typeset as
# Word and PDF: no ruled tables here, so the PDF reader's line layout is what is tested.
texts=()
for seed in "$seeds"/*.txt; do
    cp "$seed" "$work/$(basename "$seed" .txt).text.txt"
    texts+=("$work/$(basename "$seed" .txt).text.txt")
done
soffice "$profile" --headless --infilter="Text (encoded):UTF8" \
    --convert-to 'docx:MS Word 2007 XML' --outdir "$out" "${texts[@]}" > /dev/null
soffice "$profile" --headless --infilter="Text (encoded):UTF8" \
    --convert-to 'pdf:writer_pdf_Export' --outdir "$out" "${texts[@]}" > /dev/null

# OpenDocument files carry a thumbnail picture of the first page: drop it to keep them small.
python3 - "$out"/*.ods <<'PY'
import sys, zipfile, os
for path in sys.argv[1:]:
    tmp = path + ".tmp"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w") as dst:
        for item in src.infolist():
            if item.filename.startswith("Thumbnails/"):
                continue
            data = src.read(item.filename)
            if item.filename == "META-INF/manifest.xml":
                data = b"\n".join(l for l in data.split(b"\n") if b"Thumbnails/" not in l)
            dst.writestr(item, data)
    os.replace(tmp, path)
PY

# Hostile and special files.
# A password-protected workbook (an OLE2 container holding the encrypted package).
msoffcrypto-tool -e -p secret "$out/002_fb4184b46a4aab68.xlsx" "$out/password-protected.xlsx"
# A scanned report: a PDF whose only content is a picture (no text layer).
python3 - "$work/scan.png" <<'PY'
import sys, zlib, struct
w, h = 400, 300
rows = b"".join(b"\x00" + bytes(((x * 7 + y * 3) % 256 for x in range(w))) for y in range(h))
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)) \
    + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")
open(sys.argv[1], "wb").write(png)
PY
printf '<html><body><img src="scan.png" width="400" height="300"></body></html>' > "$work/scanned.html"
soffice "$profile" --headless --infilter="HTML (StarWriter)" \
    --convert-to 'pdf:writer_pdf_Export' --outdir "$out" "$work/scanned.html" > /dev/null

# One old binary Word file, for the "save as .docx" message.
first="${pages[0]}"
soffice "$profile" --headless --infilter="HTML (StarWriter)" \
    --convert-to 'doc:MS Word 97' --outdir "$work" "$first" > /dev/null
cp "$work/$(basename "$first" .html).doc" "$out/legacy-word.doc"

ls -l "$out"
du -sh "$out"
