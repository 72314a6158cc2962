// The labels every Docker object of a lab carries. `vxlab down` and the tests find
// everything a lab made through LAB; ROLE says what the object is to vxlab.
import type { LabName } from '../lab/brands.js';
import { isLabName } from '../lab/brands.js';

export const LABEL_LAB = 'vxlab.lab';
export const LABEL_ROLE = 'vxlab.role';
export const LABEL_HOST = 'vxlab.host';
export const LABEL_NODE = 'vxlab.node';
/** A hash of the spec an object was made from: a changed spec means re-create it. */
export const LABEL_SPEC = 'vxlab.spec';
export const LABEL_IMAGE = 'vxlab.image';
export const LABEL_RECIPE = 'vxlab.recipe';

export type Role = 'underlay' | 'host' | 'container';

export function labLabels(lab: string, role: Role, extra: Record<string, string> = {}): Record<string, string> {
  return { [LABEL_LAB]: lab, [LABEL_ROLE]: role, ...extra };
}

export function labFilter(lab: string, role?: Role): { label: string[] } {
  const label = [`${LABEL_LAB}=${lab}`];
  if (role) label.push(`${LABEL_ROLE}=${role}`);
  return { label };
}

/**
 * The lab an object belongs to, read from its labels. Anyone with the Docker socket
 * can label a container, so the value is untrusted: only a valid lab name (the lab
 * file's rule) counts, anything else (`../..`, control characters, 10 KB) is ignored.
 */
export function labOfLabels(labels: Readonly<Record<string, string>> | null | undefined): LabName | undefined {
  const value = labels?.[LABEL_LAB];
  return isLabName(value) ? value : undefined;
}
