import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { inflateSync } from 'node:zlib';
import * as QRCode from 'qrcode';
import { badgeSvg } from './badge-image';
import { certificateFonts, type CertificatePdfInput, renderCertificatePdf } from './certificate-pdf';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const pdfParse: (data: Buffer) => Promise<{ text: string; numpages: number }> = require('pdf-parse/lib/pdf-parse.js');

const input: CertificatePdfInput = {
  holderName: 'Grace Holder',
  credentialCode: 'AIDA',
  credentialName: 'PSF AIDA Examination Certificate',
  number: 'PSF-7K2QM-X9D4T-R',
  issuedAt: new Date('2026-12-03T10:00:00Z'),
  expiresAt: new Date('2028-12-02T10:00:00Z'),
  verifyUrl: 'https://certify.example.org/verify/PSF-7K2QM-X9D4T-R',
  issuerName: 'Example Certification Body',
  signatory: { name: 'Dr Ada Signer', role: 'Head of Certification' },
  psfVersion: '1.0',
  badgeSvg: badgeSvg({ code: 'AIDA', name: 'PSF AIDA Examination Certificate', framework: 'PSF v1.0', issuerName: 'Example' }),
  attribution: 'The Production Safety Framework (PSF) v1.0 is published by the Production AI Institute (2024) under CC BY 4.0.',
};

/** Every stream of the file, inflated where it is compressed: where the XMP metadata and drawing live. */
function streamsOf(pdf: Buffer): string {
  const text = pdf.toString('latin1');
  const out: string[] = [];
  for (const m of text.matchAll(/stream\r?\n/g)) {
    const start = m.index! + m[0].length;
    const end = text.indexOf('endstream', start);
    const raw = pdf.subarray(start, end);
    try {
      out.push(inflateSync(raw).toString('utf8'));
    } catch {
      out.push(raw.toString('utf8'));
    }
  }
  return out.join('\n');
}

