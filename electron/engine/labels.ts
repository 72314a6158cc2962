// The labels every Docker object of a lab carries. `vxlab down` and the tests find
// everything a lab made through LAB; ROLE says what the object is to vxlab.

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
