// The text of "New lab": the smallest lab that validates, one host on its underlay.

export function newLabText(name: string): string {
  return [
    'version: 1',
    `name: ${name}`,
    'title: New lab',
    'description: ""',
    'underlay:',
    '  subnet: 192.168.10.0/24',
    'hosts:',
    '  - { name: host-1, ip: 192.168.10.10 }',
    'overlays: []',
    'containers: []',
    'layout: {}',
    '',
  ].join('\n');
}

/** "new-lab", or "new-lab-2", "new-lab-3"… when that name is taken. */
export function freshLabName(taken: Iterable<string>): string {
  const names = new Set(taken);
  if (!names.has('new-lab')) return 'new-lab';
  for (let n = 2; ; n++) if (!names.has(`new-lab-${n}`)) return `new-lab-${n}`;
}
