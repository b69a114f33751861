/**
 * Renders a filled document as an A4 PDF with pdf-lib. The DejaVu fonts (npm package
 * `dejavu-fonts-ttf`, TrueType with full Cyrillic) are EMBEDDED, subset to the glyphs
 * used, so the file shows the same on any phone, with no font installed. Blanks get
 * their hint in small grey type under the line, as on a paper form.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import fontkit from '@pdf-lib/fontkit';
import { type PDFFont, PDFDocument, rgb } from 'pdf-lib';
import type { FilledDocument } from './fill.js';

const require = createRequire(import.meta.url);
/** The fonts' files, resolved from the installed package (no download at run time). */
const FONT_FILES = {
  regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
};

/** A4 in PDF points (1/72 inch). */
const PAGE = { width: 595.28, height: 841.89 };
/** 20 mm margins. */
const MARGIN = 57;
const BODY_SIZE = 11;
const HINT_SIZE = 8;
const TITLE_SIZE = 13;
const LEADING = 1.35;

let fontBytes: Promise<{ regular: Uint8Array; bold: Uint8Array }> | undefined;
/** Reads the font files once per process. */
function fonts() {
  fontBytes ??= Promise.all([readFile(FONT_FILES.regular), readFile(FONT_FILES.bold)]).then(([regular, bold]) => ({ regular, bold }));
  return fontBytes;
}

/** Splits one line into lines that fit `width` at `size`, breaking between words (or inside a very long word). */
export function wrapLine(text: string, font: PDFFont, size: number, width: number): string[] {
  if (!text) return [''];
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/(\s+)/)) {
    const next = line + word;
    if (font.widthOfTextAtSize(next, size) <= width) {
      line = next;
      continue;
    }
    if (line.trim()) out.push(line.trimEnd());
    line = word.trimStart();
    while (font.widthOfTextAtSize(line, size) > width && line.length > 1) {
      let cut = line.length - 1;
      while (cut > 1 && font.widthOfTextAtSize(line.slice(0, cut), size) > width) cut--;
      out.push(line.slice(0, cut));
      line = line.slice(cut);
    }
  }
  if (line.trim() || !out.length) out.push(line.trimEnd());
  return out;
}

export async function renderDocumentPdf(doc: FilledDocument, meta: { subject?: string; createdAt?: Date } = {}): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  const bytes = await fonts();
  const regular = await pdf.embedFont(bytes.regular, { subset: true });
  const bold = await pdf.embedFont(bytes.bold, { subset: true });
  pdf.setTitle(doc.title);
  pdf.setLanguage('ru-RU');
  pdf.setProducer('Pravo (pdf-lib)');
  if (meta.subject) pdf.setSubject(meta.subject);
  if (meta.createdAt) {
    pdf.setCreationDate(meta.createdAt);
    pdf.setModificationDate(meta.createdAt);
  }
  const width = PAGE.width - 2 * MARGIN;
  let page = pdf.addPage([PAGE.width, PAGE.height]);
  let y = PAGE.height - MARGIN;
  const draw = (text: string, font: PDFFont, size: number, grey = false) => {
    const step = size * LEADING;
    if (y - step < MARGIN) {
      page = pdf.addPage([PAGE.width, PAGE.height]);
      y = PAGE.height - MARGIN;
    }
    y -= step;
    if (text) page.drawText(text, { x: MARGIN, y, size, font, color: grey ? rgb(0.4, 0.4, 0.4) : rgb(0, 0, 0) });
  };
  for (const line of doc.lines) {
    const isTitle = line.heading;
    for (const part of wrapLine(line.text, isTitle ? bold : regular, isTitle ? TITLE_SIZE : BODY_SIZE, width)) {
      draw(part, isTitle ? bold : regular, isTitle ? TITLE_SIZE : BODY_SIZE);
    }
    if (line.hints.length) for (const part of wrapLine(`↑ ${line.hints.join('; ')}`, regular, HINT_SIZE, width)) draw(part, regular, HINT_SIZE, true);
  }
  // Plain (not object-stream) cross-references: older phone viewers read them, and the
  // embedded font programs stay visible to a check (`/FontFile2`).
  return pdf.save({ useObjectStreams: false });
}
