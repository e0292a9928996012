import { z } from 'zod';
import { type FieldErrors, ValidationError } from '../errors.js';

/**
 * `workspace_id` → "workspace id", `urls.3` → "urls.3": how Laravel names a field in a message.
 * An issue with the whole input (a JSON array sent where an object belongs) has no path: it is
 * named by the fallback key, so the message never reads "The  field …".
 */
function label(path: readonly PropertyKey[], fallback: string): string {
  return path.length > 0 ? path.map(String).join('.').replace(/_/g, ' ') : fallback;
}

function fieldKey(path: readonly PropertyKey[], fallback: string): string {
  return path.length > 0 ? path.map(String).join('.') : fallback;
}

const TYPE_WORDS: Record<string, string> = {
  number: 'a number',
  int: 'an integer',
  string: 'a string',
  array: 'an array',
  boolean: 'true or false',
  object: 'an object',
};

function message(issue: z.core.$ZodIssue, fallback: string): string {
  const name = label(issue.path, fallback);
  if (issue.message.includes(':field')) return issue.message.replace(':field', name);
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return `The ${name} field is required.`;
      return `The ${name} field must be ${TYPE_WORDS[issue.expected] ?? issue.expected}.`;
    case 'too_small':
      if (issue.origin === 'array') {
        return issue.minimum === 1 ? `The ${name} field is required.` : `The ${name} field must have at least ${issue.minimum} items.`;
      }
      if (issue.origin === 'string') {
        return issue.minimum === 1 ? `The ${name} field is required.` : `The ${name} field must be at least ${issue.minimum} characters.`;
      }
      return `The ${name} field must be at least ${issue.minimum}.`;
    case 'too_big':
      if (issue.origin === 'array') return `The ${name} field must not have more than ${issue.maximum} items.`;
      if (issue.origin === 'string') return `The ${name} field must not be greater than ${issue.maximum} characters.`;
      return `The ${name} field must not be greater than ${issue.maximum}.`;
    case 'invalid_format':
      return `The ${name} field format is invalid.`;
    default:
      return `The ${name} field is invalid.`;
  }
}

/** Field errors keyed by dotted path (`urls.3`), one list of messages per field. */
export function toFieldErrors(issues: readonly z.core.$ZodIssue[], fallback = 'body'): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const key = fieldKey(issue.path, fallback);
    const list = (errors[key] ??= []);
    const text = message(issue, fallback);
    if (!list.includes(text)) list.push(text);
  }
  return errors;
}

/** Parses input with a schema; a mismatch becomes a 422 naming every field. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input, { reportInput: true });
  if (!result.success) throw new ValidationError(toFieldErrors(result.error.issues));
  return result.data;
}

// ---- Field shapes shared by the routes -------------------------------------------------------

const INTEGER_TEXT = /^-?\d{1,15}$/;

/**
 * An integer id. JSON numbers and digit strings are both accepted, as form fields and query
 * strings are always text and many clients send ids as strings.
 */
export const idField = z.preprocess(
  (value) => (typeof value === 'string' && INTEGER_TEXT.test(value.trim()) ? Number(value.trim()) : value),
  z.number({ error: (issue) => (issue.input === undefined ? undefined : 'The :field field must be an integer.') }).int('The :field field must be an integer.').positive('The :field field must be an integer.'),
);

/** A positive integer in a query string (`page`, `per_page`). */
export const queryInt = idField;

/** `true`/`false`/`1`/`0` in a query string. */
export const queryBool = z.preprocess(
  (value) => {
    if (value === 'true' || value === '1' || value === true) return true;
    if (value === 'false' || value === '0' || value === false) return false;
    return value;
  },
  z.boolean({ error: 'The :field field must be true or false.' }),
);

export const colorField = z.string().regex(/^#[0-9A-Fa-f]{6}$/, 'The :field field must be a colour like #4F46E5.');
