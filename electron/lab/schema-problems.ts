// Zod's issues, told as vxlab problems: the stable code, and a sentence that starts with the
// field's path, says what is wrong and what to write instead (from the schema's description
// and example of that field).

import { z } from 'zod';
import type { Problem, ProblemCode } from './model.js';
import { pathText } from './problem-path.js';
import { quoteShort } from './schema.js';
import type { IssueParams } from './schema.js';

type Segment = PropertyKey;

export function describeValue(value: unknown): string {
  if (value === undefined || value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the text ${quoteShort(value)}`;
  return String(value);
}

/** An example value written as one line of YAML flow style: `{ name: host-a, ip: 192.168.1.10 }`. */
export function flowYaml(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? '[]' : `[ ${value.map(flowYaml).join(', ')} ]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([key, item]) => `${key}: ${flowYaml(item)}`).join(', ')} }`;
  }
  return String(value);
}

/** Drops the wrappers that only say "may be left out". */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  while (current instanceof z.ZodOptional || current instanceof z.ZodDefault || current instanceof z.ZodNullable) {
    current = current.unwrap() as z.ZodType;
  }
  return current;
}

/** The schema of the field at `path`, or undefined when the path leaves the schema. */
export function schemaAt(root: z.ZodType, path: readonly Segment[]): z.ZodType | undefined {
  let schema: z.ZodType | undefined = root;
  for (const segment of path) {
    const current: z.ZodType = unwrap(schema);
    if (current instanceof z.ZodObject && typeof segment === 'string') schema = (current.shape as Record<string, z.ZodType>)[segment];
    else if (current instanceof z.ZodArray && typeof segment === 'number') schema = current.element as z.ZodType;
    else return undefined;
    if (schema === undefined) return undefined;
  }
  return schema;
}

interface FieldMeta {
  title?: string;
  description?: string;
  examples?: unknown[];
}

function metaOf(schema: z.ZodType): FieldMeta {
  // Metadata may sit on the wrapper (`.meta().optional()`) or inside it.
  return (schema.meta() as FieldMeta | undefined) ?? (unwrap(schema).meta() as FieldMeta | undefined) ?? {};
}

function valueAt(data: unknown, path: readonly Segment[]): unknown {
  let value = data;
  for (const segment of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

const RANGE_CODES: Record<string, ProblemCode> = { vni: 'vni-range', port: 'port-range', mtu: 'mtu-range' };

function numberRange(schema: z.ZodType): { min: number; max: number } | undefined {
  const inner = unwrap(schema);
  if (!(inner instanceof z.ZodNumber)) return undefined;
  return { min: inner.minValue ?? Number.MIN_SAFE_INTEGER, max: inner.maxValue ?? Number.MAX_SAFE_INTEGER };
}

/** "add the VXLAN network identifier (a whole number from 1 to 16777215), for example vni: 42" */
function addHint(schema: z.ZodType, key: Segment | undefined): string {
  const { description = 'a value', examples = [] } = metaOf(schema);
  const range = numberRange(schema);
  const what = range ? `${description} (a whole number from ${range.min} to ${range.max})` : description;
  if (examples.length === 0) return `add ${what}`;
  const example = flowYaml(examples[0]);
  return `add ${what}, for example ${typeof key === 'string' ? `${key}: ${example}` : example}`;
}

/** One problem for one zod issue about `data` (the checked lab file). */
export function problemOfIssue(issue: z.core.$ZodIssue, data: unknown, root: z.ZodType): Problem {
  const path = pathText(issue.path);
  const value = valueAt(data, issue.path);
  if (issue.code === 'custom') {
    const params = issue.params as IssueParams | undefined;
    return { code: params?.problem ?? 'wrong-type', path, message: `${path} ${issue.message}` };
  }
  const schema = schemaAt(root, issue.path);
  const key = issue.path[issue.path.length - 1];
  const problem = (code: ProblemCode, message: string): Problem => ({ code, path, message: `${path} ${message}` });
  if (schema === undefined) return problem('wrong-type', issue.message);
  if (value === undefined) return problem('required', `is missing: ${addHint(schema, key)}`);

  const inner = unwrap(schema);
  const range = numberRange(schema);
  if (range && typeof value === 'number') {
    const code = (typeof key === 'string' && RANGE_CODES[key]) || 'wrong-type';
    const { title } = metaOf(schema);
    const subject = title === undefined ? 'it' : `the ${title}`;
    return problem(code, `is ${value} but ${subject} must be a whole number from ${range.min} to ${range.max}: pick one in that range`);
  }
  if (inner instanceof z.ZodArray && Array.isArray(value)) {
    if (issue.code === 'too_small') return problem('required', `is an empty list: ${addHint(schema, key)}`);
    const max = issue.code === 'too_big' ? Number(issue.maximum) : undefined;
    return problem('limit-exceeded', `lists ${value.length} entries, more than the ${max ?? 'allowed number'} allowed: remove some`);
  }
  if (inner instanceof z.ZodLiteral) {
    const expected = flowYaml(inner.value);
    const code: ProblemCode = key === 'version' ? 'unknown-version' : 'wrong-type';
    const reads = key === 'version' ? `but this vxlab reads version ${expected} lab files` : `but must be ${expected}`;
    return problem(code, `is ${describeValue(value)} ${reads}: write ${String(key)}: ${expected}`);
  }
  const is = `is ${describeValue(value)}`;
  const { examples = [] } = metaOf(schema);
  const example = examples.length > 0 ? ` like ${flowYaml(examples[0])}` : '';
  if (range) return problem('wrong-type', `${is} but must be a number from ${range.min} to ${range.max}`);
  if (inner instanceof z.ZodString) return problem('wrong-type', `${is} but must be text: put it in quotes`);
  if (inner instanceof z.ZodArray) return problem('wrong-type', `${is} but must be a list${example}`);
  if (inner instanceof z.ZodRecord) return problem('wrong-type', `${is} but must be a mapping: remove it and vxlab will lay the lab out again`);
  if (inner instanceof z.ZodObject) return problem('wrong-type', `${is} but must be a mapping${example}`);
  return problem('wrong-type', `${is}: ${issue.message}`);
}
