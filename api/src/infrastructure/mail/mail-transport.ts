import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';

export interface MailAttachment {
  filename: string;
  /** e.g. `text/calendar; method=REQUEST; charset=utf-8` for an invitation. */
  contentType: string;
  content: string;
}

export interface OutgoingMail {
  id: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  attachments?: MailAttachment[];
}

export interface MailTransport {
  readonly name: 'smtp' | 'file';
  /** Delivers the message; returns where it was stored, for the file transport. */
  deliver(mail: OutgoingMail): Promise<string | null>;
  read?(storedFile: string): Promise<string>;
}

/** Default transport: each message becomes an RFC 822 file under the mail folder (listed for admins). */
export class FileMailTransport implements MailTransport {
  readonly name = 'file' as const;

  constructor(private readonly dir: string) {}

  async deliver(mail: OutgoingMail): Promise<string> {
    await fs.mkdir(this.dir, { recursive: true });
    const file = `${mail.id}.eml`;
    const body = mail.attachments?.length
      ? await mimeMessage(mail)
      : [
          `From: ${mail.from}`,
          `To: ${mail.to}`,
          `Subject: ${mail.subject}`,
          `Message-ID: <${mail.id}@psf.local>`,
          `Date: ${new Date().toUTCString()}`,
          'Content-Type: text/plain; charset=utf-8',
          '',
          mail.text,
        ].join('\r\n');
    // Write then rename so a reader never sees half a message.
    const target = path.join(this.dir, file);
    const temp = `${target}.${process.pid}.${Date.now()}.tmp`;
    await fs.writeFile(temp, body, 'utf8');
    await fs.rename(temp, target);
    return file;
  }

  async read(storedFile: string): Promise<string> {
    return fs.readFile(path.join(this.dir, path.basename(storedFile)), 'utf8');
  }
}

export class SmtpMailTransport implements MailTransport {
  readonly name = 'smtp' as const;
  private readonly transporter: nodemailer.Transporter;

  constructor(url: string) {
    this.transporter = nodemailer.createTransport(url);
  }

  async deliver(mail: OutgoingMail): Promise<null> {
    await this.transporter.sendMail(nodemailerMessage(mail));
    return null;
  }
}

/** A multipart MIME message (text + attachments), built by nodemailer's own composer. */
async function mimeMessage(mail: OutgoingMail): Promise<string> {
  const message = await new MailComposer(nodemailerMessage(mail)).compile().build();
  return message.toString('utf8');
}

/** The same message for SMTP and for the file transport's MIME files. */
function nodemailerMessage(mail: OutgoingMail) {
  return {
    from: mail.from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    messageId: `<${mail.id}@psf.local>`,
    attachments: mail.attachments,
  };
}
