import PDFDocument from 'pdfkit';
import * as QRCode from 'qrcode';

export interface CertificatePdfInput {
  holderName: string;
  credentialCode: string;
  credentialName: string;
  number: string;
  issuedAt: Date;
  expiresAt: Date;
  verifyUrl: string;
  issuerName: string;
  attribution: string;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** A one-page A4 landscape certificate with a QR code to its verification page. */
export async function renderCertificatePdf(c: CertificatePdfInput): Promise<Buffer> {
  const qr = await QRCode.toBuffer(c.verifyUrl, { errorCorrectionLevel: 'M', margin: 1, width: 300 });
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 56,
    info: { Title: `${c.credentialName} — ${c.holderName}`, Author: c.issuerName, Subject: `Certificate ${c.number}` },
    lang: 'en-GB',
    tagged: true,
    displayTitle: true,
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));

  const width = doc.page.width - 112;
  doc
    .rect(28, 28, doc.page.width - 56, doc.page.height - 56)
    .lineWidth(2)
    .stroke('#0b5cad');
  doc.moveDown(1.5);
  doc.font('Helvetica').fontSize(14).fillColor('#4a5360').text(c.issuerName, { align: 'center', width });
  doc.moveDown(0.8);
  doc.font('Helvetica-Bold').fontSize(30).fillColor('#1b1f24').text('Certificate', { align: 'center', width });
  doc.moveDown(0.8);
  doc.font('Helvetica').fontSize(14).text('This certifies that', { align: 'center', width });
  doc.moveDown(0.4);
  doc.font('Helvetica-Bold').fontSize(26).text(c.holderName, { align: 'center', width });
  doc.moveDown(0.4);
  doc.font('Helvetica').fontSize(14).text('holds the credential', { align: 'center', width });
  doc.moveDown(0.3);
  doc.font('Helvetica-Bold').fontSize(18).text(`${c.credentialName} (${c.credentialCode})`, { align: 'center', width });
  doc.moveDown(1.2);
  const detailsTop = doc.y;
  doc.font('Helvetica').fontSize(12);
  doc.text(`Certificate number: ${c.number}`, 56, detailsTop);
  doc.text(`Issued: ${day(c.issuedAt)}`);
  doc.text(`Valid until: ${day(c.expiresAt)}`);
  doc.text(`Verify at: ${c.verifyUrl}`, { link: c.verifyUrl, underline: true });
  doc.image(qr, doc.page.width - 56 - 110, detailsTop - 10, { width: 110 });
  doc
    .fontSize(8)
    .fillColor('#4a5360')
    .text(c.attribution, 56, doc.page.height - 90, { width, align: 'left' });
  doc.end();
  return done;
}
