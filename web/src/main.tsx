import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { router } from './app/router';
import { PasskeyStepUp } from './lib/auth/passkeys';
import { SessionProvider } from './lib/auth/session';
import { StepUpHost } from './lib/auth/step-up';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: { retry: (count, error) => count < 2 && (error as { statusCode?: number }).statusCode === undefined },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <SessionProvider>
        <RouterProvider router={router} />
        <StepUpHost />
        <PasskeyStepUp />
      </SessionProvider>
    </QueryClientProvider>
  </StrictMode>,
);
