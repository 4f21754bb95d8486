import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';
import { brokenStubs } from './api';

// Vitest runs without globals, so Testing Library cannot register its own cleanup.
afterEach(() => {
  cleanup();
  window.localStorage.clear();
  document.documentElement.removeAttribute('data-theme');
  document.documentElement.style.colorScheme = '';
  const broken = brokenStubs.splice(0);
  if (broken.length > 0) throw new Error(broken.join('\n'));
});
