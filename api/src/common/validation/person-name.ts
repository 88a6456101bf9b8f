import { ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * Characters a person's name may not contain (issue #14): C0 controls, DEL and C1 controls (they break
 * e-mails, calendars and logs), and the bidirectional marks, embeddings, overrides and isolates (U+200E/F,
 * U+061C, U+202A–U+202E, U+2066–U+2069) that make a name display as something it is not — on a certificate
 * a verifier relies on.
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** Why the value cannot be a person's name, or null. `field` names it in the message. */
export function personNameProblem(value: string, field = 'name'): string | null {
  const found = FORBIDDEN.exec(value);
  if (!found) return null;
  const code = found[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  return `${field} must not contain control or text-direction characters (found U+${code})`;
}

/** class-validator: the property is a person's name without control or bidi characters (see personNameProblem). */
export function IsPersonName(field: string, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isPersonName',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || personNameProblem(value, field) === null,
        defaultMessage: (args) => personNameProblem(String(args?.value ?? ''), field) ?? `${field} is not a valid name`,
      },
    },
    options,
  );
}
