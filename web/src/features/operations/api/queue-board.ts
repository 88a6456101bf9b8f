import { useMutation } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api/client';

/** Where the server mounts Bull Board; a page of its own, outside the SPA. */
export const QUEUE_BOARD_URL = '/admin/queues';

/**
 * Asks for the queue board's pass (an HttpOnly cookie for /admin/queues: a page load carries no bearer
 * token), then loads the board in this window. The API client asks for a step-up first when the server
 * wants one; cancelling it throws the 403, and the page stays.
 */
export async function openQueueBoard(go: (url: string) => void = (url) => window.location.assign(url)): Promise<void> {
  unwrap(await api.POST('/api/admin/queues/session'));
  go(QUEUE_BOARD_URL);
}

export const useOpenQueueBoard = () => useMutation({ mutationFn: () => openQueueBoard() });
