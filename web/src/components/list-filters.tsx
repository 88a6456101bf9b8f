import { type FormEvent, type ReactNode, useState } from 'react';
import type { ListParams } from '../lib/list-params';

/**
 * The filter form above a server-side list: its fields edit a draft of the filters, which reaches the
 * address (and so the list) when the form is sent; Clear empties both. `children` gets each field's
 * value and change handler by name.
 */
export function ListFilters<F extends string>({
  list,
  label,
  submitLabel = 'Search',
  children,
}: {
  list: ListParams<F>;
  /** The search landmark's name, e.g. "Find people". */
  label: string;
  submitLabel?: string;
  children: (field: (name: F) => { value: string; onChange: (e: { target: { value: string } }) => void }) => ReactNode;
}) {
  const [form, setForm] = useState(list.filters);
  const field = (name: F) => ({
    value: form[name] ?? '',
    onChange: (e: { target: { value: string } }) => setForm({ ...form, [name]: e.target.value }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    list.setFilters(form);
  };
  return (
    <form className="form list-filters" role="search" aria-label={label} onSubmit={submit}>
      {children(field)}
      <div className="actions">
        <button type="submit">{submitLabel}</button>
        <button
          type="button"
          className="button-secondary"
          onClick={() => {
            setForm({});
            list.setFilters({});
          }}
        >
          Clear
        </button>
      </div>
    </form>
  );
}