describe('the certificate PDF', () => {
  let pdf: Buffer;
  beforeAll(async () => {
    pdf = await renderCertificatePdf(input);
  });

  it('is one A4 landscape page with everything a reader checks, in text', async () => {
    const { text, numpages } = await pdfParse(pdf);
    expect(numpages).toBe(1);
    expect(pdf.toString('latin1')).toMatch(/\/MediaBox \[0 0 841\.89 595\.28\]/);
    for (const expected of [
      'Grace Holder',
      'PSF AIDA Examination Certificate (AIDA)',
      'Production Safety Framework (PSF) v1.0',
      'PSF-7K2QM-X9D4T-R',
      input.verifyUrl,
      'Issued 2026-12-03',
      'Valid until 2028-12-02',
      'Dr Ada Signer',
      'Head of Certification',
      'for Example Certification Body',
      'CC BY 4.0',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('embeds the badge and the QR code as images, and links the verify URL', () => {
    const raw = pdf.toString('latin1');
    expect(raw.match(/\/Subtype \/Image/g)?.length).toBeGreaterThanOrEqual(2);
    expect(raw).toContain(`/URI (${input.verifyUrl})`);
  });

  it('embeds a QR code that encodes the verify URL (compared module by module with the encoder, no decoder being at hand)', () => {
    // The QR is the one 300 × 300 RGB image (the badge is 480 wide): pdfkit stores its pixels inflated-ready, no predictor.
    const raw = pdf.toString('latin1');
    const header =
      /<<\s*\/Type \/XObject\s*\/Subtype \/Image\s*\/BitsPerComponent 8\s*\/Width 300\s*\/Height 300[^]*?\/ColorSpace \/DeviceRGB[^]*?stream\r?\n/.exec(
        raw,
      );
    expect(header).not.toBeNull();
    const start = header!.index + header![0].length;
    const pixels = inflateSync(pdf.subarray(start, raw.indexOf('endstream', start)));
    expect(pixels.length).toBe(300 * 300 * 3);
    const { modules } = QRCode.create(input.verifyUrl, { errorCorrectionLevel: 'M' });
    const margin = 1;
    const scale = 300 / (modules.size + 2 * margin);
    const dark = (row: number, col: number) => {
      const at = (y: number, x: number) => pixels[(Math.floor(y) * 300 + Math.floor(x)) * 3];
      return at((margin + row + 0.5) * scale, (margin + col + 0.5) * scale) < 128;
    };
    let differing = 0;
    for (let row = 0; row < modules.size; row++) {
      for (let col = 0; col < modules.size; col++) if (dark(row, col) !== Boolean(modules.get(row, col))) differing++;
    }
    expect(differing).toBe(0);
    // And not some other URL: the encoder's matrix for another address differs.
    const other = QRCode.create(`${input.verifyUrl}X`, { errorCorrectionLevel: 'M' }).modules;
    let otherDiffering = 0;
    for (let row = 0; row < Math.min(other.size, modules.size); row++) {
      for (let col = 0; col < Math.min(other.size, modules.size); col++)
        if (dark(row, col) !== Boolean(other.get(row, col))) otherDiffering++;
    }
    expect(otherDiffering).toBeGreaterThan(0);
  });

  it('prints the issuer on the signature line when no signatory name is configured', async () => {
    const { text } = await pdfParse(await renderCertificatePdf({ ...input, signatory: { name: null, role: 'Authorised signatory' } }));
    expect(text).toContain('Example Certification Body\nAuthorised signatory');
    expect(text).not.toContain('for Example Certification Body');
  });

  const fontsInstalled = certificateFonts().embedded;
  (fontsInstalled ? it : it.skip)('claims PDF/A-2b with every font embedded when the DejaVu fonts are installed', () => {
    const raw = pdf.toString('latin1');
    const streams = streamsOf(pdf);
    expect(streams).toMatch(/<pdfaid:part>2<\/pdfaid:part>\s*<pdfaid:conformance>B<\/pdfaid:conformance>/);
    expect(raw).toContain('/OutputIntents');
    expect(raw.startsWith('%PDF-1.7')).toBe(true);
    const fonts = raw.match(/\/Type \/Font\b/g)?.length ?? 0;
    expect(fonts).toBeGreaterThan(0);
    // Every font has an embedded program (FontFile2: TrueType), none is a standard font left to the reader.
    expect(raw.match(/\/FontFile2 /g)?.length).toBeGreaterThanOrEqual(3);
    expect(raw).not.toMatch(/\/BaseFont \/(Helvetica|Times)/);
  });

  (fontsInstalled ? it : it.skip)('keeps the XMP metadata well-formed whatever the names hold (pdfkit does not escape them)', async () => {
    const odd = await renderCertificatePdf({ ...input, holderName: 'Siobhán <Ní> Bhriain & Co', issuerName: 'Smith&Jones <Cert>' });
    const xmp = streamsOf(odd);
    expect(xmp).toContain('<rdf:li xml:lang="x-default">PSF AIDA Examination Certificate — Siobhán Ní Bhriain and Co</rdf:li>');
    expect(xmp).toContain('<rdf:li>Smith and Jones Cert</rdf:li>');
    // The page itself prints the names as they are.
    expect((await pdfParse(odd)).text).toContain('Siobhán <Ní> Bhriain & Co');
  });

  it('falls back to the standard fonts, and claims no PDF/A, where the fonts are missing', async () => {
    const none = mkdtempSync(path.join(tmpdir(), 'no-fonts-'));
    expect(certificateFonts(none).embedded).toBe(false);
    const fallback = await renderCertificatePdf(input, none);
    expect((await pdfParse(fallback)).text).toContain('Grace Holder');
    expect(streamsOf(fallback)).not.toContain('pdfaid');
    expect(fallback.toString('latin1')).toMatch(/\/BaseFont \/Helvetica/);
  });
});
