/** Reads a PDF's text back (pdf.js through `unpdf`), as a phone's viewer would show it. */
import { extractText, getDocumentProxy } from 'unpdf';

export async function pdfText(bytes: Uint8Array): Promise<string> {
  const pdf = await getDocumentProxy(new Uint8Array(bytes));
  const { text } = await extractText(pdf, { mergePages: true });
  return text;
}

/** The PDF embeds its fonts (a TrueType font program per font), so no device font is needed. */
export function embedsTrueTypeFonts(bytes: Uint8Array): boolean {
  return Buffer.from(bytes).toString('latin1').includes('/FontFile2');
}
