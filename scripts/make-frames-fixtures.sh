#!/usr/bin/env bash
# Makes the Word files that a PDF-to-Word converter writes: every line of the PDF in its own
# positioned text box, the table rulings as line shapes (LibreOffice's writer_pdf_import). One
# for each seed's PDF (tests/fixtures/formats/*.frames.docx) and for the two corpus PDFs
# (tests/fixtures/corpus/reports/hongze-*.docx; their truth is in tests/fixtures/corpus/truth).
# Needs: libreoffice-writer-nogui and libreoffice-draw-nogui (the PDF import filter).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
corpus=${CORPUS:-$root/../shared/corpus}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
profile="-env:UserInstallation=file://$work/profile"
convert() { # OUT_DIR PDF...
    local out=$1
    shift
    soffice "$profile" --headless --infilter=writer_pdf_import --convert-to docx \
        --outdir "$out" "$@" > /dev/null
}
for pdf in "$root"/tests/fixtures/formats/[0-9][0-9][0-9]_*[0-9a-f].pdf; do
    name=$(basename "$pdf" .pdf)
    convert "$work" "$pdf"
    mv "$work/$name.docx" "$root/tests/fixtures/formats/$name.frames.docx"
done
for name in hongze-2023 hongze-2024; do
    convert "$root/tests/fixtures/corpus/reports" "$corpus/reports/$name.pdf"
done
