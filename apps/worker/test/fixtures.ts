// Fixture builders: every hostile and ordinary input is generated here, none is checked in.
import { deflateRawSync } from 'node:zlib';
import { Document, HeadingLevel, Packer, Paragraph } from 'docx';
import { PDFDocument, StandardFonts } from 'pdf-lib';

/** A PDF with one text paragraph per page: "Page N: <text>". */
export async function buildPdf(pages: string[]): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (const [i, text] of pages.entries()) {
    const page = pdf.addPage([595, 842]);
    const lines = wrap(`Page ${i + 1}: ${text}`, 90);
    lines.forEach((line, j) => {
      page.drawText(line, { x: 40, y: 800 - j * 14, size: 10, font });
    });
  }
  return pdf.save({ useObjectStreams: false });
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if ((line + word).length > width) {
      lines.push(line.trim());
      line = '';
    }
    line += `${word} `;
  }
  if (line.trim()) lines.push(line.trim());
  return lines;
}

/**
 * A PDF whose trailer names a Standard security handler with a user password we do not know: pdf.js
 * refuses it with a PasswordException, as with any really encrypted file.
 */
export function buildEncryptedPdf(): Uint8Array {
  const hex = (n: number) => 'ab'.repeat(n);
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>',
    '<< /Length 10 >>\nstream\n0123456789\nendstream',
    `<< /Filter /Standard /V 1 /R 2 /O <${hex(32)}> /U <${'cd'.repeat(32)}> /P -44 >>`,
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Encrypt 5 0 R /ID [<${hex(16)}> <${hex(16)}>] >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(body);
}

/** A DOCX (docx package) with headings and paragraphs. */
export async function buildDocx(
  sections: Array<{ heading: string; paragraphs: string[] }>,
): Promise<Uint8Array> {
  const children = sections.flatMap((section) => [
    new Paragraph({ text: section.heading, heading: HeadingLevel.HEADING_1 }),
    ...section.paragraphs.map((text) => new Paragraph({ text })),
  ]);
  const document = new Document({ sections: [{ children }] });
  return new Uint8Array(await Packer.toBuffer(document));
}

type ZipInput = { name: string; data: Uint8Array; declaredSize?: number };

/** A deflate zip built by hand, so the declared uncompressed sizes can lie. */
export function buildZip(entries: ZipInput[]): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const compressed = deflateRawSync(entry.data);
    const size = entry.declaredSize ?? entry.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(0, 14); // CRC left 0: the guard must refuse before any CRC check matters
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, compressed);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const centralSize = centrals.reduce((sum, part) => sum + part.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, ...centrals, end]));
}

/** A DOCX-looking zip bomb: word/document.xml expands to `mb` MB; optionally lying about its size. */
export function buildDocxBomb({ mb, lie }: { mb: number; lie: boolean }): Uint8Array {
  const xml = Buffer.alloc(mb * 1024 * 1024, 'a');
  return buildZip([
    { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
    { name: 'word/document.xml', data: xml, declaredSize: lie ? 2048 : undefined },
  ]);
}

/** Deterministic prose about a topic, `paragraphs` long, with headings every few paragraphs. */
export function buildMarkdown(topic: string, paragraphs: number): string {
  const words = [
    'pump',
    'valve',
    'torque',
    'inspection',
    'pressure',
    'schedule',
    'engine',
    'bearing',
    'seal',
  ];
  const out: string[] = [`# ${topic}`];
  for (let i = 0; i < paragraphs; i++) {
    if (i % 5 === 0) out.push(`## Section ${i / 5 + 1}`);
    const sentence = Array.from({ length: 12 }, (_, j) => words[(i * 7 + j * 3) % words.length]).join(' ');
    out.push(
      `${topic} paragraph ${i}: the ${sentence}. Check item ${i} before use. Record the result in the log.`,
    );
  }
  return out.join('\n\n');
}
