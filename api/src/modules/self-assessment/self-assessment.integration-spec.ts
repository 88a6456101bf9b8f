import { TestContext, type TestUser } from '../../../test/test-app';

const URL = '/api/me/self-assessment';

describe('the self-assessment saved to an account (HTTP, real PostgreSQL)', () => {
  let ctx: TestContext;
  let ada: TestUser;

  beforeAll(async () => {
    ctx = await TestContext.create();
    ada = await ctx.newCandidate();
  });
  afterAll(() => ctx.close());

  it('answers 404 until one is saved, then reads back what was saved; a later save replaces it', async () => {
    const none = await ctx.as(ada).get(URL).expect(404);
    expect(none.body).toMatchObject({ statusCode: 404, error: 'Not Found' });

    const first = await ctx
      .as(ada)
      .put(URL, { ratings: { 'D01.1': 3, 'D04.2': 0, 'D08.5': 2 } })
      .expect(200);
    expect(first.body).toEqual({ ratings: { 'D01.1': 3, 'D04.2': 0, 'D08.5': 2 }, updatedAt: expect.any(String) });
    expect((await ctx.as(ada).get(URL).expect(200)).body).toEqual(first.body);

    const second = await ctx
      .as(ada)
      .put(URL, { ratings: { 'D02.3': 1 } })
      .expect(200);
    expect(second.body.ratings).toEqual({ 'D02.3': 1 });
    expect(new Date(second.body.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(first.body.updatedAt).getTime());
    expect((await ctx.as(ada).get(URL).expect(200)).body).toEqual(second.body);
  });

  it('refuses an unknown criterion, a rating off the scale or a malformed body with 400, and keeps what was saved', async () => {
    const saved = (
      await ctx
        .as(ada)
        .put(URL, { ratings: { 'D03.4': 2 } })
        .expect(200)
    ).body;
    const bad: object[] = [
      { ratings: { 'D09.1': 1 } },
      { ratings: { 'D03.4': 1, 'D01.6': 1 } },
      { ratings: { 'D03.4': 4 } },
      { ratings: { 'D03.4': -1 } },
      { ratings: { 'D03.4': 1.5 } },
      { ratings: { 'D03.4': '2' } },
      { ratings: ['D03.4'] },
      { ratings: 'all good' },
      {},
      { ratings: { 'D03.4': 1 }, extra: true },
    ];
    for (const body of bad) {
      const res = await ctx.as(ada).put(URL, body).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.any(String) });
    }
    const unknown = await ctx
      .as(ada)
      .put(URL, { ratings: { 'D09.1': 1 } })
      .expect(400);
    expect(unknown.body.message).toContain('"D09.1" is not a criterion of the framework');
    const offScale = await ctx
      .as(ada)
      .put(URL, { ratings: { 'D03.4': 4 } })
      .expect(400);
    expect(offScale.body.message).toContain('D03.4 must be a whole number from 0 to 3');

    expect((await ctx.as(ada).get(URL).expect(200)).body).toEqual(saved);
  });

  it('keeps each person to their own: another account sees none of it', async () => {
    await ctx
      .as(ada)
      .put(URL, { ratings: { 'D05.5': 3 } })
      .expect(200);
    const bob = await ctx.newCandidate();
    await ctx.as(bob).get(URL).expect(404);
    await ctx
      .as(bob)
      .put(URL, { ratings: { 'D05.5': 0 } })
      .expect(200);
    expect((await ctx.as(ada).get(URL).expect(200)).body.ratings).toEqual({ 'D05.5': 3 });
  });

  it('answers 401 when signed out, for reading and for saving', async () => {
    await ctx.http.get(URL).expect(401);
    await ctx.http
      .put(URL)
      .send({ ratings: { 'D01.1': 1 } })
      .expect(401);
  });
});
