// happy-dom has no layout engine: elements measure 0 x 0. React Flow reads the size of
// its container and of each node, so give elements a size here, the way a browser
// would after layout. Unmount after every test, since vitest runs without globals
// and Testing Library's automatic cleanup needs them.
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

const SIZE = { width: 1200, height: 800 };

for (const [property, value] of [
  ['offsetWidth', SIZE.width],
  ['offsetHeight', SIZE.height],
  ['clientWidth', SIZE.width],
  ['clientHeight', SIZE.height],
] as const) {
  Object.defineProperty(HTMLElement.prototype, property, { configurable: true, get: () => value });
}

afterEach(() => {
  cleanup();
});
