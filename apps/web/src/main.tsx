// Global styles first: each feature's own stylesheet, imported by its pages, comes after them.
import './styles/index.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { applyTheme, initialTheme } from './lib/theme';
import { createQueryClient } from './queryClient';
import { createAppRouter } from './router';
// After every feature's stylesheet (which the router's pages import): see the file.
import './styles/focus.css';

applyTheme(initialTheme());

const queryClient = createQueryClient();
const router = createAppRouter(queryClient);

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

createRoot(container).render(
  <StrictMode>
    <App queryClient={queryClient} router={router} />
  </StrictMode>,
);
