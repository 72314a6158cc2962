// Where test labs live on the underlay. Pure: the harness and the isolation unit test share it.
// A person's labs are named like the templates and use their underlays (or the editor's
// defaults). Docker refuses a second network on the same subnet, so a test lab gets both its own
// name (uniqueName) and its own underlay: a /24 from TEST_UNDERLAY_OCTETS, far above theirs.
// test/unit/test-isolation.test.ts checks the tests' sources hold no name or address of theirs.

/** Test labs live in 192.168.<210-255>.0/24; 210-229 are for tests that pick their own. */
export const FIRST_TEST_UNDERLAY_OCTET = 210;

/** The third octet of each test lab's underlay, one place for all of them so no two share one. */
const TEST_UNDERLAY_OCTETS = {
  basics: 230,
  tenants: 231,
  converge: 232,
  'lifecycle-invalid': 233,
  'lifecycle-killed': 234,
  'lifecycle-exec': 235,
  terminals: 236,
  'e2e-draw-lab': 239,
} as const;
/** The gallery's templates, as the end-to-end tests' `vxlab serve` shows them: 240 on, by file name. */
export const E2E_TEMPLATE_FIRST_OCTET = 240;
const LAST_OCTET = 255;

export type TestUnderlayKey = keyof typeof TEST_UNDERLAY_OCTETS;

export interface TestUnderlay {
  /** For example 192.168.230.0/24. */
  subnet: string;
  /** The first three octets with the dot: 192.168.230. */
  prefix: string;
}

export function underlayFromOctet(octet: number): TestUnderlay {
  if (!Number.isInteger(octet) || octet < FIRST_TEST_UNDERLAY_OCTET || octet > LAST_OCTET) {
    throw new Error(`test underlay 192.168.${octet}.0/24 is outside the test range 192.168.${FIRST_TEST_UNDERLAY_OCTET}-${LAST_OCTET}.0/24`);
  }
  return { subnet: `192.168.${octet}.0/24`, prefix: `192.168.${octet}.` };
}

/** The underlay a test lab uses: one /24 of its own, nowhere near a person's labs. */
export function testUnderlay(key: TestUnderlayKey): TestUnderlay {
  return underlayFromOctet(TEST_UNDERLAY_OCTETS[key]);
}

/** True for an address or subnet inside the test range (192.168.210.0-192.168.255.255). */
export function isTestUnderlayAddress(address: string): boolean {
  const match = /^192\.168\.(\d{1,3})\.\d{1,3}(\/\d{1,2})?$/.exec(address);
  const octet = Number(match?.[1]);
  const prefixLength = match?.[2] ? Number(match[2].slice(1)) : 32;
  return !!match && octet >= FIRST_TEST_UNDERLAY_OCTET && octet <= LAST_OCTET && prefixLength >= 24;
}

/** The runtime guard: a test never brings up a lab that could be a person's. */
export function assertTestLab(name: string, underlayAddresses: readonly string[]): void {
  if (!name.startsWith('t-')) throw new Error(`test lab "${name}" is not a test name: make it with uniqueName()`);
  const foreign = underlayAddresses.map(String).filter((address) => !isTestUnderlayAddress(address));
  if (foreign.length > 0) {
    throw new Error(`test lab ${name} uses underlay ${foreign.join(', ')}, outside 192.168.${FIRST_TEST_UNDERLAY_OCTET}-${LAST_OCTET}.x: give it testUnderlay()`);
  }
}

/** For building a RegExp out of an address. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
