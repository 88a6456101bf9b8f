import { existsSync } from 'node:fs';
import * as path from 'node:path';
import PDFDocument from 'pdfkit';
import * as QRCode from 'qrcode';
import { badgePng } from './badge-image';

export interface CertificatePdfInput {
  holderName: string;
  credentialCode: string;
  credentialName: string;
  number: string;
  issuedAt: Date;
  expiresAt: Date;
  verifyUrl: string;
  issuerName: string;
  signatory: { name: string | null; role: string };
  psfVersion: string;
  /** The certification's badge as served (image.svg): the PDF embeds the same drawing, as PNG. */
  badgeSvg: string;
  attribution: string;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * pdfkit copies the document info into the XMP metadata without escaping it, and PDF/A wants the two equal: a
 * name with "&" or "<" would leave the metadata malformed. The info says "and" and drops angle brackets instead.
 */
export const metadataText = (text: string) => text.replace(/\s*&\s*/g, ' and ').replace(/[<>]/g, '');

const INK = '#1b1f24';
const MUTED = '#4a5360';
const NAVY = '#0b3d6e';
const GOLD = '#9a7b1c';

/** Debian's fonts-dejavu-core (the Docker image installs it): TrueType fonts pdfkit embeds, as PDF/A requires. */
const DEJAVU_DIR = '/usr/share/fonts/truetype/dejavu';
const DEJAVU = { sans: 'DejaVuSans.ttf', sansBold: 'DejaVuSans-Bold.ttf', serif: 'DejaVuSerif.ttf', serifBold: 'DejaVuSerif-Bold.ttf' };
/** pdfkit's standard fonts: not embedded, so a PDF set in them cannot claim PDF/A. */
const STANDARD = { sans: 'Helvetica', sansBold: 'Helvetica-Bold', serif: 'Times-Roman', serifBold: 'Times-Bold' };
type Fonts = typeof STANDARD;

/** The embeddable fonts when all are installed, else the standard ones (and then no PDF/A claim). */
export function certificateFonts(dir = DEJAVU_DIR): { fonts: Fonts; embedded: boolean } {
  const files = Object.fromEntries(Object.entries(DEJAVU).map(([k, f]) => [k, path.join(dir, f)])) as Fonts;
  return Object.values(files).every((f) => existsSync(f)) ? { fonts: files, embedded: true } : { fonts: STANDARD, embedded: false };
}

/**
 * The certificate for print: A4 landscape with the badge, the holder and credential, a signature block for the
 * issuer, a seal, the verification QR code with its URL in text, and the PSF attribution (CC BY 4.0). PDF/A-2b
 * when the fonts can be embedded.
 */
export async function renderCertificatePdf(c: CertificatePdfInput, fontDir?: string): Promise<Buffer> {
  const { fonts, embedded } = certificateFonts(fontDir);
  const qr = await QRCode.toBuffer(c.verifyUrl, { errorCorrectionLevel: 'M', margin: 1, width: 300 });
  const badge = badgePng(c.badgeSvg, 480);
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 0,
    info: {
      Title: metadataText(`${c.credentialName} — ${c.holderName}`),
      Author: metadataText(c.issuerName),
      Subject: `Certificate ${c.number}`,
    },
    lang: 'en-GB',
    tagged: true,
    displayTitle: true,
    ...(embedded ? { subset: 'PDF/A-2b' as const, pdfVersion: '1.7' as const } : {}),
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));

  const { width: W, height: H } = doc.page;
  drawFrame(doc, W, H);
  doc.image(badge, 70, 70, { width: 120 });
  drawTitle(doc, c, fonts, W);
  drawSignature(doc, c, fonts, 80, H - 175);
  drawSeal(doc, c, fonts, W / 2, H - 135);
  drawVerification(doc, c, fonts, qr, W - 80, H - 205);
  doc
    .font(fonts.sans)
    .fontSize(7)
    .fillColor(MUTED)
    .text(c.attribution, 60, H - 54, { width: W - 120, align: 'center' });
  doc.end();
  return done;
}

/** Two rules round the page: a heavy outer one and a fine inner one. */
function drawFrame(doc: PDFKit.PDFDocument, W: number, H: number) {
  doc
    .rect(24, 24, W - 48, H - 48)
    .lineWidth(3)
    .stroke(NAVY);
  doc
    .rect(34, 34, W - 68, H - 68)
    .lineWidth(0.75)
    .stroke(GOLD);
}

