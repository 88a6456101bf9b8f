import { ConflictException } from '@nestjs/common';

/**
 * A refused status move. A ConflictException, so the API answers 409: the request was well formed,
 * but the thing it acts on is no longer (or not yet) in a state that allows it.
 */
export class LifecycleError extends ConflictException {
  constructor(
    readonly aggregate: string,
    readonly from: string,
    readonly to: string,
  ) {
    super(`${/^[aeiou]/i.test(aggregate) ? 'An' : 'A'} ${aggregate} cannot move from "${from}" to "${to}"`);
  }
}

/** The states of one aggregate's status column and the moves allowed between them. */
export interface Lifecycle<S extends string> {
  /** The aggregate's glossary word, used in messages ("attempt", "submission", …). */
  readonly name: string;
  /** Every state, in the order the CHECK constraint lists them. */
  readonly states: readonly S[];
  can(from: S, to: S): boolean;
  /** Throws LifecycleError unless the move is allowed. */
  assert(from: S, to: S): void;
  /** A final state has no way out: whatever wrote it was the aggregate's last status change. */
  isFinal(state: S): boolean;
  /** The states that may follow `from`. */
  next(from: S): readonly S[];
  /** The states `to` may be entered from: bind it to `WHERE status = ANY($n::text[])` in a conditional UPDATE. */
  from(to: S): readonly S[];
  /** Narrows a status read from the database; an unknown value is a data fault (500), not a conflict. */
  parse(value: string): S;
}

/**
 * Builds an aggregate's lifecycle from its states and allowed moves. A state never lists itself:
 * writing the status a row already has is not a move, and callers treat it as a repeat (a no-op),
 * not as a transition to allow or refuse.
 */
export function defineLifecycle<const S extends string>(
  name: string,
  states: readonly S[],
  // NoInfer: the states list alone fixes S, so a misspelt target here is a compile error, not a new state.
  transitions: Record<NoInfer<S>, readonly NoInfer<S>[]>,
): Lifecycle<S> {
  const known = new Set<string>(states);
  // Missing or extra keys and unknown targets only get past the types through a cast; this runs once, at load.
  const keys = Object.keys(transitions);
  if (keys.length !== states.length || keys.some((k) => !known.has(k))) {
    throw new Error(`${name} lifecycle: the moves must list exactly the states ${states.join(', ')}`);
  }
  for (const state of states) {
    for (const target of transitions[state]) {
      if (target === state) throw new Error(`${name} lifecycle: "${state}" lists itself as a move`);
      if (!known.has(target)) throw new Error(`${name} lifecycle: "${state}" moves to unknown state "${target}"`);
    }
  }

  const next = (from: S): readonly S[] => (known.has(from) ? transitions[from] : []);
  const can = (from: S, to: S): boolean => next(from).includes(to);
  const entries = new Map(states.map((to) => [to, Object.freeze(states.filter((s) => transitions[s].includes(to)))]));
  return Object.freeze({
    name,
    states,
    can,
    assert(from: S, to: S): void {
      if (!can(from, to)) throw new LifecycleError(name, from, to);
    },
    isFinal: (state: S): boolean => known.has(state) && transitions[state].length === 0,
    next,
    from: (to: S): readonly S[] => entries.get(to) ?? [],
    parse(value: string): S {
      if (!known.has(value)) throw new Error(`Unknown ${name} status "${value}"`);
      return value as S;
    },
  });
}
