// The palette of styles.css as literal values: SVG presentation attributes cannot read CSS variables.
export const INK = '#1b1f24';
export const MUTED = '#4a5360';
export const BRAND = '#0b5cad';
export const DANGER = '#a4161a';
export const LINE = '#c9d1db';
export const PAPER = '#ffffff';

export const AXIS_TICK = { fill: INK, fontSize: 13 };