function drawTitle(doc: PDFKit.PDFDocument, c: CertificatePdfInput, fonts: Fonts, W: number) {
  const centred = { align: 'center' as const, width: W - 2 * 200 };
  doc
    .font(fonts.sans)
    .fontSize(12)
    .fillColor(MUTED)
    .text(c.issuerName.toUpperCase(), 200, 84, { ...centred, characterSpacing: 2 });
  doc.moveDown(1);
  doc.font(fonts.serifBold).fontSize(34).fillColor(NAVY).text('Certificate', centred);
  doc.moveDown(0.8);
  doc.font(fonts.serif).fontSize(13).fillColor(INK).text('This certifies that', centred);
  doc.moveDown(0.6);
  doc
    .font(fonts.serifBold)
    .fontSize(28)
    .text(c.holderName, 80, doc.y, { align: 'center', width: W - 160 });
  doc
    .moveTo(W / 2 - 180, doc.y + 4)
    .lineTo(W / 2 + 180, doc.y + 4)
    .lineWidth(0.5)
    .stroke(GOLD);
  doc.moveDown(1.2);
  doc
    .font(fonts.serif)
    .fontSize(13)
    .text('has met the requirements of', 80, doc.y, { align: 'center', width: W - 160 });
  doc.moveDown(0.3);
  doc
    .font(fonts.sansBold)
    .fontSize(18)
    .text(`${c.credentialName} (${c.credentialCode})`, { align: 'center', width: W - 160 });
  doc.moveDown(0.2);
  doc
    .font(fonts.sans)
    .fontSize(11)
    .fillColor(MUTED)
    .text(`Production Safety Framework (PSF) v${c.psfVersion}`, { align: 'center', width: W - 160 });
}

/** A typeset signature line with the signatory's name (when configured), role and the issuer: no image. */
function drawSignature(doc: PDFKit.PDFDocument, c: CertificatePdfInput, fonts: Fonts, x: number, y: number) {
  const width = 210;
  doc
    .moveTo(x, y + 36)
    .lineTo(x + width, y + 36)
    .lineWidth(0.75)
    .stroke(INK);
  doc
    .font(fonts.sansBold)
    .fontSize(11)
    .fillColor(INK)
    .text(c.signatory.name ?? c.issuerName, x, y + 42, { width });
  doc.font(fonts.sans).fontSize(10).fillColor(MUTED).text(c.signatory.role, { width });
  if (c.signatory.name) doc.text(`for ${c.issuerName}`, { width });
  doc.fillColor(INK).text(`Issued ${day(c.issuedAt)}`, { width });
  doc.text(`Valid until ${day(c.expiresAt)}`, { width });
}

/** The issuer's seal: a gold rosette (a 32-point star) round two rings, with the credential code and year. */
function drawSeal(doc: PDFKit.PDFDocument, c: CertificatePdfInput, fonts: Fonts, cx: number, cy: number) {
  const points: Array<[number, number]> = [];
  for (let i = 0; i < 64; i++) {
    const r = i % 2 === 0 ? 58 : 52;
    const a = (Math.PI * i) / 32;
    points.push([cx + r * Math.cos(a), cy + r * Math.sin(a)]);
  }
  doc.polygon(...points).fill(GOLD);
  doc.circle(cx, cy, 46).lineWidth(1.5).stroke('#ffffff');
  doc.circle(cx, cy, 41).fill('#ffffff');
  doc.circle(cx, cy, 38).lineWidth(0.75).stroke(GOLD);
  const text = (s: string, font: string, size: number, dy: number) =>
    doc
      .font(font)
      .fontSize(size)
      .fillColor(GOLD)
      .text(s, cx - 36, cy + dy, { width: 72, align: 'center' });
  text('CERTIFIED', fonts.sansBold, 7, -24);
  text(c.credentialCode, fonts.sansBold, 16, -12);
  text(String(c.issuedAt.getUTCFullYear()), fonts.sans, 8, 8);
  text('PSF', fonts.sans, 7, 19);
}

/** The QR code to the verify page, with the URL and the number in text (a QR cannot be read aloud or typed). */
function drawVerification(doc: PDFKit.PDFDocument, c: CertificatePdfInput, fonts: Fonts, qr: Buffer, right: number, y: number) {
  const width = 270;
  const x = right - width;
  doc.image(qr, right - 92, y, { width: 92 });
  doc
    .font(fonts.sans)
    .fontSize(9)
    .fillColor(MUTED)
    .text('Scan or visit to verify:', x, y + 98, { width, align: 'right' });
  doc.fontSize(8).fillColor(NAVY).text(c.verifyUrl, { width, align: 'right', link: c.verifyUrl, underline: true });
  doc.font(fonts.sansBold).fillColor(INK).text(`Certificate number ${c.number}`, { width, align: 'right' });
}
