import fc from 'fast-check';

/** An OpenAPI 3.0 schema object, as @nestjs/swagger writes it. */
export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  nullable?: boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  [other: string]: unknown;
}

/** Long enough to find a missing length limit, small enough to stay under the 1 MB body limit. */
export const HUGE_STRING_LENGTH = 20_000;

/** Strings that have broken parsers, SQL and path handling before. */
const NASTY_STRINGS = [
  '',
  ' ',
  'null',
  '0',
  '-1',
  '1e309',
  "' OR 1=1 --",
  '../../etc/passwd',
  '%00',
  '\u0000',
  'Zoë Ångström 日本語 👩🏽‍💻',
  '\u202e\u0301',
  '<script>alert(1)</script>',
  '{"$gt":""}',
  '2026-02-30',
  'not-a-uuid',
  '00000000-0000-0000-0000-000000000000',
];

/**
 * fast-check arbitraries built from the OpenAPI document's schemas: values that satisfy a schema
 * (required properties, enums, formats, bounds) and values that break it in one way or another.
 */
export class SchemaArbitraries {
  constructor(private readonly components: Record<string, Schema>) {}

  resolve(schema: Schema): Schema {
    let s = schema;
    for (let hops = 0; s.$ref && hops < 20; hops++) s = this.components[s.$ref.replace('#/components/schemas/', '')];
    if (s.allOf) {
      const parts = s.allOf.map((p) => this.resolve(p));
      const merged: Schema = { ...s, allOf: undefined };
      for (const p of parts) {
        Object.assign(merged, { ...p, properties: { ...merged.properties, ...p.properties } });
        merged.required = [...(merged.required ?? []), ...(p.required ?? [])];
      }
      delete merged.allOf;
      return merged;
    }
    return s;
  }

  /** Values the schema accepts. */
  valid(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
    const s = this.resolve(schema);
    const arb = this.validNonNull(s, depth);
    return s.nullable ? fc.option(arb, { nil: null, freq: 5 }) : arb;
  }

  private validNonNull(s: Schema, depth: number): fc.Arbitrary<unknown> {
    if (depth > 6) return fc.constant(null);
    if (s.oneOf?.length || s.anyOf?.length) return fc.oneof(...(s.oneOf ?? s.anyOf)!.map((x) => this.valid(x, depth + 1)));
    if (s.enum?.length) return fc.constantFrom(...s.enum);
    switch (s.type) {
      case 'string':
        return this.validString(s);
      case 'integer':
        return fc.integer({ min: s.minimum ?? -1_000, max: s.maximum ?? 1_000_000 });
      case 'number': {
        const min = s.minimum ?? -1_000;
        const max = s.maximum ?? 1_000_000;
        return fc.oneof(
          fc.integer({ min: Math.ceil(min), max: Math.floor(max) }),
          fc.double({ min, max, noNaN: true, noDefaultInfinity: true }),
        );
      }
      case 'boolean':
        return fc.boolean();
      case 'array':
        return fc.array(s.items ? this.valid(s.items, depth + 1) : fc.jsonValue({ maxDepth: 1 }), {
          minLength: s.minItems ?? 0,
          maxLength: Math.max(s.minItems ?? 0, Math.min(s.maxItems ?? 4, 6)),
        });
      case 'object':
      case undefined:
        return this.validObject(s, depth);
      default:
        return fc.jsonValue({ maxDepth: 1 });
    }
  }

  private validString(s: Schema): fc.Arbitrary<string> {
    const clip = (a: fc.Arbitrary<string>) =>
      a.filter((v) => v.length >= (s.minLength ?? 0) && v.length <= (s.maxLength ?? Number.MAX_SAFE_INTEGER));
    switch (s.format ?? '') {
      case 'uuid':
        return fc.uuid({ version: 4 });
      case 'email':
        return fc.oneof(
          fc.stringMatching(/^[a-z][a-z0-9]{2,12}$/).map((local) => `${local}@example.org`),
          clip(fc.emailAddress()),
        );
      case 'date-time':
        return fc.date({ min: new Date('2020-01-01'), max: new Date('2035-12-31'), noInvalidDate: true }).map((d) => d.toISOString());
      case 'date':
        return fc
          .date({ min: new Date('2020-01-01'), max: new Date('2035-12-31'), noInvalidDate: true })
          .map((d) => d.toISOString().slice(0, 10));
      case 'uri':
      case 'url':
        return clip(fc.webUrl());
    }
    if (s.pattern) return clip(fc.stringMatching(new RegExp(s.pattern)));
    const minLength = s.minLength ?? 0;
    const maxLength = Math.max(minLength, Math.min(s.maxLength ?? 40, 200));
    return fc.oneof(
      { weight: 3, arbitrary: fc.string({ minLength, maxLength }) },
      { weight: 1, arbitrary: fc.string({ minLength, maxLength, unit: 'grapheme' }) },
    );
  }

