// One colour per VNI, the same on the overlay node, its attachment lines and its
// tunnels. A fixed palette indexed by VNI: deterministic, distinct for neighbouring
// VNIs, and arranged so the templates' overlays look like their names (42 blue,
// 100 red, 200 indigo, 300 green).
const PALETTE = [
  '#2f9e44', // green
  '#e8590c', // orange
  '#7048e8', // violet
  '#0c8599', // teal
  '#e03131', // red
  '#66a80f', // lime
  '#1c7ed6', // blue
  '#d6336c', // pink
  '#4263eb', // indigo
  '#f08c00', // amber
  '#1098ad', // cyan
  '#ae3ec9', // grape
] as const;

/** Neutral grey for an overlay whose VNI is missing or broken. */
export const UNKNOWN_VNI_COLOR = '#868e96';

export function overlayColor(vni: number | undefined): string {
  if (vni === undefined || !Number.isInteger(vni) || vni < 0) return UNKNOWN_VNI_COLOR;
  return PALETTE[vni % PALETTE.length] ?? UNKNOWN_VNI_COLOR;
}
