import { randomUUID } from 'node:crypto';
import { TestContext, type TestUser } from '../../../test/test-app';
import { MailService } from './mail.service';

describe('a person sees the e-mails the platform sent them (HTTP, real PostgreSQL)', () => {
  let ctx: TestContext;
  let ada: TestUser;
  let bob: TestUser;
  const send = (to: string, template: string, subject: string) =>
    ctx.app
      .get(MailService)
      .send({ dedupeKey: `test-${randomUUID()}`, template, to, subject, text: `A one-time link: https://x.test/t?token=${randomUUID()}` });

  beforeAll(async () => {
    ctx = await TestContext.create();
    ada = await ctx.newCandidate();
    bob = await ctx.newCandidate();
  });
  afterAll(() => ctx.close());

  it('lists their own messages, newest first, with subjects and never bodies', async () => {
    await send(ada.email, 'certificate-issued', 'Your PSF AIDA Examination Certificate');
    await send(ada.email, 'certificate-expiry', 'Your certificate expires in 30 days');
    await send(bob.email, 'certificate-issued', "Bob's certificate");
    const res = await ctx.as(ada).get('/api/me/notifications').expect(200);
    const subjects = res.body.map((n: { subject: string }) => n.subject);
    expect(subjects.slice(0, 2)).toEqual(['Your certificate expires in 30 days', 'Your PSF AIDA Examination Certificate']);
    expect(subjects).not.toContain("Bob's certificate");
    expect(res.body[0]).toEqual({
      id: expect.any(String),
      template: 'certificate-expiry',
      subject: 'Your certificate expires in 30 days',
      createdAt: expect.any(String),
      sentAt: expect.any(String),
    });
    expect(JSON.stringify(res.body)).not.toContain('token=');
  });

  it('is for signed-in people only', async () => {
    await ctx.http.get('/api/me/notifications').expect(401);
  });
});
