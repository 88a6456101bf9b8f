import { randomBytes } from 'node:crypto';

/** A number in [0, 1); the default is the platform's CSPRNG, tests pass a seeded one to replay a draw. */
export type RandomSource = () => number;

export const cryptoRandom: RandomSource = () => randomBytes(6).readUIntBE(0, 6) / 2 ** 48;

/** One random key per id for one draw: sorting ties by it picks among them uniformly, and no id order can be exploited. */
export function drawKeys(ids: string[], random: RandomSource): Map<string, number> {
  return new Map(ids.map((id) => [id, random()]));
}