  private validObject(s: Schema, depth: number): fc.Arbitrary<unknown> {
    if (s.properties && Object.keys(s.properties).length) {
      const model = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, this.valid(v, depth + 1)]));
      return fc.record(model, { requiredKeys: (s.required ?? []).filter((k) => k in model) });
    }
    if (s.additionalProperties && typeof s.additionalProperties === 'object') {
      return fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), this.valid(s.additionalProperties, depth + 1), { maxKeys: 3 });
    }
    return fc.constant({});
  }

  /** A value of another JSON type than the schema asks for. */
  wrongType(schema: Schema): fc.Arbitrary<unknown> {
    const s = this.resolve(schema);
    const others: fc.Arbitrary<unknown>[] = [];
    if (s.type !== 'string') others.push(fc.string({ maxLength: 12 }));
    if (s.type !== 'number' && s.type !== 'integer') others.push(fc.oneof(fc.integer(), fc.constant(1.5), fc.constant(-0)));
    if (s.type !== 'boolean') others.push(fc.boolean());
    if (s.type !== 'array') others.push(fc.array(fc.string({ maxLength: 4 }), { maxLength: 2 }));
    if (s.type !== 'object' && s.type !== undefined) others.push(fc.constant({ nested: { deeper: true } }));
    if (!s.nullable) others.push(fc.constant(null));
    if (s.enum) others.push(fc.constant('definitely-not-an-enum-member'));
    if (s.type === 'string' && s.format) others.push(fc.constant(`not-a-${s.format}`));
    if ((s.type === 'number' || s.type === 'integer') && (s.minimum !== undefined || s.maximum !== undefined)) {
      others.push(fc.constantFrom((s.minimum ?? 0) - 1, (s.maximum ?? 0) + 1, 1e308, -1e308));
    }
    return fc.oneof(...others);
  }

  /**
   * Bodies that break the schema: a required property left out, a property of the wrong type, an
   * unknown property, a huge string, or not an object at all.
   */
  invalid(schema: Schema): fc.Arbitrary<unknown> {
    const s = this.resolve(schema);
    const variants: fc.Arbitrary<unknown>[] = [fc.constantFrom<unknown>([], 42, 'text', null, true, [{}]), fc.jsonValue({ maxDepth: 2 })];
    const props = Object.entries(s.properties ?? {});
    if (props.length) {
      const base = this.valid(s) as fc.Arbitrary<Record<string, unknown>>;
      const required = s.required ?? [];
      if (required.length) {
        variants.push(fc.tuple(base, fc.constantFrom(...required)).map(([obj, key]) => omit(obj, key)));
      }
      variants.push(
        fc
          .tuple(base, fc.constantFrom(...props))
          .chain(([obj, [key, propSchema]]) => this.wrongType(propSchema).map((bad) => ({ ...obj, [key]: bad }))),
        base.map((obj) => ({ ...obj, unexpectedFuzzField: 'surplus' })),
        fc.tuple(base, fc.constantFrom(...props.map(([k]) => k))).map(([obj, key]) => ({ ...obj, [key]: 'x'.repeat(HUGE_STRING_LENGTH) })),
      );
    }
    return fc.oneof(...variants);
  }

  /** Path and query values that are not what the parameter expects. */
  weirdString(): fc.Arbitrary<string> {
    return fc.oneof(
      fc.constantFrom(...NASTY_STRINGS.filter((v) => v !== '')),
      fc.string({ minLength: 1, maxLength: 30, unit: 'grapheme' }),
      fc.constant('9'.repeat(40)),
      fc.constant('a'.repeat(2_000)),
    );
  }
}

function omit(obj: Record<string, unknown>, key: string): Record<string, unknown> {
  const copy = { ...obj };
  delete copy[key];
  return copy;
}
