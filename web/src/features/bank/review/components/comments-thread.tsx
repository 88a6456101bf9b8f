import { useForm } from 'react-hook-form';
import { Alert } from '../../../../components/alert';
import { useAddItemComment } from '../api/item-comments';
import type { ItemForReview } from '../api/item-review';

const MAX_COMMENT = 4000;

/** The discussion on an item: open to its author, its reviewers and administrators alike. */
export function CommentsThread({ item }: { item: ItemForReview }) {
  const add = useAddItemComment(item.id);
  const form = useForm<{ body: string }>({ defaultValues: { body: '' } });
  const error = form.formState.errors.body?.message;
  const describedBy = ['itemreview-new-comment-hint', error && 'itemreview-new-comment-error'].filter(Boolean).join(' ');

  return (
    <section aria-labelledby="itemreview-comments-heading">
      <h2 id="itemreview-comments-heading">Comments</h2>
      {item.comments.length === 0 ? (
        <p>No comments yet.</p>
      ) : (
        <ol className="itemreview-comments">
          {item.comments.map((c) => (
            <li key={c.id}>
              <p className="itemreview-comment-meta">
                <strong>{c.author}</strong> on version {c.version},{' '}
                <time dateTime={c.createdAt}>{new Date(c.createdAt).toLocaleString()}</time>
              </p>
              <p className="itemreview-comment-body">{c.body}</p>
            </li>
          ))}
        </ol>
      )}
      {add.error && <Alert>{add.error.message}</Alert>}
      <form
        className="form"
        noValidate
        onSubmit={form.handleSubmit(async ({ body }) => {
          await add.mutateAsync(body.trim()).then(
            () => form.reset(),
            () => undefined,
          );
        })}
      >
        <div className="field">
          <label htmlFor="itemreview-new-comment">Add a comment</label>
          <p className="hint" id="itemreview-new-comment-hint">
            Everyone working on the item reads comments at once, before they review too: keep your verdict for your review.
          </p>
          <textarea
            id="itemreview-new-comment"
            rows={3}
            aria-invalid={error ? true : undefined}
            aria-describedby={describedBy}
            {...form.register('body', {
              validate: (b) => b.trim().length > 0 || 'Write a comment first',
              maxLength: { value: MAX_COMMENT, message: `Use at most ${MAX_COMMENT} characters` },
            })}
          />
          {error && (
            <p className="field-error" id="itemreview-new-comment-error">
              {error}
            </p>
          )}
        </div>
        <div>
          <button type="submit" disabled={add.isPending}>
            Add comment
          </button>
        </div>
      </form>
    </section>
  );
}
