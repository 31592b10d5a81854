import './app/zod-jitless.js';
// The tokens and base styles first: the components' own stylesheets come after them.
import './app/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app.js';
import { GuardProvider } from './bridge/guard-context.js';
import { getGuardLink } from './bridge/guard.js';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <GuardProvider link={getGuardLink()}>
      <App />
    </GuardProvider>
  </StrictMode>,
);
